"""Online applications (网办件): the citizen applies (no token), the hall pulls its applications
by cursor, fetches the files and reports each step once, and the citizen follows the state
with the query code. Personal data is sealed at rest and never logged."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
import requests
from sqlalchemy import create_engine, inspect, text

from central_ref import applications
from central_ref.appointments import CODE_ALPHABET
from central_ref.sealing import PREFIX
from tests.central_ref.conftest import AUDITOR, AUDITOR_TOKEN
from tests.ids import credit_code, mistyped, resident_id

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

HALL_A = {"Authorization": "Bearer t4"}  # hall-a/pc1
HALL_A2 = {"Authorization": "Bearer t5"}  # hall-a/pc2: the same hall
OTHER = {"Authorization": "Bearer t2"}  # ws02: another hall
SUBMIT = "/public/v1/halls/hall-a/applications"
LIST = "/api/v1/applications"
NAME = "王芳芳"
ID = resident_id("37020219900101122")
OTHER_ID = resident_id("37020319851224301")  # fails the credit code's check too
USCC = credit_code("91370200MA3C00000")
PHONE = "13912345678"
FILE_NAME = "出生医学证明-王芳芳.pdf"
PDF = b"%PDF-1.4\n" + b"secret-scan-" * 40 + b"\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
AT = "2026-03-02T10:00:00+08:00"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def application(**overrides) -> dict:
    body = {
        "bundle": "newborn",
        "mode": "online",
        "applicant": {"kind": "person", "name": NAME, "id": ID, "phone": PHONE},
        "answers": {"married": "yes", "hukou_place": "local"},
        "materials": [
            {"code": "birth_certificate", "file": {"name": FILE_NAME, "content_base64": b64(PDF)}},
            {"code": "delivery_record", "resource": "health.delivery_record"},
            {"code": "photo", "file": {"name": "photo.png", "content_base64": b64(PNG)}},
        ],
    }
    body.update(overrides)
    return body


def submit(client, body: dict | None = None, hall: str = "hall-a"):
    response = client.post(f"/public/v1/halls/{hall}/applications", json=body or application())
    assert response.status_code == 201, response.text
    return response.json()


def state(client, app_id: str, seq: int, name: str, headers=HALL_A, **extra):
    body = {"seq": seq, "state": name, "at": AT, **extra}
    return client.post(f"{LIST}/{app_id}/states", json=body, headers=headers)


def test_a_submitted_application_reaches_its_hall_with_files_and_data(client):
    answer = submit(client)
    assert set(answer) == {"id", "code", "received_at"}
    assert len(answer["code"]) == 10 and set(answer["code"]) <= set(CODE_ALPHABET)
    assert answer["received_at"].endswith("Z")
    page = client.get(LIST, headers=HALL_A).json()
    assert page["next"] is None and len(page["applications"]) == 1
    item = page["applications"][0]
    assert item["id"] == answer["id"] and item["seq"] >= 1
    assert item["bundle"] == "newborn" and item["mode"] == "online"
    assert item["applicant"] == {"kind": "person", "name": NAME, "id": ID, "phone": PHONE}
    assert item["answers"] == {"married": "yes", "hukou_place": "local"}
    assert item["received_at"] == answer["received_at"]
    assert item["materials"] == [
        {"index": 0, "code": "birth_certificate",
         "file": {"name": FILE_NAME, "sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF)}},
        {"index": 1, "code": "delivery_record", "resource": "health.delivery_record"},
        {"index": 2, "code": "photo",
         "file": {"name": "photo.png", "sha256": hashlib.sha256(PNG).hexdigest(), "size": len(PNG)}},
    ]  # fmt: skip
    for index, data, kind in ((0, PDF, "application/pdf"), (2, PNG, "image/png")):
        for headers in (HALL_A, HALL_A2):  # any PC of the hall
            got = client.get(f"{LIST}/{answer['id']}/files/{index}", headers=headers)
            assert got.status_code == 200 and got.content == data
            assert got.headers["content-type"] == kind
            assert hashlib.sha256(got.content).hexdigest() == hashlib.sha256(data).hexdigest()
    assert client.get(f"{LIST}/{answer['id']}/files/1", headers=HALL_A).status_code == 404
    for missing in ("3", "31", str(2**70), "-1"):
        got = client.get(f"{LIST}/{answer['id']}/files/{missing}", headers=HALL_A)
        assert got.status_code == 404
    assert client.get(f"{LIST}/{'x' * 100}/files/0", headers=HALL_A).status_code == 404


def test_a_company_applies_with_its_credit_code(sqlite_client):
    company = {"kind": "company", "name": "青岛海润科技有限公司", "id": USCC.lower()}
    submit(sqlite_client, application(applicant=company, mode="pickup", materials=[]))
    item = sqlite_client.get(LIST, headers=HALL_A).json()["applications"][0]
    assert item["applicant"] == {**company, "id": USCC, "phone": None}
    assert item["mode"] == "pickup" and item["materials"] == []


def test_another_hall_sees_nothing_and_auditors_are_refused(client):
    answer = submit(client)
    app_id = answer["id"]
    assert client.get(LIST, headers=OTHER).json() == {"applications": [], "next": None}
    assert client.get(f"{LIST}/{app_id}/files/0", headers=OTHER).status_code == 404
    refused = state(client, app_id, 1, "received", headers=OTHER)
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    for response in (
        client.get(LIST, headers=AUDITOR),
        client.get(f"{LIST}/{app_id}/files/0", headers=AUDITOR),
        state(client, app_id, 1, "received", headers=AUDITOR),
    ):
        assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert client.get(LIST).status_code == 401
    assert state(client, "no-such-id", 1, "received").status_code == 404
    view = client.get(f"/public/v1/applications/{app_id}", params={"code": answer["code"]})
    assert view.json()["state"] == "submitted"  # nothing of the refused reports


def test_each_report_is_recorded_once_and_the_citizen_follows_them(client):
    answer = submit(client, application(mode="pickup"))
    app_id, code = answer["id"], answer["code"]
    assert state(client, app_id, 1, "received").json() == {"recorded": True}
    again = state(client, app_id, 1, "rejected", reason="另一个答复")  # same seq: the first wins
    assert again.status_code == 200 and again.json() == {"recorded": False}
    missing = ["户口簿", "结婚证"]
    notice = state(client, app_id, 2, "notice", reason="缺少材料", missing=missing, headers=HALL_A2)
    assert notice.json() == {"recorded": True}
    pickup = {"date": "2026-03-05", "start": "09:30"}
    assert state(client, app_id, 4, "pickup_booked", pickup=pickup).json()["recorded"]
    assert state(client, app_id, 3, "accepted").json()["recorded"]  # late: state stays seq 4's
    view = client.get(f"/public/v1/applications/{app_id}", params={"code": code})
    assert view.status_code == 200
    body = view.json()
    assert set(body) == {"id", "bundle", "mode", "state", "received_at", "events"}
    assert body["state"] == "pickup_booked" and body["mode"] == "pickup"
    assert [e["state"] for e in body["events"]] == ["received", "notice", "accepted",
                                                    "pickup_booked"]  # fmt: skip
    assert body["events"][0] == {"state": "received", "at": "2026-03-02T02:00:00Z",
                                 "reason": None, "missing": None, "pickup": None}  # fmt: skip
    assert body["events"][1]["reason"] == "缺少材料" and body["events"][1]["missing"] == missing
    assert body["events"][3]["pickup"] == pickup
    for secret in (NAME, ID, PHONE, FILE_NAME):
        assert secret not in view.text
    assert client.get(f"/public/v1/applications/{app_id}", params={"code": code.lower()}).is_success
    for wrong in ("2" * 10, code[:-1], ""):
        missed = client.get(f"/public/v1/applications/{app_id}", params={"code": wrong})
        assert missed.status_code in (404, 422) and NAME not in missed.text
    other = submit(client)
    assert client.get(f"/public/v1/applications/{other['id']}",
                      params={"code": code}).status_code == 404  # fmt: skip


def test_the_hall_pages_through_its_applications_oldest_first(sqlite_client):
    ours = []
    for i in range(5):
        ours.append(submit(sqlite_client)["id"])
        if i % 2:
            submit(sqlite_client, hall="ws02")  # another hall's, between them
    seen, after, pages = [], 0, 0
    while True:
        page = sqlite_client.get(LIST, params={"after": after, "limit": 2}, headers=HALL_A).json()
        pages += 1
        seen += [a["id"] for a in page["applications"]]
        seqs = [a["seq"] for a in page["applications"]]
        assert seqs == sorted(seqs) and all(s > after for s in seqs)
        if page["next"] is None:
            break
        assert page["next"] == seqs[-1]
        after = page["next"]
    assert seen == ours and pages == 3
    other = sqlite_client.get(LIST, headers=OTHER).json()["applications"]
    assert len(other) == 2 and not set(a["id"] for a in other) & set(ours)
    full = sqlite_client.get(LIST, params={"limit": 5}, headers=HALL_A).json()
    assert full["next"] == full["applications"][-1]["seq"]  # a full page: ask once more
    assert sqlite_client.get(LIST, params={"after": full["next"]}, headers=HALL_A).json() == {
        "applications": [],
        "next": None,
    }


def _material(**file) -> list[dict]:
    return [{"code": "m", "file": {"name": "a.pdf", "content_base64": b64(PDF)} | file}]


@pytest.mark.parametrize(
    "change",
    [
        {"bundle": "New-Born"},
        {"bundle": "x" * 65},
        {"mode": "post"},
        {"applicant": {"kind": "person", "name": NAME, "id": mistyped(ID)}},
        {"applicant": {"kind": "company", "name": NAME, "id": OTHER_ID}},  # not a credit code
        {"applicant": {"kind": "person", "name": NAME, "id": ID[:17]}},
        {"applicant": {"kind": "person", "name": "  ", "id": ID}},
        {"applicant": {"kind": "person", "name": "x" * 101, "id": ID}},
        {"applicant": {"kind": "person", "name": NAME, "id": ID, "phone": "2391234567"}},
        {"applicant": {"kind": "person", "name": NAME, "id": ID, "phone": "139123456789"}},
        {"answers": {f"q{i}": "yes" for i in range(51)}},
        {"answers": {"married": "Yes!"}},
        {"materials": [{"code": "m", "resource": "health.delivery_record"}] * 31},
        {"materials": [{"code": "m"}]},
        {"materials": [{"code": "m", "resource": "health.delivery_record"} | _material()[0]]},
        {"materials": [{"code": "m", "resource": "health.nothing"}]},
        {"materials": [{"code": "M 1", "resource": "health.delivery_record"}]},
        {"materials": _material(content_base64="not base64!")},
        {"materials": _material(content_base64=b64(b"plain text, not a scan"))},
        {"materials": _material(content_base64=b64(b"%PDF-" + bytes(10 * 1024 * 1024)))},
        {"materials": _material(name="")},
    ],
)
def test_bad_applications_are_422_without_echoing_them(sqlite_client, change):
    response = sqlite_client.post(SUBMIT, json=application(**change))
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    assert ID not in response.text and ID[:17] not in response.text
    assert sqlite_client.get(LIST, headers=HALL_A).json()["applications"] == []


def test_files_are_limited_in_all_and_bodies_in_size(sqlite_client, monkeypatch):
    monkeypatch.setattr(applications, "MAX_TOTAL_BYTES", 2 * len(PDF))
    three = _material() * 3
    response = sqlite_client.post(SUBMIT, json=application(materials=three))
    assert response.status_code == 422 and "in all" in response.text
    assert sqlite_client.post(SUBMIT, json=application(materials=three[:2])).status_code == 201
    monkeypatch.setattr(applications, "MAX_BODY_BYTES", 1000)
    too_large = sqlite_client.post(SUBMIT, json=application(materials=three[:2]))
    assert too_large.status_code == 413 and too_large.json()["error"] == "too_large"
    streamed = sqlite_client.post(SUBMIT, content=iter([b"{" + b" " * 3000 + b"}"]))
    assert streamed.status_code == 413
    for bad in (b"{", b"\xff\xfe", b"[]", b"null"):
        assert sqlite_client.post(SUBMIT, content=bad).status_code == 422


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 0},
        {"seq": "one"},
        {"state": "approved"},
        {"at": "yesterday"},
        {"reason": "x" * 501},
        {"reason": "  "},
        {"missing": ["户口簿"] * 51},
        {"missing": [""]},
        {"pickup": {"date": "2026-03-05", "start": "9:30"}},
        {"pickup": {"date": "2026-02-30", "start": "09:30"}},
    ],
)
def test_bad_reports_are_422_and_change_nothing(sqlite_client, change):
    app_id = submit(sqlite_client)["id"]
    body = {"seq": 1, "state": "accepted", "at": AT} | change
    response = sqlite_client.post(f"{LIST}/{app_id}/states", json=body, headers=HALL_A)
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"
    assert state(sqlite_client, app_id, 1, "received").json() == {"recorded": True}


def _dump(store) -> str:
    """Every row of the applications' tables as text (what a stolen database shows)."""
    engine = create_engine(store.url)
    out = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            if table.startswith("online_application"):
                out += [repr(tuple(row)) for row in conn.execute(text(f"SELECT * FROM {table}"))]
    engine.dispose()
    return "\n".join(out)


