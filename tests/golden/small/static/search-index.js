/* Interlude's search, 1 of 7: the index, loaded and decoded.

   The search is seven classic scripts sharing one object, window.interludeSearch (ES modules do not load
   from file://). Every page loads them in this order (templates/base.html), each using only what the ones
   before it define: search-index.js (this), search-query.js (word rules, queries), search-rank.js (matching
   and ranking), search-results.js (a result as HTML, and what is said), search-popup.js (the box in the
   header), search-page.js (search.html) and search.js (which of the two a page has; the keyboard).

   search/index.js (the manifest) and one search/YYYY-H.js per half-year are loaded by inserting <script> tags
   (Chromium blocks fetch() of local files) the first time the search box is used, or at once on
   search.html. Each calls window.interludeSearch.manifest(...) / .add(...). What they hold is defined once,
   in generator/searchformat.py: the manifest carries that definition as "format" (a row's fields and
   flags in order, the alphabets of the words and entry lists) and this file decodes with it. It knows only
   the format's version and the names of the fields the search shows (tests/browser/test_search_format.py
   compares what it decodes with what Python wrote). In a locked site (window.interludeLocked) the same
   files are opened through the lock instead.
   No network, no eval, no inline styles. */
(function () {
  "use strict";

  var ns = window.interludeSearch = {};
  var READS = 1; // the version of generator/searchformat.py this file decodes (its VERSION)

  /* The decoding of one format, the manifest's "format": rows into entries, front-coded words, entry lists.
     Throws if the format lacks a field or flag the search shows. */
  function Decoder(format) {
    var digit = new Int16Array(128).fill(-1); // a list digit's value, or -1
    var shared = new Int16Array(128).fill(-1); // a front-coding character's shared length, or -1
    var half = format.half;
    // The alphabets come as runs of code points, [first, last]: each character's value is its place.
    function number(table, runs) {
      var value = 0;
      runs.forEach(function (run) { for (var c = run[0]; c <= run[1]; c++) { table[c] = value++; } });
    }
    number(digit, format.digits);
    number(shared, format.shared);

    function place(names, name) {
      var at = names.indexOf(name);
      if (at < 0) { throw new Error("no " + name + " in the search index's format"); }
      return at;
    }
    var KEY = place(format.fields, "key"), TITLE = place(format.fields, "title"), TIME = place(format.fields, "time");
    var FLAGS = place(format.fields, "flags"), TYPE = place(format.fields, "type"), TAGS = place(format.fields, "tags");
    var SNIPPET = place(format.fields, "snippet");
    var PRIVATE = 1 << place(format.flags, "private"), DISCUSS = 1 << place(format.flags, "discuss");
    var MILESTONE = 1 << place(format.flags, "milestone");

    /* The sorted words of a shard's "terms". */
    this.terms = function (coded) {
      var terms = [], previous = "", i = 0, n = coded.length;
      while (i < n) {
        var length = shared[coded.charCodeAt(i)];
        var j = i + 1;
        while (j < n) {
          var c = coded.charCodeAt(j);
          if (c < 128 && shared[c] >= 0) { break; }
          j++;
        }
        previous = previous.slice(0, length) + coded.slice(i + 1, j);
        terms.push(previous);
        i = j;
      }
      return terms;
    };

    /* Calls visit(number) for each entry, by its place in the shard, in one word's list. */
    this.eachPosting = function (list, visit) {
      var last = -1, value = 0;
      for (var i = 0; i < list.length; i++) {
        var d = digit[list.charCodeAt(i)];
        if (d >= half) {
          value = value * half + d - half;
        } else {
          last += value * half + d + 1;
          visit(last);
          value = 0;
        }
      }
    };

    /* One word's list as an array of entry numbers. */
    this.postings = function (list) {
      var numbers = [];
      this.eachPosting(list, function (n) { numbers.push(n); });
      return numbers;
    };

    /* A row as the entry the search works with: the type by its name, the tags as [slug, name], each flag
       as true or false; `number` is its place in the whole index. */
    this.entry = function (row, types, tags, number) {
      var key = row[KEY], time = row[TIME], flags = row[FLAGS];
      return {
        key: key, title: row[TITLE], time: time, when: key.slice(0, 10) + time,
        type: types[row[TYPE]],
        tags: row[TAGS].map(function (t) { return tags[t]; }),
        snippet: row[SNIPPET],
        private: (flags & PRIVATE) !== 0, discuss: (flags & DISCUSS) !== 0, milestone: (flags & MILESTONE) !== 0,
        number: number,
        titleKey: null, // the ranking's keys, made when first needed (search-rank.js)
        snippetKey: null
      };
    };
  }

  var index = {
    state: "idle", // idle → loading → ready
    shards: [], // each half-year's {name, base, count, terms, lists}: its entries are entries[base, base + count)
    entries: [], // every entry, as Decoder.entry makes it
    expected: 0,
    failed: [],
    waiting: [],
    manifest: null,
    decoder: null
  };

  /* search/index.js: the shards to load, and the format they are written in. */
  function addManifest(data) {
    if (!data || data.v !== READS) { return; }
    try {
      index.decoder = new Decoder(data.format);
    } catch (e) {
      return; // made for another search: like another version, nothing is found
    }
    index.manifest = data;
  }

  /* search/YYYY-H.js: one half-year's entries and words. */
  function addShard(data) {
    var decoder = index.decoder;
    if (!data || !decoder || data.v !== index.manifest.v) { return; }
    var shard = {
      name: data.name,
      base: index.entries.length,
      count: data.entries.length,
      terms: decoder.terms(data.terms),
      lists: data.postings.split(" ")
    };
    data.entries.forEach(function (row) {
      index.entries.push(decoder.entry(row, data.types, data.tags, index.entries.length));
    });
    index.shards.push(shard);
  }

  function finish() {
    if (index.state === "ready" || index.expected > 0) { return; }
    index.state = "ready";
    try { performance.mark("interlude-search-ready"); } catch (e) { /* old browsers */ }
    var waiting = index.waiting;
    index.waiting = [];
    waiting.forEach(function (fn) { fn(); });
    setTimeout(function () { if (ns.warm) { ns.warm(0); } }, 50);
  }

  /* The way from this page to the site's top folder ("" or "../"). */
  function siteRoot() {
    var locked = window.interludeLocked;
    if (locked && typeof locked.root === "string") { return locked.root; }
    var holder = document.querySelector("[data-root]");
    return holder ? holder.getAttribute("data-root") : "";
  }

  function loadScript(path, version) {
    var locked = window.interludeLocked;
    if (locked && locked.run) {
      return locked.run(path);
    }
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = siteRoot() + path + (version ? "?v=" + version : "");
      tag.charset = "utf-8";
      tag.onload = function () { tag.remove(); resolve(); };
      tag.onerror = function () { tag.remove(); reject(new Error(path)); };
      document.head.appendChild(tag);
    });
  }

  /* Loads the whole index once; `then` (if given) is called when it is ready. */
  function load(then) {
    if (then) {
      if (index.state === "ready") { then(); return; }
      if (index.waiting.indexOf(then) < 0) { index.waiting.push(then); }
    }
    if (index.state !== "idle") { return; }
    index.state = "loading";
    index.expected = 1;
    loadScript("search/index.js", String(Date.now())).catch(function () {
      index.failed.push("search/index.js");
    }).then(function () {
      var shards = (index.manifest && index.manifest.shards) || [];
      index.expected = shards.length;
      shards.forEach(function (s) {
        loadScript("search/" + s[1], s[2]).catch(function () {
          index.failed.push("search/" + s[1]);
        }).then(function () {
          index.expected--;
          finish();
        });
      });
      index.expected = Math.max(0, index.expected);
      finish();
    });
  }

  ns.index = index;
  ns.Decoder = Decoder;
  ns.manifest = addManifest;
  ns.add = addShard;
  ns.load = load; // for benchmarks and tests too: load everything, then call back
  ns.siteRoot = siteRoot;
  Object.defineProperty(ns, "state", { get: function () { return index.state; }, enumerable: true, configurable: true });
})();
