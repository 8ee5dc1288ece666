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

  function show(text, x, y) {
    if (!note) {
      note = document.createElement("div");
      note.className = "chart-tip";
      note.setAttribute("role", "status");
      document.body.appendChild(note);
    }
    note.textContent = text;
    note.hidden = false;
    var width = note.offsetWidth;
    var left = Math.max(8, Math.min(x - width / 2, document.documentElement.clientWidth - width - 8));
    note.style.left = (left + window.scrollX) + "px";
    note.style.top = (y + window.scrollY - note.offsetHeight - 12) + "px";
  }

  // A chart's narrow drawing (for a phone) numbers its marks (data-t) instead of repeating the wide drawing's
  // <title>s: the text of mark n is the wide drawing's n-th title.
  function marksOf(svg) {
    var found = [], i;
    var numbered = svg.querySelectorAll("[data-t]");
    if (numbered.length) {
      var wide = svg.parentNode.querySelector("svg.chart-wide, svg.calendar-wide");
      var titles = wide ? wide.querySelectorAll("title:not([id])") : [];
      for (i = 0; i < numbered.length; i++) {
        var title = titles[Number(numbered[i].getAttribute("data-t"))];
        if (title) { found.push({ mark: numbered[i], text: title.textContent }); }
      }
      return found;
    }
    var own = svg.querySelectorAll("title:not([id])");
    for (i = 0; i < own.length; i++) { found.push({ mark: own[i].parentNode, text: own[i].textContent }); }
    return found;
  }

  function nearest(svg, x, y) {
    var best = null, distance = REACH;
    var marks = marksOf(svg);
    for (var i = 0; i < marks.length; i++) {
      var mark = marks[i].mark;
      if (mark === svg) { continue; }
      var box = mark.getBoundingClientRect();
      var dx = Math.max(box.left - x, 0, x - box.right), dy = Math.max(box.top - y, 0, y - box.bottom);
      var d = Math.sqrt(dx * dx + dy * dy);
      if (d < distance || (d === 0 && best && box.width * box.height < best.area)) {
        distance = d;
        best = { text: marks[i].text, x: box.left + box.width / 2, y: box.top, area: box.width * box.height };
      }
    }
    return best;
  }

  document.addEventListener("click", function (event) {
    var svg = event.target.closest ? event.target.closest("svg.chart, svg.calendar") : null;
    if (!svg) { hide(); return; }
    var found = nearest(svg, event.clientX, event.clientY);
    if (found) { show(found.text, found.x, found.y); } else { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });
})();
