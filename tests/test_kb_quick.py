"""``kb search`` on the command line reads the index and writes its log row without loading
SQLAlchemy (services/kb/quick.py), and answers as the full version does."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select

from desk_app.services.kb import answers as kb
from desk_app.store import Database
from desk_app.store.kb_models import KbQuestion
from desk_app.store.schema import upgrade

SCRIPT = (
    "import json, sys\n"
    "from desk_app.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'code': code, 'sqlalchemy': 'sqlalchemy' in sys.modules}))\n"
)


def _cli(url: str, *args: str, **env: str) -> tuple[dict, dict]:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, "--db", url, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        check=False,
    )
    lines = run.stdout.strip().splitlines()
    return json.loads(lines[-2]) if len(lines) > 1 else {}, json.loads(lines[-1])


def test_kb_search_answers_and_logs_without_sqlalchemy(tmp_path):
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    payload, run = _cli(url, "kb", "search", "老人去世了 身份证 370202199001011234", "--json")
    assert run == {"code": 0, "sqlalchemy": False}
    expected = kb.index().search("老人去世了 身份证 370202199001011234", limit=5)
    assert [h["id"] for h in payload["hits"]] == [h.entry.id for h in expected]
    db = Database(url)
    with db.read() as s:
        row = s.scalars(select(KbQuestion)).one()
    assert row.id == payload["question_id"] and row.channel == "cli" and row.actor is None
    assert "370202199001011234" not in row.text and row.hits == len(payload["hits"])
    db.dispose()


def test_what_the_quick_path_does_not_handle_the_full_version_refuses(tmp_path):
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    _, run = _cli(url, "kb", "search", "退休", "--bundle", "nope", "--json")
    assert run == {"code": 2, "sqlalchemy": True}
    _, run = _cli(url, "kb", "search", "   ", "--json")
    assert run["code"] == 2
