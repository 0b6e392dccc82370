"""What the sync layer reports, as plain dataclasses: the GUI, the command line and the tests
read attributes; ``to_json()`` gives the command line's stable JSON keys."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class SyncReport:
    """One pass (or a drain, or a whole ``sync run``): what happened to the outbox."""

    sent: int
    pending: int
    failed: int
    dead: int

    def to_json(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class SyncStatus:
    """The outbox's backlog and the last outcomes, for the indicator and ``sync status``."""

    pending: int
    sent: int
    dead: int
    last_success: str | None  # ISO-8601
    last_error: str | None  # "<ISO-8601> <reason>"
    auth_failed: str | None  # ISO-8601 of the 401 that stopped sending; None once it works
    # The scanned files (desk_app.sync.files_sync): owed to the platform, and the dead letters
    # among them (refused for good: ``sync dead``, the supervisor's alert).
    files_pending: int = 0
    files_dead: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DeadLetter:
    """A case the backend refused (409, invalid, or a 4xx when sent alone)."""

    id: int
    case_no: str
    bundle: str
    reason: str | None
    attempts: int
    created_at: str | None  # ISO-8601

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
