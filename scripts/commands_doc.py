"""Write docs/commands.md, the command reference, from the program's own parser.

    .venv/bin/python scripts/commands_doc.py          # rewrites docs/commands.md

Generated, not written by hand, so the reference cannot name a command the program lacks or
miss one it has; tests/test_docs.py fails when the committed file differs from what this
script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "commands.md"

HEADER = """# Command reference

Generated from the program's parser by `scripts/commands_doc.py`; do not edit by hand. What
the commands print and how they fail is in [command-line.md](command-line.md).

"""


def render() -> str:
    from desk_app.cli.main import build_parser
    from desk_app.cli.reference import leaves

    parser = build_parser([])
    out = [HEADER]
    group = None
    for path, help_text, sub in sorted(leaves(parser), key=lambda leaf: leaf[0]):
        if path[0] != group:
            group = path[0]
            out.append(f"## {group}\n\n")
        usage = " ".join(sub.format_usage().split())  # one line, whatever the terminal's width
        usage = usage.removeprefix("usage: ")
        out.append(f"### `desk-app {' '.join(path)}`\n\n")
        if help_text:
            out.append(f"{help_text}\n\n")
        out.append(f"```\n{usage}\n```\n\n")
    return "".join(out).rstrip() + "\n"


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
