/* Interlude's search, 5 of 7: the box in every page's header (the order of the files: search-index.js).
   A combobox with a listbox of results as you type; the last option leads to search.html. */
(function () {
  "use strict";

  var ns = window.interludeSearch;
  var POPUP_SIZE = 8;

  function Popup(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector("[data-search-results]");
    var panel = form.querySelector("[data-search-panel]");
    var say = new ns.Announcer(form.querySelector("[data-search-status]")).say;
    var options = [];
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    list.setAttribute("role", "listbox");

    function open(isOpen) {
      panel.hidden = !isOpen;
      input.setAttribute("aria-expanded", isOpen ? "true" : "false");
      if (!isOpen) { setActive(-1); }
    }

    function setActive(i) {
      if (active >= 0 && options[active]) {
        options[active].classList.remove("is-active");
        options[active].setAttribute("aria-selected", "false");
      }
      active = i;
      if (i >= 0 && options[i]) {
        options[i].classList.add("is-active");
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function fullSearchHref() {
      return ns.siteRoot() + "search.html?q=" + encodeURIComponent(input.value.trim());
    }

    function option(id, href, className) {
      var a = ns.el("a", className);
      a.id = id;
      a.href = href;
      a.tabIndex = -1;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      return a;
    }

    function render() {
      var text = input.value;
      list.replaceChildren();
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!text.trim()) { open(false); say(""); return; }
      if (!ns.whenReady(render, say)) { open(false); return; }
      var found = ns.find(text);
      var shown = found.results.slice(0, POPUP_SIZE);
      shown.forEach(function (r, i) {
        var a = option(list.id + "-" + i, ns.entryHref(r.entry), "result-option");
        var body = ns.resultBody(r.entry, found.reqs, "span", true);
        a.append(body.title, body.meta, body.snippet);
        if (body.elsewhere) { a.appendChild(ns.elsewhereNote(found.reqs, r.completed)); }
        list.appendChild(a);
        options.push(a);
      });
      var more = option(list.id + "-more", fullSearchHref(), "result-option result-more");
      more.textContent = found.results.length > shown.length
        ? "See all " + ns.countWords(found.results.length) + " on the search page"
        : (found.results.length ? "Search with filters on the search page" : "No entries match. Try the search page, with filters");
      more.addEventListener("click", function () { ns.pending = input.value; });
      list.appendChild(more);
      options.push(more);
      open(true);
      say(ns.describe(found) + (found.results.length ? " Use the down arrow to choose one, Enter to open the first." : "") + ns.trouble());
    }

    function go(choice) {
      if (!choice) { return; }
      if (choice.classList.contains("result-more")) { ns.pending = input.value; }
      choice.click();
    }

    input.addEventListener("focus", function () { ns.load(); });
    form.addEventListener("pointerenter", function () { ns.load(); });
    input.addEventListener("input", render);
    input.addEventListener("keydown", function (event) {
      var isOpen = !panel.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!isOpen) { render(); return; }
        setActive(active + 1 < options.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (isOpen) { setActive(active > 0 ? active - 1 : options.length - 1); }
      } else if (event.key === "Escape") {
        if (isOpen) { event.preventDefault(); open(false); } else if (input.value) { event.preventDefault(); input.value = ""; say(""); }
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (ns.index.state !== "ready" && input.value.trim()) { ns.load(function () { render(); go(options[0]); }); return; }
        go(active >= 0 ? options[active] : options[0]);
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) { open(false); }
    });
    this.focus = function () { input.focus(); input.select(); };
    this.outside = function (target) { if (!form.contains(target)) { open(false); } };
  }

  ns.Popup = Popup;
})();
