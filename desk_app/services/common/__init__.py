"""What every service shares: look-ups by the hall's own keys, the catalog as loaded, the audit trail, personal data sealed at rest, plain results and the user-facing errors."""
