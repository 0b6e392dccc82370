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


# Windows' well-known groups any local user is in (icacls prints them by name).
_EVERYONE_ACES = ("Everyone", "BUILTIN\\Users", "NT AUTHORITY\\Authenticated Users")


def _windows_user() -> str:
    user = os.environ.get("USERNAME", "")
    domain = os.environ.get("USERDOMAIN", "")
    return f"{domain}\\{user}" if domain and user else user


def icacls_owner_only_command(path: str) -> list[str]:
    """The icacls call that leaves ``path`` with one entry, full control for this user, and no
    inherited ones (a folder's "Users: read" would otherwise reach the file)."""
    return ["icacls", path, "/inheritance:r", "/grant:r", f"{_windows_user()}:(F)"]


def restrict_to_owner(path: str) -> None:
    """On Windows, an ACL of the owner alone on ``path`` (best effort, logged when refused);
    elsewhere the mode given at creation already says so."""
    if sys.platform != "win32":
        return
    import logging
    import subprocess

    try:
        done = subprocess.run(  # noqa: S603 - a fixed program, the path as one argument
            icacls_owner_only_command(path), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("icacls not run on %s: %s", path, exc)
        return
    if done.returncode != 0:
        logging.getLogger(__name__).warning(
            "icacls refused to restrict %s: %s", path, (done.stderr or done.stdout).strip()
        )


def windows_acl_open_to_others(icacls_output: str) -> bool:
    """Whether ``icacls PATH``'s output grants Everyone, Users or Authenticated Users."""
    return any(ace.lower() in icacls_output.lower() for ace in _EVERYONE_ACES)


def documents_dir() -> Path:
    """Where the counter and the helper desk write the papers they print (in the user's data
    folder, owner-only like the rest of it)."""
    return user_data_dir() / "documents"


def unused_document_path(folder: Path, stem: str, suffix: str = ".pdf") -> Path:
    """``folder/stem.pdf``, or ``stem-2.pdf``, ``stem-3.pdf``... when taken: a paper printed
    again (a second suspension of a helper session, a receipt reprinted after a correction)
    never overwrites the one printed before."""
    target = folder / f"{stem}{suffix}"
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target
