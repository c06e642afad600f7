// "Copy" buttons: <button data-copy="ID" data-copied="Copied" hidden> copies the value (or text)
// of the element with that id. The button stays hidden without JavaScript; the text can still
// be selected by hand. navigator.clipboard needs a secure context (https or localhost), so on a
// LAN address the older execCommand path copies instead.
(function () {
  "use strict";

  function copyText(source) {
    var text = "value" in source ? source.value : source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      source.focus();
      if (source.select) { source.select(); }
      if (document.execCommand && document.execCommand("copy")) { resolve(); } else { reject(); }
    });
  }

  function setUp(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(source).then(function () {
        button.textContent = button.getAttribute("data-copied") || label;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        source.focus();
        if (source.select) { source.select(); }  // copying refused: leave it selected for Ctrl+C
      });
    });
  }

  function start() {
    var buttons = document.querySelectorAll("button[data-copy]");
    for (var i = 0; i < buttons.length; i++) { setUp(buttons[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
