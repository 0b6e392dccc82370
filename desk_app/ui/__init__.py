"""PySide6 screens, one package per role (counter, kiosk, display, helper, supervisor) and what they share; the only package that imports Qt."""
