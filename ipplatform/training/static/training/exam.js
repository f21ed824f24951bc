// Exam countdown: shows the time left and hands the paper in when it runs out (the server keeps the real deadline).
(function () {
  "use strict";
  var el = document.getElementById("remaining");
  var form = document.getElementById("paper");
  if (!el || !form) return;
  var left = parseInt(el.getAttribute("data-seconds"), 10) || 0;
  var end = Date.now() + left * 1000;
  function tick() {
    var s = Math.max(0, Math.round((end - Date.now()) / 1000));
    el.textContent = Math.floor(s / 60) + "分" + (s % 60) + "秒";
    if (s <= 0) { clearInterval(timer); form.submit(); }
  }
  var timer = setInterval(tick, 1000);
  tick();
})();
