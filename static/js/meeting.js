// The meeting page: the countdown to the planned end (the server renders
// the minutes left; this keeps them current), and a warning when an
// autosave of the minutes could not reach the server (the text stays in
// the box and is saved with the next keystroke or the Save button).
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll(".meeting-countdown[data-ends-at]").forEach(function (box) {
      var end = Date.parse(box.getAttribute("data-ends-at"));
      if (isNaN(end)) return;
      var minutes = Math.round((end - Date.now()) / 60000);
      var label = minutes >= 0 ? box.getAttribute("data-label-left") : box.getAttribute("data-label-over");
      var text = label.replace("{n}", String(Math.abs(minutes)));
      var first = box.firstChild;
      if (first && first.nodeType === 3) first.nodeValue = text + " ";
    });
  }
  function offline(event) {
    var form = event.target && event.target.closest && event.target.closest("#minutes-form");
    if (!form) return;
    var state = document.getElementById("minutes-state");
    if (!state) return;
    var note = state.querySelector(".minutes-offline");
    if (!note) {
      note = document.createElement("p");
      note.className = "field-error minutes-offline";
      state.appendChild(note);
    }
    note.textContent = form.getAttribute("data-offline") || "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 30000);
  });
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);
})();
