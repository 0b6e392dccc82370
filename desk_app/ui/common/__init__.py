"""What every screen shares: start-up, log-in and the idle lock, fonts and theme, background tasks, printing, the sync indicator and the knowledge-base panel."""
