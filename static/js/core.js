// Werkpas core behaviour (progressive enhancement only: every page works without it).
// Loaded with `defer` on every page; no framework, strict CSP (no inline script).
"use strict";

(function () {
  // After a failed submit the page (or the HTMX fragment) holds an error
  // summary: move the focus there, so a screen reader reads it out and a
  // keyboard user starts from the list of links to the fields.
  function focusErrorSummary(root) {
    var summary = root.matches && root.matches("[data-error-summary]") ? root : root.querySelector("[data-error-summary]");
    if (!summary) return false;
    summary.focus();
    return true;
  }

  // The phone menu: the header's navigation and tools fold behind the menu
  // button (CSS shows the button under 48rem only once .js-menu is set).
  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-button");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    header.classList.add("js-menu");
    show(false);
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.offsetParent !== null) {
        show(false);
        button.focus();
      }
    });
  }

  function start() {
    setUpMenu();
    focusErrorSummary(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  // HTMX swaps a form with its errors in place: focus its summary. afterSettle
  // runs once the new content is in the page and htmx has finished with it.
  document.addEventListener("htmx:afterSettle", function (event) {
    // An outerHTML swap leaves the old target out of the page: look in the whole page then.
    var target = event.detail && event.detail.target;
    focusErrorSummary(target && target.isConnected ? target : document);
  });
})();
