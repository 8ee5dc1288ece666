/* Interlude's search: results as you type, from an index of script files, working from file://.

   search/index.js (the manifest) and one search/YYYY.js per year are loaded by inserting <script>
   tags (Chromium blocks fetch() of local files) the first time the search box is used, or at once on
   search.html. Each calls window.interludeSearch.manifest(...) / .add(...). A shard holds each entry's
   row (page name, title, time, flags, type, tags, opening words) and an inverted index: the year's
   sorted words, front-coded, and for each word the entries holding it as gaps.
   In a locked site (window.interludeLocked) the same files are opened through the lock instead.

   Query syntax: words (the last one also matches as a prefix while typing), "quoted phrases",
   type:dream, tag:sleep. Word rules mirror generator/views/search.py: change both together.
   No network, no eval, no inline styles: classes and the hidden attribute only. */
(function () {
  "use strict";

  var FIRST_SCREEN = 8; // results search.html shows at once, then up to FIRST_PAGE; "Show more" adds PAGE_SIZE
  var FIRST_PAGE = 20;
  var PAGE_SIZE = 50;
  var POPUP_SIZE = 8;
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var WORD = /[\p{L}\p{N}_]+(?:['’]+[\p{L}\p{N}_]+)*/gu; // ’ is the typographic apostrophe

  /* ---- Decoding: the alphabets of generator/views/search.py ---------------------------------- */
  var DIGIT = new Int8Array(128).fill(-1); // gap digits: value, or -1
  var SHARED = new Int8Array(128).fill(-1); // front-coding characters: shared prefix length, or -1
  (function () {
    var n = 0, s = 0;
    for (var c = 0x20; c < 0x7f; c++) {
      var ch = String.fromCharCode(c);
      if (ch === '"' || ch === "\\") { continue; }
      if (c > 0x20) { DIGIT[c] = n++; }
      if (!/[A-Za-z0-9]/.test(ch)) { SHARED[c] = s++; }
    }
  })();
  var HALF = 46;

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

  function wordsOf(text) {
    var out = [];
    (text.normalize("NFC").match(WORD) || []).forEach(function (w) {
      var n = normalise(w);
      if (n) { pieces(n, out); }
    });
    return out;
  }

  function decodeTerms(coded) {
    var terms = [], previous = "", i = 0, n = coded.length;
    while (i < n) {
      var shared = SHARED[coded.charCodeAt(i)];
      var j = i + 1;
      while (j < n) {
        var c = coded.charCodeAt(j);
        if (c < 128 && SHARED[c] >= 0) { break; }
        j++;
      }
      previous = previous.slice(0, shared) + coded.slice(i + 1, j);
      terms.push(previous);
      i = j;
    }
    return terms;
  }

  /* Calls visit(localNumber) for each entry in one word's gap-encoded list. */
  function eachPosting(list, visit) {
    var last = -1, value = 0;
    for (var i = 0; i < list.length; i++) {
      var d = DIGIT[list.charCodeAt(i)];
      if (d >= HALF) {
        value = value * HALF + d - HALF;
      } else {
        last += value * HALF + d + 1;
        visit(last);
        value = 0;
      }
    }
  }

  function lowerBound(terms, word) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < word) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /* ---- The index ------------------------------------------------------------------------------ */
  var index = {
    state: "idle", // idle → loading → ready
    shards: [],
    entries: [], // every entry: {key, title, time, when, flags, type, tags, snippet, number, …}
    expected: 0,
    failed: [],
    waiting: [],
    manifest: null
  };

  function addShard(data) {
    if (!data || data.v !== 1) { return; }
    var shard = {
      name: data.name,
      base: index.entries.length,
      terms: decodeTerms(data.terms),
      lists: data.postings.split(" "),
      types: data.types,
      tags: data.tags
    };
    data.entries.forEach(function (row) {
      index.entries.push({
        key: row[0], title: row[1], time: row[2], flags: row[3], when: row[0].slice(0, 10) + row[2],
        type: data.types[row[4]],
        tags: row[5].map(function (t) { return data.tags[t]; }),
        snippet: row[6],
        number: index.entries.length,
        titleKey: null,
        snippetKey: null
      });
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
    setTimeout(function () { warm(0); }, 50);
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

  /* ---- Queries -------------------------------------------------------------------------------- */
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

  function matchesFilters(entry, query) {
    if (query.type && entry.type !== query.type) { return false; }
    if (query.tag) {
      var wanted = query.tag, n = normalise(query.tag);
      if (!entry.tags.some(function (t) { return t[0] === wanted || normalise(t[1]) === n; })) { return false; }
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

  function search(text, filters) {
    var query = parse(text || "");
    if (filters) {
      if (filters.type) { query.type = filters.type; }
      if (filters.tag) { query.tag = filters.tag; }
    }
    var reqs = requirements(query);
    var total = index.entries.length;
    var results = [];
    if (!reqs.length && !query.type && !query.tag) { return { query: query, reqs: reqs, results: results }; }
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
            eachPosting(shard.lists[i], function (n) {
              if (count[base + n] === k) { count[base + n] = k + 1; completed[base + n] = term; }
            });
          }
        } else if (terms[i] === req.word) {
          eachPosting(shard.lists[i], visit);
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

  /* ---- Showing results ------------------------------------------------------------------------ */
  function siteRoot() {
    var locked = window.interludeLocked;
    if (locked && typeof locked.root === "string") { return locked.root; }
    var holder = document.querySelector("[data-root]");
    return holder ? holder.getAttribute("data-root") : "";
  }

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

  /* Text with the searched-for words in <mark>; returns whether anything was marked. */
  function highlight(node, text, reqs) {
    var at = 0, marked = false, found;
    WORD.lastIndex = 0;
    while ((found = WORD.exec(text))) {
      var spans = isUnspaced(found[0]) ? unspacedMarks(found[0], reqs)
        : isWanted(normalise(found[0]), reqs) ? [[0, found[0].length]] : [];
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

  function entryHref(entry) { return siteRoot() + "entries/" + entry.key + ".html"; }

  function typeName(type) { return type.replace(/-/g, " "); }

  function resultBody(entry, reqs, headingTag, short) {
    var meta = el("span", "result-meta");
    meta.appendChild(el("span", "result-date", dateText(entry)));
    meta.appendChild(el("span", "result-type", typeName(entry.type)));
    if (entry.flags & 4) { meta.appendChild(el("span", "result-flag flag-milestone", "milestone")); }
    if (entry.flags & 2) { meta.appendChild(el("span", "result-flag flag-discuss", "for next session")); }
    if (entry.flags & 1) { meta.appendChild(el("span", "result-flag flag-private", "private")); }
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

  /* The opening words, started a little before the first match when that is far in (the popup shows
     two lines). */
  function around(text, reqs) {
    var found;
    WORD.lastIndex = 0;
    while ((found = WORD.exec(text)) && !isWanted(normalise(found[0]), reqs)) { /* to the first match */ }
    if (!found || found.index <= 70) { return text; }
    var start = text.lastIndexOf(" ", found.index - 30);
    return start > 0 ? "…" + text.slice(start + 1) : text;
  }

  /* In a run of unspaced script (私の家に帰った), the stretches a query's characters match, as [start, end]
     offsets into the run as written: compared in normalised form, character by character. */
  function unspacedMarks(word, reqs) {
    var wanted = reqs.map(function (r) { return r.word; }).filter(isUnspaced);
    if (!wanted.length) { return []; }
    var norm = "", starts = [], offset = 0;
    Array.from(word).forEach(function (ch) {
      var n = normalise(ch);
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

  function isWanted(n, reqs) {
    return !!n && reqs.some(function (r) { return n === r.word || (r.prefix && n.lastIndexOf(r.word, 0) === 0); });
  }

  function countWords(n) { return n === 1 ? "1 entry" : n.toLocaleString("en") + " entries"; }

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

  function trouble() {
    return index.failed.length ? " Part of the search index could not be loaded (" + index.failed.join(", ") +
      "): build the journal again." : "";
  }

  /* ---- The box in the header: a combobox with a listbox of results --------------------------- */
  function Popup(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector("[data-search-results]");
    var panel = form.querySelector("[data-search-panel]");
    var status = form.querySelector("[data-search-status]");
    var options = [];
    var active = -1;
    var announce = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    list.setAttribute("role", "listbox");

    function say(words, now) {
      clearTimeout(announce);
      // Announce after a pause in typing, so a screen reader is not flooded with counts.
      announce = setTimeout(function () { status.textContent = words; }, now ? 0 : 500);
    }

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
      return siteRoot() + "search.html?q=" + encodeURIComponent(input.value.trim());
    }

    function render() {
      var text = input.value;
      list.replaceChildren();
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!text.trim()) { open(false); say(""); return; }
      if (index.state !== "ready") {
        open(false);
        say("Loading the search index…", true);
        load(render);
        return;
      }
      var found = search(text);
      var shown = found.results.slice(0, POPUP_SIZE);
      shown.forEach(function (r, i) {
        var a = el("a", "result-option");
        a.id = list.id + "-" + i;
        a.href = entryHref(r.entry);
        a.tabIndex = -1;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        var body = resultBody(r.entry, found.reqs, "span", true);
        a.append(body.title, body.meta, body.snippet);
        if (body.elsewhere) { a.appendChild(elsewhereNote(found.reqs, r.completed)); }
        list.appendChild(a);
        options.push(a);
      });
      var more = el("a", "result-option result-more");
      more.id = list.id + "-more";
      more.href = fullSearchHref();
      more.tabIndex = -1;
      more.setAttribute("role", "option");
      more.setAttribute("aria-selected", "false");
      more.textContent = found.results.length > shown.length
        ? "See all " + countWords(found.results.length) + " on the search page"
        : (found.results.length ? "Search with filters on the search page" : "No entries match. Try the search page, with filters");
      more.addEventListener("click", function () { window.interludeSearch.pending = input.value; });
      list.appendChild(more);
      options.push(more);
      open(true);
      say(describe(found) + (found.results.length ? " Use the down arrow to choose one, Enter to open the first." : "") + trouble());
    }

    function go(option) {
      if (!option) { return; }
      if (option.classList.contains("result-more")) { window.interludeSearch.pending = input.value; }
      option.click();
    }

    input.addEventListener("focus", function () { load(); });
    form.addEventListener("pointerenter", function () { load(); });
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
        if (index.state !== "ready" && input.value.trim()) { load(function () { render(); go(options[0]); }); return; }
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

  /* ---- search.html: the full search with filters ---------------------------------------------- */
  function FullSearch(form) {
    var input = form.querySelector("input[type=search]");
    var typeSelect = form.querySelector("select[name=type]");
    var tagSelect = form.querySelector("select[name=tag]");
    var count = document.querySelector("[data-search-count]");
    var status = document.querySelector("[data-search-status]");
    var list = document.querySelector("[data-search-list]");
    var moreButton = document.querySelector("[data-search-more]");
    var help = document.querySelector("[data-search-help]");
    var found = null;
    var shown = 0;
    var announce = null;
    var later = null;

    function readAddress() {
      var params = new URLSearchParams(window.location.search);
      var pending = window.interludeSearch.pending;
      window.interludeSearch.pending = null;
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
      var item = el("li", "result");
      var article = el("article");
      var body = resultBody(r.entry, reqs, "h2", false);
      var link = el("a");
      link.href = entryHref(r.entry);
      while (body.title.firstChild) { link.appendChild(body.title.firstChild); }
      body.title.appendChild(link);
      article.append(body.meta, body.title, body.snippet);
      if (body.elsewhere) { article.appendChild(elsewhereNote(reqs, r.completed)); }
      if (r.entry.tags.length) {
        var tags = el("ul", "tags");
        tags.setAttribute("aria-label", "Tags");
        r.entry.tags.forEach(function (t) {
          var li = el("li");
          var a = el("a", "", t[1]);
          a.href = siteRoot() + "tags/" + t[0] + ".html";
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

    function say(words, now) {
      // The visible count changes at once; screen readers hear it after a pause in typing.
      count.textContent = words;
      clearTimeout(announce);
      announce = setTimeout(function () { status.textContent = words; }, now ? 0 : 500);
    }

    function render() {
      writeAddress();
      if (index.state !== "ready") { say("Loading the search index…", true); load(render); return; }
      var filters = { type: typeSelect.value, tag: tagSelect.value };
      found = search(input.value, filters);
      list.replaceChildren();
      shown = 0;
      var empty = !found.reqs.length && !found.query.type && !found.query.tag;
      help.hidden = !empty;
      if (empty) {
        moreButton.hidden = true;
        say(index.entries.length ? "Type a word to search " + countWords(index.entries.length) + "." : "The journal has no entries yet." + trouble(), true);
        return;
      }
      say(describe(found) + trouble());
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

  /* ---- Wiring --------------------------------------------------------------------------------- */
  var current = null;

  function bind() {
    var page = document.querySelector("form[data-search=page]");
    var popup = document.querySelector("form[data-search=popup]");
    current = page ? new FullSearch(page) : popup ? new Popup(popup) : null;
    if (page) { load(); }
  }

  window.interludeSearch = {
    manifest: function (data) { index.manifest = data; },
    add: addShard,
    /* For benchmarks and tests: load everything, then call back. */
    load: function (then) { load(then || null); },
    search: function (text, filters) {
      return search(text, filters).results.map(function (r) { return r.entry.key; });
    },
    /* For benchmarks: n words of the index, spread through the newest shard's word list. */
    sample: function (n) {
      var terms = index.shards.length ? index.shards[0].terms : [];
      var out = [];
      for (var i = 0; i < n && terms.length; i++) { out.push(terms[Math.floor(terms.length * (i + 0.5) / n)]); }
      return out;
    },
    get state() { return index.state; },
    pending: null
  };

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
