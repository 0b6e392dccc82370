"""The GUI entry point: logging, crash handling, fonts, translation, then the role's screen."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import traceback
from types import TracebackType
from typing import Any, cast

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desk_app.paths import resources_dir, user_data_dir
from desk_app.security.roles import SYSTEM_ACTOR, Actor, Role
from desk_app.store import Database
from desk_app.ui.common import theme

log = logging.getLogger("desk_app")

# The unattended PCs act as devices: no log-in, a fixed narrow set of operations each.
UNATTENDED = ("kiosk", "display", "evaluator", "strip")
KIOSK_ACTOR = Actor(None, "kiosk", Role.KIOSK, device=True)
DISPLAY_ACTOR = Actor(None, "display", Role.DISPLAY, device=True)
EVALUATOR_ACTOR = Actor(None, "evaluator", Role.EVALUATOR, device=True)


def _setup_logging() -> None:
    folder = user_data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        folder / "desk-app.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    crash = open(folder / "crash.log", "a", encoding="utf-8")  # noqa: SIM115 - lives with the app
    faulthandler.enable(crash)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    log.error("unhandled error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None,
            "程序错误",
            f"发生了意外错误，已记录到日志。\n请重试；如反复出现请联系系统管理员。\n\n"
            f"{kind.__name__}: {exc}",
        )


def install_translator(app: QApplication, lang: str | None) -> QTranslator | None:
    """English (or another language) through Qt's translation files in resources/i18n."""
    lang = lang or os.environ.get("DESK_APP_LANG") or ""
    if not lang or lang.startswith("zh"):
        return None
    translator = QTranslator(app)
    if translator.load(QLocale(lang), "desk_app", "_", str(resources_dir() / "i18n")):
        app.installTranslator(translator)
        return translator
    log.warning("no translation for %s", lang)
    return None


def build_screen(
    db: Database,
    role: str,
    window: int,
    *,
    large_text: bool,
    actor: Actor | None = None,
    idle_lock_ms: int | None = None,
    screen_size: tuple[int, int] | None = None,
) -> QWidget:
    """The role's screen on a handle acting for the right person: the logged-in staff member
    (``actor``) at a counter, the device itself at the kiosk and the call display."""
    if role == "counter":
        from desk_app.ui.common.lock import IdleLock
        from desk_app.ui.counter.window import CounterWindow

        if actor is None or actor.device:
            raise ValueError("a counter screen needs the logged-in staff member")
        counter = CounterWindow(db.acting_as(actor), window)
        counter.idle_lock = IdleLock(counter, counter.db, idle_ms=idle_lock_ms)  # type: ignore[attr-defined]
        return counter
    if role == "helper":
        from desk_app.ui.common.lock import IdleLock
        from desk_app.ui.helper.window import HelperWindow

        if actor is None or actor.device:
            raise ValueError("a helper screen needs the logged-in helper")
        helper = HelperWindow(db.acting_as(actor))
        helper.idle_lock = IdleLock(helper, helper.db, idle_ms=idle_lock_ms)  # type: ignore[attr-defined]
        return helper
    if role == "kiosk":
        from desk_app.ui.kiosk.window import KioskWindow

        # An ESC/POS printer registered for this PC, else the 80 mm printer by its system
        # name; without either, tickets are saved as PDF files.
        kiosk_db = db.acting_as(KIOSK_ACTOR)
        return KioskWindow(
            kiosk_db,
            large_text=large_text,
            printer_name=os.environ.get("DESK_APP_TICKET_PRINTER") or None,
            screen_size=screen_size,
            escpos=_escpos_sink(kiosk_db),
        )
    if role == "display":
        from desk_app.ui.display.window import CallDisplay

        return CallDisplay(
            db.acting_as(DISPLAY_ACTOR), large_text=large_text, screen_size=screen_size
        )
    if role == "evaluator":
        from desk_app.ui.evaluator.window import EvaluatorWindow

        return EvaluatorWindow(
            db.acting_as(EVALUATOR_ACTOR), window, large_text=large_text, screen_size=screen_size
        )
    if role == "strip":
        from desk_app.ui.strip.window import StripWindow

        return StripWindow(
            db.acting_as(DISPLAY_ACTOR), window, large_text=large_text, screen_size=screen_size
        )
    if role in ("supervisor", "progress"):
        from desk_app.ui.supervisor.entry import supervisor_screen

        return supervisor_screen(db, role, actor, screen_size)
    raise ValueError(role)


