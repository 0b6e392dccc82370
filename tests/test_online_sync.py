"""线上线下融合 against a real ``central-ref serve``: citizens' online applications pulled into
cases and their states reported back once each; 12345 work orders pulled and answered once;
all of it through the platform's faults (desk_app/sync/online_sync.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys

import pytest
import requests
from PIL import Image
from sqlalchemy import select

from desk_app.services.cases import actions as cases
from desk_app.services.cases import online
from desk_app.services.hall import setup as hall
from desk_app.services.workorders import orders as workorders
from desk_app.store.case_models import Case
from desk_app.sync import online_sync
from desk_app.sync.client import CentralClient, CentralError
from desk_app.sync.config import SyncConfig
from tests.ids import resident_id
from tests.test_sync_faults import ROOT, TOKEN, Server
from tests.tools import add_staff

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")
AUDITOR = "audit-1"
# The hall of a bare workstation token is its fingerprint (central_ref.auth.parse_tokens).
HALL = "tok-" + hashlib.sha256(TOKEN.encode()).hexdigest()[:12]


def jpeg_b64() -> str:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, "JPEG")
    return base64.b64encode(buf.getvalue()).decode()


def body(bundle: str = "newborn", mode: str = "online", **kw) -> dict:  # type: ignore[no-untyped-def]
    b = {
        "bundle": bundle,
        "mode": mode,
        "applicant": {"kind": "person", "name": "张三丰", "id": resident_id()},
        "answers": {},
        "materials": [
            {
                "code": "application_form",
                "file": {"name": "form.jpg", "content_base64": jpeg_b64()},
            },
            {"code": "delivery_record", "resource": "health.delivery_record"},
        ],
    }
    b.update(kw)
    return b


@pytest.fixture
def counter(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    return db


@pytest.fixture
def central(tmp_path):
    servers: list[Server] = []

    def start(*args: str) -> Server:
        db = f"sqlite:///{tmp_path / f'central{len(servers)}.db'}"
        servers.append(Server(db, "--auditor-token", f"ops={AUDITOR}", *args))
        return servers[-1]

    yield start
    for s in servers:
        s.stop()


def submit(server: Server, b: dict) -> dict:
    for _ in range(20):  # the platform's own faults hit the citizen too: they retry
        r = requests.post(f"{server.url}/public/v1/halls/{HALL}/applications", json=b, timeout=10)
        if r.status_code == 201:
            return r.json()
    raise AssertionError(f"not submitted: {r.status_code} {r.text[:200]}")


def citizen_view(server: Server, app: dict) -> dict:
    r = requests.get(
        f"{server.url}/public/v1/applications/{app['id']}", params={"code": app["code"]}, timeout=10
    )
    assert r.status_code == 200, r.text
    return r.json()


def dispatch(server: Server, **kw) -> dict:  # type: ignore[no-untyped-def]
    wo = {"hall": HALL, "kind": "consult", "bundle": "newborn", "text": "新生儿落户要带什么?",
          "citizen": {"name": "王五", "phone": "13812345678"}, "deadline": "2099-12-31"} | kw  # fmt: skip
    for _ in range(20):
        r = requests.post(
            f"{server.url}/api/v1/workorders",
            json=wo,
            headers={"Authorization": f"Bearer {AUDITOR}"},
            timeout=10,
        )
        if r.status_code == 201:
            return r.json()
    raise AssertionError(r.text)


def client(server: Server, **kw) -> CentralClient:  # type: ignore[no-untyped-def]
    return CentralClient(SyncConfig(server.url, TOKEN, **kw))


def test_applications_become_cases_once_and_the_citizen_sees_each_state(counter, central):
    server = central()
    first, second = submit(server, body()), submit(server, body(mode="pickup"))
    refused = submit(server, body(bundle="no_such_bundle"))
    r = online_sync.exchange(counter, client(server))
    assert (r.applications, r.refused) == (2, 1)
    again = online_sync.exchange(counter, client(server))
    assert (again.applications, again.refused, again.reports) == (0, 0, 0)
    with counter.read() as s:
        got = {str(c.online_id): c for c in s.scalars(select(Case))}
    assert set(got) == {first["id"], second["id"]}
    case_no = got[first["id"]].case_no
    view = cases.show(counter, case_no)
    by = {m.code: m for m in view.materials}
    assert by["application_form"].status == "electronic"
    assert by["delivery_record"].share == "pending"
    assert [e["state"] for e in citizen_view(server, first)["events"]] == ["received"]
    assert citizen_view(server, refused)["state"] == "rejected"
    cases.decide(counter, case_no, "notice", now=None)
    online_sync.exchange(counter, client(server))
    events = citizen_view(server, first)["events"]
    assert [e["state"] for e in events] == ["received", "notice"]
    assert "父母双方居民身份证" in events[1]["missing"]
    assert online.unsent(counter) == []


def test_work_orders_in_and_one_reply_out(counter, central):
    server = central()
    wo = dispatch(server)
    r = online_sync.exchange(counter, client(server))
    assert r.workorders == 1
    [v] = workorders.list_orders(counter)
    assert v.number == wo["number"] and v.citizen == "王* 138****5678"
    workorders.reply(counter, wo["number"], "请携带出生医学证明", kb="newborn-001")
    assert online_sync.exchange(counter, client(server)).workorder_events == 2  # sign + reply
    assert online_sync.exchange(counter, client(server)).workorder_events == 0
    seen = requests.get(
        f"{server.url}/api/v1/workorders/{wo['id']}",
        headers={"Authorization": f"Bearer {AUDITOR}"},
        timeout=10,
    ).json()
    assert seen["state"] == "replied"
    assert [(e["seq"], e["action"]) for e in seen["events"]] == [(1, "sign"), (2, "reply")]
    assert seen["events"][1]["text"] == "请携带出生医学证明"


def test_through_the_platforms_faults_everything_arrives_once(counter, central):
    server = central("--fail-rate", "0.3", "--fault-modes", "drop,error,timeout",
                     "--hang-seconds", "2", "--seed", "11")  # fmt: skip
    apps = [submit(server, body()) for _ in range(8)]
    orders = [dispatch(server, text=f"问题 {i}") for i in range(4)]
    mk = lambda: client(server, read_timeout_s=1.0)  # noqa: E731
    for _round in range(60):
        try:
            online_sync.exchange(counter, mk())
        except CentralError:
            continue
        with counter.read() as s:
            n = len(s.scalars(select(Case)).all())
        if n == len(apps) and len(workorders.list_orders(counter, "all")) == len(orders):
            break
    for o in orders:
        workorders.reply(counter, o["number"], "已答复")
    with counter.read() as s:
        numbers = [c.case_no for c in s.scalars(select(Case))]
    for no in numbers:
        cases.decide(counter, no, "notice")
    for _round in range(60):
        try:
            online_sync.exchange(counter, mk())
        except CentralError:
            continue
        if not online.unsent(counter) and not workorders.unsent_events(counter):
            break
    with counter.read() as s:
        ids = sorted(str(c.online_id) for c in s.scalars(select(Case)))
    assert ids == sorted(a["id"] for a in apps)  # each once
    for a in apps:
        assert [e["state"] for e in citizen_view(server, a)["events"]] == ["received", "notice"]
    for o in orders:
        seen = requests.get(
            f"{server.url}/api/v1/workorders/{o['id']}",
            headers={"Authorization": f"Bearer {AUDITOR}"},
            timeout=10,
        ).json()
        assert [e["action"] for e in seen["events"]] == ["sign", "reply"]


def test_sync_run_once_reports_the_exchange(counter, central, db_url):
    from desk_app.security.roles import Role
    from desk_app.services.accounts import staff as accounts

    accounts.create_account(counter, "adm", "管理员", Role.ADMIN, "Hall-2026x")
    server = central()
    submit(server, body())
    dispatch(server)
    env = dict(os.environ, DESK_APP_DB=db_url, DESK_APP_CENTRAL_URL=server.url,
               DESK_APP_CENTRAL_TOKEN=TOKEN, DESK_APP_USER="adm", DESK_APP_PASSWORD="Hall-2026x")  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "sync", "run", "--once", "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["online"]["applications"] == 1 and out["online"]["workorders"] == 1
    assert out["online"]["reports"] == 1  # the "received" state went back
    inbox = subprocess.run(
        [sys.executable, "-m", "desk_app", "case", "inbox", "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert inbox.returncode == 0, inbox.stderr
    [row] = json.loads(inbox.stdout)["cases"]
    assert row["channel"] == "online" and row["bundle"] == "newborn" and row["due"]
