"""English through Qt's translation files (resources/i18n), switchable at start-up."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.tools import ADMIN

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.gui


def test_english_is_installed_and_removable(qtbot, sqlite_url):
    from desk_app.store import Database
    from desk_app.ui.common.app import install_translator
    from desk_app.ui.common.login import LoginDialog

    app = QApplication.instance()
    db = Database(sqlite_url).acting_as(ADMIN)
    translator = install_translator(app, "en")
    assert translator is not None
    try:
        dialog = LoginDialog(db)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "One-thing service · Log in"
        assert dialog.role_box.itemText(0) == "Counter workstation"
    finally:
        app.removeTranslator(translator)
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "高效办成一件事 · 登录"
    assert install_translator(app, "zh_CN") is None


def test_every_ui_string_has_an_english_translation(tmp_path):
    ts = tmp_path / "check.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = sorted(str(p) for p in (ROOT / "desk_app" / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(ts)], check=True, capture_output=True)
    english = json.loads((ROOT / "resources" / "i18n" / "en.json").read_text(encoding="utf-8"))
    found = {m.findtext("source") for m in ET.parse(ts).iter("message")}
    assert found, "lupdate found no strings"
    assert sorted(found - set(english)) == [], "run scripts/i18n.py after adding strings"
    shipped = ET.parse(ROOT / "resources" / "i18n" / "desk_app_en.ts")
    shipped_sources = {m.findtext("source") for m in shipped.iter("message")}
    assert found <= shipped_sources, "resources/i18n/desk_app_en.ts is stale: run scripts/i18n.py"


def test_every_extracted_string_has_the_context_it_is_looked_up_in():
    """lupdate files a bare ``tr("...")`` (a module-level helper) under an empty context, while
    the code looks it up under a class's name: the English then never shows although nothing
    is "untranslated". Every context in the translation file must be a real one."""

    root = ET.parse(ROOT / "resources" / "i18n" / "desk_app_en.ts").getroot()
    unnamed = [
        m.findtext("source")
        for ctx in root.findall("context")
        if not (ctx.findtext("name") or "").strip()
        for m in ctx.findall("message")
    ]
    assert unnamed == []
