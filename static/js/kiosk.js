// Kiosk (badge) sessions: idle countdown and reset (progressive enhancement;
// the server ends the session too).
"use strict";
