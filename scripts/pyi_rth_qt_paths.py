"""Run-time hook of the one-folder build (build.spec): where Qt finds its plugins.

It replaces PyInstaller's own PySide6 hook, which imports PySide6.QtCore at every start (about
50 ms, a third of a command's start-up) only to check for a qt.conf the PySide6 wheels already
embed. The environment it sets is the same; Qt is imported when a screen needs it.
"""

import os
import sys


def _qt_paths() -> None:
    base = sys._MEIPASS  # type: ignore[attr-defined]  # the folder PyInstaller unpacked to
    qt = os.path.join(base, "PySide6") if sys.platform.startswith("win") else None
    qt = qt or os.path.join(base, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")
    if sys.platform.startswith("win"):  # QtNetwork's OpenSSL DLLs, collected beside the program
        os.environ["PATH"] = base + os.pathsep + os.environ.get("PATH", "")


_qt_paths()
del _qt_paths
