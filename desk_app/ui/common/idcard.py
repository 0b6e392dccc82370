"""The "读身份证" button of the screens: reads the card on this PC's reader off the UI thread
(services/devices/cards.read_here) and hands the card to the screen, or says why not (no
reader, no card, an expired card) in the screen's language. Nothing of the card is logged."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from desk_app.store import Database
from desk_app.ui.common.tasks import TaskRunner, user_message


class ReadCardButton(QPushButton):
    """Reads a card when pressed (or on ``shortcut``); ``card_read(IdCard)`` or ``failed(str)``."""

    card_read = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        shortcut: str | None = "Ctrl+I",
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.setText(
            self.tr("读身份证 (%1)").replace("%1", shortcut) if shortcut else self.tr("读身份证")
        )
        self.setAutoDefault(False)  # Enter in a dialog's field must not read a card
        self.setDefault(False)
        self.clicked.connect(self.read)
        if shortcut and parent is not None:
            QShortcut(QKeySequence(shortcut), parent).activated.connect(self.read)
        self._reading = False

    def read(self) -> None:
        if self._reading:
            return
        self._reading = True
        self.setEnabled(False)
        db = self.db

        def work() -> Any:
            from desk_app.services.devices.cards import read_here

            return read_here(db)

        self.runner.submit(work, self._done, self._refused)

    def _done(self, card: Any) -> None:
        self._reading = False
        self.setEnabled(True)
        self.card_read.emit(card)

    def _refused(self, exc: Exception) -> None:
        self._reading = False
        self.setEnabled(True)
        self.failed.emit(user_message(exc))


def resolve_eid(code: str) -> Any:
    """The person behind a scanned e-ID code, from the platform (desk_app/sync/eid.py): the
    same fields a card read gives (name, id_number, ...). Refused when the platform is not
    configured here, unreachable, or the code is used, expired or unknown."""
    from desk_app.services.common.errors import Refused
    from desk_app.sync.client import CentralClient
    from desk_app.sync.config import SyncConfig
    from desk_app.sync.eid import normalize, resolve_code

    config = SyncConfig.from_env()
    if not config.configured:
        raise Refused(
            "本机未连接中心平台, 请改刷身份证或手工录入",
            "this PC is not connected to the platform: read the ID card or type the data",
        )
    return resolve_code(CentralClient(config), normalize(code))


def is_eid(text: str) -> bool:
    from desk_app.sync.eid import is_code

    return is_code(text)
