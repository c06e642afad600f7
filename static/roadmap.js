// The roadmap editor: htmx swaps the editor after each change; this keeps the rows the
// consultant had open, and says so when a change could not be sent at all.
(function () {
  "use strict";
  var open = [];
  document.addEventListener("htmx:beforeRequest", function () {
    open = Array.prototype.map.call(
      document.querySelectorAll("#editor details[open]"),
      function (d) { return d.parentNode.id; }
    );
  });
  // afterSwap runs in the same task as the swap, so an open row never shows closed for a frame
  document.addEventListener("htmx:afterSwap", function () {
    open.forEach(function (id) {
      var row = document.getElementById(id);
      if (row && row.querySelector("details")) { row.querySelector("details").open = true; }
    });
  });
  function say(text) {
    var box = document.querySelector("#editor .editor-status");
    if (!box) { return; }
    var p = document.createElement("p");
    p.className = "problems";
    p.setAttribute("role", "alert");
    p.textContent = text;
    box.replaceChildren(p);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    say(document.documentElement.lang === "vi"
      ? "Chưa lưu được thay đổi (lỗi " + status + "). Hãy tải lại trang rồi thử lại."
      : "The change was not saved (error " + status + "). Reload the page and try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    say(document.documentElement.lang === "vi"
      ? "Không kết nối được máy chủ; thay đổi chưa được lưu."
      : "The server could not be reached; the change was not saved.");
  });
})();
