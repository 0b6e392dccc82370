"""The platform's data-sharing gateway (数据共享交换): a hall asks a department's resource about a
person or a company (``POST /api/v1/share/{resource}``); records are found by a keyed lookup
and sealed, and every call is recorded without personal data."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import create_engine, text

from central_ref.app import create_app
from central_ref.sealing import PREFIX
from central_ref.share_resources import RESOURCES, masked, resources_for
from central_ref.share_store import seed
from tests.central_ref.conftest import AUDITOR, AUDITOR_TOKEN, AUTH, ROOT
from tests.ids import credit_code, mistyped, resident_id

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

SHARE = "/api/v1/share"
NAME = "王芳"
ID = resident_id("37020219900101122")
OTHER_ID = resident_id("37020319851224301")
COMPANY = "青岛海润科技有限公司"
USCC = credit_code("91370200MA3C00000")
BIRTH = "health.birth_medical_certificate"
RETIRE = "hrss.retirement_approval"
BUSINESS = "market_regulation.business_licence"
PURPOSE = "新生儿出生一件事:户口登记"
NOW = "2026-03-02T10:00:00+08:00"
WS1 = "tok-" + hashlib.sha256(b"t1").hexdigest()[:12]  # the name of the bare token t1

EXPECTED = {  # the codes the desk's catalog refers to; "!" marks a licence
    "health": "birth_medical_certificate! delivery_record death_medical_certificate! "
              "vaccination_record",
    "public_security": "household id_photo driving_licence! vehicle_licence! residence_permit! "
                       "traffic_accident_record",
    "civil_affairs": "marriage! low_income funeral family_finances",
    "hrss": "pension_contribution social_insurance_record retirement_approval work_ability "
            "occupational_annuity social_security_card! employment_registration",
    "medical_insurance": "enrolment assistance",
    "natural_resources": "property!",
    "market_regulation": "business_licence! enterprise_publicity",
    "tax": "tax_records",
    "housing_fund": "account",
    "disabled_federation": "disability_certificate!",
    "education": "student_record degree",
    "veterans": "service_record",
    "transport": "road_transport_certificate! driver_qualification! vehicle_inspection",
    "housing": "sale_contract_filing rental_filing fire_acceptance drawing_review worker_payroll",
    "development_reform": "project_approval",
    "ecology_environment": "discharge_permit!",
    "utilities": "settlement",
}  # fmt: skip


def _app(url: str, **share):
    return create_app(url, {"t1", "ws02=t2"}, auditor_tokens=[AUDITOR_TOKEN], **share)


@pytest.fixture
def make_client():
    from starlette.testclient import TestClient

    apps = []

    def make(url: str, **share):
        app = _app(url, **share)
        apps.append(app)
        return TestClient(app)

    yield make
    for app in apps:
        app.state.store.dispose()


@pytest.fixture
def client(db_url, make_client):
    return make_client(db_url)


def _ask(client, resource: str, subject_id: str = ID, kind: str = "person", **body):
    payload = {"subject": {"kind": kind, "id": subject_id}, "case": "NB-20260302-0001"}
    payload |= {"purpose": PURPOSE, "material": "M01"} | body
    return client.post(f"{SHARE}/{resource}", json=payload, headers=AUTH)


def _raw(client, sql: str) -> list[tuple]:
    engine = create_engine(client.app.state.store.url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows


def _calls(client) -> list[tuple]:
    return _raw(
        client,
        "SELECT workstation, resource, case_ref, purpose, material, outcome, duration_ms "
        "FROM share_calls ORDER BY id",
    )


def test_the_registry_has_the_catalogs_codes(sqlite_client):
    listed = sqlite_client.get(f"{SHARE}/resources", headers=AUTH)
    assert listed.status_code == 200
    resources = {r["code"]: r for r in listed.json()["resources"]}
    expected = {
        f"{d}.{n.rstrip('!')}": "licence" if n.endswith("!") else "data"
        for d, names in EXPECTED.items()
        for n in names.split()
    }
    assert {code: r["kind"] for code, r in resources.items()} == expected
    assert len({r["department"] for r in resources.values()}) == 17
    for code, r in resources.items():
        assert r["department"] == code.split(".")[0] and r["department_name"].strip()
        assert r["name"] == RESOURCES[code].name and r["name_en"].isascii()
        assert 3 <= len(r["fields"]) <= 8 and set(r["subjects"]) <= {"person", "company"}
        assert all(f["key"] and f["label"] for f in r["fields"])
    assert resources["hrss.retirement_approval"]["name"] == "退休审批"
    assert resources[BIRTH]["department_name"] == "市卫生健康委"
    assert resources[BUSINESS]["subjects"] == ["company"]
    assert sqlite_client.get(f"{SHARE}/resources", headers=AUDITOR).status_code == 200


def test_a_licence_comes_with_its_fields_and_a_real_pdf(client, tmp_path, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.setenv("DESK_APP_NOW", NOW)
    assert seed(client.app.state.store, "person", ID, NAME, [BIRTH]) == 1
    response = _ask(client, BIRTH)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["resource"], body["department"], body["name"], body["kind"]) == (
        BIRTH, "health", "出生医学证明", "licence",
    )  # fmt: skip
    assert body["fetched_at"] == "2026-03-02T02:00:00Z"
    assert [f["key"] for f in body["fields"]] == [f.key for f in RESOURCES[BIRTH].fields]
    fields = {f["key"]: f for f in body["fields"]}
    assert fields["mother"] == {"key": "mother", "label": "母亲姓名", "value": NAME}
    assert fields["hospital"]["value"].endswith("医院")
    licence = body["licence"]
    assert len(licence["verification_code"]) == 16 and licence["number"]
    assert licence["issued"] == fields["born"]["value"] <= "2026-03-02"
    pdf = base64.b64decode(licence["pdf_base64"])
    assert pdf.startswith(b"%PDF") and len(pdf) < 200_000  # a subset of the 3 MB font
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        shown = done.stdout.decode("utf-8")
        for expected in ("出生医学证明", licence["verification_code"], licence["number"], NAME):
            assert expected in shown
        assert masked(ID) in shown and ID not in shown
    # The same subject asked again: the same record.
    again = _ask(client, BIRTH).json()
    assert again["fields"] == body["fields"] and again["licence"]["number"] == licence["number"]


def test_data_and_company_resources(client):
    store = client.app.state.store
    seed(store, "person", ID, NAME, [RETIRE])
    data = _ask(client, RETIRE)
    assert data.status_code == 200 and data.json()["licence"] is None
    assert data.json()["fields"][0]["value"] == NAME
    assert seed(store, "company", USCC, COMPANY) == len(resources_for("company"))
    licence = _ask(client, BUSINESS, USCC, "company")
    assert licence.status_code == 200, licence.text
    assert licence.json()["fields"][0] == {"key": "name", "label": "名称", "value": COMPANY}
    assert licence.json()["licence"]["pdf_base64"]


def test_a_subject_without_a_record_is_no_record(client):
    seed(client.app.state.store, "person", ID, NAME, [RETIRE])
    for resource, subject in ((RETIRE, OTHER_ID), (BIRTH, ID)):
        response = _ask(client, resource, subject)
        assert response.status_code == 404 and response.json()["error"] == "no_record"
        assert ID not in response.text and OTHER_ID not in response.text
    assert [c[5] for c in _calls(client)] == ["no_record", "no_record"]


def test_an_unknown_resource_is_not_recorded(sqlite_client, caplog):
    caplog.set_level(logging.DEBUG)
    response = _ask(sqlite_client, "health.no_such_thing")
    assert response.status_code == 404 and response.json()["error"] == "unknown_resource"
    assert _calls(sqlite_client) == []
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("central_ref")]
    assert ours and not any("no_such_thing" in m for m in ours)  # its code could be anything


@pytest.mark.parametrize(
    "change",
    [
        {"case": None},
        {"purpose": None},
        {"subject": None},
        {"case": ""},
        {"purpose": "   "},
        {"purpose": "户口\n登记"},
        {"case": "x" * 65},
        {"purpose": "办" * 201},
        {"material": ""},
        {"subject": {"kind": "person"}},
        {"subject": {"kind": "alien", "id": ID}},
        {"subject": {"kind": "person", "id": ID[:17]}},
        {"subject": {"kind": "person", "id": mistyped(ID)}},
        {"subject": ID},
        {"purpose": f"为{ID}办理"},  # a purpose may not carry the ID into the call log
        {"case": ID.lower()},
    ],
)
def test_a_malformed_call_is_422_and_recorded_as_invalid(sqlite_client, change):
    seed(sqlite_client.app.state.store, "person", ID, NAME, [RETIRE])
    payload = {"subject": {"kind": "person", "id": ID}, "case": "c1", "purpose": "p"}
    payload |= change
    payload = {k: v for k, v in payload.items() if v is not None}
    response = sqlite_client.post(f"{SHARE}/{RETIRE}", json=payload, headers=AUTH)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_request" and body["detail"][0]["loc"][0] == "body"
    assert ID not in response.text and ID[:17] not in response.text
    ((workstation, resource, *personal, outcome, _duration),) = _calls(sqlite_client)
    assert (workstation, resource, outcome) == (WS1, RETIRE, "invalid")
    assert personal == [None, None, None]  # nothing of an invalid body is kept


def test_a_body_that_is_not_an_object_is_422(sqlite_client):
    for body in ([], "x", None):
        response = sqlite_client.post(f"{SHARE}/{RETIRE}", json=body, headers=AUTH)
        assert response.status_code == 422 and response.json()["error"] == "invalid_request"


def test_a_subject_kind_the_resource_does_not_take_is_422(sqlite_client):
    seed(sqlite_client.app.state.store, "company", USCC, COMPANY)
    response = _ask(sqlite_client, RETIRE, USCC, "company")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "subject", "kind"]
    response = _ask(sqlite_client, BUSINESS, ID, "person")
    assert response.status_code == 422
    assert [c[5] for c in _calls(sqlite_client)] == ["invalid", "invalid"]


def test_a_department_down_answers_503_and_faults_change_at_runtime(make_client, sqlite_url):
    client = make_client(sqlite_url, share_down=[RETIRE], share_no_record=[f"{BIRTH}"])
    seed(client.app.state.store, "person", ID, NAME, [RETIRE, BIRTH])
    down = _ask(client, RETIRE)
    assert down.status_code == 503 and down.json()["error"] == "resource_unavailable"
    assert int(down.headers["retry-after"]) > 0
    hidden = _ask(client, BIRTH)  # seeded, but the department answers no record to anyone
    assert hidden.status_code == 404 and hidden.json()["error"] == "no_record"
    faults = f"{SHARE}/_faults"
    assert client.post(faults, json={"down": []}, headers=AUTH).status_code == 403
    bad = client.post(faults, json={"down": ["tax.nothing"]}, headers=AUDITOR)
    assert bad.status_code == 422
    changed = client.post(faults, json={"down": [BIRTH], "latency_ms": 200}, headers=AUDITOR)
    assert changed.json() == {"down": [BIRTH], "no_record": [BIRTH], "latency_ms": 200}
    started = time.monotonic()
    assert _ask(client, RETIRE).status_code == 200
    assert time.monotonic() - started >= 0.2
    assert _ask(client, BIRTH).status_code == 503
    outcomes = [(c[1], c[5]) for c in _calls(client)]
    assert outcomes == [(RETIRE, "refused"), (BIRTH, "no_record"), (RETIRE, "ok"),
                        (BIRTH, "refused")]  # fmt: skip
    assert _calls(client)[2][6] >= 200  # the department's delay is the call's duration
    with pytest.raises(ValueError, match="unknown resource"):
        _app(sqlite_url, share_down=["nope.nothing"])


def test_only_workstations_ask_and_only_auditors_count(sqlite_client, monkeypatch):
    monkeypatch.setenv("DESK_APP_NOW", NOW)
    seed(sqlite_client.app.state.store, "person", ID, NAME, [RETIRE])
    payload = {"subject": {"kind": "person", "id": ID}, "case": "c1", "purpose": "p"}
    auditor = sqlite_client.post(f"{SHARE}/{RETIRE}", json=payload, headers=AUDITOR)
    assert auditor.status_code == 403 and auditor.json()["error"] == "forbidden"
    assert sqlite_client.post(f"{SHARE}/{RETIRE}", json=payload).status_code == 401
    _ask(sqlite_client, RETIRE)
    _ask(sqlite_client, RETIRE, OTHER_ID)
    calls = f"{SHARE}/calls?from=2026-03-02&to=2026-03-02"
    assert sqlite_client.get(calls, headers=AUTH).status_code == 403
    counted = sqlite_client.get(calls, headers=AUDITOR)
    assert counted.status_code == 200
    assert counted.json() == {
        "from": "2026-03-02",
        "to": "2026-03-02",
        "total": 3,
        "counts": [
            {"resource": RETIRE, "outcome": "no_record", "count": 1},
            {"resource": RETIRE, "outcome": "ok", "count": 1},
            {"resource": RETIRE, "outcome": "refused", "count": 1},
        ],
    }
    other_day = sqlite_client.get(f"{SHARE}/calls?from=2026-03-03&to=2026-03-09", headers=AUDITOR)
    assert other_day.json()["total"] == 0
    backwards = sqlite_client.get(f"{SHARE}/calls?from=2026-03-03&to=2026-03-02", headers=AUDITOR)
    assert backwards.status_code == 422


def test_calls_are_recorded_without_personal_data(make_client, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "c.db"
    client = make_client(f"sqlite:///{db}")
    seed(client.app.state.store, "person", ID, NAME)
    for resource in (BIRTH, RETIRE, "civil_affairs.marriage"):
        assert _ask(client, resource).status_code == 200
    _ask(client, RETIRE, OTHER_ID)
    _ask(client, RETIRE, purpose=f"核验{ID}")
    recorded = _calls(client)
    assert [c[:6] for c in recorded[:2]] == [
        (WS1, BIRTH, "NB-20260302-0001", PURPOSE, "M01", "ok"),
        (WS1, RETIRE, "NB-20260302-0001", PURPOSE, "M01", "ok"),
    ]
    assert [c[5] for c in recorded[2:]] == ["ok", "no_record", "invalid"]
    assert all(c[6] >= 0 for c in recorded)
    calls_dump = json.dumps(_raw(client, "SELECT * FROM share_calls"), default=str)
    records_dump = json.dumps(_raw(client, "SELECT * FROM share_records"), default=str)
    for secret in (ID, ID[:17], OTHER_ID, NAME):
        assert secret not in calls_dump and secret not in records_dump
        assert secret not in caplog.text
    assert f"share {BIRTH} ok for tok-" in caplog.text
    client.app.state.store.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("c.db"))
    for secret in (ID, OTHER_ID, ID[:17]):
        assert secret.encode() not in raw
    assert NAME.encode() not in raw


def test_records_are_sealed_and_bound_to_their_row(client):
    store = client.app.state.store
    seed(store, "person", ID, NAME, [BIRTH, RETIRE])
    seed(store, "person", OTHER_ID, "李强", [RETIRE])
    rows = _raw(client, "SELECT resource, subject_key, content, licence_number FROM share_records")
    assert len(rows) == 3
    for _resource, key, content, _number in rows:
        assert len(key) == 64 and ID not in key
        sealed = content if isinstance(content, dict) else json.loads(content)
        assert set(sealed) == {"sealed"} and sealed["sealed"].startswith(PREFIX)
    assert len({key for _, key, _, _ in rows}) == 2  # one key per subject
    # The keyed lookup is not a plain hash of the ID.
    plain = {hashlib.sha256(v.encode()).hexdigest() for v in (ID, f"person:{ID}")}
    assert not plain & {key for _, key, _, _ in rows}
    # Another subject's sealed content moved onto this subject's row does not open.
    engine = create_engine(store.url)
    with engine.begin() as conn:
        other = conn.execute(text("SELECT content FROM share_records WHERE resource = :r "
                                  "AND subject_key <> (SELECT subject_key FROM share_records "
                                  "WHERE resource = :b)"), {"r": RETIRE, "b": BIRTH}).scalar_one()  # fmt: skip
        conn.execute(
            text("UPDATE share_records SET content = :c WHERE resource = :r AND subject_key = "
                 "(SELECT subject_key FROM share_records WHERE resource = :b)"),
            {"c": other if isinstance(other, str) else json.dumps(other), "r": RETIRE, "b": BIRTH},
        )  # fmt: skip
    engine.dispose()
    with pytest.raises(ValueError):
        _ask(client, RETIRE)


def test_synthetic_mode_answers_any_valid_subject(make_client, sqlite_url):
    client = make_client(sqlite_url, share_synthetic=True, share_no_record=[RETIRE])
    first = _ask(client, BIRTH, OTHER_ID)
    assert first.status_code == 200 and first.json()["licence"]["pdf_base64"]
    again = _ask(client, BIRTH, OTHER_ID)
    assert again.json()["fields"] == first.json()["fields"]  # derived from the ID
    code = first.json()["licence"]["verification_code"]
    assert again.json()["licence"]["verification_code"] == code
    other = _ask(client, BIRTH, ID)
    assert other.json()["fields"] != first.json()["fields"]
    for res in resources_for("person"):
        expected = 404 if res.code == RETIRE else 200
        assert _ask(client, res.code, OTHER_ID).status_code == expected, res.code
    for res in resources_for("company"):
        assert _ask(client, res.code, USCC, "company").status_code == 200, res.code
    assert _ask(client, BIRTH, mistyped(OTHER_ID)).status_code == 422
    assert _raw(client, "SELECT count(*) FROM share_records") == [(0,)]  # made, not stored


def test_injected_server_faults_hit_share_calls(tmp_path):
    from starlette.testclient import TestClient

    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", {"t1"}, fail_rate=1.0,
                     fault_modes=["error"], share_synthetic=True)  # fmt: skip
    with TestClient(app) as client:
        response = _ask(client, RETIRE)
        assert response.status_code == 503 and response.json()["error"] == "unavailable"
        assert client.get(f"{SHARE}/resources", headers=AUTH).status_code == 200
    app.state.store.dispose()


# -- the command ---------------------------------------------------------------------------------


def test_share_seed_prints_the_records_written(tmp_path, capsys, make_client):
    from central_ref.cli import main

    db = f"sqlite:///{tmp_path / 'c.db'}"
    base = ["share-seed", "--db", db, "--subject-kind", "person", "--id", ID, "--name", NAME]
    assert main(base) == 0
    assert json.loads(capsys.readouterr().out) == {"records": len(resources_for("person"))}
    assert main([*base, "--resource", f"{RETIRE},{BIRTH}", "--resource", "tax.tax_records"]) == 0
    assert json.loads(capsys.readouterr().out) == {"records": 3}
    client = make_client(db)
    assert _ask(client, "hrss.work_ability").status_code == 200
    assert _raw(client, "SELECT count(*) FROM share_records") == [(len(resources_for("person")),)]


@pytest.mark.parametrize(
    "bad",
    [
        ["--id", mistyped(ID)],
        ["--id", ID[:17]],
        ["--subject-kind", "company", "--id", mistyped(USCC)],
        ["--resource", "health.nothing"],
        ["--resource", BUSINESS],  # takes companies only
        ["--name", " "],
        ["--subject-kind", "robot"],
    ],
)
def test_share_seed_refuses_bad_input_in_one_line(tmp_path, capsys, bad):
    from central_ref.cli import main

    args = {"--subject-kind": "person", "--id": ID, "--name": NAME}
    extra: list[str] = []
    for key, value in zip(bad[::2], bad[1::2], strict=True):
        if key == "--resource":
            extra += [key, value]
        else:
            args[key] = value
    path = tmp_path / "c.db"
    argv = ["share-seed", "--db", f"sqlite:///{path}", *[x for kv in args.items() for x in kv]]
    assert main([*argv, *extra]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and ID not in err and USCC[:17] not in err


# -- against a real server -----------------------------------------------------------------------


def test_the_gateway_of_a_running_server(start_server, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    seeded = subprocess.run(
        [sys.executable, "-m", "central_ref", "share-seed", "--db", db, "--subject-kind",
         "person", "--id", ID, "--name", NAME, "--resource", RETIRE],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert seeded.returncode == 0 and json.loads(seeded.stdout) == {"records": 1}
    server = start_server(
        "--log-level", "debug", "--auditor-token", AUDITOR_TOKEN, "--share-synthetic",
        "--share-down", "tax.tax_records", "--share-no-record", f"{BIRTH},hrss.work_ability",
        "--share-latency-ms", "50", db=db, token="hall-a/pc1=ws-secret-1",
    )  # fmt: skip
    headers = {"Authorization": "Bearer ws-secret-1"}

    def ask(resource: str, subject: str = ID, kind: str = "person") -> requests.Response:
        body = {"subject": {"kind": kind, "id": subject}, "case": "c-1", "purpose": PURPOSE}
        return requests.post(f"{server.url}{SHARE}/{resource}", json=body, headers=headers,
                             timeout=30)  # fmt: skip

    seeded_answer = ask(RETIRE)
    assert seeded_answer.status_code == 200 and seeded_answer.json()["fields"][0]["value"] == NAME
    licence = ask("civil_affairs.marriage", OTHER_ID)  # synthetic
    assert licence.status_code == 200
    assert base64.b64decode(licence.json()["licence"]["pdf_base64"]).startswith(b"%PDF")
    assert ask(BIRTH).status_code == 404 and ask("hrss.work_ability").status_code == 404
    down = ask("tax.tax_records")
    assert down.status_code == 503 and down.json()["error"] == "resource_unavailable"
    assert ask(BUSINESS, USCC, "company").status_code == 200
    assert ask(RETIRE, USCC, "company").status_code == 422
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    days = {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}
    counts = requests.get(
        f"{server.url}{SHARE}/calls", params=days,
        headers={"Authorization": f"Bearer {AUDITOR_TOKEN}"}, timeout=10,
    )  # fmt: skip
    assert counts.status_code == 200
    assert {(c["resource"], c["outcome"]): c["count"] for c in counts.json()["counts"]} == {
        (RETIRE, "ok"): 1, ("civil_affairs.marriage", "ok"): 1, (BIRTH, "no_record"): 1,
        ("hrss.work_ability", "no_record"): 1, ("tax.tax_records", "refused"): 1,
        (BUSINESS, "ok"): 1, (RETIRE, "invalid"): 1,
    }  # fmt: skip
    log = server.log()
    assert f"share {RETIRE} ok for hall-a/pc1" in log and "tax.tax_records refused" in log
    for secret in (ID, OTHER_ID, USCC, ID[:17], NAME):
        assert secret not in log
    from central_ref.cli import main  # refused before the socket opens

    assert main(["serve", "--port", "0", "--db", db, "--token", "t9", "--share-down", "x.y"]) == 2
