/* Interlude's search, 4 of 7: what both views share (the order of the files: search-index.js): a result as
   HTML with the searched-for words marked, the count and what a screen reader is told, and waiting for
   the index. Classes and the hidden attribute only, no inline styles. */
(function () {
  "use strict";

  var ns = window.interludeSearch;
  var index = ns.index;
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function dateText(entry) {
    var y = +entry.key.slice(0, 4), m = +entry.key.slice(5, 7), d = +entry.key.slice(8, 10);
    var day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    return DAYS[day] + " " + d + " " + MONTHS[m - 1] + " " + y + (entry.time ? " · " + entry.time : "");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function isWanted(n, reqs) {
    return !!n && reqs.some(function (r) { return n === r.word || (r.prefix && n.lastIndexOf(r.word, 0) === 0); });
  }

  /* In a run of unspaced script (私の家に帰った), the stretches a query's characters match, as [start, end]
     offsets into the run as written: compared in normalised form, character by character. */
  function unspacedMarks(word, reqs) {
    var wanted = reqs.map(function (r) { return r.word; }).filter(ns.isUnspaced);
    if (!wanted.length) { return []; }
    var norm = "", starts = [], offset = 0;
    Array.from(word).forEach(function (ch) {
      var n = ns.normalise(ch);
      for (var k = 0; k < n.length; k++) { starts.push(offset); }
      norm += n;
      offset += ch.length;
    });
    starts.push(offset);
    var spans = [], i = 0;
    while (i < norm.length) {
      var longest = 0;
      wanted.forEach(function (w) { if (w.length > longest && norm.startsWith(w, i)) { longest = w.length; } });
      if (longest) {
        spans.push([starts[i], starts[i + longest]]);
        i += longest;
      } else {
        i++;
      }
    }
    return spans;
  }

  /* Text with the searched-for words in <mark>; returns whether anything was marked. */
  function highlight(node, text, reqs) {
    var WORD = ns.WORD;
    var at = 0, marked = false, found;
    WORD.lastIndex = 0;
    while ((found = WORD.exec(text))) {
      var spans = ns.isUnspaced(found[0]) ? unspacedMarks(found[0], reqs)
        : isWanted(ns.normalise(found[0]), reqs) ? [[0, found[0].length]] : [];
      spans.forEach(function (span) {
        var start = found.index + span[0], end = found.index + span[1];
        if (start > at) { node.appendChild(document.createTextNode(text.slice(at, start))); }
        node.appendChild(el("mark", "", text.slice(start, end)));
        at = end;
        marked = true;
      });
    }
    if (at < text.length) { node.appendChild(document.createTextNode(text.slice(at))); }
    return marked;
  }

  /* The opening words, started a little before the first match when that is far in (the popup shows
     two lines). */
  function around(text, reqs) {
    var WORD = ns.WORD;
    var found;
    WORD.lastIndex = 0;
    while ((found = WORD.exec(text)) && !isWanted(ns.normalise(found[0]), reqs)) { /* to the first match */ }
    if (!found || found.index <= 70) { return text; }
    var start = text.lastIndexOf(" ", found.index - 30);
    return start > 0 ? "…" + text.slice(start + 1) : text;
  }

  function entryHref(entry) { return ns.siteRoot() + "entries/" + entry.key + ".html"; }

  function typeName(type) { return type.replace(/-/g, " "); }

  /* A result's parts: meta (date, type, flags), title and snippet with the words marked, and whether the
     words are further on than either shows. `short`: the popup's snippet, started near the first match. */
  function resultBody(entry, reqs, headingTag, short) {
    var meta = el("span", "result-meta");
    meta.appendChild(el("span", "result-date", dateText(entry)));
    meta.appendChild(el("span", "result-type", typeName(entry.type)));
    if (entry.milestone) { meta.appendChild(el("span", "result-flag flag-milestone", "milestone")); }
    if (entry.discuss) { meta.appendChild(el("span", "result-flag flag-discuss", "for next session")); }
    if (entry.private) { meta.appendChild(el("span", "result-flag flag-private", "private")); }
    var title = el(headingTag, "result-title");
    var snippet = el("span", "result-snippet");
    var inTitle = highlight(title, entry.title, reqs);
    var inSnippet = highlight(snippet, short ? around(entry.snippet, reqs) : entry.snippet, reqs);
    return { meta: meta, title: title, snippet: snippet, elsewhere: !inTitle && !inSnippet && reqs.length > 0 };
  }

  /* When the words are further into the entry than its opening, say so: the snippet cannot show them. */
  function elsewhereNote(reqs, completed) {
    var note = el("span", "result-elsewhere");
    var seen = {};
    var words = [];
    reqs.forEach(function (r) {
      var word = r.prefix && completed ? completed : r.word;
      if (!seen[word]) { seen[word] = true; words.push(word); }
    });
    note.appendChild(document.createTextNode("Mentions "));
    words.forEach(function (word, i) {
      if (i) { note.appendChild(document.createTextNode(i === words.length - 1 ? " and " : ", ")); }
      note.appendChild(el("mark", "", word));
    });
    note.appendChild(document.createTextNode(" further on"));
    return note;
  }

  function countWords(n) { return n === 1 ? "1 entry" : n.toLocaleString("en") + " entries"; }

  /* How many entries a search found, and with which filters. */
  function describe(found) {
    var n = found.results.length;
    var filters = [];
    if (found.query.type) { filters.push("type " + typeName(found.query.type)); }
    if (found.query.tag) { filters.push("tag " + found.query.tag); }
    if (!n) {
      return "No entries match" + (found.query.text.trim() ? " “" + found.query.text.trim() + "”" : "") +
        (filters.length ? " with " + filters.join(" and ") : "") + ".";
    }
    return countWords(n) + " found" + (filters.length ? " (" + filters.join(", ") + ")" : "") + ".";
  }

  /* The files of the index that could not be loaded, if any, in words. */
  function trouble() {
    return index.failed.length ? " Part of the search index could not be loaded (" + index.failed.join(", ") +
      "): build the journal again." : "";
  }

  /* Tells a screen reader (the `status` element, role=status) after a pause in typing, so that it is not
     flooded with counts; `shown`, if given, shows the same words at once. */
  function Announcer(status, shown) {
    var timer = null;
    this.say = function (words, now) {
      if (shown) { shown.textContent = words; }
      clearTimeout(timer);
      timer = setTimeout(function () { status.textContent = words; }, now ? 0 : 500);
    };
  }

  /* True when the index is ready; otherwise says that it is loading and calls `then` once it is. */
  function whenReady(then, say) {
    if (index.state === "ready") { return true; }
    say("Loading the search index…", true);
    ns.load(then);
    return false;
  }

  ns.el = el;
  ns.entryHref = entryHref;
  ns.resultBody = resultBody;
  ns.elsewhereNote = elsewhereNote;
  ns.countWords = countWords;
  ns.describe = describe;
  ns.trouble = trouble;
  ns.Announcer = Announcer;
  ns.whenReady = whenReady;
})();
