// Inspection form: each item saves as soon as it is answered (verdict, note,
// photo), so a dropped connection in the hall loses nothing; a save that
// fails is retried when the network is back. A photo is redrawn as a JPEG
// of at most 1600 px before upload (smaller on a slow link; a phone's HEIC
// becomes JPEG where the browser can read it).
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;
  var pending = [];
  var LONG_SIDE = 1600;

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text;
  }

  function shrink(file) {
    if (!window.createImageBitmap || !file || !file.size) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
      var scale = Math.min(1, LONG_SIDE / Math.max(bmp.width, bmp.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bmp.width * scale);
      canvas.height = Math.round(bmp.height * scale);
      canvas.getContext("2d").drawImage(bmp, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  function showPhotos(form, ids) {
    var list = form.querySelector("[data-photos]");
    if (!list || !ids) return;
    var code = form.querySelector("input[name=code]").value;
    list.textContent = "";
    ids.forEach(function (id, n) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/inspections/photos/" + id;
      var img = document.createElement("img");
      img.src = "/inspections/photos/" + id + "?thumb=1";
      img.alt = code + " 照片 " + (n + 1);
      a.appendChild(img);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function send(form, data) {
    var state = form.querySelector(".save-state");
    if (state) state.textContent = "正在保存…";
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (r) {
      if (r.status === 401) {
        // Signed out (the session expired): keep the save for after sign-in.
        if (state) { state.textContent = "登录已过期：请在新标签页重新登录，本项会自动重新保存"; state.className = "save-state small bad-text"; }
        pending.push([form, data]);
        return null;
      }
      if (!r.ok) {
        // Refused (the page is stale, the form expired): say so, no retry.
        if (state) { state.textContent = "未保存（" + r.status + "）：请刷新本页后重试"; state.className = "save-state small bad-text"; }
        return null;
      }
      return r.json();
    }).then(function (j) {
      if (!j) return;
      if (state) state.textContent = j.ok ? "已保存" : j.error;
      if (state) state.className = "save-state small " + (j.ok ? "ok" : "bad-text");
      setText("answered", j.answered);
      setText("score", j.score);
      var missing = document.getElementById("missing");
      if (missing) { missing.textContent = j.missing || ""; missing.hidden = !j.missing; }
      showPhotos(form, j.photos[form.querySelector("input[name=code]").value]);
      form.classList.toggle("failed", !!form.querySelector("input[value=fail]:checked"));
    }).catch(function () {
      if (state) { state.textContent = "未保存：网络中断，恢复后自动重试"; state.className = "save-state small bad-text"; }
      pending.push([form, data]);
    });
  }

  function save(form, withPhoto) {
    var data = new FormData(form);
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (!withPhoto || !file) {
      data.delete("file");
      return send(form, data);
    }
    return shrink(file).then(function (blob) {
      data.set("file", blob, "photo.jpg");
      input.value = "";
      return send(form, data);
    });
  }

  function retry() {
    var queue = pending;
    pending = [];
    queue.forEach(function (p) { send(p[0], p[1]); });
  }
  window.addEventListener("online", retry);
  setInterval(function () { if (pending.length) retry(); }, 15000);

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    form.addEventListener("change", function (e) {
      save(form, e.target.type === "file");
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      save(form, true);
    });
  });
})();
