"""Cold commands as whole processes (not a test; prints figures).

    .venv/bin/python bench/cold_bench.py [--runs 15]

A call-pad or a script starts ``desk-app`` once per action, with no helper process. For a demo
hall on SQLite with its opening calendar (a fresh temporary folder; the clock fixed at a
Tuesday 10:00 by DESK_APP_NOW, so the hall is open), each command below runs ``--runs`` times,
interleaved with the baseline ``python -c pass`` (same interpreter, same moment, so a busy
machine slows both); the figure is the median, the ratio median / baseline median (target:
<= 10x). These three run their quick versions (``services/queue/quick.py``, no SQLAlchemy); a
second line, ``import sqlalchemy.orm`` alone, shows the floor the full versions stand on.

- ``queue status --json``  (public)
- ``ticket issue --service S --json``  (public)
- ``call next --window 1 --json``  as s01 through a ``desk-app login`` session (the password is
  checked once at login, not per command); each call is followed by an untimed ``call no-show``;
  the same with a call-pad's window token (``DESK_APP_TOKEN``: a hash, no Argon2), and with
  s01's password in the environment (an Argon2id check per command), for comparison.
Also printed: what each command imports (modules loaded), for the next person trimming it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, input=stdin, timeout=120)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[2:])} failed: {done.stderr.strip()}")
    return elapsed, done.stdout


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    py = sys.executable
    app = [py, "-m", "desk_app"]
    with tempfile.TemporaryDirectory(prefix="cold-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_APP_")}
        env.update(
            DESK_APP_DB=f"sqlite:///{Path(tmp) / 'hall.db'}",
            XDG_DATA_HOME=str(Path(tmp) / "data"),
            XDG_RUNTIME_DIR=str(Path(tmp) / "run"),
            HOME=tmp,
            DESK_APP_NOW="2026-12-01T10:00:00+08:00",
        )
        (Path(tmp) / "run").mkdir(mode=0o700)
        timed([*app, "demo", "seed", "--days", "0", "--windows", "4"], env)
        service = json.loads(timed([*app, "queue", "status", "--json"], env)[1])["services"][0][
            "code"
        ]
        timed([*app, "login", "--user", "s01", "--password-stdin"], env, stdin="Demo-1234\n")
        timed([*app, "window", "open", "1", "--staff", "s01"], env)
        for _ in range(args.runs * 2):  # a queue to call from
            timed([*app, "ticket", "issue", "--service", service, "--json"], env)
        admin = {**env, "DESK_APP_USER": "admin", "DESK_APP_PASSWORD": "Demo-1234"}
        made = timed([*app, "device", "token", "create", "--window", "1", "--json"], admin)[1]
        token_env = {**env, "DESK_APP_TOKEN": json.loads(made)["token"]}
        password_env = {**env, "DESK_APP_USER": "s01", "DESK_APP_PASSWORD": "Demo-1234"}
        commands = {
            "queue status": [*app, "queue", "status", "--json"],
            "ticket issue": [*app, "ticket", "issue", "--service", service, "--json"],
            "call next": [*app, "call", "next", "--window", "1", "--json"],
            "call next (token)": [*app, "call", "next", "--window", "1", "--json"],
            "call next (password)": [*app, "call", "next", "--window", "1", "--json"],
        }
        envs = {"call next (token)": token_env, "call next (password)": password_env}
        floor = "import sqlalchemy.orm"  # what the full version of a command must load
        times: dict[str, list[float]] = {
            "python -c pass": [],
            floor: [],
            **{k: [] for k in commands},
        }
        for _ in range(args.runs):
            times["python -c pass"].append(timed([py, "-c", "pass"], env)[0])
            times[floor].append(timed([py, "-c", floor], env)[0])
            for name, cmd in commands.items():
                times[name].append(timed(cmd, envs.get(name, env))[0])
                if name.startswith("call next"):
                    timed([*app, "call", "no-show", "--window", "1", "--json"], env)
        base = statistics.median(times["python -c pass"])
        print(f"cold commands on SQLite, {args.runs} runs each, medians (p90 in brackets)")
        for name, values in times.items():
            med = statistics.median(values)
            p90 = sorted(values)[int(0.9 * (len(values) - 1))]
            print(f"  {name:22s} {med * 1000:7.1f} ms  ({p90 * 1000:6.1f})  {med / base:5.1f}x")
        for name, cmd in commands.items():
            probe = (
                "import runpy,sys\n"
                f"sys.argv={['desk-app', *cmd[3:]]!r}\n"
                "try:\n    runpy.run_module('desk_app', run_name='__main__')\n"
                "except SystemExit:\n    pass\n"
                "mods=[m for m in sys.modules if m.startswith(('desk_app','sqlalchemy'))]\n"
                "print(len(sys.modules), len([m for m in mods if m.startswith('desk_app')]),"
                " len([m for m in mods if m.startswith('sqlalchemy')]), file=sys.stderr)\n"
            )
            done = subprocess.run(
                [py, "-c", probe], env=envs.get(name, env), capture_output=True, text=True
            )
            total, ours, sa = done.stderr.strip().splitlines()[-1].split()
            print(f"  {name:22s} loads {total} modules: {ours} desk_app, {sa} sqlalchemy")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
