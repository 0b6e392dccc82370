"""The queue-progress URL printed as a QR code on each ticket."""

from __future__ import annotations

from urllib.parse import quote


def progress_url(base_url: str, ticket_id: str) -> str:
    """The URL where a visitor follows ``ticket_id`` in the queue on a phone.

    The rule is deliberately simple, so that the hall's web page can rely on it:
    ``base_url.rstrip("/") + "/" + quote(ticket_id, safe="")``. The ticket id becomes one path
    segment, percent-encoded (a ``/``, ``?`` or ``#`` in an id cannot change the URL's
    structure). A base URL with a query string or fragment is rejected rather than guessed at,
    since appending a path segment after ``?a=b`` would silently produce a wrong URL.

    >>> progress_url("https://hall.example.gov.cn/q/", "A001-20261127")
    'https://hall.example.gov.cn/q/A001-20261127'

    Raises:
        ValueError: empty base or ticket id, or a base with ``?`` or ``#``.
    """
    base = base_url.strip()
    if not base:
        raise ValueError("progress base URL is empty")
    if "?" in base or "#" in base:
        raise ValueError(f"progress base URL must not have a query or fragment: {base_url!r}")
    if not ticket_id:
        raise ValueError("ticket id is empty")
    return base.rstrip("/") + "/" + quote(ticket_id, safe="")
