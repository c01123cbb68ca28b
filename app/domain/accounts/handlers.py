"""Command and job handlers of the accounts area."""
