"""Case decisions, conclusions and printed documents leave audit entries naming who acted."""

from __future__ import annotations

from datetime import UTC, datetime

from desk_app.security.roles import Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.cases import actions as cases
from desk_app.services.cases import documents as case_print
from desk_app.services.common import audit
from desk_app.services.hall import setup as hall
from tests.ids import resident_id

T = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)
PW = "Hall-2026x"
MATERIALS = {
    "application_form": "original",
    "parents_id_cards": "original",
    "household_register": "original",
    "marriage_certificate": "copy",
}


def test_decisions_and_prints_are_audited_by_person(db, tmp_path):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    accounts.create_account(db, "s01", "王芳", Role.COUNTER, PW)
    s01 = db.acting_as(accounts.authenticate(db, "s01", PW).actor)
    hall.open_window(s01, 1, "s01")
    case = cases.open_case(s01, "newborn", "张三丰", applicant_id=resident_id(), window=1, now=T)
    cases.decide(s01, case.case_no, "accept", received=MATERIALS, window=1, now=T)
    case_print.print_case_document(s01, case.case_no, "receipt", tmp_path / "r.pdf")
    cases.conclude(s01, case.case_no, window=1, now=T)
    trail = [(e.actor, e.action, e.target) for e in audit.entries(db) if e.target == case.case_no]
    assert trail == [
        ("s01", "case.accept", case.case_no),
        ("s01", "case.print", case.case_no),
        ("s01", "case.conclude", case.case_no),
    ]
    assert audit.verify(db).ok
    everything = str([e.to_json() for e in audit.entries(db)])
    assert "张三丰" not in everything and resident_id() not in everything
