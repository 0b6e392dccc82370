"""免证办 records (services/cases/sharing.py): consent, what each answer does to the material,
the audit and the calls, purging and the figures. The calls themselves against a real
central-ref are in tests/test_sharing_gateway.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from desk_app.services.cases import actions as cases
from desk_app.services.cases import sharing
from desk_app.services.cases.sharing import ShareOutcome
from desk_app.services.common.errors import NotFound
from desk_app.services.hall import setup as hall
from desk_app.services.supervision import reform
from desk_app.store.share_models import CaseShare, ShareCall
from tests.ids import resident_id
from tests.tools import add_staff

T = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)
RETIREMENT_SHARED = {
    "pension_contribution_record": "hrss.pension_contribution",
    "social_security_card": "hrss.social_security_card",
    "medical_contribution_record": "medical_insurance.enrolment",
}
PDF = b"%PDF-1.4\n% an e-licence\n%%EOF\n"


@pytest.fixture
def counter(db):
    hall.add_service(db, "retirement", "退休一件事", "R")
    hall.add_window(db, 1, ["retirement"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    return db


def open_retirement(db, consent=True, **kw):
    return cases.open_case(
        db,
        "retirement",
        "张三丰",
        applicant_id=resident_id(),
        window=1,
        now=T,
        share_consent=consent,
        **kw,
    )


def answer(db, case_no, material, outcome, **kw):
    job = next(j for j in sharing.jobs(db, case_no, retry=True) if j.material == material)
    return sharing.record(db, job, ShareOutcome(outcome, 12, **kw), now=T)


def test_every_shared_material_of_the_catalog_names_its_resource():
    from desk_app.domain.bundle import Source
    from desk_app.services.common.catalog import catalog

    shared = [
        (b.code, m.code, m.resource)
        for b in catalog().bundles
        for m in b.materials
        if m.source in (Source.SHARED, Source.E_LICENCE)
    ]
    assert len(shared) >= 60
    assert [s for s in shared if not s[2]] == []
    assert len({r for *_, r in shared}) >= 32
    assert len({r.split(".")[0] for *_, r in shared}) >= 15  # the gateway has 17


def test_with_consent_the_shared_materials_wait_to_be_fetched(counter):
    view = open_retirement(counter)
    assert view.share_consent
    shared = {m.code: (m.status, m.share) for m in view.materials if m.share}
    assert shared == {c: ("obtained", "pending") for c in RETIREMENT_SHARED}
    jobs = sharing.jobs(counter, view.case_no)
    assert {j.material: j.resource for j in jobs} == RETIREMENT_SHARED
    assert {j.subject_id for j in jobs} == {resident_id()}  # unsealed for the call only
    assert all(j.purpose.startswith("退休一件事:") for j in jobs)


def test_without_consent_they_are_handed_in_and_nothing_is_fetched(counter):
    view = open_retirement(counter, consent=False)
    assert not view.share_consent
    lines = {m.code: m for m in view.materials if m.code in RETIREMENT_SHARED}
    assert {m.status for m in lines.values()} == {"missing"}
    assert all("未同意" in (m.missing_reason or "") for m in lines.values())
    assert all(m.form.endswith("份") for m in lines.values())  # asked for like any paper
    assert sharing.jobs(counter, view.case_no, retry=True) == []
    assert set(RETIREMENT_SHARED) <= {m.code for m in view.missing}


def test_no_record_and_failure_turn_the_material_into_paper_and_a_retry_brings_it_back(counter):
    view = open_retirement(counter)
    no = view.case_no
    assert answer(counter, no, "pension_contribution_record", "no_record", reason="no_record") == (
        "no_record"
    )
    assert answer(counter, no, "medical_contribution_record", "failed", http_status=503) == "failed"
    assert answer(counter, no, "social_security_card", "offline") == "pending"
    v = cases.show(counter, no)
    by = {m.code: m for m in v.materials}
    assert by["pension_contribution_record"].status == "missing"
    assert "未查到" in by["pension_contribution_record"].missing_reason
    assert by["medical_contribution_record"].status == "missing"
    assert "接口" in by["medical_contribution_record"].missing_reason
    assert (by["social_security_card"].status, by["social_security_card"].share) == (
        "obtained",
        "pending",
    )
    # Only the pending one is fetched again on its own; a retry asks for all three.
    assert [j.material for j in sharing.jobs(counter, no)] == ["social_security_card"]
    assert len(sharing.jobs(counter, no, retry=True)) == 3
    fields = [{"key": "months", "label": "缴费月数", "value": "372"}]
    answer(counter, no, "pension_contribution_record", "ok", fields=fields)
    back = {m.code: m for m in cases.show(counter, no).materials}["pension_contribution_record"]
    assert (back.status, back.share, back.missing_reason) == ("obtained", "fetched", None)


def test_a_material_handed_in_meanwhile_stays_received_when_the_fetch_succeeds(counter):
    no = open_retirement(counter).case_no
    answer(counter, no, "pension_contribution_record", "no_record", reason="no_record")
    cases.receive(counter, no, ["pension_contribution_record"], now=T)
    answer(counter, no, "pension_contribution_record", "ok", fields=[])
    m = {m.code: m for m in cases.show(counter, no).materials}["pension_contribution_record"]
    assert (m.status, m.share) == ("original", "fetched")


def test_the_fetched_data_is_sealed_and_shown_only_through_an_audited_reveal(counter, db_url):
    from desk_app.services.common import audit

    no = open_retirement(counter).case_no
    secret = "养老保险个人编号 9988776655"
    licence = {"number": "SSC-1", "verification_code": "VC-42", "issued": "2020-01-01"}
    answer(
        counter,
        no,
        "social_security_card",
        "ok",
        fields=[{"key": "no", "label": "编号", "value": secret}],
        licence=licence,
        licence_pdf=PDF,
    )
    with counter.read() as s:
        row = s.get(
            CaseShare, (sharing.jobs(counter, no, retry=True)[0].case_id, "social_security_card")
        )
        assert secret not in (row.data or "") and PDF not in (row.licence or b"")
        calls = s.execute(text("select * from share_calls")).all()
    assert resident_id() not in repr(calls) and secret not in repr(calls)
    before = len(audit.entries(counter, action="share.view"))
    fields, lic, pdf = sharing.reveal(counter, no, "social_security_card")
    assert fields[0]["value"] == secret and lic["verification_code"] == "VC-42" and pdf == PDF
    assert len(audit.entries(counter, action="share.view")) == before + 1
    with pytest.raises(NotFound):
        sharing.reveal(counter, no, "pension_contribution_record")  # nothing fetched


def test_every_answered_call_is_recorded_and_counted(counter):
    a = open_retirement(counter).case_no
    b = open_retirement(counter).case_no
    answer(counter, a, "pension_contribution_record", "ok", fields=[])
    answer(counter, a, "medical_contribution_record", "no_record", reason="no_record")
    answer(counter, b, "pension_contribution_record", "failed", http_status=503)
    answer(counter, b, "pension_contribution_record", "ok", fields=[])
    rows = sharing.calls(counter, b)
    assert [r["outcome"] for r in rows] == ["failed", "ok"]
    assert rows[0]["purpose"].startswith("退休一件事") and rows[0]["http_status"] == 503
    by_res = {r["key"]: r for r in sharing.stats(counter, "resource")}
    assert by_res["hrss.pension_contribution"] == {
        "key": "hrss.pension_contribution",
        "calls": 3,
        "ok": 2,
        "no_record": 0,
        "failed": 1,
        "materials_saved": 2,
    }
    assert by_res["medical_insurance.enrolment"]["no_record"] == 1
    by_dep = {r["key"]: r for r in sharing.stats(counter, "department")}
    assert by_dep["hrss"]["calls"] == 3 and by_dep["medical_insurance"]["calls"] == 1
    by_day = sharing.stats(counter, "day")
    assert [r["key"] for r in by_day] == ["2026-09-24"] and by_day[0]["calls"] == 4
    day = T.date()
    assert (
        sharing.stats(counter, "resource", day + timedelta(days=1), day + timedelta(days=2)) == []
    )


def test_the_reform_figures_count_fetched_materials_and_cases_that_fell_back(counter):
    a = open_retirement(counter).case_no
    b = open_retirement(counter).case_no
    for no, outcome in ((a, "ok"), (b, "no_record")):
        for code in RETIREMENT_SHARED:
            answer(counter, no, code, outcome, fields=[], reason="no_record")
    paper = ["application_form", "id_card", "personnel_file", "housing_fund_bank_card"]
    for no in (a, b):
        extra = list(RETIREMENT_SHARED) if no == b else []
        cases.receive(counter, no, paper + extra, now=T)
        cases.decide(counter, no, "accept", now=T)
        cases.conclude(counter, no, now=T)
    rep = reform.reform(counter)
    r = {x.code: x for x in rep.bundles}["retirement"]
    assert (r.shared, r.fell_back) == (3, 1)
    assert r.measured["materials"] == (4 + 7) / 2  # fetched ones are not paper
    assert rep.share_calls == 6 and rep.share_saved == 3
    assert rep.to_json()["sharing"] == {"calls": 6, "materials_saved": 3}


def test_the_retention_purge_removes_what_sharing_returned_and_keeps_the_calls(counter):
    from desk_app.sync.retention import purge_personal_data

    no = open_retirement(counter).case_no
    answer(counter, no, "social_security_card", "ok", fields=[], licence_pdf=PDF)
    cases.decide(counter, no, "reject", reason="不属于本中心受理范围", now=T)
    assert purge_personal_data(counter, 30, now=T + timedelta(days=60)).purged == 1
    with counter.read() as s:
        row = s.scalar(select(CaseShare).where(CaseShare.material_code == "social_security_card"))
        n_calls = len(s.scalars(select(ShareCall)).all())
    assert (row.data, row.licence) == (None, None) and row.purged_at is not None
    assert n_calls == 1
    assert sharing.jobs(counter, no, retry=True) == []


def test_a_key_rotation_reseals_what_sharing_returned(counter, tmp_path, monkeypatch):
    from desk_app.security.crypto import bytes_key_id
    from desk_app.security.keys import create_key_file
    from desk_app.services.accounts import key_rotation
    from desk_app.services.common import protection

    path = tmp_path / "keys" / "hall.key"
    create_key_file(path)
    monkeypatch.delenv("DESK_APP_KEY", raising=False)
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(path))
    protection.reset()
    try:
        no = open_retirement(counter).case_no
        fields = [{"key": "no", "label": "编号", "value": "9988"}]
        answer(counter, no, "social_security_card", "ok", fields=fields, licence_pdf=PDF)
        with counter.read() as s:
            row = s.scalar(select(CaseShare).where(CaseShare.state == "fetched"))
            assert protection.cipher().key_id_of(row.data) == "k1"
        key_rotation.rotate_key(counter)
        protection.reset()
        with counter.read() as s:
            row = s.scalar(select(CaseShare).where(CaseShare.state == "fetched"))
            assert protection.cipher().key_id_of(row.data) == "k2"
            assert bytes_key_id(row.licence) == "k2"
        got, _lic, pdf = sharing.reveal(counter, no, "social_security_card")
        assert got == fields and pdf == PDF
    finally:
        protection.reset()
