"""The papers of a helper session as PDFs: the authorization letter (授权委托书) and the
受理单 / 中止单 / 终止单 / 办结单 (data from the session, personal data masked; layout in
printing/)."""

from __future__ import annotations

import os
from typing import BinaryIO

from desk_app.domain import clock
from desk_app.domain.assist import (
    CHANNEL_LABELS_ZH,
    MODE_LABELS_ZH,
    STATE_LABELS_ZH,
    AssistMode,
    Channel,
    SessionState,
)
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.assist import sessions as assist
from desk_app.services.assist.views import (
    SessionView,
    authorization_line,
    find_session,
    item_names,
)
from desk_app.services.common import audit, protection
from desk_app.services.common.catalog import bundle
from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall
from desk_app.store import Database
from printing.assist_documents import (
    FORM_TITLES,
    AssistDocData,
    AuthorizationDoc,
    DocStep,
    render_authorization_pdf,
    render_session_form_pdf,
)

Target = str | os.PathLike[str] | BinaryIO
FORMS = tuple(FORM_TITLES)  # accept, suspend, terminate, conclude

# The state a session must be in for each form to tell the truth.
_FORM_STATES = {
    "accept": {
        SessionState.ACTIVE,
        SessionState.SUSPENDED,
        SessionState.CONCLUDED,
        SessionState.TERMINATED,
    },
    "suspend": {SessionState.SUSPENDED},
    "terminate": {SessionState.TERMINATED},
    "conclude": {SessionState.CONCLUDED},
}


def session_number(session_id: int) -> str:
    """The number printed on the papers and shown on screen."""
    return f"BB-{session_id:06d}"


def doc_data(db: Database, view: SessionView) -> AssistDocData:
    settings = hall.read_settings(db)
    names = dict(
        zip(
            [st.item or "" for st in view.steps],
            item_names(view.bundle, [st.item or "" for st in view.steps]),
            strict=True,
        )
    )
    steps = [
        DocStep(
            f"{clock.local(st.started_at):%H:%M}-{clock.local(st.ended_at):%H:%M}",
            st.where,
            st.action + (f"（{names[st.item]}）" if st.item else ""),
            "、".join(st.materials),
            st.outcome or "",
        )
        for st in view.steps
    ]
    return AssistDocData(
        hall_name=settings["hall_name"],
        number=session_number(view.id),
        mode_label=MODE_LABELS_ZH[AssistMode(view.mode)],
        channel_label=CHANNEL_LABELS_ZH[Channel(view.channel)],
        bundle_name=view.bundle_name or "",
        visitor_name=view.visitor_name,
        visitor_id=view.visitor_id,
        helper_name=view.helper_name or view.helper or "",
        started_at=view.started_at,
        state_label=STATE_LABELS_ZH[SessionState(view.state)],
        ended_at=view.ended_at,
        reason=view.end_reason,
        steps=steps,
        cases=[c["case_no"] for c in view.cases],
        minutes=view.minutes,
        trips=view.trips,
        printed_at=clock.now(),
    )


def print_authorization(db: Database, session_id: int, target: Target) -> None:
    """Write the authorization letter in force of a 代办 session, to be signed."""
    require(db.actor, Operation.ASSIST_SHOW)
    view = assist.show(db, session_id)  # masked: the letter's heading and the session
    # A letter of authorization is void without the principal's full name and ID: they are
    # read in clear for this paper only, and the reveal is audited in the same transaction
    # (a keyed pseudonym of the ID, never the ID).
    with db.begin() as s:
        auth = authorization_line(s, find_session(s, session_id), reveal=True)
        if auth is None:
            raise Refused("本次服务还没有授权委托书", "the session has no authorization")
        audit.record(
            s,
            db.actor,
            "assist.print",
            str(session_id),
            {
                "document": "authorization",
                "revealed": ["principal_name", "principal_id", "agent_name", "agent_id"],
                "principal": protection.cipher().pseudonym(
                    auth.principal_id, purpose="resident_id"
                ),
            },
        )
    departments = {}
    if view.bundle:
        b = bundle(view.bundle)
        departments = {i.code: b.department(i.department).name for i in b.items}
    letter = AuthorizationDoc(
        principal_name=auth.principal_name,
        principal_id=auth.principal_id,
        agent_name=auth.agent_name,
        agent_id=auth.agent_id,
        items=[
            (name, departments.get(code, "—"))
            for code, name in zip(auth.items, auth.item_names, strict=True)
        ],
        valid_until=auth.valid_until,
        signed_on=clock.hall_day(auth.signed_at),
    )
    render_authorization_pdf(doc_data(db, view), letter, target)


def print_form(db: Database, session_id: int, kind: str, target: Target) -> None:
    """Write the session's 受理单 / 中止单 / 终止单 / 办结单 (refused when the session is not in
    the state the form reports)."""
    require(db.actor, Operation.ASSIST_SHOW)
    if kind not in FORMS:
        raise Refused(f"未知的表单 {kind}", f"form must be one of {', '.join(FORMS)}")
    view = assist.show(db, session_id)
    if SessionState(view.state) not in _FORM_STATES[kind]:
        raise Refused(
            f"服务{STATE_LABELS_ZH[SessionState(view.state)]}, 不能打印{FORM_TITLES[kind]}",
            f"the session is {view.state}: no {kind} form",
        )
    render_session_form_pdf(doc_data(db, view), kind, target)
    with db.begin() as s:
        audit.record(s, db.actor, "assist.print", str(session_id), {"document": kind})
