"""The documentation stays true: every link resolves, every command it names exists, every file
it points at is there, and the command reference is what the parser says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
COMMAND = re.compile(r"desk-app ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*){0,2})")
# Repository paths in backticks: `desk_app/services/queue/operations.py`, `scripts/test.sh`.
PATH = re.compile(
    r"`((?:desk_app|printing|central_ref|scripts|tests|bench|resources|docs)/[\w./-]*[\w/])`"
)


sys.path.insert(0, str(ROOT))  # scripts/ is a folder of scripts, not an installed package


def _commands() -> set[tuple[str, ...]]:
    from desk_app.cli.reference import command_paths

    return command_paths()


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def test_the_docs_are_found():
    names = {p.name for p in DOCS}
    assert {"README.md", "guide.zh.md", "rules.md", "operations.md", "commands.md"} <= names


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_link_resolves(doc):
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file_part, _, anchor = target.partition("#")
        path = (doc.parent / file_part).resolve() if file_part else doc
        if not path.exists() or (
            anchor
            and path.suffix == ".md"
            and anchor not in _anchors(path.read_text(encoding="utf-8"))
        ):
            broken.append(target)
    assert broken == []


def _unknown_commands(text: str, commands: set[tuple[str, ...]]) -> list[str]:
    heads = {c[:n] for c in commands for n in range(1, len(c) + 1)}
    unknown = []
    for words in COMMAND.findall(text):
        said = tuple(words.split())
        # The longest run of words that is a command or a group must be a command, or a group
        # named on its own; words after a command are its arguments (`desk-app case show X`).
        known = next((said[:n] for n in range(len(said), 0, -1) if said[:n] in heads), ())
        if not known or (known not in commands and len(said) > len(known)):
            unknown.append(words)  # no such group, or a group followed by no command of it
    return unknown


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_named_exists(doc):
    commands = _commands()
    assert len(commands) > 80
    assert _unknown_commands(doc.read_text(encoding="utf-8"), commands) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_repository_path_named_exists(doc):
    missing = [
        p
        for p in PATH.findall(doc.read_text(encoding="utf-8"))
        if not (ROOT / p).exists() and not re.search(r"[A-Z]{3}", p)  # YEAR.json: a pattern
    ]
    assert missing == []


def test_the_command_reference_is_generated_from_the_parser():
    from scripts.commands_doc import OUT, render

    assert OUT.read_text(encoding="utf-8") == render(), (
        "docs/commands.md is stale: run .venv/bin/python scripts/commands_doc.py"
    )


def test_the_generator_runs_as_a_script(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", "import scripts.commands_doc as c; print(len(c.render()))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert int(out.stdout) > 5000


def test_the_command_check_sees_an_unknown_command():
    text = (
        "run desk-app case show X, desk-app case explode Y; desk-app nosuch; desk-app staff; "
        "desk-app calendar session add regular"
    )
    assert _unknown_commands(text, _commands()) == ["case explode", "nosuch"]


def test_the_readme_stays_short():
    assert (ROOT / "README.md").stat().st_size <= 12 * 1024


def test_every_option_says_what_it_takes():
    import argparse

    from desk_app.cli.main import build_parser

    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}".strip())
            elif action.option_strings and action.help is None:
                missing.append(f"{path} {action.option_strings[-1]}")
            elif action.option_strings and str(action.metavar or "").endswith("_"):
                missing.append(f"{path} {action.option_strings[-1]} ({action.metavar})")

    walk(build_parser([]), "")
    assert missing == []
