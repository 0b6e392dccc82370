"""12345 work orders (工单): the platform's 12345 desk (an auditor token) dispatches, the hall
pulls its own by cursor and signs, replies or returns each once; the platform takes one answer.
The text, the citizen and the hall's answers are sealed at rest and never logged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, inspect, text

from central_ref.sealing import PREFIX
from tests.central_ref.conftest import AUDITOR, AUDITOR_TOKEN, ROOT

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

HALL_A = {"Authorization": "Bearer t4"}  # hall-a/pc1
HALL_A2 = {"Authorization": "Bearer t5"}  # hall-a/pc2: the same hall
OTHER = {"Authorization": "Bearer t2"}  # ws02: another hall
WO = "/api/v1/workorders"
TEXT = "市民李秀英咨询新生儿出生一件事需要带哪些材料"
CITIZEN = {"name": "李秀英", "phone": "13687654321"}
REPLY = "您好,李秀英女士:请携带出生医学证明和户口簿到窗口办理。"
AT = "2026-03-02T10:00:00+08:00"


def order(**overrides) -> dict:
    body = {"hall": "hall-a", "kind": "consult", "bundle": "newborn", "text": TEXT,
            "citizen": CITIZEN, "deadline": "2026-03-06"}  # fmt: skip
    return body | overrides


def dispatch(client, **overrides) -> dict:
    response = client.post(WO, json=order(**overrides), headers=AUDITOR)
    assert response.status_code == 201, response.text
    return response.json()


def event(client, wo_id: str, seq: int, action: str, headers=HALL_A, **extra):
    body = {"seq": seq, "action": action, "at": AT, **extra}
    return client.post(f"{WO}/{wo_id}/events", json=body, headers=headers)


def test_dispatched_work_orders_are_numbered_per_day_and_reach_their_hall(client, monkeypatch):
    monkeypatch.setenv("DESK_APP_NOW", "2026-03-02T23:59:00+08:00")
    first = dispatch(client)
    assert set(first) == {"id", "number", "dispatched_at"}
    assert first["number"] == "12345-20260302-0001"
    assert first["dispatched_at"] == "2026-03-02T15:59:00Z"
    second = dispatch(client, hall="ws02", kind="complaint", bundle=None, citizen={})
    assert second["number"] == "12345-20260302-0002"
    monkeypatch.setenv("DESK_APP_NOW", "2026-03-03T00:01:00+08:00")
    third = dispatch(client, kind="suggestion", citizen={"phone": "13800138000"})
    assert third["number"] == "12345-20260303-0001"
    page = client.get(WO, headers=HALL_A2).json()
    assert page["next"] is None
    assert [w["id"] for w in page["workorders"]] == [first["id"], third["id"]]
    item = page["workorders"][0]
    assert item == {
        "seq": item["seq"], "id": first["id"], "number": first["number"], "kind": "consult",
        "bundle": "newborn", "text": TEXT, "citizen": CITIZEN, "deadline": "2026-03-06",
        "dispatched_at": first["dispatched_at"],
    }  # fmt: skip
    assert page["workorders"][1]["citizen"] == {"name": None, "phone": "13800138000"}
    others = client.get(WO, headers=OTHER).json()["workorders"]
    assert [w["number"] for w in others] == [second["number"]]
    assert others[0]["bundle"] is None and others[0]["citizen"] == {"name": None, "phone": None}


def test_who_may_do_what(client):
    assert client.post(WO, json=order(), headers=HALL_A).status_code == 403
    wo_id = dispatch(client)["id"]
    for response in (
        client.get(WO, headers=AUDITOR),
        event(client, wo_id, 1, "sign", headers=AUDITOR),
        client.get(f"{WO}/{wo_id}", headers=HALL_A),
    ):
        assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert client.post(WO, json=order()).status_code == 401
    assert client.get(f"{WO}/{wo_id}").status_code == 401
    refused = event(client, wo_id, 1, "reply", headers=OTHER, text="不是我们的")
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    assert event(client, "no-such-id", 1, "sign").status_code == 404
    assert client.get(f"{WO}/no-such-id", headers=AUDITOR).status_code == 404
    detail = client.get(f"{WO}/{wo_id}", headers=AUDITOR).json()
    assert detail["state"] == "dispatched" and detail["events"] == []


def test_the_platform_takes_one_reply(client):
    wo_id = dispatch(client)["id"]
    assert event(client, wo_id, 1, "sign").json() == {"recorded": True}
    assert event(client, wo_id, 1, "sign").json() == {"recorded": False}
    assert client.get(f"{WO}/{wo_id}", headers=AUDITOR).json()["state"] == "signed"
    assert event(client, wo_id, 2, "reply", text=REPLY).json() == {"recorded": True}
    again = event(client, wo_id, 2, "reply", text="另一个答复", headers=HALL_A2)
    assert again.status_code == 200 and again.json() == {"recorded": False}  # first wins
    second = event(client, wo_id, 3, "reply", text="另一个答复")
    assert second.status_code == 409 and second.json()["error"] == "conflict"
    assert event(client, wo_id, 4, "return", reason="不属于本中心").status_code == 409
    assert event(client, wo_id, 5, "sign").json() == {"recorded": True}  # harmless
    detail = client.get(f"{WO}/{wo_id}", headers=AUDITOR).json()
    assert {k: detail[k] for k in ("id", "hall", "kind", "state")} == {
        "id": wo_id, "hall": "hall-a", "kind": "consult", "state": "replied",
    }  # fmt: skip
    assert detail["number"].startswith("12345-")
    assert detail["events"] == [
        {"seq": 1, "action": "sign", "at": "2026-03-02T02:00:00Z", "text": None, "reason": None},
        {"seq": 2, "action": "reply", "at": "2026-03-02T02:00:00Z", "text": REPLY, "reason": None},
        {"seq": 5, "action": "sign", "at": "2026-03-02T02:00:00Z", "text": None, "reason": None},
    ]


def test_a_returned_work_order_takes_no_reply(client):
    wo_id = dispatch(client)["id"]
    returned = event(client, wo_id, 1, "return", reason="属于不动产登记中心")
    assert returned.json() == {"recorded": True}
    assert event(client, wo_id, 1, "return", reason="x").json() == {"recorded": False}
    late = event(client, wo_id, 2, "reply", text=REPLY)
    assert late.status_code == 409 and late.json()["error"] == "conflict"
    detail = client.get(f"{WO}/{wo_id}", headers=AUDITOR).json()
    assert detail["state"] == "returned"
    assert [(e["action"], e["reason"]) for e in detail["events"]] == [
        ("return", "属于不动产登记中心")
    ]


def test_the_hall_pages_through_its_work_orders(sqlite_client):
    ours = []
    for i in range(5):
        ours.append(dispatch(sqlite_client)["id"])
        if i % 2:
            dispatch(sqlite_client, hall="ws02")
    seen, after = [], 0
    while True:
        page = sqlite_client.get(WO, params={"after": after, "limit": 2}, headers=HALL_A).json()
        seen += [w["id"] for w in page["workorders"]]
        if page["next"] is None:
            break
        assert page["next"] == page["workorders"][-1]["seq"]
        after = page["next"]
    assert seen == ours
    assert sqlite_client.get(WO, params={"limit": 0}, headers=HALL_A).status_code == 422


@pytest.mark.parametrize(
    "change",
    [
        {"hall": ""},
        {"hall": "hall-a/pc1"},
        {"hall": "h" * 65},
        {"kind": "praise"},
        {"bundle": "New Born"},
        {"text": ""},
        {"text": "  "},
        {"text": "问" * 2001},
        {"citizen": {"name": "x" * 101}},
        {"citizen": {"phone": "0532-1234567"}},
        {"deadline": "2026-02-30"},
        {"deadline": None},
    ],
)
def test_bad_work_orders_are_422(sqlite_client, change):
    response = sqlite_client.post(WO, json=order(**change), headers=AUDITOR)
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"
    assert TEXT not in response.text


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 0},
        {"action": "close"},
        {"at": "soon"},
        {"action": "reply"},  # without text
        {"action": "reply", "text": "答" * 4001},
        {"action": "return"},  # without a reason
        {"action": "return", "reason": "因" * 501},
    ],
)
def test_bad_events_are_422_and_record_nothing(sqlite_client, change):
    wo_id = dispatch(sqlite_client)["id"]
    body = {"seq": 1, "action": "sign", "at": AT} | change
    response = sqlite_client.post(f"{WO}/{wo_id}/events", json=body, headers=HALL_A)
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"
    assert sqlite_client.get(f"{WO}/{wo_id}", headers=AUDITOR).json()["events"] == []


def test_texts_and_citizens_are_sealed_at_rest(client):
    wo_id = dispatch(client)["id"]
    assert event(client, wo_id, 1, "reply", text=REPLY).json()["recorded"]
    returned = dispatch(client)["id"]
    reason = "李秀英的诉求属于不动产登记中心"
    assert event(client, returned, 1, "return", reason=reason).json()["recorded"]
    engine = create_engine(client.app.state.store.url)
    rows = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            if table.startswith("workorder"):
                rows += [repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {table}"))]
    engine.dispose()
    dump = "\n".join(rows)
    for secret in (TEXT, CITIZEN["name"], CITIZEN["phone"], REPLY, reason):
        assert secret not in dump
    assert PREFIX in dump


def test_injected_faults_hit_the_work_orders_posts(tmp_path):
    from starlette.testclient import TestClient

    from central_ref.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", {"hall-a/pc1=t4"}, fail_rate=1.0,
                     fault_modes=["error"], auditor_tokens=[AUDITOR_TOKEN])  # fmt: skip
    with TestClient(app) as client:
        for response in (
            client.post(WO, json=order(), headers=AUDITOR),
            client.post(
                f"{WO}/x/events", json={"seq": 1, "action": "sign", "at": AT}, headers=HALL_A
            ),  # fmt: skip
        ):
            assert response.status_code == 503 and response.json()["error"] == "unavailable"
        assert client.get(WO, headers=HALL_A).json() == {"workorders": [], "next": None}
    app.state.store.dispose()


def _dispatch_command(db: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "central_ref", "workorder-dispatch", "--db", db, "--hall",
         "hall-a", "--kind", "complaint", "--text", TEXT, "--deadline", "2026-03-06", *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip


def test_workorder_dispatch_command_refuses_bad_input_in_one_line(tmp_path: Path):
    from central_ref.cli import main

    db = f"sqlite:///{tmp_path / 'c.db'}"
    base = ["workorder-dispatch", "--db", db, "--hall", "hall-a", "--text", TEXT]
    for bad in (
        ["--kind", "consult", "--deadline", "2026-03-06", "--citizen-phone", "1368765432"],
        ["--kind", "consult", "--deadline", "tomorrow"],
        ["--kind", "praise", "--deadline", "2026-03-06"],
    ):
        assert main([*base, *bad]) == 2
    assert main([*base, "--kind", "consult", "--deadline", "2026-03-06", "--bundle", "x"]) == 0


def test_work_orders_on_a_running_server_with_faults(start_server, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    made = _dispatch_command(db, "--bundle", "newborn", "--citizen-name", CITIZEN["name"],
                             "--citizen-phone", CITIZEN["phone"])  # fmt: skip
    assert made.returncode == 0, made.stderr
    dispatched = json.loads(made.stdout)
    assert set(dispatched) == {"id", "number", "dispatched_at"}
    server = start_server(
        "--auditor-token", AUDITOR_TOKEN, "--fail-rate", "0.6", "--fault-modes", "drop,error",
        "--seed", "1", db=db, token="hall-a/pc1=ws-secret-1",
    )  # fmt: skip
    hall = {"Authorization": "Bearer ws-secret-1"}
    page = requests.get(f"{server.url}{WO}", headers=hall, timeout=10).json()
    assert [w["id"] for w in page["workorders"]] == [dispatched["id"]]
    assert page["workorders"][0]["citizen"] == CITIZEN
    url = f"{server.url}{WO}/{dispatched['id']}/events"
    answers: dict[int, list[object]] = {}
    for seq, body in ((1, {"action": "sign"}), (2, {"action": "reply", "text": REPLY})):
        for _ in range(30):  # retried with the same seq until an answer arrives
            try:
                response = requests.post(url, json={"seq": seq, "at": AT, **body}, headers=hall,
                                         timeout=10)  # fmt: skip
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                answers.setdefault(seq, []).append("dropped")
                continue
            answers.setdefault(seq, []).append(response.status_code)
            if response.status_code == 200:
                break
    assert answers[1][-1] == 200 and answers[2][-1] == 200
    assert any(a != 200 for a in answers[1] + answers[2])  # the faults did hit these posts
    detail = requests.get(f"{server.url}{WO}/{dispatched['id']}",
                          headers={"Authorization": f"Bearer {AUDITOR_TOKEN}"}, timeout=10).json()  # fmt: skip
    assert detail["state"] == "replied"
    assert [(e["seq"], e["action"]) for e in detail["events"]] == [(1, "sign"), (2, "reply")]
    log = server.log()
    assert "injected fault" in log and f"work order {dispatched['id']}: reply by hall-a/pc1" in log
    for secret in (TEXT, REPLY, CITIZEN["name"], CITIZEN["phone"], "ws-secret-1"):
        assert secret not in log and secret not in made.stderr


def test_racing_replies_on_a_running_server_are_taken_once(start_server, db_url):
    from concurrent.futures import ThreadPoolExecutor

    server = start_server("--auditor-token", AUDITOR_TOKEN, db=db_url,
                          token="hall-a/pc1=ws-secret-1")  # fmt: skip
    auditor = {"Authorization": f"Bearer {AUDITOR_TOKEN}"}
    hall = {"Authorization": "Bearer ws-secret-1"}
    made = requests.post(f"{server.url}{WO}", json=order(), headers=auditor, timeout=10)
    assert made.status_code == 201
    url = f"{server.url}{WO}/{made.json()['id']}/events"

    def reply(seq: int) -> int:
        body = {"seq": seq, "action": "reply", "at": AT, "text": f"{REPLY} {seq}"}
        return requests.post(url, json=body, headers=hall, timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        racing = list(pool.map(reply, [1, 1, 1, 1, 2, 3, 4, 5]))  # seq 1 four times
    assert racing.count(200) + racing.count(409) == 8 and racing.count(200) >= 1
    detail = requests.get(f"{server.url}{WO}/{made.json()['id']}", headers=auditor, timeout=10)
    replies = [e for e in detail.json()["events"] if e["action"] == "reply"]
    assert len(replies) == 1 and detail.json()["state"] == "replied"
    won = replies[0]["seq"]
    assert racing.count(200) == (4 if won == 1 else 1)  # repeats of the winner's seq: 200