def test_personal_data_and_files_are_sealed_at_rest(client):
    answer = submit(client)
    reason = "申请人王芳芳的材料不全"
    assert state(client, answer["id"], 1, "notice", reason=reason).json()["recorded"]
    dump = _dump(client.app.state.store)
    for secret in (NAME, ID, PHONE, FILE_NAME, reason, "secret-scan", "hukou_place", "married"):
        assert secret not in dump
    assert PREFIX in dump and answer["code"] not in dump
    plain = {hashlib.sha256(v.encode()).hexdigest() for v in (ID, f"person:{ID}")}
    assert not any(p in dump for p in plain)  # the applicant's key is keyed, not a plain hash


def test_the_sqlite_file_holds_no_personal_data(tmp_path):
    from starlette.testclient import TestClient

    from central_ref.app import create_app

    path = tmp_path / "c.db"
    app = create_app(f"sqlite:///{path}", {"hall-a/pc1=t4"})
    with TestClient(app) as client:
        app_id = submit(client)["id"]
        assert state(client, app_id, 1, "rejected", reason="王芳芳不符合条件").json()["recorded"]
    app.state.store.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("c.db"))
    assert raw  # the database and its WAL, if any
    for secret in (NAME, ID, PHONE, FILE_NAME, "王芳芳不符合条件", "secret-scan"):
        assert secret.encode() not in raw


