// Werkpas core behaviour (progressive enhancement only: every page works without it).
// Loaded with `defer` on every page; no framework, strict CSP (no inline script).
"use strict";