def _screen_size(index: int | None) -> tuple[int, int] | None:
    """The size of the screen a full-screen role will fill (the primary one by default)."""
    screens = QApplication.screens()
    if not screens:
        return None
    chosen = screens[index] if index is not None and 0 <= index < len(screens) else screens[0]
    geometry = chosen.geometry()
    return geometry.width(), geometry.height()


def place_fullscreen(widget: QWidget, screen_index: int | None) -> None:
    """Full screen, on the chosen monitor (the call display usually goes on the second).

    The widget is also sized to the screen itself: kiosks and displays often run on a bare X
    server, where no window manager honours "full screen" and the window would stay at its
    own size in a corner. It follows the screen when its resolution changes."""
    screens = QApplication.screens()
    if screen_index is not None and 0 <= screen_index < len(screens):
        screen = screens[screen_index]
    else:
        screen = widget.screen() or QApplication.primaryScreen()
    widget.setScreen(screen)
    if os.environ.get("DESK_APP_WINDOWED"):
        widget.move(screen.geometry().topLeft())
        widget.resize(1280, 800)
        widget.show()
        return
    widget.setGeometry(screen.geometry())
    screen.geometryChanged.connect(widget.setGeometry)
    widget.showFullScreen()


def run_gui(
    db_url: str | None = None,
    role: str | None = None,
    window: int | None = None,
    *,
    lang: str | None = None,
    large_text: bool = False,
    screen: int | None = None,
) -> int:
    """Start the GUI; returns the process exit code."""
    from desk_app.ui.common.startup import display_problem

    problem = display_problem(lang=lang)
    if problem is not None:  # Qt would abort the process (exit 134) with a misleading reason
        print(problem, file=sys.stderr)
        return 1
    _setup_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("desk-app")
    sys.excepthook = _excepthook
    theme.apply_base_style(app)  # type: ignore[arg-type]
    install_translator(app, lang)  # type: ignore[arg-type]
    from desk_app.ui.common.i18n import install_qt_translations  # Qt's own strings, dates

    install_qt_translations(app, lang)
    try:
        db = Database(db_url)
        db.start_checkpointer()  # the WAL's checkpoints off the counter's calls (store/wal.py)
    except Exception as exc:  # noqa: BLE001 - shown to the user, not a crash
        QMessageBox.critical(
            None, "无法打开数据库", f"{exc}\n\n请检查 --db 参数或 DESK_APP_DB 设置。"
        )
        return 2
    _keep_catalog_current(db, app)  # type: ignore[arg-type]
    from desk_app.ui.common.login import LoginDialog

    dialog = LoginDialog(db, role=role, window=window)
    chosen: dict[str, object] = {}
    dialog.logged_in.connect(lambda r, w: chosen.update(role=r, window=w))
    dialog.actor_ready.connect(lambda actor: chosen.update(actor=actor))
    if role in UNATTENDED:
        dialog.submit()  # unattended screens: nobody logs in, only the database is checked
    if not chosen and dialog.exec() != dialog.DialogCode.Accepted:
        return 0
    if not chosen:
        return 0
    role_chosen = str(chosen["role"])
    if role_chosen == "display":
        from desk_app.ui.display.priority import raise_priority

        raise_priority()  # calls reach the hall's screen however busy its PC is
        if screen is None:
            screen = len(QApplication.screens()) - 1  # the last monitor: usually the hall's
    main = build_screen(
        db,
        role_chosen,
        cast(int, chosen["window"]),
        large_text=large_text,
        actor=chosen.get("actor"),  # type: ignore[arg-type]
        screen_size=_screen_size(screen),
    )
    if chosen["role"] in ("counter", "helper", "supervisor"):
        # 1440x900 where it fits with its title bar; on a smaller screen it fills the screen.
        free = main.screen().availableGeometry()
        if free.width() >= 1480 and free.height() >= 960:
            main.resize(1440, 900)
            main.show()
        else:
            # A window manager maximizes; without one nobody would, so size it ourselves too.
            main.setGeometry(free)
            main.showMaximized()
        from desk_app.ui.common.mode_badge import add_mode_badge

        add_mode_badge(main, dialog.hall_mode)  # 培训/演示, if it is one
        # Without a window manager nobody hands the new window the keyboard: F1 would go
        # nowhere until someone clicked. Ask for it (a window manager does the same).
        main.raise_()
        main.activateWindow()
    else:
        place_fullscreen(main, screen)
    sync_loop = _start_sync(db) if chosen["role"] == "counter" else None
    devices = _start_devices(main) if chosen["role"] in ("counter", "kiosk", "display") else None
    code = app.exec()
    if devices is not None:
        devices.close()
    if sync_loop is not None:
        sync_loop.stop()
    db.dispose()
    return code


