/* Interlude's search, 3 of 7: the entries a query matches, best first (the order of the files:
   search-index.js).

   The index decides what matches: every word of the query, whole or (the one being typed) as the start of
   a word, and the type and tag asked for. The ranking then puts title matches first (every word in the
   title, or a quoted phrase in the title or the opening words), then the newest. */
(function () {
  "use strict";

  var ns = window.interludeSearch;
  var index = ns.index;

  function lowerBound(terms, word) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < word) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  function matchesFilters(entry, query) {
    if (query.type && entry.type !== query.type) { return false; }
    if (query.tag) {
      var wanted = query.tag, n = ns.normalise(query.tag);
      if (!entry.tags.some(function (t) { return t[0] === wanted || ns.normalise(t[1]) === n; })) { return false; }
    }
    return true;
  }

  /* An entry's title or opening words as " word word … ": a quick whole-word and phrase test for
     ranking (the index decides what matches). Computed once per entry, when first needed. */
  function wordString(text) {
    return " " + text.toLowerCase().normalize("NFKD").replace(/['’_\p{M}]/gu, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  }

  function titleKey(entry) {
    if (entry.titleKey === null) { entry.titleKey = wordString(entry.title); }
    return entry.titleKey;
  }

  function snippetKey(entry) {
    if (entry.snippetKey === null) { entry.snippetKey = wordString(entry.snippet); }
    return entry.snippetKey;
  }

  /* Prepare the ranking keys a little at a time after loading, so the first query need not. */
  function warm(from) {
    var until = Math.min(index.entries.length, from + 1000);
    for (var i = from; i < until; i++) {
      titleKey(index.entries[i]);
      snippetKey(index.entries[i]);
    }
    if (until < index.entries.length) { setTimeout(function () { warm(until); }, 0); }
  }

  /* Title matches first (every word in the title, or a quoted phrase found in the title or the
     opening words), then newest first. */
  function rank(entry, query, reqs) {
    var score = 0, title = titleKey(entry);
    if (reqs.length && reqs.every(function (r) { return title.indexOf(" " + r.word + (r.prefix ? "" : " ")) >= 0; })) {
      score += 2;
    }
    query.clauses.forEach(function (c) {
      if (c.phrase) {
        var phrase = " " + c.words.join(" ") + (c.prefix ? "" : " ");
        if (title.indexOf(phrase) >= 0 || snippetKey(entry).indexOf(phrase) >= 0) { score += 3; }
      }
    });
    return score;
  }

  /* The query (text, and filters from search.html's menus) and the entries it finds, best first:
     {query, reqs, results: [{entry, score, completed}]}, `completed` the word a prefix matched first. */
  function find(text, filters) {
    var query = ns.parse(text || "");
    if (filters) {
      if (filters.type) { query.type = filters.type; }
      if (filters.tag) { query.tag = filters.tag; }
    }
    var reqs = ns.requirements(query);
    var total = index.entries.length;
    var results = [];
    if (!reqs.length && !query.type && !query.tag) { return { query: query, reqs: reqs, results: results }; }
    var decoder = index.decoder;
    var count = new Int32Array(total);
    var completed = []; // entry number → the word a prefix being typed matched first (for "Mentions …")
    reqs.forEach(function (req, k) {
      index.shards.forEach(function (shard) {
        var terms = shard.terms, base = shard.base;
        var i = lowerBound(terms, req.word);
        var visit = function (n) { if (count[base + n] === k) { count[base + n] = k + 1; } };
        if (req.prefix) {
          for (; i < terms.length && terms[i].lastIndexOf(req.word, 0) === 0; i++) {
            var term = terms[i];
            decoder.eachPosting(shard.lists[i], function (n) {
              if (count[base + n] === k) { count[base + n] = k + 1; completed[base + n] = term; }
            });
          }
        } else if (terms[i] === req.word) {
          decoder.eachPosting(shard.lists[i], visit);
        }
      });
    });
    var need = reqs.length;
    for (var n = 0; n < total; n++) {
      if (count[n] === need && matchesFilters(index.entries[n], query)) {
        results.push({ entry: index.entries[n], score: 0, completed: completed[n] });
      }
    }
    if (reqs.length) {
      results.forEach(function (r) { r.score = rank(r.entry, query, reqs); });
    }
    results.sort(function (a, b) {
      if (a.score !== b.score) { return b.score - a.score; }
      var ka = a.entry.when, kb = b.entry.when;
      return ka < kb ? 1 : ka > kb ? -1 : b.entry.number - a.entry.number;
    });
    return { query: query, reqs: reqs, results: results };
  }

  ns.warm = warm;
  ns.find = find;
})();
