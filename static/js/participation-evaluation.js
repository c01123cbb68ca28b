// The evaluation form (progressive enhancement: the form works without it).
// A slider and its typed number follow each other; the follow-up question
// about drifting from the topic shows only when the meeting drifted.
"use strict";

(function () {
  function sliders(form) {
    form.querySelectorAll("[data-slider]").forEach(function (field) {
      var range = field.querySelector("[data-slider-range]");
      var typed = field.querySelector("[data-slider-typed]");
      if (!range || !typed) return;
      if (typed.value === "") typed.value = range.value;
      range.addEventListener("input", function () {
        typed.value = range.value;
      });
      typed.addEventListener("input", function () {
        var number = parseInt(typed.value, 10);
        if (!isNaN(number) && number >= 0 && number <= 100) range.value = String(number);
      });
    });
  }

  function driftFollowUp(form) {
    var followUp = form.querySelector("[data-drift-follow-up]");
    if (!followUp) return;
    var radios = form.querySelectorAll("input[name='drifted']");
    function update() {
      var no = form.querySelector("input[name='drifted'][value='no']");
      followUp.hidden = Boolean(no && no.checked);
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  function start() {
    document.querySelectorAll(".eval-form").forEach(function (form) {
      sliders(form);
      driftFollowUp(form);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
