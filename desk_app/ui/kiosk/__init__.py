"""The self-service kiosk (自助取号机): the service buttons, taking a number, appointment check-in and the consult page."""
