"""The hall itself: its services, windows, staff, settings and window sessions, its opening calendar, and the database schema made current."""
