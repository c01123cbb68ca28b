"""What every area of the web layer shares: reading forms, running a command for the
signed-in user, page-or-fragment rendering, guards, flash messages and context."""
