/* Interlude's search, 7 of 7: which view this page has, and the keyboard (the order of the files, and what
   each holds: search-index.js). Loaded last, so everything it uses is there.

   window.interludeSearch, for benchmarks and tests as well: .load(then), .state ("idle", "loading",
   "ready"), .search(text, filters) → the entry keys found, best first, .sample(n) → n words of the index. */
(function () {
  "use strict";

  var ns = window.interludeSearch;
  var current = null;

  function bind() {
    var page = document.querySelector("form[data-search=page]");
    var popup = document.querySelector("form[data-search=popup]");
    current = page ? new ns.FullSearch(page) : popup ? new ns.Popup(popup) : null;
    if (page) { ns.load(); }
  }

  ns.search = function (text, filters) {
    return ns.find(text, filters).results.map(function (r) { return r.entry.key; });
  };
  /* For benchmarks: n words of the index, spread through the newest shard's word list. */
  ns.sample = function (n) {
    var shards = ns.index.shards;
    var terms = shards.length ? shards[0].terms : [];
    var out = [];
    for (var i = 0; i < n && terms.length; i++) { out.push(terms[Math.floor(terms.length * (i + 0.5) / n)]); }
    return out;
  };
  ns.pending = null; // what the header box held when it led to search.html

  // "/" jumps to the search box, as on many sites, unless the person is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || !current) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName))) { return; }
    event.preventDefault();
    current.focus();
  });
  document.addEventListener("pointerdown", function (event) { // a tap elsewhere closes the results
    if (current && current.outside) { current.outside(event.target); }
  });
  document.addEventListener("interlude:page", bind); // a locked site shows each page in place

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
