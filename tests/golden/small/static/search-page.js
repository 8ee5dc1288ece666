/* Interlude's search, 6 of 7: search.html, the full search with menus for type and tag (the order of the
   files: search-index.js). The address keeps the search, so back, forward and bookmarks work. */
(function () {
  "use strict";

  var ns = window.interludeSearch;
  var FIRST_SCREEN = 8; // results shown at once, then up to FIRST_PAGE; "Show more" adds PAGE_SIZE
  var FIRST_PAGE = 20;
  var PAGE_SIZE = 50;

  function FullSearch(form) {
    var input = form.querySelector("input[type=search]");
    var typeSelect = form.querySelector("select[name=type]");
    var tagSelect = form.querySelector("select[name=tag]");
    // The visible count changes at once; screen readers hear it after a pause in typing.
    var say = new ns.Announcer(document.querySelector("[data-search-status]"), document.querySelector("[data-search-count]")).say;
    var list = document.querySelector("[data-search-list]");
    var moreButton = document.querySelector("[data-search-more]");
    var help = document.querySelector("[data-search-help]");
    var found = null;
    var shown = 0;
    var later = null;

    function readAddress() {
      var params = new URLSearchParams(window.location.search);
      var pending = ns.pending;
      ns.pending = null;
      input.value = pending !== null && pending !== undefined ? pending : params.get("q") || "";
      if (params.get("type")) { typeSelect.value = params.get("type"); }
      if (params.get("tag")) { tagSelect.value = params.get("tag"); }
    }

    function writeAddress() {
      if (window.interludeLocked) { return; }
      var params = new URLSearchParams();
      if (input.value.trim()) { params.set("q", input.value.trim()); }
      if (typeSelect.value) { params.set("type", typeSelect.value); }
      if (tagSelect.value) { params.set("tag", tagSelect.value); }
      var address = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
      try { history.replaceState(null, "", address); } catch (e) { /* some browsers refuse on file:// */ }
    }

    function resultItem(r, reqs) {
      var item = ns.el("li", "result");
      var article = ns.el("article");
      var body = ns.resultBody(r.entry, reqs, "h2", false);
      var link = ns.el("a");
      link.href = ns.entryHref(r.entry);
      while (body.title.firstChild) { link.appendChild(body.title.firstChild); }
      body.title.appendChild(link);
      article.append(body.meta, body.title, body.snippet);
      if (body.elsewhere) { article.appendChild(ns.elsewhereNote(reqs, r.completed)); }
      if (r.entry.tags.length) {
        var tags = ns.el("ul", "tags");
        tags.setAttribute("aria-label", "Tags");
        r.entry.tags.forEach(function (t) {
          var li = ns.el("li");
          var a = ns.el("a", "", t[1]);
          a.href = ns.siteRoot() + "tags/" + t[0] + ".html";
          li.appendChild(a);
          tags.appendChild(li);
        });
        article.appendChild(tags);
      }
      item.appendChild(article);
      return item;
    }

    function showMore(count) {
      var next = found.results.slice(shown, shown + count);
      next.forEach(function (r) { list.appendChild(resultItem(r, found.reqs)); });
      shown += next.length;
      moreButton.hidden = shown >= found.results.length;
      moreButton.textContent = "Show " + Math.min(PAGE_SIZE, found.results.length - shown) + " more";
    }

    function render() {
      writeAddress();
      if (!ns.whenReady(render, say)) { return; }
      var filters = { type: typeSelect.value, tag: tagSelect.value };
      found = ns.find(input.value, filters);
      list.replaceChildren();
      shown = 0;
      var empty = !found.reqs.length && !found.query.type && !found.query.tag;
      help.hidden = !empty;
      if (empty) {
        moreButton.hidden = true;
        var total = ns.index.entries.length;
        say(total ? "Type a word to search " + ns.countWords(total) + "." : "The journal has no entries yet." + ns.trouble(), true);
        return;
      }
      say(ns.describe(found) + ns.trouble());
      // The first screenful at once, the rest of the first page just after: typing stays quick.
      showMore(FIRST_SCREEN);
      var mine = found;
      clearTimeout(later);
      later = setTimeout(function () { if (found === mine) { showMore(FIRST_PAGE - FIRST_SCREEN); } }, 0);
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll(".result-title a")); }

    input.addEventListener("input", render);
    typeSelect.addEventListener("change", render);
    tagSelect.addEventListener("change", render);
    moreButton.addEventListener("click", function () {
      var before = shown;
      showMore(PAGE_SIZE);
      var all = links();
      if (all[before]) { all[before].focus(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = links()[0];
      if (first) { first.click(); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var first = links()[0];
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        render();
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) { input.focus(); } else if (all[next]) { all[next].focus(); } else if (!moreButton.hidden) { moreButton.focus(); }
      } else if (event.key === "Escape") {
        event.preventDefault();
        input.focus();
      }
    });
    moreButton.addEventListener("keydown", function (event) {
      if (event.key === "ArrowUp") { event.preventDefault(); var all = links(); if (all.length) { all[all.length - 1].focus(); } }
    });

    readAddress();
    render();
    this.focus = function () { input.focus(); input.select(); };
  }

  ns.FullSearch = FullSearch;
})();
