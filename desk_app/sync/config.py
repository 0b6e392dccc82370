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
        ``DESK_APP_RETENTION_DAYS``; tuning: ``DESK_APP_SYNC_BATCH``,
        ``DESK_APP_SYNC_TIMEOUT`` (read timeout, s), ``DESK_APP_SYNC_BACKOFF`` ("base,max" s)."""
        env = os.environ.get
        base, _, most = env("DESK_APP_SYNC_BACKOFF", "2,600").partition(",")
        return cls(
            url=env("DESK_APP_CENTRAL_URL") or None,
            token=env("DESK_APP_CENTRAL_TOKEN") or None,
            ca_bundle=env("DESK_APP_CENTRAL_CA") or None,
            batch_size=int(env("DESK_APP_SYNC_BATCH", "200")),
            read_timeout_s=float(env("DESK_APP_SYNC_TIMEOUT", "20")),
            backoff_base_s=float(base),
            backoff_max_s=float(most or 600),
            retention_days=int(env("DESK_APP_RETENTION_DAYS", "30")),
        )

    @property
    def configured(self) -> bool:
        return bool(self.url and self.token)