def test_injected_faults_hit_the_applications_posts(tmp_path):
    from starlette.testclient import TestClient

    from central_ref.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", {"hall-a/pc1=t4"}, fail_rate=1.0,
                     fault_modes=["error"])  # fmt: skip
    with TestClient(app) as client:
        for response in (
            client.post(SUBMIT, json=application()),
            client.post(
                f"{LIST}/x/states", json={"seq": 1, "state": "received", "at": AT}, headers=HALL_A
            ),  # fmt: skip
        ):
            assert response.status_code == 503 and response.json()["error"] == "unavailable"
        assert client.get(LIST, headers=HALL_A).json() == {"applications": [], "next": None}
    app.state.store.dispose()


def test_application_submit_command(tmp_path, capsys, monkeypatch):
    from central_ref.cli import main

    db = f"sqlite:///{tmp_path / 'c.db'}"
    path = tmp_path / "application.json"
    path.write_text(json.dumps(application(), ensure_ascii=False), encoding="utf-8")
    assert main(["application-submit", "--db", db, "--hall", "hall-a", "--file", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"id", "code", "received_at"}
    bad = application(applicant={"kind": "person", "name": NAME, "id": mistyped(ID)})
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert main(["application-submit", "--db", db, "--hall", "hall-a", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "applicant" in err and ID[:10] not in err
    assert main(["application-submit", "--db", db, "--hall", "a/b", "--file", str(path)]) == 2
    assert main(["application-submit", "--db", db, "--hall", "h", "--file", "nofile"]) == 2
    from starlette.testclient import TestClient

    from central_ref.app import create_app

    app = create_app(db, {"hall-a/pc1=t4"})
    with TestClient(app) as client:
        items = client.get(LIST, headers=HALL_A).json()["applications"]
        assert [a["id"] for a in items] == [printed["id"]]
        view = client.get(f"/public/v1/applications/{printed['id']}",
                          params={"code": printed["code"]})  # fmt: skip
        assert view.json()["state"] == "submitted"
    app.state.store.dispose()


def test_applications_on_a_running_server(start_server):
    server = start_server(
        "--token", "ws02=ws-secret-2", "--auditor-token", AUDITOR_TOKEN, "--log-level", "debug",
        token="hall-a/pc1=ws-secret-1",
    )  # fmt: skip
    hall = {"Authorization": "Bearer ws-secret-1"}
    posted = requests.post(f"{server.url}{SUBMIT}", json=application(), timeout=30)
    assert posted.status_code == 201
    answer = posted.json()
    page = requests.get(f"{server.url}{LIST}", headers=hall, timeout=10).json()
    assert [a["id"] for a in page["applications"]] == [answer["id"]]
    assert page["applications"][0]["applicant"]["id"] == ID
    got = requests.get(f"{server.url}{LIST}/{answer['id']}/files/0", headers=hall, timeout=10)
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"
    other = {"Authorization": "Bearer ws-secret-2"}
    assert (
        requests.get(f"{server.url}{LIST}", headers=other, timeout=10).json()["applications"] == []
    )
    report = {"seq": 1, "state": "concluded", "at": AT, "reason": "王芳芳的申请已办结"}
    url = f"{server.url}{LIST}/{answer['id']}/states"
    assert requests.post(url, json=report, headers=hall, timeout=10).json() == {"recorded": True}
    assert requests.post(url, json=report, headers=hall, timeout=10).json() == {"recorded": False}
    view = requests.get(f"{server.url}/public/v1/applications/{answer['id']}",
                        params={"code": answer["code"]}, timeout=10).json()  # fmt: skip
    assert view["state"] == "concluded" and len(view["events"]) == 1
    log = server.log()
    assert f"application {answer['id']} for hall-a received" in log
    assert f"application {answer['id']}: concluded reported by hall-a/pc1" in log
    for secret in (NAME, ID, ID[:17], PHONE, FILE_NAME, "王芳芳的申请已办结", "ws-secret-1"):
        assert secret not in log
