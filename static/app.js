// examhall: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
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
})();
