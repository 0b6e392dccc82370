"""The command tree as the parser holds it: every command with its words, its one-line help and
its own parser (for the generated reference, docs/commands.md, and the checks on it)."""

from __future__ import annotations

import argparse


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {a.dest: a.help or "" for a in action._choices_actions}
    return {}


def leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = (), help_text: str = ""
) -> list[tuple[tuple[str, ...], str, argparse.ArgumentParser]]:
    """Every command without sub-commands, with its words and its one-line help."""
    subs = _subcommands(parser)
    if not subs:
        return [(path, help_text, parser)]
    helps = _helps(parser)
    found = []
    for name, sub in subs.items():
        found += leaves(sub, (*path, name), helps.get(name, ""))
    return found


def command_paths() -> set[tuple[str, ...]]:
    """The words of every command the program has (``("calendar", "session", "add")``)."""
    from desk_app.cli.main import build_parser

    return {path for path, _help, _parser in leaves(build_parser([]))}
