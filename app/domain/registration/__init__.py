"""Worker registration: from an invitation link or short code to an account
with a password and/or a kiosk PIN, and the staff-issued PIN reset."""