def _escpos_sink(db: Database) -> Any:
    from desk_app.services.devices.tickets import EscposSink, escpos_device

    try:
        device = escpos_device(db)
    except Exception as exc:  # noqa: BLE001 - the registry unreadable: the OS printer path
        log.warning("ESC/POS printer not looked up: %s", exc)
        return None
    return None if device is None else EscposSink(db, device)


def _start_devices(screen: QWidget) -> Any:
    """This PC's call-pad receivers, LED strips and serial evaluation pads, driven by the main
    screen's process (one process per port: a second screen on the PC starts none)."""
    from desk_app.services.devices.runner import DeviceRunner

    try:
        return DeviceRunner(screen.db).start()  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - devices must never keep a screen from starting
        log.warning("devices not started: %s", exc)
        return None


CATALOG_LOOK_MS = 30_000


def _keep_catalog_current(db: Database, app: QApplication) -> None:
    """Put the hall's newest published catalog version in force now and every 30 s: a
    version a supervisor publishes reaches every running screen's next case and answer."""
    from PySide6.QtCore import QTimer

    from desk_app.services.catalog.versions import refresh

    def look() -> None:
        try:
            if refresh(db):
                log.info("catalog: a newer published version is in force")
        except Exception as exc:  # noqa: BLE001 - the database is away: keep the one in force
            log.warning("catalog: version not checked: %s", exc)

    look()
    timer = QTimer(app)
    timer.setInterval(CATALOG_LOOK_MS)
    timer.timeout.connect(look)
    timer.start()


def _start_sync(db: Database):  # type: ignore[no-untyped-def]
    """Counters send concluded cases in the background when a backend is configured: the same
    loop as ``desk-app sync run`` (purge on schedule, stop on a 401), on its own thread."""
    from desk_app.sync.client import CentralClient, CentralError
    from desk_app.sync.config import SyncConfig, SyncConfigError
    from desk_app.sync.loop import SyncLoop
    from desk_app.sync.worker import SyncThread

    try:
        config = SyncConfig.from_env()
        if not config.configured:
            log.info("sync: no central backend configured")
            return None
        thread = SyncThread(SyncLoop(db.acting_as(SYSTEM_ACTOR), CentralClient(config)))
    except (CentralError, SyncConfigError, ValueError) as exc:  # e.g. plain http to a remote host
        log.error("sync not started: %s", exc)
        return None
    thread.start()
    return thread
