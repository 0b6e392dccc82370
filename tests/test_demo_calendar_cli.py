"""`demo seed` opens the demo hall like the seed's calendar; `--no-calendar` keeps it open at
any hour (training after hours, benchmarks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

LATE = "2026-12-01T22:30:00+08:00"  # a Tuesday evening after every session


def cli(url: str, *args: str):
    env = {**os.environ, "DESK_APP_DB": url, "DESK_APP_NOW": LATE}
    for key in ("DESK_APP_USER", "DESK_APP_PASSWORD"):
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "-m", "desk_app", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("flag, issued", [((), False), (("--no-calendar",), True)])
def test_a_late_ticket_depends_on_the_demo_calendar(tmp_path, flag, issued):
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    seeded = cli(url, "demo", "seed", "--days", "0", "--windows", "2", *flag)
    assert seeded.returncode == 0, seeded.stderr
    done = cli(url, "ticket", "issue", "--service", "newborn", "--json")
    assert (done.returncode == 0) is issued, done.stderr
    if issued:
        assert json.loads(done.stdout)["number"]
    else:
        assert done.returncode == 2 and "Traceback" not in done.stderr
