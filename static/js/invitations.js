// Invitations: the list's selection and print actions (progressive enhancement).
"use strict";
