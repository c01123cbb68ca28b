// Kiosk (badge) sessions: idle countdown and reset (progressive enhancement;
// the server ends the session too).
//
// The server counts every request of a badge session as activity and ends
// the session 90 seconds after the last one (app/web/sessions.py). So the
// countdown here runs from the last time the server heard from this page:
// the page load, or a ping to /badge/still-here. Input on the page (keys,
// touches, clicks) sends such a ping, at most every PING_EVERY ms, so the
// countdown never promises more time than the server gives. With WARN
// seconds left the "Are you still there?" dialog opens; its button pings
// and closes it. At 0 the page logs out, which returns to /badge.
"use strict";
(function () {
  const PING_EVERY = 10000;
  const SOON = 10;

  function start(bar) {
    const idle = Number(bar.dataset.kioskIdle) * 1000;
    const warn = Number(bar.dataset.kioskWarn) * 1000;
    const dialog = document.getElementById("kiosk-prompt");
    const continueForm = document.querySelector("form[data-kiosk-continue]");
    const logoutForm = bar.querySelector("form[data-kiosk-logout]");
    const announce = document.querySelector("[data-kiosk-announce]");
    const clocks = document.querySelectorAll("[data-kiosk-left]");
    const clock = bar.querySelector("[data-kiosk-clock]");
    if (!dialog || !continueForm || !logoutForm || !announce || typeof dialog.showModal !== "function") {
      return; // the server still ends the session; nothing to show here
    }
    let heard = Date.now();
    let lastPing = heard;
    let pending = null;
    let saidSoon = false;
    let returnFocus = null;
    let ended = false;
    clock.hidden = false;

    function format(ms) {
      const seconds = Math.max(0, Math.ceil(ms / 1000));
      return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }

    function say(text) {
      // Emptied first, so the same sentence is announced again.
      announce.textContent = "";
      window.setTimeout(function () { announce.textContent = text; }, 50);
    }

    function ping() {
      pending = null;
      lastPing = Date.now();
      const sent = lastPing;
      const body = new URLSearchParams(new FormData(continueForm));
      return fetch(continueForm.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "x-kiosk-ping": "1" },
      }).then(function (response) {
        if (response.redirected || !response.ok) {
          // The session is over on the server: show where it went.
          ended = true;
          window.location.assign(response.redirected ? response.url : "/badge?ended=idle");
          return false;
        }
        heard = Math.max(heard, sent);
        return true;
      }).catch(function () { return false; });
    }

    function activity() {
      if (ended || dialog.open) {
        return; // with the prompt open, only its button continues
      }
      const wait = PING_EVERY - (Date.now() - lastPing);
      if (wait <= 0) {
        ping();
      } else if (pending === null) {
        pending = window.setTimeout(ping, wait);
      }
    }

    function openPrompt() {
      returnFocus = document.activeElement;
      dialog.showModal();
      const button = continueForm.querySelector("button");
      if (button) {
        button.focus();
      }
      say(bar.dataset.kioskSayWarn);
    }

    function closePrompt() {
      if (dialog.open) {
        dialog.close();
      }
      saidSoon = false;
      if (returnFocus && typeof returnFocus.focus === "function") {
        returnFocus.focus();
      }
    }

    function keepGoing(event) {
      if (event) {
        event.preventDefault();
      }
      ping().then(function (ok) {
        if (ok) {
          closePrompt();
          tick();
        }
      });
    }

    function tick() {
      if (ended) {
        return;
      }
      const left = heard + idle - Date.now();
      clocks.forEach(function (element) { element.textContent = format(left); });
      if (left <= 0) {
        ended = true;
        logoutForm.submit();
        return;
      }
      if (left <= warn && !dialog.open) {
        openPrompt();
      }
      if (dialog.open && left <= SOON * 1000 && !saidSoon) {
        saidSoon = true;
        say(bar.dataset.kioskSaySoon);
      }
    }

    continueForm.addEventListener("submit", keepGoing);
    // Escape closes a modal dialog: here it means "continue", like the button.
    dialog.addEventListener("cancel", keepGoing);
    ["keydown", "pointerdown", "touchstart", "input", "wheel"].forEach(function (type) {
      document.addEventListener(type, activity, { passive: true });
    });
    window.setInterval(tick, 1000);
    tick();
  }

  function init() {
    const bar = document.querySelector("[data-kiosk]");
    if (bar) {
      start(bar);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
