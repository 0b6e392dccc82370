"""Staff accounts: passwords, log-in and lockout, command-line sessions, the idle lock, and rotating the hall key."""
