"""Live, training and demo halls. ``DESK_APP_NOW`` fixes the hall's clock, which a demo or a
training session needs and a live hall must never get: tickets, cases and statistics would
carry a time someone chose. The mode is set when the hall is made (``demo seed`` makes a demo
hall, ``db upgrade --training`` a training hall) and is not a setting anyone can change later.
The security clocks (lockout, sessions, the audit trail's time) run on the real clock in every
mode."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.services.common import audit
from desk_app.services.common.errors import Refused
from desk_app.store import Database
from desk_app.store.case_models import Case
from desk_app.store.models import Setting, Ticket

HALL_MODE = "hall_mode"
LIVE, TRAINING, DEMO = "live", "training", "demo"
CLOCK_MAY_BE_SET = (TRAINING, DEMO)
LABELS_ZH = {TRAINING: "培训", DEMO: "演示"}


def hall_mode(s: Session) -> str:
    """``live`` (the default), ``training`` or ``demo``."""
    return s.scalar(select(Setting.value).where(Setting.key == HALL_MODE)) or LIVE


def mode_of(db: Database) -> str:
    with db.read() as s:
        return hall_mode(s)


def display_name(s: Session, name: str) -> str:
    """The hall's name as screens and printed documents show it: a training or demo hall says
    so (``…（培训）`` / ``…（演示）``), so nothing it prints passes for a live hall's."""
    label = LABELS_ZH.get(hall_mode(s))
    return f"{name}（{label}）" if label else name


def mark(db: Database, mode: str) -> None:
    """Make this hall a training or demo hall, while it has no ticket and no case yet (a live
    hall's records must not be mixed with a training session's); a second mark of the same mode
    changes nothing."""
    if mode not in CLOCK_MAY_BE_SET:
        raise ValueError(mode)
    with db.begin() as s:
        current = hall_mode(s)
        if current == mode:
            return
        used = s.scalar(select(func.count()).select_from(Ticket)) or s.scalar(
            select(func.count()).select_from(Case)
        )
        if current != LIVE or used:
            raise Refused(
                f"本厅已有业务记录 (或已是{LABELS_ZH.get(current, current)}厅), 不能改为"
                f"{LABELS_ZH[mode]}厅; 请用新的数据库",
                f"this hall already has records (or is a {current} hall): make a {mode} hall "
                "in a new database",
            )
        row = s.get(Setting, HALL_MODE)
        if row is None:
            s.add(Setting(key=HALL_MODE, value=mode))
        else:
            row.value = mode
        audit.record(s, db.actor, "hall.mode", mode, {"from": current})


def check_clock(db: Database) -> None:
    """Refused when ``DESK_APP_NOW`` is set on a live hall (before anything is written)."""
    if clock.fixed_now() is None:
        return
    if mode_of(db) not in CLOCK_MAY_BE_SET:
        raise Refused(
            "DESK_APP_NOW 只能用于培训或演示厅 (desk-app db upgrade --training, desk-app demo seed); "
            "正式运行的大厅使用真实时间",
            "DESK_APP_NOW is for training and demo halls only (db upgrade --training, demo seed): "
            "a live hall runs on the real clock",
        )
