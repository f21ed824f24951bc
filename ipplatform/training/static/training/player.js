// Learning progress: reports real playback to the server, which credits watched seconds, refuses skipping ahead on
// no-skip courses, and asks for an idle check. No inline scripts: configuration comes from a json_script element.
(function () {
  "use strict";
  var cfgEl = document.getElementById("learn-config");
  if (!cfgEl) return;
  var cfg = JSON.parse(cfgEl.textContent);
  var headers = {};
  try { headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { headers = {}; }
  headers["Content-Type"] = "application/json";
  var frontier = cfg.frontier || 0;
  var video = document.getElementById("player");
  var notice = document.getElementById("notice");
  var idleBox = document.getElementById("idle");
  var idle = false;
  var segStart = null;
  var busy = false;

  var noticeTimer = null;
  function say(text) {
    notice.textContent = text;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { notice.textContent = ""; }, 10000);
  }

  function show(state) {
    if (state.error) { say(state.error); return; }
    frontier = state.frontier;
    var f = document.getElementById("frontier");
    if (f) f.textContent = Math.floor(state.frontier);
    var s = document.getElementById("studied");
    if (s) s.textContent = Math.floor(state.studied);
    document.getElementById("done").textContent = state.completed ? (state.course_completed ? "本章已完成，课程已学完" : "本章已完成") : "未完成";
    if (state.refused) say(state.refused);
    if (state.idle) {
      idle = true;
      idleBox.hidden = false;
      // nothing after the last credited second counts: resume from there once the learner confirms
      if (video) { video.pause(); if (video.currentTime > state.frontier) video.currentTime = state.frontier; segStart = null; }
    }
  }

  function post(url, body) {
    return fetch(url, { method: "POST", headers: headers, credentials: "same-origin", body: JSON.stringify(body || {}) })
      .then(function (r) { return r.json(); });
  }

  var lastTime = 0;

  function report(endAt) {
    if (busy || idle) return Promise.resolve();
    var body = {};
    if (video) {
      if (segStart === null) return Promise.resolve();
      var end = (typeof endAt === "number") ? endAt : video.currentTime;
      body = { start: segStart, end: end, position: end };
      segStart = video.paused ? null : video.currentTime;
    }
    busy = true;
    return post(cfg.report, body).then(function (state) {
      busy = false;
      show(state);
      if (video && state.refused && cfg.noSkip) {
        video.currentTime = state.frontier;
        segStart = video.paused ? null : state.frontier;
      }
    }, function () { busy = false; say("进度上报失败，稍后重试"); });
  }

  document.getElementById("still-here").addEventListener("click", function () {
    post(cfg.presence, {}).then(function () {
      idle = false;
      idleBox.hidden = true;
      if (video) { segStart = null; video.play(); }
    });
  });

  if (video) {
    video.addEventListener("loadedmetadata", function () {
      if (cfg.position > 1 && cfg.position < video.duration - 1) { lastTime = cfg.position; video.currentTime = cfg.position; }  // resume
    });
    video.addEventListener("play", function () { segStart = video.currentTime; });
    video.addEventListener("pause", function () { if (!video.seeking) report(); });
    video.addEventListener("ended", function () { report(); });
    video.addEventListener("timeupdate", function () { if (!video.seeking) lastTime = video.currentTime; });
    video.addEventListener("seeking", function () {
      if (segStart !== null && lastTime > segStart) { var from = segStart; segStart = null; busy = false; post(cfg.report, { start: from, end: lastTime, position: lastTime }).then(show); }
      var allowed = Math.max(frontier, lastTime);
      if (cfg.noSkip && video.currentTime > allowed + 2) {
        say("本课程不允许快进：已回到已观看的位置");
        video.currentTime = allowed;
      }
    });
    video.addEventListener("seeked", function () {
      lastTime = video.currentTime;
      if (!video.paused) segStart = video.currentTime;
    });
    setInterval(function () { if (!video.paused) report(); }, 5000);
  } else {
    setInterval(function () { if (document.visibilityState === "visible") report(); }, 10000);
  }
})();
