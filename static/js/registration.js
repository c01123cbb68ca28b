// Registration: the print button of the PIN reset slip (progressive
// enhancement: without it, the browser's own print command prints the slip).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  const hint = document.querySelector(".reg-print-hint");
  if (hint && document.querySelector("button[data-print]")) hint.hidden = true;
});
