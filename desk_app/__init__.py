"""desk_app: the 高效办成一件事 service-window application."""

__version__ = "0.1.0"
