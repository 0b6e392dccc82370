"""Where and how this workstation reaches the central backend."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class SyncConfig:
    url: str | None
    token: str | None
    ca_bundle: str | None = None  # a CA file for a private PKI; TLS verification is always on
    batch_size: int = 200
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    backoff_base_s: float = 2.0
    backoff_max_s: float = 600.0
    retention_days: int = 30  # personal data kept locally after the backend acknowledged

    @classmethod
    def from_env(cls) -> SyncConfig:
        """``DESK_APP_CENTRAL_URL``, ``DESK_APP_CENTRAL_TOKEN``, ``DESK_APP_CENTRAL_CA``,
        ``DESK_APP_RETENTION_DAYS``."""
        return cls(
            url=os.environ.get("DESK_APP_CENTRAL_URL") or None,
            token=os.environ.get("DESK_APP_CENTRAL_TOKEN") or None,
            ca_bundle=os.environ.get("DESK_APP_CENTRAL_CA") or None,
            retention_days=int(os.environ.get("DESK_APP_RETENTION_DAYS", "30")),
        )

    @property
    def configured(self) -> bool:
        return bool(self.url and self.token)
