"""Build the English translation with Qt's tools: lupdate -> fill from en.json -> lrelease.

    .venv/bin/python scripts/i18n.py          # rewrites resources/i18n/desk_app_en.ts and .qm

resources/i18n/en.json maps each Chinese source text to English; missing entries are reported
and left "unfinished" (Qt then shows the Chinese text).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
TS = I18N / "desk_app_en.ts"
QM = I18N / "desk_app_en.qm"


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    return found


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "desk_app" / "ui").rglob("*.py"))
    subprocess.run(
        [tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(TS)],
        check=True,
        capture_output=True,
    )
    english: dict[str, str] = json.loads((I18N / "en.json").read_text(encoding="utf-8"))
    tree = ET.parse(TS)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        tr = message.find("translation")
        assert tr is not None
        if source in english:
            tr.text = english[source]
            tr.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run(
        [tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, capture_output=True
    )
    for m in missing:
        print("untranslated:", m)
    print(f"{TS.name}: {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
