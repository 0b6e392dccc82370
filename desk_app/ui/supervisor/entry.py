"""The supervisor's screens as the GUI starts them: the workbench (locked when left alone, like a
counter) and the progress wall (a hall screen: no lock), each acting for the logged-in person."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk_app.security.roles import Actor
from desk_app.store import Database


def supervisor_screen(
    db: Database, role: str, actor: Actor | None, screen_size: tuple[int, int] | None = None
) -> QWidget:
    if actor is None or actor.device:
        raise ValueError("the supervisor's screens need the logged-in person")
    if role == "progress":
        from desk_app.ui.display.progress_wall import ProgressWall

        return ProgressWall(db.acting_as(actor), screen_size=screen_size)
    from desk_app.ui.common.lock import IdleLock
    from desk_app.ui.supervisor.window import SupervisorWindow

    window = SupervisorWindow(db.acting_as(actor))
    window.idle_lock = IdleLock(window, window.db)  # type: ignore[attr-defined]
    return window
