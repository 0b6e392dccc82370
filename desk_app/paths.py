"""Where the application's data files live, in a checkout, an installed tree or a frozen build."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The top-level ``resources/`` folder (catalog, holidays, fonts, icons, translations)."""
    override = os.environ.get("DESK_APP_RESOURCES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # PyInstaller one-folder build (build.spec copies resources/ next to the code)
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def user_data_dir() -> Path:
    """Per-user data directory (the embedded SQLite default lives here)."""
    from platformdirs import user_data_path

    return user_data_path("desk-app", appauthor=False, ensure_exists=True)
