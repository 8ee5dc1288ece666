/* Interlude's search, 2 of 7: words and queries (the order of the files: search-index.js).

   Query syntax: words (the last one also matches as a prefix while typing), "quoted phrases",
   type:dream, tag:sleep. The word rules mirror generator/views/search.py (words, normalise, UNSPACED):
   change both together. */
(function () {
  "use strict";

  var ns = window.interludeSearch;
  var WORD = /[\p{L}\p{N}_]+(?:['’]+[\p{L}\p{N}_]+)*/gu; // ’ is the typographic apostrophe

  /* The form a word is indexed and searched under: lowercase, accents, apostrophes and _ dropped. */
  function normalise(word) {
    return word.toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}]/gu, "");
  }

  /* Scripts written without spaces (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar): generator/views/search.py
     (UNSPACED) indexes a run as each pair of neighbouring characters and its last character alone. A query
     run is looked up as its pairs; a single character as the start of a term. */
  var UNSPACED = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]+/gu;

  function isUnspaced(word) {
    UNSPACED.lastIndex = 0;
    return UNSPACED.test(word);
  }

  function pieces(word, out) {
    if (!isUnspaced(word)) { out.push(word); return; }
    UNSPACED.lastIndex = 0;
    var at = 0, run;
    while ((run = UNSPACED.exec(word))) {
      if (run.index > at) { out.push(word.slice(at, run.index)); }
      var chars = Array.from(run[0]);
      if (chars.length === 1) { out.push(chars[0]); }
      for (var i = 0; i + 1 < chars.length; i++) { out.push(chars[i] + chars[i + 1]); }
      at = run.index + run[0].length;
    }
    if (at < word.length) { out.push(word.slice(at)); }
  }

  /* The normalised words of a text, as a query looks them up. */
  function wordsOf(text) {
    var out = [];
    (text.normalize("NFC").match(WORD) || []).forEach(function (w) {
      var n = normalise(w);
      if (n) { pieces(n, out); }
    });
    return out;
  }

  /* A query's text as clauses (each a word, or the words of a phrase) and its type and tag filters. */
  function parse(text) {
    var query = { clauses: [], type: "", tag: "", text: text };
    var source = text.replace(/[“”„]/g, '"');
    var re = /"([^"]*)("?)|(\S+)/g;
    var found, last = null;
    while ((found = re.exec(source))) {
      if (found[1] !== undefined) {
        var quoted = wordsOf(found[1]);
        if (quoted.length) {
          last = { words: quoted, phrase: quoted.length > 1, prefix: false };
          query.clauses.push(last);
        }
        continue;
      }
      var token = found[3];
      var filter = /^(type|tag):(.+)$/i.exec(token);
      if (filter) {
        query[filter[1].toLowerCase()] = filter[2].toLowerCase();
        last = null;
        continue;
      }
      var words = wordsOf(token);
      if (words.length) {
        last = { words: words, phrase: words.length > 1, prefix: false };
        query.clauses.push(last);
      }
    }
    // While typing, the word just typed is probably unfinished: let it match as the start of a word
    // (a quoted phrase once its quote is closed, or a single letter, match whole words only).
    if (last && /[\p{L}\p{N}]$/u.test(source) && last.words[last.words.length - 1].length > 1) {
      last.prefix = true;
    }
    return query;
  }

  /* Every word an entry must hold, each whole or as the start of a word. */
  function requirements(query) {
    var reqs = [];
    query.clauses.forEach(function (clause) {
      clause.words.forEach(function (word, i) {
        // One character of an unspaced script is the start of the pairs it begins.
        var single = Array.from(word).length === 1 && isUnspaced(word);
        reqs.push({ word: word, prefix: single || (clause.prefix && i === clause.words.length - 1) });
      });
    });
    return reqs;
  }

  ns.WORD = WORD;
  ns.normalise = normalise;
  ns.isUnspaced = isUnspaced;
  ns.wordsOf = wordsOf;
  ns.parse = parse;
  ns.requirements = requirements;
})();
