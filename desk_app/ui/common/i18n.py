"""The hall's language on screen beyond our own strings: Qt's own texts (OK/Cancel, the calendar)
and the locale of dates, taken from the hall's choice (Chinese, or English with ``--lang en``),
never from the operating system's (a PC set to LANG=C.UTF-8 would show "28 02 2027")."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

_english = False


def is_english() -> bool:
    """Whether the screens speak English (``--lang en``); otherwise Chinese."""
    return _english


def hall_locale() -> QLocale:
    """The locale of dates and numbers on screen: zh_CN, or en_US for the English screens."""
    if _english:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return QLocale(QLocale.Language.Chinese, QLocale.Country.China)


def date_format() -> str:
    """How a date edit shows its date: 2027年2月28日, or 28 Feb 2027."""
    return "d MMM yyyy" if _english else "yyyy年M月d日"


def format_date(day: QDate) -> str:
    return hall_locale().toString(day, date_format())


def install_qt_translations(app: QCoreApplication, lang: str | None) -> QTranslator | None:
    """Set the hall's locale as Qt's default and, for Chinese screens, load Qt's own Chinese
    (qtbase_zh_CN: the OK/Cancel of standard buttons, context menus, the calendar).

    ``lang`` as given to the app (``--lang``), else DESK_APP_LANG; returns the installed
    translator (None for English, or when Qt's file is missing)."""
    global _english
    lang = lang or os.environ.get("DESK_APP_LANG") or ""
    _english = lang.lower().startswith("en")
    QLocale.setDefault(hall_locale())
    if _english:
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(hall_locale(), "qtbase", "_", folder):
        app.installTranslator(translator)
        return translator
    log.warning("Qt's Chinese translation (qtbase_zh_CN) not found in %s", folder)
    return None


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - the name lupdate reads
    """Mark ``source`` for translation in ``context`` and return it unchanged, as Qt's own does
    (pyside6-lupdate finds the calls by this name); typed to return text, where PySide6's stubs
    say ``object``."""
    return source


def in_documents(name: str) -> str:
    """A file dialog's starting path: ``name`` in the user's Documents folder (the home folder
    where there is none), not the folder the program was started from."""
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    folder = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    ) or str(Path.home())
    return str(Path(folder) / name)


def listed(parts: list[str] | tuple[str, ...], *, sep: str = "、") -> str:
    """A list in the screen's language: 甲、乙 in Chinese, "a, b" in English (never
    "Steps、Materials"); ``sep`` "；" becomes "; "."""
    return ("; " if sep == "；" else ", ").join(parts) if _english else sep.join(parts)


def in_language(chinese: str, english: str | None) -> str:
    """A catalog fact's name in the screen's language: its English name with ``--lang en``
    where the catalog has one, else the Chinese once (not both, not mixed)."""
    return english if _english and english else chinese
