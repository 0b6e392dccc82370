"""The user-facing errors, re-exported: they live in ``desk_app.domain.errors`` so that the
sync layer (below services) can raise them without importing upward."""

from __future__ import annotations

from desk_app.domain.errors import NotFound, Refused

__all__ = ["NotFound", "Refused"]
