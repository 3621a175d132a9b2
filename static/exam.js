// examhall: exam-taking page enhancements. The page works without this file
// (the form POST saves everything); this adds per-answer autosave with retry,
// save state, navigator state, a server-based countdown and warnings.
// Answers the server has not acknowledged are also kept in localStorage, so
// an expired session or a closed tab loses nothing: they are put back and
// sent when the page is open again (after signing in).
(function () {
  "use strict";
  var form = document.getElementById("exam");
  if (!form || !window.fetch || !window.URLSearchParams) return;

  var answerUrl = form.getAttribute("data-answer-url");
  var csrf = (form.querySelector("input[name=csrf_token]") || {}).value || "";
  var device = (form.querySelector("input[name=device]") || {}).value || "";
  var banner = document.getElementById("save-banner");
  var summary = document.getElementById("save-summary");
  var countdown = document.getElementById("countdown");
  var submitLink = document.getElementById("submit-link");
  var NET_MSG = "网络异常，答案暂未保存，正在重试…请勿关闭页面";
  var LABELS = { saved: "已保存", saving: "保存中…", unsaved: "未保存" };

  var stopped = false;       // another device took over / attempt closed / time up
  var leaving = false;       // we navigate ourselves: no beforeunload warning
  var waitingSubmit = false; // 交卷 clicked, waiting for pending saves
  var failures = 0;          // consecutive retryable failures, over all questions
  var serverMsg = null;      // the server's reason for the last retryable failure (e.g. database busy)
  var expired = null;        // the server's message once the session is gone (401)
  var STORE_KEY = "examhall:" + answerUrl;

  // Per-question save state. dirty: has changes the server has not received;
  // busy: a request is in flight; error: last save failed permanently.
  var questions = {};
  form.querySelectorAll("fieldset.question").forEach(function (fs) {
    var pos = fs.getAttribute("data-pos");
    questions[pos] = {
      pos: pos, fs: fs, state: fs.querySelector(".save-state"),
      nav: document.querySelector('#navigator a[data-pos="' + pos + '"]'),
      dirty: false, busy: false, error: null, tries: 0, timer: null
    };
  });

  function each(fn) { Object.keys(questions).forEach(function (k) { fn(questions[k]); }); }
  function some(pred) { return Object.keys(questions).some(function (k) { return pred(questions[k]); }); }
  function unsaved(q) { return q.dirty || q.busy || !!q.error; }
  function hasError(q) { return !!q.error; }
  function isChoice(el) { return el.type === "radio" || el.type === "checkbox"; }
  function answerInputs(q) { return q.fs.querySelectorAll('[name="a' + q.pos + '"]'); }
  function flagged(q) { var f = q.fs.querySelector("input.flag"); return !!(f && f.checked); }

  function setState(q, s) {
    if (q.state) {
      q.state.setAttribute("data-state", s);
      q.state.textContent = LABELS[s];
    }
    updateSummary();
  }

  // The save state of the whole paper, beside the timer (sticky), so a
  // clerk scrolled far down still sees when answers are not reaching the server.
  function updateSummary() {
    if (!summary) return;
    var n = 0;
    each(function (q) { if (unsaved(q)) n++; });
    var state = n === 0 ? "saved" : expired || failures > 0 ? "unsaved" : "saving";
    summary.setAttribute("data-state", state);
    reserveHead();
    summary.textContent = expired ? "登录已过期 · " + n + " 题未保存"
      : n === 0 ? "答案已全部保存"
      : failures > 0 ? "网络异常 · " + n + " 题未保存" : n + " 题保存中…";
  }

  // Unacknowledged answers in localStorage: { pos: { a: [values], f: flag } }.
  function stored() {
    try { return JSON.parse(localStorage.getItem(STORE_KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function keep(all) {
    try {
      if (Object.keys(all).length) localStorage.setItem(STORE_KEY, JSON.stringify(all));
      else localStorage.removeItem(STORE_KEY);
    } catch (e) { /* storage full or off: the page still holds the answers */ }
  }
  function values(q) {
    var v = [];
    answerInputs(q).forEach(function (el) { if (!isChoice(el) || el.checked) v.push(el.value); });
    return v;
  }
  function remember(q) { var all = stored(); all[q.pos] = { a: values(q), f: flagged(q) }; keep(all); }
  function forget(q) { var all = stored(); delete all[q.pos]; keep(all); }

  // Puts back what the server never acknowledged (newer than the page's answers) and sends it.
  function restore() {
    var all = stored();
    Object.keys(all).forEach(function (pos) {
      var q = questions[pos], kept = all[pos];
      if (!q || !kept || !kept.a) return;
      var i = 0;
      answerInputs(q).forEach(function (el) {
        if (isChoice(el)) el.checked = kept.a.indexOf(el.value) >= 0;
        else el.value = kept.a[i++] || "";
      });
      var f = q.fs.querySelector("input.flag");
      if (f) f.checked = !!kept.f;
      q.dirty = true;
      updateNav(q);
      setState(q, "unsaved");
    });
    flush();
  }

  function updateNav(q) {
    if (!q.nav) return;
    var answered = false;
    answerInputs(q).forEach(function (el) {
      if (isChoice(el) ? el.checked : el.value.trim() !== "") answered = true;
    });
    q.nav.classList.toggle("answered", answered);
    q.nav.classList.toggle("flagged", flagged(q));
    var left = document.getElementById("unanswered-count");
    if (left) left.textContent = document.querySelectorAll("#navigator a:not(.answered)").length;
  }

  // Radios/checkboxes: the checked values; text inputs (blanks) and textarea:
  // every value in document order, empty ones included.
  function body(q) {
    var p = new URLSearchParams();
    p.append("csrf_token", csrf);
    p.append("device", device);
    p.append("pos", q.pos);
    p.append("flag", flagged(q) ? "1" : "0");
    answerInputs(q).forEach(function (el) {
      if (!isChoice(el) || el.checked) p.append("a", el.value);
    });
    return p.toString();
  }

  function schedule(q, ms) {
    clearTimeout(q.timer);
    q.timer = setTimeout(function () { q.timer = null; send(q); }, ms);
  }

  function send(q) {
    clearTimeout(q.timer);
    q.timer = null;
    if (stopped || expired) return;
    // One request per question: the newest state goes out when this one ends,
    // so an older answer can never arrive after a newer one.
    if (q.busy) { q.dirty = true; return; }
    q.dirty = false;
    q.busy = true;
    setState(q, "saving");
    fetch(answerUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": csrf,
        "Accept": "application/json" // errors come as {"ok": false, "message": …}
      },
      body: body(q)
    }).then(function (res) {
      return res.text().then(function (t) { return { status: res.status, text: t }; });
    }).catch(function () {
      return { status: 0, text: "" }; // network error
    }).then(function (r) {
      var data = null;
      try { data = JSON.parse(r.text); } catch (e) { /* not JSON */ }
      done(q, r.status, data || {});
    });
  }

  function done(q, status, data) {
    q.busy = false;
    if (stopped) return;
    if (status === 200 && data.ok) {
      failures = 0;
      serverMsg = null;
      q.tries = 0;
      q.error = null;
      if (typeof data.remaining === "number") resync(data.remaining);
      if (!q.dirty) { forget(q); setState(q, "saved"); }
      else if (!q.timer) send(q); // changed while in flight, no debounce pending
      else setState(q, "unsaved");
    } else if (status === 401 && data.expired) {
      // Signed out (session over): keep everything, ask to sign in and come back.
      q.dirty = true;
      setState(q, "unsaved");
      showExpired(data.message);
      return;
    } else if (status === 409 || status === 410) {
      if (status === 410) keep({});
      stop(data.message || (status === 409 ? "此考试已在其他设备上继续作答，本页面已停止保存。" : "考试已结束。"));
      if (status === 410) setTimeout(function () { location.reload(); }, 3000);
      return;
    } else if (status === 0 || status === 408 || status === 429 || status >= 500) {
      failures++;
      q.tries++;
      // The server said why (database full, busy, unreachable): show it at once.
      serverMsg = data.message ? data.message + " 答案已保留在本页，正在自动重试，请勿关闭页面。" : null;
      q.dirty = true; // this state did not reach the server
      setState(q, "unsaved");
      if (!q.timer) schedule(q, Math.min(1000 * Math.pow(2, q.tries - 1), 15000));
    } else {
      // Other 4xx (or a 200 that is not our JSON, e.g. a login page): no retry.
      q.error = data.message || "保存失败（HTTP " + status + "）";
      setState(q, "unsaved");
      if (q.dirty && !q.timer) send(q); // a newer answer may well be accepted
    }
    checkSubmit();
    refreshBanner();
  }

  function showExpired(message) {
    expired = message;
    waitingSubmit = false;
    updateSummary();
    if (!banner) return;
    banner.textContent = message + " ";
    var link = document.createElement("a");
    link.href = "/login?next=" + encodeURIComponent(location.pathname);
    link.textContent = "重新登录";
    link.id = "relogin";
    link.addEventListener("click", function () { leaving = true; });
    banner.appendChild(link);
    banner.hidden = false;
  }

  function refreshBanner() {
    updateSummary();
    if (stopped || expired || !banner) return;
    var err = null;
    each(function (q) { if (!err && q.error) err = q.error; });
    var left = 0;
    each(function (q) { if (unsaved(q)) left++; });
    var text = failures > 0 && serverMsg ? serverMsg
      : waitingSubmit && failures > 0 ? "网络异常：还有 " + left + " 题答案未保存。恢复连接后会自动保存并交卷，请勿关闭页面。"
      : failures >= 2 ? NET_MSG : err || (waitingSubmit ? "正在保存，请稍候…" : "");
    banner.textContent = text;
    banner.hidden = !text;
  }

  function disableAll() {
    form.querySelectorAll("input, textarea, select, button").forEach(function (el) { el.disabled = true; });
  }

  function stop(message) {
    stopped = true;
    leaving = true;
    waitingSubmit = false;
    each(function (q) { clearTimeout(q.timer); q.timer = null; });
    if (banner) { banner.textContent = message; banner.hidden = false; }
    disableAll();
  }

  function flush() { each(function (q) { if (q.dirty && !q.busy) send(q); }); }

  function checkSubmit() {
    if (!waitingSubmit) return;
    if (some(hasError)) { waitingSubmit = false; return; }
    if (!some(unsaved)) { waitingSubmit = false; leaving = true; location.href = submitLink.href; }
  }

  function questionOf(el) {
    var fs = el.closest("fieldset.question");
    return fs ? questions[fs.getAttribute("data-pos")] : null;
  }

  form.addEventListener("change", function (e) {
    var q = questionOf(e.target);
    if (!q) return;
    if (isChoice(e.target)) { q.dirty = true; remember(q); updateNav(q); send(q); }
    else if (q.timer) send(q); // text left: save now instead of after the debounce
  });

  form.addEventListener("input", function (e) {
    var q = questionOf(e.target);
    if (!q || isChoice(e.target)) return; // choices are handled on change
    q.dirty = true;
    remember(q);
    updateNav(q);
    if (!q.busy) setState(q, "unsaved");
    schedule(q, 800);
  });

  // The no-JS save button posts everything; no need to warn about leaving.
  form.addEventListener("submit", function () { leaving = true; });

  window.addEventListener("beforeunload", function (e) {
    if (leaving || !some(unsaved)) return;
    e.preventDefault();
    e.returnValue = "";
  });

  if (submitLink) submitLink.addEventListener("click", function (e) {
    if (stopped || !some(unsaved)) return;
    e.preventDefault();
    if (expired) { showExpired(expired); return; }
    if (!some(hasError)) { waitingSubmit = true; flush(); }
    refreshBanner();
  });

  // Countdown: the deadline comes from the server (data-remaining, then each
  // save's `remaining`); elapsed time is measured with performance.now() so a
  // wrong or changed client wall clock does not matter.
  var base = parseInt(form.getAttribute("data-remaining"), 10);
  var baseAt = performance.now();
  var timeIsUp = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function resync(seconds) { base = seconds; baseAt = performance.now(); tick(); }

  // Screen readers hear the time at 10, 5 and 1 minutes left (not every second),
  // and the time-up at once; the last five minutes also say so in words.
  var timeNote = document.getElementById("time-left-note");
  var timeUpNote = document.getElementById("time-up-note");
  var announced = {};
  function announce(s) {
    [10, 5, 1].forEach(function (min) {
      if (s <= min * 60 && s > min * 60 - 30 && !announced[min]) {
        announced[min] = true;
        if (timeNote) timeNote.textContent = "考试还剩 " + min + " 分钟";
      }
    });
  }

  function tick() {
    if (isNaN(base) || timeIsUp) return;
    var s = Math.max(0, Math.ceil(base - (performance.now() - baseAt) / 1000));
    if (s === 0) { timeUp(); return; }
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    if (countdown) {
      countdown.textContent = "剩余 " + (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s % 60) +
        (s < 300 ? " · 不足 5 分钟" : "");
      countdown.classList.toggle("warn", s < 300);
    }
    announce(s);
  }

  // A question the navigator jumps to (or Tab reaches) lands below the sticky head.
  var head = document.querySelector(".exam-head");
  function reserveHead() {
    if (head) document.documentElement.style.scrollPaddingTop = (head.offsetHeight + 8) + "px";
  }
  window.addEventListener("resize", reserveHead);

  // The server submits the attempt itself; the reloaded page shows the result.
  function timeUp() {
    timeIsUp = true;
    if (countdown) { countdown.textContent = "时间到，正在交卷…"; countdown.classList.add("warn"); }
    if (timeUpNote) timeUpNote.textContent = "时间到，正在交卷…";
    flush(); // last chance for pending answers (the server decides if in time)
    stopped = true;
    leaving = true;
    disableAll();
    setTimeout(function () { location.reload(); }, 2000);
  }

  // Shown again from the back/forward cache (e.g. "back" after 交卷): ask
  // the server, which sends a handed-in paper to its result page.
  window.addEventListener("pageshow", function (e) { if (e.persisted) { leaving = true; location.reload(); } });

  tick();
  setInterval(tick, 500);
  reserveHead();
  restore();
  updateSummary();
})();
