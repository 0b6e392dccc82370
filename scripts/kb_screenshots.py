"""Render the knowledge-base screens to PNG, in Chinese and English, to look at them.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/kb_screenshots.py [OUT_DIR]

The counter's side panel (政策问答) after a colloquial question, one entry flagged past its
review date, and the kiosk's consult page (standard and large text) with an answer open.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QTranslator  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desk_app.paths import resources_dir  # noqa: E402
from desk_app.security.roles import Actor, Role  # noqa: E402
from desk_app.services.hall import setup as hall  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402
from desk_app.ui.common import theme  # noqa: E402


def pump(ms: int, until=None) -> None:  # type: ignore[no-untyped-def]
    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if until is not None and until():
            return


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    theme.apply_base_style(app)  # type: ignore[arg-type]
    tmp = tempfile.mkdtemp()
    db = Database(f"sqlite:///{tmp}/hall.db")
    upgrade(db)
    admin = db.acting_as(Actor(staff_id=None, code="admin", role=Role.ADMIN))
    hall.add_service(admin, "newborn", "新生儿出生一件事", "A")
    kiosk_db = db.acting_as(Actor(staff_id=None, code="kiosk", role=Role.KIOSK, device=True))

    from desk_app.ui.common.kb_panel import KbPanel
    from desk_app.ui.kiosk.window import KioskWindow

    for lang in ("zh", "en"):
        translator = QTranslator(app)
        if lang == "en":
            translator.load(str(resources_dir() / "i18n" / "desk_app_en.qm"))
            app.installTranslator(translator)
        panel = KbPanel(admin, "newborn")
        panel.resize(520, 760)
        panel.show()
        pump(1500, lambda p=panel: p.results.count() > 0)
        panel.box.setText("父母没结婚孩子怎么上户口")
        panel.search()
        pump(2000, lambda p=panel: p.question_id is not None)
        panel.grab().save(str(out / f"kb_panel_{lang}.png"))
        # The same answer a year on: past its review date, flagged.
        os.environ["DESK_APP_NOW"] = "2027-06-02T09:00:00+08:00"
        panel.question_id = None
        panel.search()
        pump(2000, lambda p=panel: p.question_id is not None)
        panel.grab().save(str(out / f"kb_panel_review_{lang}.png"))
        del os.environ["DESK_APP_NOW"]
        panel.close()
        for large in (False, True):
            kiosk = KioskWindow(kiosk_db, large_text=large, pdf_dir=tmp)
            kiosk.resize(1280, 800)
            kiosk.show()
            pump(1500)
            suffix = "_large" if large else ""
            if not large:
                kiosk.grab().save(str(out / f"kiosk_start_{lang}.png"))
            kiosk.consult_button.click()
            kiosk.consult_page.ask_topic("生孩子要办什么")
            pump(2000, lambda k=kiosk: k.consult_page.answer_area.isVisible())
            kiosk.grab().save(str(out / f"kiosk_consult_{lang}{suffix}.png"))
            kiosk.close()
        app.removeTranslator(translator)
    print("saved to", out)


if __name__ == "__main__":
    main()
