"""PySide6 screens: login, counter, kiosk, call display. The only package that imports Qt."""
