"""The command line loads only the module of the command it runs; the table that says which
module owns which command word must match what the modules register."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import desk_app.cli
from desk_app.cli.common import CliError, Commands, Parser
from desk_app.cli.main import GROUPS, build_parser, main


def registered_words(module_name: str) -> set[str]:
    parser = Parser(prog="x")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    importlib.import_module(f"desk_app.cli.{module_name}").register(
        Commands(sub, Parser(add_help=False))
    )
    return set(sub.choices)


def test_every_command_module_is_in_the_table():
    modules = {
        m.name
        for m in pkgutil.iter_modules(desk_app.cli.__path__)
        if hasattr(importlib.import_module(f"desk_app.cli.{m.name}"), "register")
    }
    assert modules == set(GROUPS)


def test_the_table_says_what_each_module_registers():
    for name, words in GROUPS.items():
        assert registered_words(name) == set(words), name


def test_no_word_is_owned_twice():
    words = [w for owned in GROUPS.values() for w in owned]
    assert len(words) == len(set(words))


def test_a_command_parses_with_only_its_module():
    args = build_parser(["queue", "status", "--json"]).parse_args(["queue", "status", "--json"])
    assert args.command == "queue" and args.json is True


def test_help_lists_every_command():
    text = build_parser([]).format_help()
    for owned in GROUPS.values():
        for word in owned:
            assert word in text


def test_a_cold_queue_command_does_not_load_the_case_rules(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    assert main(["db", "upgrade", "--db", url]) == 0  # the schema exists, as in a hall
    code = (
        "import sys\n"
        "from desk_app.cli import main\n"
        f"main(['queue', 'status', '--json', '--db', '{url}'])\n"
        "loaded = [m for m in ('desk_app.cli.cases', 'desk_app.domain.checklist',"
        " 'desk_app.ui', 'PySide6', 'sqlalchemy.dialects.postgresql', 'alembic', 'cryptography') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_an_unknown_command_still_gets_the_full_parsers_message():
    with pytest.raises(CliError) as exc:
        build_parser(["qeueu"]).parse_args(["qeueu"])
    assert "qeueu" in str(exc.value) and "'queue'" in str(exc.value) and "'case'" in str(exc.value)
