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
