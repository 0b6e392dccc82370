"""Chinese shows on a PC without any Chinese system font: the bundled font carries it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.gui

PROBE = r"""
import sys
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
cjk_system = [f for f in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)]
from desk_app.ui.common import theme
theme.apply_base_style(app)
label = QLabel("请 A001 号 到 5 号窗口 办理")
info = QFontInfo(label.font())
metrics = QFontMetrics(label.font())
missing = [c for c in "请号到窗口办理高效办成一件事" if not metrics.inFontUcs4(ord(c))]
image = label.grab().toImage()
inked = sum(1 for x in range(image.width()) for y in range(image.height())
            if image.pixelColor(x, y).lightness() < 128)
print(len(cjk_system), info.family(), "".join(missing), inked, sep="|")
"""


def test_bundled_font_renders_chinese_without_system_fonts(tmp_path):
    # A fontconfig with no font directories: the process sees no system font at all.
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>',
        encoding="utf-8",
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    system_cjk, family, missing, inked = out.stdout.strip().splitlines()[-1].split("|")
    assert system_cjk == "0", "the probe still sees Chinese system fonts"
    assert family.startswith("WenQuanYi")
    assert missing == "" and int(inked) > 200
