/* Interlude's lock: opens a site built with `interlude build --lock`, from file://, with no network.

   The key is derived from the passphrase with WebCrypto (PBKDF2-HMAC-SHA256, the iterations and salt
   in <meta name="interlude-lock">) and kept in this page's memory only: never in localStorage or
   sessionStorage, and gone when the tab is closed, reloaded, locked or idle for 30 minutes. That is
   why the site is one page: every other page is a sealed file (locked/<id>.js) decrypted with
   AES-256-GCM and shown here. The address bar only ever holds a page's random id.

   Hooks for the site's other scripts (documented in the README):
   - window.interludeLocked exists only in a locked site. Once unlocked:
       .text(path) / .read(path)  a generated file's contents by its site path ("search/0.js"),
                                  as a string / Uint8Array (a Promise; rejects if the file is damaged);
       .run(path)                 loads a generated data script, `window.NAME.METHOD(<JSON>, ...);`
                                  or `window.NAME = <JSON>;`, by making that call or assignment
                                  without eval (a Promise);
       .root                      "", the path from the shown page to the site root: every page is
                                  shown in index.html, so links a script adds are relative to the root.
   - after each page is shown, document fires "interlude:page" (detail: {path}); scripts that bind to
     the page's elements on load should bind again then. */
(function () {
  "use strict";

  // The lock's rules come from generator/lock.py (page_rules) in the shell, never copied here: the format's version,
  // the associated data each item is sealed with, the nonce and tag sizes, and each attached file's media type.
  var RULES = {};
  try { RULES = JSON.parse(document.querySelector('meta[name="interlude-lock-rules"]').content) || {}; } catch (e) { RULES = {}; }
  var VERSION = RULES.version;
  var TYPES = RULES.types || {};
  var IDLE_MINUTES = 30;
  var BASE = "https://interlude.invalid/"; // only to resolve relative links; nothing is ever loaded from it
  var encoder = new TextEncoder();
  var decoder = new TextDecoder("utf-8", { fatal: true });

  var meta = document.querySelector('meta[name="interlude-lock"]');
  var header = null;
  try { header = JSON.parse(meta.content); } catch (e) { header = null; }

  var key = null;
  var files = null; // site path → id, from the sealed manifest
  var paths = {}; // id → site path
  var start = "index.html";
  var current = null; // the site path shown now
  var pendingFragment = "";
  var arrived = {}; // id → base64, handed over by locked/<id>.js
  var opened = {}; // site path → Promise of its plaintext bytes, in memory only
  var loadedCode = {};
  var idleTimer = null;

  function Damaged(id) { this.id = id; }
  function WrongPassphrase() {}

  function bytesOf(base64) {
    var text = atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { out[i] = text.charCodeAt(i); }
    return out;
  }

  function unseal(k, id, sealed) {
    var start = 1 + RULES.nonce;
    if (sealed.length < start + RULES.tag || sealed[0] !== VERSION) { return Promise.reject(new Damaged(id)); }
    var params = { name: "AES-GCM", iv: sealed.subarray(1, start), tagLength: 8 * RULES.tag,
      additionalData: encoder.encode(RULES.context + "/" + VERSION + "/" + id) };
    return crypto.subtle.decrypt(params, k, sealed.subarray(start)).then(
      function (plain) { return new Uint8Array(plain); },
      function () { throw new Damaged(id); });
  }

  /* A sealed file arrives by running locked/<id>.js, which calls add(): script tags work from file://,
     fetch() does not. */
  function fetchItem(id) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = "locked/" + id + ".js";
      tag.onload = function () {
        tag.remove();
        var data = arrived[id];
        delete arrived[id];
        if (typeof data === "string") { resolve(data); } else { reject(new Damaged(id)); }
      };
      tag.onerror = function () { tag.remove(); reject(new Damaged(id)); };
      document.head.appendChild(tag);
    });
  }

  function openItem(k, id) {
    return fetchItem(id).then(function (data) {
      var sealed;
      try { sealed = bytesOf(data); } catch (e) { throw new Damaged(id); }
      return unseal(k, id, sealed);
    });
  }

  function read(path) {
    if (!key || !files) { return Promise.reject(new Error("the journal is locked")); }
    if (!Object.prototype.hasOwnProperty.call(files, path)) { return Promise.reject(new Error("no such file: " + path)); }
    if (!opened[path]) {
      opened[path] = openItem(key, files[path]);
      opened[path].catch(function () { delete opened[path]; });
    }
    return opened[path];
  }

  function text(path) {
    return read(path).then(function (bytes) {
      try { return decoder.decode(bytes); } catch (e) { throw new Damaged(files[path]); }
    });
  }

  var CALL = /^\s*window\.([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)\(([\s\S]*)\);?\s*$/;
  var ASSIGN = /^\s*window\.([A-Za-z_$][\w$]*)\s*=\s*([\s\S]*?);?\s*$/;

  /* Generated data scripts are one call with JSON arguments, `window.NAME.METHOD(<JSON>, ...);`, or one
     assignment, `window.NAME = <JSON>;`, so they can be "run" without eval (which the
     Content-Security-Policy forbids). */
  function run(path) {
    return text(path).then(function (source) {
      var found = CALL.exec(source);
      if (found) {
        var args = JSON.parse("[" + found[3] + "]");
        var target = window[found[1]];
        if (!target || typeof target[found[2]] !== "function") { throw new Error("window." + found[1] + "." + found[2] + " is missing"); }
        return target[found[2]].apply(target, args);
      }
      found = ASSIGN.exec(source);
      if (!found) { throw new Error(path + " is not a data script"); }
      window[found[1]] = JSON.parse(found[2]);
      return undefined;
    });
  }

  window.interludeLocked = {
    version: VERSION,
    root: "",
    add: function (id, data) {
      if (typeof id === "string" && typeof data === "string") { arrived[id] = data; }
    },
    has: function (path) { return !!files && Object.prototype.hasOwnProperty.call(files, path); },
    read: read,
    text: text,
    run: run
  };

  function unlock(passphrase) {
    var salt = bytesOf(header.salt);
    return crypto.subtle.importKey("raw", encoder.encode(passphrase.normalize("NFC")), "PBKDF2", false, ["deriveKey"])
      .then(function (base) {
        return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: header.iterations },
          base, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
      })
      .then(function (k) {
        return unseal(k, "check", bytesOf(header.check)).then(
          function () { return k; },
          function () { throw new WrongPassphrase(); });
      })
      .then(function (k) {
        return openItem(k, header.manifest).then(function (plain) {
          var manifest;
          try { manifest = JSON.parse(decoder.decode(plain)); } catch (e) { throw new Damaged(header.manifest); }
          if (manifest.v !== VERSION || !manifest.files || typeof manifest.files !== "object") { throw new Damaged(header.manifest); }
          key = k;
          files = manifest.files;
          start = manifest.start || "index.html";
          Object.keys(files).forEach(function (path) { paths[files[path]] = path; });
        });
      });
  }

  /* Links inside a page are relative to that page's own path; the shell lives at the root. */
  function target(href, from) {
    var url;
    try { url = new URL(href, BASE + from); } catch (e) { return null; }
    if (url.origin + "/" !== BASE) { return null; }
    try {
      return { path: decodeURIComponent(url.pathname.slice(1)) || start, fragment: decodeURIComponent(url.hash.slice(1)) };
    } catch (e) {
      return null; // a malformed %-escape
    }
  }

  function isThemeFile(path) { return path.indexOf("static/") === 0; }

  function rewrite(root, from) {
    root.querySelectorAll("a[href], area[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      var to = href.charAt(0) === "#" ? { path: from, fragment: href.slice(1) } : target(href, from);
      if (!to) { return; }
      if (files[to.path]) {
        a.setAttribute("href", "#" + files[to.path]);
        if (to.fragment) { a.setAttribute("data-fragment", to.fragment); } else { a.removeAttribute("data-fragment"); }
      } else if (isThemeFile(to.path)) {
        a.setAttribute("href", to.path);
      }
    });
    root.querySelectorAll("img[src], audio[src], video[src], source[src]").forEach(function (media) {
      var to = target(media.getAttribute("src"), from);
      if (!to) { return; }
      if (isThemeFile(to.path)) {
        media.setAttribute("src", to.path);
      } else if (files[to.path]) {
        media.removeAttribute("src");
        showSealed(media, to.path);
      }
    });
  }

  /* An attached picture or sound is sealed like a page: decrypted in memory, shown from a blob: URL. */

  function blobOf(path) {
    return read(path).then(function (bytes) {
      var ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
      return URL.createObjectURL(new Blob([bytes], { type: TYPES[ext] || "application/octet-stream" }));
    });
  }

  function showSealed(media, path) {
    blobOf(path).then(function (url) { media.setAttribute("src", url); }, function () {
      media.setAttribute("alt", (media.getAttribute("alt") || "") + " (this file cannot be opened)");
    });
  }

  /* A link to an attached file (a PDF, a full-size photo) hands over the decrypted copy as a download. */
  function openSealed(path) {
    blobOf(path).then(function (url) {
      var a = document.createElement("a");
      a.href = url;
      a.download = path.slice(path.lastIndexOf("/") + 1);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    });
  }

  /* The theme's own scripts and stylesheets a page asks for, loaded once, as they are (not sealed). */
  function loadCode(wanted) {
    wanted.forEach(function (path) {
      if (loadedCode[path]) { return; }
      loadedCode[path] = true;
      var tag;
      if (/\.css$/.test(path)) {
        if (document.querySelector('link[href="' + path + '"]')) { return; }
        tag = document.createElement("link");
        tag.rel = "stylesheet";
        tag.href = path;
      } else {
        tag = document.createElement("script");
        tag.src = path;
        tag.async = false;
      }
      document.head.appendChild(tag);
    });
  }

  function lockButton() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "lock-now";
    button.textContent = "Lock";
    button.title = "Lock the journal now: the passphrase is needed again";
    button.addEventListener("click", lockNow);
    var list = document.querySelector(".site-header nav ul");
    if (list) {
      var item = document.createElement("li");
      item.appendChild(button);
      list.appendChild(item);
    } else {
      button.classList.add("lock-now-floating");
      document.body.appendChild(button);
    }
  }

  function scrollToFragment(fragment) {
    var found = fragment && document.getElementById(fragment);
    if (found) {
      found.scrollIntoView();
      found.focus({ preventScroll: true }); // "Skip to the text" moves the focus, as on a plain page
    } else {
      window.scrollTo(0, 0);
    }
  }

  function notice(title, words, withStart) {
    var main = document.createElement("main");
    main.id = "main";
    main.className = "lock-screen";
    main.tabIndex = -1;
    var card = document.createElement("div");
    card.className = "lock-card";
    var h1 = document.createElement("h1");
    h1.textContent = title;
    var p = document.createElement("p");
    p.className = "lede";
    p.textContent = words;
    card.append(h1, p);
    if (withStart && files && files[start]) {
      var back = document.createElement("p");
      var a = document.createElement("a");
      a.href = "#" + files[start];
      a.textContent = "Back to the timeline";
      back.appendChild(a);
      card.appendChild(back);
    }
    main.appendChild(card);
    document.body.className = "page-lock";
    document.body.replaceChildren(main);
    if (key) { lockButton(); }
    main.focus();
  }

  function damagedWords(id) {
    return "A file of this journal (locked/" + id + ".js) is damaged or missing, so nothing from it is shown. " +
      "Build the journal again with interlude build --lock.";
  }

  /* A page's running heads for print are an inline <style> in its head, which the shell's policy does not allow:
     taken out before the page is parsed, and applied as a stylesheet made here. */
  var heads = typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in document ? new CSSStyleSheet() : null;
  function withoutStyle(html) {
    var end = html.indexOf("</head>");
    if (end < 0) { return html; }
    var css = [];
    var head = html.slice(0, end).replace(/<style>([\s\S]*?)<\/style>/g, function (_, rule) { css.push(rule); return ""; });
    if (heads) {
      heads.replaceSync(css.join("\n"));
      if (document.adoptedStyleSheets.indexOf(heads) < 0) { document.adoptedStyleSheets = [heads]; }
    }
    return head + html.slice(end);
  }

  function show(path, fragment, moveFocus) {
    return text(path).then(function (html) {
      var doc = new DOMParser().parseFromString(withoutStyle(html), "text/html");
      var code = [];
      doc.querySelectorAll('script[src], link[rel~="stylesheet"][href]').forEach(function (tag) {
        var to = target(tag.getAttribute("src") || tag.getAttribute("href"), path);
        if (to && isThemeFile(to.path)) { code.push(to.path); }
      });
      doc.querySelectorAll("script, link, meta, base").forEach(function (tag) { tag.remove(); });
      rewrite(doc.body, path);
      current = path;
      document.body.className = doc.body.className;
      document.body.replaceChildren.apply(document.body, Array.prototype.map.call(
        Array.prototype.slice.call(doc.body.childNodes), function (node) { return document.adoptNode(node); }));
      lockButton();
      loadCode(code);
      document.dispatchEvent(new CustomEvent("interlude:page", { detail: { path: path } }));
      scrollToFragment(fragment);
      var main = document.getElementById("main");
      if (moveFocus && main && !fragment) { main.focus({ preventScroll: true }); }
    }, function (error) {
      current = null;
      if (error instanceof Damaged) {
        notice("This page cannot be opened", damagedWords(error.id), true);
      } else {
        notice("This page cannot be opened", String(error && error.message || error), true);
      }
    });
  }

  function route(moveFocus) {
    var id = location.hash.slice(1);
    var path = paths[id] || start;
    var fragment = pendingFragment;
    pendingFragment = "";
    return show(path, fragment, moveFocus);
  }

  function lockNow() {
    key = null;
    files = null;
    opened = {};
    document.body.replaceChildren();
    location.reload();
  }

  function poke() {
    if (!key) { return; }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(lockNow, IDLE_MINUTES * 60 * 1000);
  }

  document.addEventListener("click", function (event) {
    if (!key || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var a = event.target.closest ? event.target.closest("a[href]") : null;
    if (!a) { return; }
    var href = a.getAttribute("href");
    var to;
    if (href.charAt(0) === "#" && paths[href.slice(1)]) {
      to = { path: paths[href.slice(1)], fragment: a.getAttribute("data-fragment") || "" };
    } else {
      // A link a script added after the page was shown (a search result): relative to the site root.
      to = target(href, "");
      if (!to || !files[to.path]) { return; }
    }
    event.preventDefault();
    if (!/\.html$/.test(to.path)) {
      openSealed(to.path);
      return;
    }
    if (to.path === current) {
      scrollToFragment(to.fragment);
      return;
    }
    pendingFragment = to.fragment;
    location.hash = files[to.path]; // a history entry: back and forward work; hashchange shows the page
  }, true);

  window.addEventListener("hashchange", function () { if (key) { route(true); } });
  ["pointerdown", "keydown", "scroll", "touchstart"].forEach(function (type) {
    window.addEventListener(type, poke, { passive: true, capture: true });
  });
  // Leaving the page forgets the key; a page restored from the back-forward cache asks again.
  window.addEventListener("pagehide", function () { if (key) { key = null; files = null; opened = {}; document.body.replaceChildren(); } });
  window.addEventListener("pageshow", function (event) { if (event.persisted) { location.reload(); } });

  function setUp() {
    var form = document.getElementById("unlock");
    var input = document.getElementById("passphrase");
    var button = form && form.querySelector('button[type="submit"]');
    var message = document.getElementById("unlock-message");
    var toggle = document.getElementById("show-passphrase");
    if (!form || !input || !button || !message) { return; }
    function say(words, kind) {
      message.textContent = words;
      message.className = "unlock-message" + (kind ? " is-" + kind : "");
    }
    if (!header || VERSION === undefined || header.v !== VERSION || !window.crypto || !crypto.subtle) {
      say(!header || header.v !== VERSION
        ? "This journal was locked in a format this page does not know, or its index.html is damaged."
        : "This browser cannot unlock the journal: it lacks the Web Crypto API. Try a current Firefox, Chrome, Edge or Safari.", "error");
      return;
    }
    input.disabled = false;
    button.disabled = false;
    input.focus();
    if (toggle) {
      toggle.addEventListener("change", function () { input.type = toggle.checked ? "text" : "password"; });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!input.value) { say("Type your passphrase first.", "error"); return; }
      input.disabled = true;
      button.disabled = true;
      form.setAttribute("aria-busy", "true");
      say("Unlocking…", "busy");
      var passphrase = input.value;
      unlock(passphrase).then(function () {
        input.value = "";
        poke();
        return route(false);
      }).catch(function (error) {
        input.disabled = false;
        button.disabled = false;
        form.removeAttribute("aria-busy");
        if (error instanceof WrongPassphrase) {
          say("That passphrase does not open this journal. Check Caps Lock and try again.", "error");
        } else if (error instanceof Damaged) {
          say(damagedWords(error.id), "error");
        } else {
          say("The journal could not be unlocked: " + (error && error.message || error), "error");
        }
        input.select();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
