// The top navigation on a phone: one "Menu" button that opens and closes it. Without JavaScript
// the links simply wrap, all visible.
(function () {
  "use strict";
  var bar = document.querySelector(".topbar");
  var toggle = bar && bar.querySelector(".menu-toggle");
  if (!toggle) { return; }
  bar.classList.add("collapsible");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = bar.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && bar.classList.contains("open")) {
      bar.classList.remove("open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
})();
