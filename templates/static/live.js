/* Live refresh while `interlude watch` runs: works from file:// without a server.
   Every second this re-inserts a tiny script (live-stamp.js) that reports the build's stamp and the pages
   that moved; when the stamp changes, the page reloads, or goes to its entry's new page if its name changed
   (a new title) or its entry went away. `interlude build` writes a quiet file in this one's place (pages are
   the same with or without watch, so that watch rewrites none of them); should the stamp be missing all the
   same, the page stops looking. */
(function () {
  "use strict";
  var me = document.currentScript;
  var source = me && me.getAttribute("data-stamp");
  if (!source) { return; }
  var root = source.replace(/live-stamp\.js$/, "");
  var seen = null;
  var timer = null;

  function here() {
    // This page's path inside the site: as many trailing parts of the address as the root is deep, plus one.
    var parts = window.location.pathname.split("/");
    var depth = root.split("../").length;
    return parts.slice(-depth).map(decodeURIComponent).join("/");
  }

  window.interludeLive = function (stamp, moved) {
    if (seen === null) { seen = stamp; return; }
    if (stamp === seen) { return; }
    var target = moved && moved[here()];
    if (target) { window.location.replace(root + target); } else { window.location.reload(); }
  };
  function poll() {
    var tag = document.createElement("script");
    tag.src = source + "?" + Date.now();
    tag.onload = function () { tag.remove(); };
    tag.onerror = function () {
      tag.remove();
      if (seen === null && timer !== null) { window.clearInterval(timer); timer = null; }  // not watching
    };
    document.head.appendChild(tag);
  }
  poll();
  timer = window.setInterval(poll, 1000);
})();
