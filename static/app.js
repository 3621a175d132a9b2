// examhall: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");
  // The menu button at phone width (and at high zoom): opens and closes the menu.
  var toggle = document.querySelector(".nav-toggle");
  var menu = document.getElementById("main-nav");
  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.getAttribute("data-confirm"))) {
      e.preventDefault();
    }
  });
  // A select with data-follows="NAME" shows only the option group whose
  // data-for matches the chosen value of the select NAME (e.g. the clerks of
  // the chosen hall); options outside any group stay.
  document.querySelectorAll("select[data-follows]").forEach(function (sel) {
    var leader = sel.form && sel.form.elements[sel.getAttribute("data-follows")];
    if (!leader) return;
    function sync() {
      sel.querySelectorAll("optgroup[data-for]").forEach(function (g) {
        var on = !leader.value || g.getAttribute("data-for") === leader.value;
        g.hidden = !on;
        g.disabled = !on;
      });
      var chosen = sel.options[sel.selectedIndex];
      if (chosen && chosen.parentNode.disabled) sel.value = "";
    }
    leader.addEventListener("change", sync);
    sync();
  });
  // Menu groups open on tap or click too (hover and keyboard focus open them in CSS).
  document.addEventListener("click", function (e) {
    var label = e.target.closest(".nav-group-label");
    document.querySelectorAll(".nav-group.open").forEach(function (g) {
      if (!label || g !== label.parentNode) {
        g.classList.remove("open");
        g.querySelector(".nav-group-label").setAttribute("aria-expanded", "false");
      }
    });
    if (label) {
      var open = label.parentNode.classList.toggle("open");
      label.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  // Tables: short cells (names, scores, dates) never wrap; each cell carries
  // its column's heading (data-label), so that on a phone a row becomes a
  // small card of "heading value" pairs on two or three lines (app.css).
  document.querySelectorAll("table.table").forEach(function (t) {
    t.querySelectorAll("td, tbody th").forEach(function (cell) {
      if (cell.textContent.trim().length <= 8 && !cell.querySelector("form, details")) cell.classList.add("nowrap");
    });
    // Labels from the last heading row (a print-only title row may stand above it).
    var heads = t.tHead ? Array.prototype.filter.call(t.tHead.rows, function (r) { return !r.classList.contains("print-only"); }) : [];
    if (heads.length !== 1) return;
    var labels = [];
    Array.prototype.forEach.call(heads[0].cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) labels.push(th.textContent.trim());
    });
    t.classList.add("cards");
    Array.prototype.forEach.call(t.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (tr) {
        var col = 0;
        Array.prototype.forEach.call(tr.cells, function (cell) {
          if (labels[col] && !cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) {
            cell.setAttribute("data-label", labels[col]);
          }
          col += cell.colSpan || 1;
        });
      });
    });
  });
  // A refused form: the error summary takes the focus (a screen reader reads
  // it first) and the page title says 错误.
  var refused = document.querySelector("main .flash-error[role=alert]:not([hidden])");
  if (refused && !document.querySelector("[autofocus]")) {
    refused.setAttribute("tabindex", "-1");
    refused.focus();
  }
  if (refused) document.title = "错误：" + document.title;
  // Tables wider than the screen scroll inside a region reachable by keyboard.
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth <= wrap.clientWidth + 1) return;
    var caption = wrap.querySelector("caption");
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "表格（可左右滚动）");
  });
  // After an action that returns to a section of a long page (#sources,
  // #item-H3), its notice is moved to that section, where the page lands,
  // instead of staying out of sight at the top.
  (function () {
    var id = location.hash.slice(1);
    var flashes = document.querySelectorAll("main > .flash");
    if (!id || !flashes.length) return;
    var target = null;
    try { target = document.getElementById(decodeURIComponent(id)); } catch (err) { return; }
    if (!target || !target.parentNode) return;
    flashes.forEach(function (f) { target.parentNode.insertBefore(f, target); });
    flashes[0].scrollIntoView({ block: "center" });
  })();
  // A button with data-print prints the page (reports meant for paper).
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) window.print();
  });
  // A checkbox with data-check-all="NAME" ticks or clears every checkbox NAME of its form.
  document.querySelectorAll("input[data-check-all]").forEach(function (all) {
    var name = all.getAttribute("data-check-all");
    all.addEventListener("change", function () {
      all.form.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (b) {
        b.checked = all.checked;
      });
    });
  });
  // Forms with data-progress show that long work is under way and cannot be sent twice.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var text = form.getAttribute("data-progress");
    if (!text) return;
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
    var note = document.createElement("p");
    note.className = "progress";
    note.setAttribute("role", "status");
    note.textContent = text;
    form.appendChild(note);
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  // A hall manager's rating form: a score below full marks (or a red line
  // ticked) needs its reason. Said before sending, so nothing typed is lost;
  // the server checks the same.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute("data-rating")) return;
    var first = null;
    form.querySelectorAll("[data-max]").forEach(function (input) {
      var reason = form.querySelector("#" + input.getAttribute("data-reason"));
      var note = reason && reason.parentNode.querySelector(".field-error");
      if (note) note.remove();
      var below = input.type === "checkbox" ? input.checked
        : input.value.trim() !== "" && parseFloat(input.value) < parseFloat(input.getAttribute("data-max"));
      if (below && reason && reason.value.trim() === "") {
        var p = document.createElement("p");
        p.className = "field-error";
        p.id = reason.id + "-error";
        p.textContent = "低于满分（或认定违反）须写明理由，被评价人会看到。";
        reason.setAttribute("aria-describedby", p.id);
        reason.insertAdjacentElement("afterend", p);
        if (!first) first = reason;
      }
    });
    if (first) { e.preventDefault(); first.focus(); }
  });
  // An evaluation scheme's text: the points (third column) must sum to 100.
  // Said before sending, so the edited text is not lost; the server checks
  // every other rule and names the line.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var text = form.querySelector("textarea[data-scheme]");
    if (!text) return;
    var sum = 0;
    text.value.split("\n").forEach(function (line) {
      line = line.trim();
      if (!line || line.charAt(0) === "#") return;
      var cells = line.split(/[|｜]/);
      if (cells.length > 2) sum += parseFloat(cells[2]) || 0;
    });
    var old = form.querySelector(".field-error");
    if (old) old.remove();
    if (Math.round(sum * 100) !== 10000) {
      e.preventDefault();
      var p = document.createElement("p");
      p.className = "field-error";
      p.id = text.id + "-error";
      p.textContent = "各项分值合计 " + (Math.round(sum * 100) / 100) + " 分，应为 100 分。";
      text.setAttribute("aria-describedby", p.id);
      text.insertAdjacentElement("afterend", p);
      text.focus();
    }
  });
})();
