"""Help text and value formats for the options the commands share, filled in where a command
did not word its own (``desk-app CMD --help`` and docs/commands.md show them): every option
says what it takes (``--window N``, ``--date YYYY-MM-DD``)."""

from __future__ import annotations

import argparse

# option -> (metavar, help); a command's own help or metavar wins.
OPTIONS: dict[str, tuple[str | None, str]] = {
    "--action": ("ACTION", "only entries of this action, e.g. case.reveal"),
    "--actor": ("STAFF", "only entries of this staff code"),
    "--agent-id": ("ID_NUMBER", "the agent's resident ID number (18 characters)"),
    "--agent-name": ("NAME", "the agent's name (代办人)"),
    "--answer": ("KEY=VALUE", "a situation answer, e.g. parents_married=yes (repeatable)"),
    "--applicant-id": ("ID_NUMBER", "the applicant's resident ID number (18 characters)"),
    "--applicant-name": ("NAME", "the applicant's name, or the company's"),
    "--auth-scope": ("TEXT", "what the letter of authorization covers"),
    "--auth-valid-until": ("YYYY-MM-DD", "the last day the authorization is valid"),
    "--bundle": ("CODE", "a 一件事 code, e.g. newborn (desk-app catalog list)"),
    "--by": ("GROUP", "the grouping of the figures"),
    "--category": ("CATEGORY", "the pain point's category"),
    "--channel": ("CHANNEL", "where it was asked or started"),
    "--code": ("CODE", "the booking code (8 characters)"),
    "--comment": ("TEXT", "the visitor's comment"),
    "--credit-code": ("USCC", "the company's unified social credit code (18 characters)"),
    "--csv": ("FILE", "write CSV to FILE"),
    "--daily-cap": ("N", "at most N tickets a day (default: no cap)"),
    "--date": ("YYYY-MM-DD", "the day"),
    "--department": ("NAME", "the department or window of the step"),
    "--due": ("YYYY-MM-DD", "the day it is due"),
    "--evaluation": ("1-5", "the visitor's rating, 1 (very poor) to 5 (very good)"),
    "--from": ("FROM", "the first day or time (YYYY-MM-DD, or HH:MM for a session)"),
    "--helper": ("STAFF", "the helper's staff code"),
    "--id": ("ID_NUMBER", "the person's resident ID number (18 characters)"),
    "--item": ("CODE", "an item code of the bundle"),
    "--json": ("FILE", "write JSON to FILE"),
    "--limit": ("N", "at most N results"),
    "--mode": ("MODE", "how the visitor is helped"),
    "--name": ("NAME", "the name"),
    "--note": ("TEXT", "a note kept with the record"),
    "--outcome": ("TEXT", "what came of it"),
    "--owner": ("NAME", "who follows it up"),
    "--pdf": ("FILE.pdf", "write the PDF to FILE"),
    "--phone": ("PHONE", "an 11-digit mobile number"),
    "--prefix": ("LETTERS", "the ticket prefix: 1-2 capital letters, e.g. A"),
    "--principal-id": ("ID_NUMBER", "the principal's resident ID number (委托人)"),
    "--principal-name": ("NAME", "the principal's name (委托人)"),
    "--print": ("FILE.pdf", "also write the slip as a PDF"),
    "--priority": ("KIND", "a priority lane (绿色通道)"),
    "--reason": ("TEXT", "why (kept in the audit trail)"),
    "--result": ("TEXT", "the result handed to the applicant"),
    "--role": ("ROLE", "the role"),
    "--service": ("CODE", "a service code (desk-app service list)"),
    "--session": ("N", "the session number"),
    "--since": ("YYYY-MM-DD", "from this day on"),
    "--staff": ("STAFF", "a staff code"),
    "--state": ("STATE", "only in this state"),
    "--text": ("TEXT", "the text"),
    "--time": ("HH:MM", "the slot's start time"),
    "--to": ("TO", "the last day or time (YYYY-MM-DD, or HH:MM for a session)"),
    "--to-service": ("CODE", "the service to transfer to"),
    "--to-window": ("N", "the window to transfer to"),
    "--window": ("N", "the window number"),
}


def fill(parser: argparse.ArgumentParser) -> None:
    """Give every option of ``parser`` and its sub-commands a help text and a metavar."""
    for action in parser._actions:  # noqa: SLF001 - argparse has no public walk
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for sub in action.choices.values():
                fill(sub)
            continue
        if not action.option_strings or action.help == argparse.SUPPRESS:
            continue
        known = OPTIONS.get(action.option_strings[-1])
        if action.help is None and known is not None:
            action.help = known[1]
        takes_value = action.nargs != 0
        if takes_value and action.metavar is None:
            if action.choices is not None:
                continue  # argparse shows {a,b,c}
            if known is not None and known[0]:
                action.metavar = known[0]
            elif action.dest.endswith("_"):
                action.metavar = action.dest.rstrip("_").upper()
