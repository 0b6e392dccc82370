"""The resident agent: desk-app hands its arguments over and prints the agent's answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def agent(tmp_path):
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    env = dict(os.environ, DESK_APP_DB=url)
    env.pop("DESK_APP_AGENT", None)
    for args in (
        ["service", "add", "newborn", "--name", "新生儿出生一件事", "--prefix", "A"],
        ["window", "add", "1", "--services", "newborn"],
        ["staff", "add", "s01", "--name", "王芳"],
        ["window", "open", "1", "--staff", "s01"],
    ):
        subprocess.run(
            [sys.executable, "-m", "desk_app", *args],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "desk_app", "agent", "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    address = json.loads(proc.stdout.readline())["agent"]
    yield env | {"DESK_APP_AGENT": address}, proc
    proc.terminate()
    proc.wait(10)


def run(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "desk_app", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_commands_run_in_the_agent_with_the_same_output_and_exit_status(agent):
    env, proc = agent
    out = run_thin(env, "ticket", "issue", "--service", "newborn", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["number"] == "A001"
    out = run_thin(env, "call", "next", "--window", "1", "--json")
    assert json.loads(out.stdout)["number"] == "A001"
    bad = run_thin(env, "call", "next", "--window", "9", "--json")
    assert bad.returncode == 2 and "未知的窗口" in bad.stderr and bad.stdout == ""
    proc.terminate()
    proc.wait(10)
    # Agent gone: the thin client can't do the work itself, a normal one falls back.
    assert run_thin(env, "ticket", "issue", "--service", "newborn").returncode != 0
    out = run(env, "ticket", "issue", "--service", "newborn", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["number"] == "A002"


def test_the_callers_database_setting_is_used(agent, tmp_path):
    env, _proc = agent
    other = f"sqlite:///{tmp_path / 'other.db'}"
    out = run(env, "--db", other, "service", "add", "x", "--name", "X", "--prefix", "X", "--json")
    assert out.returncode == 0
    assert (tmp_path / "other.db").exists()
    out = run(env | {"DESK_APP_DB": other}, "service", "list", "--json")
    assert [s["code"] for s in json.loads(out.stdout)["services"]] == ["x"]


# A client that cannot import SQLAlchemy (or Qt): it can only succeed through the agent.
THIN = (
    "import sys; sys.modules['sqlalchemy'] = None; sys.modules['PySide6'] = None\n"
    "from desk_app.cli import main; raise SystemExit(main(sys.argv[1:]))"
)


def run_thin(env, *args):
    return subprocess.run(
        [sys.executable, "-c", THIN, *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
