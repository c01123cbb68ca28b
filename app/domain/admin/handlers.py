"""Command handlers of the admin area."""
