// examhall: reading evidence for a mandatory article (必读). While the tab is
// visible the page sends a heartbeat every 10 s with the visible seconds since
// the last one, and says when the end of the text has been reached. The
// server credits no more than its own clock allows and decides; this script
// only mirrors its answer on the confirm button. Without JavaScript nothing
// is counted, and the server refuses the confirm.
(function () {
  "use strict";
  var panel = document.getElementById("reading");
  if (!panel || !window.fetch || !window.URLSearchParams) return;
  var form = document.getElementById("confirm-form");
  var button = document.getElementById("confirm-button");
  var status = document.getElementById("reading-status");
  var end = document.getElementById("article-end");
  var csrf = (form.querySelector("input[name=csrf_token]") || {}).value || "";
  var url = panel.getAttribute("data-beat");
  var version = panel.getAttribute("data-version");
  var needed = parseInt(panel.getAttribute("data-needed"), 10) || 0;
  var read = parseInt(panel.getAttribute("data-read"), 10) || 0;
  var atEnd = panel.getAttribute("data-end") === "true";
  var visibleSince = document.hidden ? null : Date.now();
  var pending = 0;

  function show(canConfirm) {
    button.disabled = !canConfirm;
    var left = Math.max(0, needed - read);
    var parts = [];
    parts.push(left > 0 ? "还需阅读约 " + left + " 秒" : "阅读时间已满足");
    parts.push(atEnd ? "已读到文末" : "请读到文末");
    status.textContent = parts.join("，") + "。";
  }

  function bank() {
    if (visibleSince !== null) {
      pending += (Date.now() - visibleSince) / 1000;
      visibleSince = document.hidden ? null : Date.now();
    }
  }

  function beat() {
    bank();
    var seconds = Math.floor(pending);
    pending -= seconds;
    var body = new URLSearchParams();
    body.append("version_id", version);
    body.append("seconds", String(seconds));
    body.append("at_end", atEnd ? "true" : "false");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
      body: body.toString()
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (j) {
      if (!j) return;
      read = j.active_seconds;
      needed = j.needed;
      atEnd = j.reached_end;
      show(j.can_confirm);
    }).catch(function () {});
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { bank(); visibleSince = null; } else { visibleSince = Date.now(); }
  });
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting && !atEnd) { atEnd = true; beat(); }
      });
    }).observe(end);
  } else {
    atEnd = true;
  }
  show(false);
  setInterval(function () { if (!document.hidden) beat(); }, 10000);
})();
