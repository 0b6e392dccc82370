"""Bad input at the command line: exit 2 with one escaped line, a closed pipe is no error, and
one text rule for every database (issue 14, items 11-13)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.ids import resident_id
from tests.test_cli import ROOT, hall_url, refusal_lines, run  # noqa: F401 - fixture


def _one_refusal(rc: int, err: str) -> str:
    lines = refusal_lines(err)
    assert rc == 2 and len(lines) == 1, (rc, err)
    return lines[0]


def test_closed_pipe_is_quiet(hall_url):  # noqa: F811
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen(
        [sys.executable, "-m", "desk_app", "--db", hall_url, "window", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()  # the reader is gone before anything was written (`| head -0`)
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 0, err
    assert "Error" not in err and "error" not in err, err


@pytest.mark.parametrize(
    "args",
    [
        ["call", "next", "--window", "99999999999999999999"],
        ["call", "next", "--window", "2147483648"],
        ["call", "next", "--window", "-1"],
        ["call", "next", "--window", "１"],
        ["window", "add", "4294967296", "--services", "newborn"],
        ["calendar", "add-workdays", "2026-01-05", "99999999999"],
    ],
)
def test_integers_beyond_the_databases_range_are_bad_input(hall_url, capsys, args):  # noqa: F811
    rc, _, err = run(capsys, "--db", hall_url, *args)
    _one_refusal(rc, err)


def test_gui_window_must_be_a_window_number(capsys):
    rc, _, err = run(capsys, "gui", "--role", "counter", "--window", "-1")
    assert "--window" in _one_refusal(rc, err)


def test_date_overflow_is_bad_input(hall_url, capsys):  # noqa: F811
    rc, _, err = run(capsys, "--db", hall_url, "calendar", "add-workdays", "9999-12-31", "3")
    _one_refusal(rc, err)


def test_invalid_utf8_argument_is_bad_input(hall_url, capsys):  # noqa: F811
    bad = os.fsdecode(b"\xff\xfe")  # what the OS hands Python for non-UTF-8 bytes
    rc, _, err = run(
        capsys, "--db", hall_url, "service", "add", bad, "--name", "x", "--prefix", "C"
    )
    line = _one_refusal(rc, err)
    assert "UTF-8" in line and "\\udcff" in line


def test_control_characters_are_echoed_escaped(hall_url, capsys):  # noqa: F811
    rc, _, err = run(
        capsys, "--db", hall_url, "window", "add", "\x1b[2J\nforged", "--services", "a"
    )
    line = _one_refusal(rc, err)
    assert "\x1b" not in err and "\\x1b[2J\\nforged" in line


def test_unwritable_document_target_is_bad_input(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    rc, r, _ = run(
        capsys, "--db", url, "case", "open", "--bundle", "newborn", "--applicant-name", "张三",
        "--applicant-id", resident_id(), "--json",
    )  # fmt: skip
    assert rc == 0
    target = tmp_path / "missing-folder" / "x.pdf"
    rc, _, err = run(capsys, "--db", url, "case", "print", r["case_no"], "--notice", str(target))
    assert str(target) in _one_refusal(rc, err)


@pytest.mark.parametrize(
    "url", ["", "   ", "sqlite://", "sqlite:///:memory:", "sqlite:////dev/null", "sqlite:////tmp"]
)
def test_empty_in_memory_or_not_a_file_database_is_refused(capsys, url):
    rc, _, err = run(capsys, "--db", url, "window", "list")
    assert "--db" in _one_refusal(rc, err)


@pytest.mark.parametrize(
    "args",
    [
        ["staff", "add", "s09", "--name", "王" * 201],
        ["staff", "add", "s09", "--name", "王\x00芳"],
        ["staff", "add", "s09", "--name", "王\x1b芳"],
        ["service", "add", "x1", "--name", "x\nY", "--prefix", "X"],
        ["staff", "lock", "s02", "--reason", "r" * 501],
    ],
)
def test_one_text_rule_on_every_database(hall_url, capsys, args):  # noqa: F811
    rc, _, err = run(capsys, "--db", hall_url, *args)
    _one_refusal(rc, err)


def test_case_texts_follow_the_text_rule(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    base = ["--db", url, "case", "open", "--bundle", "newborn", "--applicant-id", resident_id()]
    rc, _, err = run(capsys, *base, "--applicant-name", "张" * 201)
    _one_refusal(rc, err)
    rc, _, err = run(capsys, *base, "--applicant-name", "张\x00三")
    _one_refusal(rc, err)
    rc, r, _ = run(capsys, *base, "--applicant-name", "张三", "--json")
    rc, _, err = run(capsys, "--db", url, "case", "decide", r["case_no"], "reject",
                     "--reason", "x" * 501)  # fmt: skip
    _one_refusal(rc, err)
    rc, _, _ = run(capsys, "--db", url, "case", "decide", r["case_no"], "reject",
                   "--reason", "材料不全\n申请人放弃")  # fmt: skip
    assert rc == 0  # a line break is allowed in free text


@pytest.mark.parametrize(
    "key,value",
    [
        ("recall_limit", "３"),
        ("recall_limit", "99999999999999999999"),
        ("idle_lock_minutes", "１０"),
        ("progress_base_url", "hall.example.cn/q"),
        ("progress_base_url", "ftp://hall.example.cn/q"),
        ("progress_base_url", "http://hall.example.cn/q"),
        ("progress_base_url", "https://"),
        ("progress_base_url", "https://user:pw@hall.example.cn/q"),
        ("hall_name", ""),
    ],
)
def test_settings_are_validated(hall_url, capsys, key, value):  # noqa: F811
    rc, _, err = run(capsys, "--db", hall_url, "settings", "set", key, value)
    _one_refusal(rc, err)


@pytest.mark.parametrize(
    "value", ["https://hall.example.cn/q", "http://127.0.0.1:8000/q", "http://localhost/q"]
)
def test_good_progress_urls_are_kept(hall_url, capsys, value):  # noqa: F811
    assert run(capsys, "--db", hall_url, "settings", "set", "progress_base_url", value)[0] == 0


def test_demo_seed_help_explains_its_options(capsys):
    with pytest.raises(SystemExit):
        run(capsys, "demo", "seed", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "days of simulated history" in text and "number of windows" in text


@pytest.mark.parametrize(
    "args, option",
    [
        (["case", "conclude", "YJS-20261126-0001", "--result", "hukou"], "--result"),
        (
            ["case", "decide", "YJS-20261126-0001", "defer", "--missing-reason", "x="],
            "--missing-reason",
        ),
        (["catalog", "checklist", "newborn", "--answer", "=yes"], "--answer"),
    ],
)
def test_key_value_options_without_a_pair_are_refused_by_name(args, option, capsys):
    """`--result hukou` used to pass as the item 'hukou' with an empty result; every KEY=VALUE
    option now refuses a malformed pair in one line naming the option, before anything runs."""
    from desk_app.cli import main

    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert option in err[-1] and "KEY=VALUE" in err[-1]
