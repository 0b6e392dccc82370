"""Retention of 帮办代办 personal data: the visitor's and the authorization's names and IDs
are masked once a session has been idle longer than the retention period (its last event,
which for a closed session is its conclusion or termination). Masked values are kept in clear
(``370202********1234``) so timelines and statistics stay readable; look-up hashes go."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain.validators import mask_id, mask_name
from desk_app.services.common.protection import unseal
from desk_app.store.assist_models import AssistAuthorization, AssistEvent, AssistSession


def _masked(token: str | None, context: str, mask) -> str | None:  # type: ignore[no-untyped-def]
    value = unseal(token, context)
    return mask(value) if value else value


def purge_sessions(s: Session, cutoff: datetime) -> int:
    """Inside the purge's transaction: mask every session idle since before ``cutoff``;
    returns how many sessions were masked."""
    last = (
        select(func.max(AssistEvent.at))
        .where(AssistEvent.session_id == AssistSession.id)
        .scalar_subquery()
    )
    rows = s.execute(
        select(AssistSession)
        .where(
            AssistSession.started_at <= cutoff,
            ~AssistSession.visitor_id_no.contains("*"),  # not purged yet
            func.coalesce(last, AssistSession.started_at) <= cutoff,
        )
        .with_for_update(of=AssistSession)
    ).scalars()
    n = 0
    for sess in rows:
        t = "assist_sessions"
        sess.visitor_name = _masked(sess.visitor_name, f"{t}.visitor_name", mask_name) or ""
        sess.visitor_id_no = _masked(sess.visitor_id_no, f"{t}.visitor_id_no", mask_id) or ""
        sess.visitor_lookup = None
        a = "assist_authorizations"
        for letter in s.scalars(
            select(AssistAuthorization).where(AssistAuthorization.session_id == sess.id)
        ):
            letter.principal_name = (
                _masked(letter.principal_name, f"{a}.principal_name", mask_name) or ""
            )
            letter.principal_id_no = (
                _masked(letter.principal_id_no, f"{a}.principal_id_no", mask_id) or ""
            )
            letter.agent_name = _masked(letter.agent_name, f"{a}.agent_name", mask_name)
            letter.agent_id_no = _masked(letter.agent_id_no, f"{a}.agent_id_no", mask_id)
            letter.principal_lookup = None
        n += 1
    return n
