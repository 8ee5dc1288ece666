/* Tapping a chart shows what hovering shows: the date and value of the point (or day, bar, stretch) nearest
   the tap, from its <title>, in a small note beside it. A mouse keeps the browser's own tooltips; without
   script the charts and their captions say it all. */
(function () {
  "use strict";
  var note = null;
  var REACH = 28; // CSS px: how far from a mark a tap still finds it

  function hide() {
    if (note) { note.hidden = true; }
  }

  function show(words, x, y) {
    if (!note) {
      note = document.createElement("div");
      note.className = "chart-tip";
      note.setAttribute("role", "status");
      document.body.appendChild(note);
    }
    note.textContent = words;
    note.hidden = false;
    var width = note.offsetWidth;
    var left = Math.max(8, Math.min(x - width / 2, document.documentElement.clientWidth - width - 8));
    note.style.left = (left + window.scrollX) + "px";
    note.style.top = (y + window.scrollY - note.offsetHeight - 12) + "px";
  }

  function nearest(svg, x, y) {
    var best = null, distance = REACH;
    var marks = svg.querySelectorAll("title");
    for (var i = 0; i < marks.length; i++) {
      var mark = marks[i].parentNode;
      if (mark === svg) { continue; }
      var box = mark.getBoundingClientRect();
      var dx = Math.max(box.left - x, 0, x - box.right), dy = Math.max(box.top - y, 0, y - box.bottom);
      var d = Math.sqrt(dx * dx + dy * dy);
      if (d < distance || (d === 0 && best && box.width * box.height < best.area)) {
        distance = d;
        best = { words: marks[i].textContent, x: box.left + box.width / 2, y: box.top, area: box.width * box.height };
      }
    }
    return best;
  }

  document.addEventListener("click", function (event) {
    var svg = event.target.closest ? event.target.closest("svg.chart, svg.calendar") : null;
    if (!svg) { hide(); return; }
    var found = nearest(svg, event.clientX, event.clientY);
    if (found) { show(found.words, found.x, found.y); } else { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });
})();
