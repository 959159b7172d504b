// Counts down the time shown on the exam page. The server enforces the deadline; this only informs.
(function () {
  var el = document.getElementById("exam-timer");
  if (!el) return;
  var left = parseInt(el.getAttribute("data-seconds-left"), 10);
  var ends = Date.now() + left * 1000;
  function show() {
    var s = Math.max(0, Math.round((ends - Date.now()) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    el.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(sec).padStart(2, "0") + " " + (el.getAttribute("data-label") || "left");
    if (s > 0) setTimeout(show, 1000);
  }
  show();
})();
