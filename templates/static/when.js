/* Relative hints beside diary dates ("three weeks ago"), worked out when the page is read, so a
   built page never goes stale. Only <time data-relative> elements get one; without script the
   date alone is shown. */
(function () {
  "use strict";
  var WORDS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"];
  function count(n, unit) {
    var word = n < WORDS.length ? WORDS[n] : String(n);
    if (n === 1) { return (unit === "hour" ? "an " : "a ") + unit + " ago"; }
    return word + " " + unit + "s ago";
  }
  function hint(then, now) {
    var startOfDay = function (d) { return new Date(d.getFullYear(), d.getMonth(), d.getDate()); };
    var days = Math.round((startOfDay(now) - startOfDay(then)) / 86400000);
    if (days < 0) { return ""; }
    if (days === 0) { return "today"; }
    if (days === 1) { return "yesterday"; }
    if (days < 14) { return count(days, "day"); }
    if (days < 60) { return count(Math.round(days / 7), "week"); }
    if (days < 365) { return count(Math.round(days / 30.44), "month"); }
    return count(Math.floor(days / 365.25), "year");
  }
  function mark() {
    var now = new Date();
    var times = document.querySelectorAll("time[data-relative]");
    for (var i = 0; i < times.length; i++) {
      var value = times[i].getAttribute("datetime");
      var parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(value || "");
      if (!parts) { continue; }
      var words = hint(new Date(+parts[1], +parts[2] - 1, +parts[3]), now);
      if (!words) { continue; }
      var span = document.createElement("span");
      span.className = "relative-hint";
      span.textContent = " · " + words;
      times[i].insertAdjacentElement("afterend", span);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
