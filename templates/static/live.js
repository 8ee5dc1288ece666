/* Live refresh while `interlude watch` runs: works from file:// without a server.
   Every second this re-inserts a tiny script (live-stamp.js) that reports the build's stamp;
   when the stamp changes, the page reloads. Plain `interlude build` pages do not load this file. */
(function () {
  "use strict";
  var me = document.currentScript;
  var source = me && me.getAttribute("data-stamp");
  if (!source) { return; }
  var seen = null;
  window.interludeLive = function (stamp) {
    if (seen === null) { seen = stamp; } else if (stamp !== seen) { window.location.reload(); }
  };
  function poll() {
    var tag = document.createElement("script");
    tag.src = source + "?" + Date.now();
    tag.onload = tag.onerror = function () { tag.remove(); };
    document.head.appendChild(tag);
  }
  poll();
  window.setInterval(poll, 1000);
})();
