"""Where and how this workstation reaches the central backend.

Plain ``http://`` is refused except to this machine (127.0.0.0/8, ::1, ``localhost``): the token
and the residents' personal data never cross a network in clear. The token never appears in a
repr, a log line or an error message.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class SyncConfigError(ValueError):
    """The sync configuration is unusable (bad URL, refused scheme, bad number)."""


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redact_url(url: str | None) -> str | None:
    """The URL without user info, query or fragment: safe to show or log."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<invalid URL>"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def check_url(url: str) -> str:
    """``url`` if sync may use it: https anywhere, http only to loopback; else SyncConfigError."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise SyncConfigError(
            f"中心平台地址无效 / DESK_APP_CENTRAL_URL is not a valid URL: {redact_url(url)}"
        ) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise SyncConfigError(
            "中心平台地址须为 https://主机 / DESK_APP_CENTRAL_URL must be https://host/..."
        )
    if parts.username or parts.password:
        raise SyncConfigError(
            "中心平台地址不得包含用户名或密码 / DESK_APP_CENTRAL_URL must not carry credentials "
            "(use DESK_APP_CENTRAL_TOKEN)"
        )
    if scheme == "http" and not is_loopback(parts.hostname):
        raise SyncConfigError(
            f"拒绝以明文 http 连接 {parts.hostname}, 请使用 https / refusing plain http to "
            f"{parts.hostname}: use https (http is allowed only to this machine)"
        )
    return url.strip()


def _number(name: str, default: str, kind: type) -> float:
    raw = os.environ.get(name, default)
    try:
        return kind(raw)
    except ValueError:
        raise SyncConfigError(f"{name} 不是数字 / {name} is not a number: {raw!r}") from None


@dataclass(frozen=True)
class SyncConfig:
    url: str | None
    token: str | None = field(default=None, repr=False)
    ca_bundle: str | None = None  # a CA file for a private PKI; TLS verification is always on
    batch_size: int = 200
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    backoff_base_s: float = 2.0
    backoff_max_s: float = 600.0
    retention_days: int = 30  # personal data kept locally (see desk_app.sync.retention)

    def __repr__(self) -> str:
        return (
            f"SyncConfig(url={redact_url(self.url)!r}, token={'***' if self.token else None}, "
            f"ca_bundle={self.ca_bundle!r}, batch_size={self.batch_size}, "
            f"retention_days={self.retention_days})"
        )

    @classmethod
    def from_env(cls) -> SyncConfig:
        """``DESK_APP_CENTRAL_URL``, ``DESK_APP_CENTRAL_TOKEN``, ``DESK_APP_CENTRAL_CA``,
        ``DESK_APP_RETENTION_DAYS``; tuning: ``DESK_APP_SYNC_BATCH``,
        ``DESK_APP_SYNC_TIMEOUT`` (read timeout, s), ``DESK_APP_SYNC_BACKOFF`` ("base,max" s).
        The URL is checked when a client is made (:meth:`check`), so purging needs no URL."""
        env = os.environ.get
        base, _, most = env("DESK_APP_SYNC_BACKOFF", "2,600").partition(",")
        try:
            backoff = (float(base), float(most or 600))
        except ValueError:
            raise SyncConfigError(
                "DESK_APP_SYNC_BACKOFF 应为 '基数,上限' / DESK_APP_SYNC_BACKOFF must be 'base,max'"
            ) from None
        return cls(
            url=env("DESK_APP_CENTRAL_URL") or None,
            token=env("DESK_APP_CENTRAL_TOKEN") or None,
            ca_bundle=env("DESK_APP_CENTRAL_CA") or None,
            batch_size=int(_number("DESK_APP_SYNC_BATCH", "200", int)),
            read_timeout_s=_number("DESK_APP_SYNC_TIMEOUT", "20", float),
            backoff_base_s=backoff[0],
            backoff_max_s=backoff[1],
            retention_days=int(_number("DESK_APP_RETENTION_DAYS", "30", int)),
        )

    @property
    def configured(self) -> bool:
        return bool(self.url and self.token)

    def check(self) -> None:
        """Raise SyncConfigError unless the URL may carry the token (see the module) and the
        token is one header value: no space, tab, line break or other control character (a
        token file saved on Windows ends in CR LF, which would otherwise travel into the error
        text of the HTTP library, and from there into the outbox)."""
        if self.url:
            check_url(self.url)
        if self.token is not None and (
            not self.token or any(ch.isspace() or not ch.isprintable() for ch in self.token)
        ):
            raise SyncConfigError(
                "DESK_APP_CENTRAL_TOKEN 含空白或控制字符 (如换行), 请去掉后重试 / "
                "DESK_APP_CENTRAL_TOKEN contains whitespace or control characters (e.g. a line "
                "break): remove them"
            )
