// Invitations: the list's selection and print actions, and the invite form's
// e-mail label (progressive enhancement: without it the server does the same
// work, with wording that needs no script).
"use strict";

(function () {
  // -- printing from the list ---------------------------------------------------
  // The print form (data-print-selection) owns the rows' checkboxes through
  // their form="invitation-print" attribute; the rows are swapped by htmx.

  function printForm() {
    return document.querySelector("[data-print-selection]");
  }

  function rowBoxes(form) {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[data-select-row][form="' + form.id + '"]')
    );
  }

  function wording(element, count) {
    if (count === 0) return element.getAttribute("data-none");
    if (count === 1) return element.getAttribute("data-one");
    return element.getAttribute("data-many").replace("{count}", String(count));
  }

  function refresh() {
    var form = printForm();
    if (!form) return;
    var boxes = rowBoxes(form);
    var count = boxes.filter(function (box) { return box.checked; }).length;
    form.querySelectorAll("[data-print-button]").forEach(function (button) {
      button.textContent = wording(button, count);
      button.disabled = count === 0;
    });
    var status = form.querySelector("[data-print-count]");
    if (status) {
      status.textContent = wording(status, count);
      // Announced as it changes, once the script speaks for the count.
      status.setAttribute("aria-live", "polite");
    }
    var all = document.querySelector("input[data-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && count === boxes.length;
      all.indeterminate = count > 0 && count < boxes.length;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    if (target.hasAttribute("data-select-all")) {
      var form = printForm();
      if (form) rowBoxes(form).forEach(function (box) { box.checked = target.checked; });
      refresh();
    } else if (target.hasAttribute("data-select-row")) {
      refresh();
    }
  });

  document.body.addEventListener("htmx:afterSwap", refresh);

  // -- the invite form: "E-mail" is optional only for a printed invitation ----

  function emailLabel() {
    var label = document.querySelector("[data-email-label]");
    if (!label) return;
    var chosen = document.querySelector('input[name="delivery"]:checked');
    var needed = !chosen || chosen.value !== "paper";
    label.textContent = label.getAttribute(needed ? "data-required" : "data-optional");
    var input = document.getElementById(label.getAttribute("for"));
    if (input) input.setAttribute("aria-required", needed ? "true" : "false");
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.name === "delivery") emailLabel();
  });

  function start() {
    refresh();
    emailLabel();
    var result = document.querySelector("[data-print-result]");
    if (result) result.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
