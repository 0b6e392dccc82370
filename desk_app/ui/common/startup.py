"""Checks before Qt starts: is there a display, and can Qt's X11 (xcb) platform load on it?

Without them Qt aborts the process (exit 134, a core dump) and often blames the wrong library
("xcb-cursor0 is needed" when libxcb-icccm4 is missing). Here the missing pieces are found
first and named in one line, with the Debian/Ubuntu packages to install. No Qt is loaded.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# The libraries Qt's xcb platform (PySide6 6.11) loads from the system, by the Debian/Ubuntu
# package that ships them. A desktop usually has the lower half; the upper half is what a
# fresh Debian/Ubuntu desktop lacks.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def _english(lang: str | None) -> bool:
    lang = lang or os.environ.get("DESK_APP_LANG") or ""
    return bool(lang) and not lang.startswith("zh")


def _chosen(lang: str | None) -> bool:
    """Whether a language was chosen (``--lang`` or DESK_APP_LANG); if not, say it in both."""
    return bool(lang or os.environ.get("DESK_APP_LANG"))


def _say(zh: str, en: str, lang: str | None) -> str:
    """One line in the chosen language, or in both ("中文 / English") when none was chosen:
    the screens could not start, so nobody has picked a language yet."""
    if not _chosen(lang):
        return f"{zh} / {en.removeprefix('desk-app: ')}"
    return en if _english(lang) else zh


def qt_platform(env: Mapping[str, str]) -> str:
    """The platform Qt will use: the one asked for, else Wayland in a Wayland session, else
    X11 (xcb)."""
    asked = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if asked:
        return asked
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return "wayland"
    return "xcb"


def xcb_plugin() -> Path | None:
    """Qt's xcb platform plugin in the installed PySide6 (None: not found)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(next(iter(spec.submodule_search_locations))) / "Qt/plugins/platforms/libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_libraries(plugin: Path) -> list[str]:
    """The system libraries ``plugin`` needs that the dynamic loader cannot find, as ``ldd``
    reports them (ldd is in every Debian/Ubuntu; without it nothing is reported)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    try:
        out = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return list(dict.fromkeys(_NOT_FOUND.findall(out)))


def missing_message(libraries: list[str], *, lang: str | None = None) -> str:
    """One line: what is missing and the ``apt install`` that brings it."""
    packages = " ".join(dict.fromkeys(XCB_PACKAGES.get(lib, lib) for lib in libraries))
    names = ", ".join(libraries)
    return _say(
        f"desk-app: 缺少界面所需的系统库 ({names}); 请安装: sudo apt install {packages}",
        f"desk-app: the screens need system libraries that are missing ({names}); "
        f"install them: sudo apt install {packages}",
        lang,
    )


def no_display_message(*, lang: str | None = None) -> str:
    return _say(
        "desk-app: 没有图形显示 (DISPLAY 和 WAYLAND_DISPLAY 都未设置): 请在桌面会话中启动界面; "
        "命令行操作无需显示 (desk-app --help)",
        "desk-app: no display (neither DISPLAY nor WAYLAND_DISPLAY is set): start the "
        "screens in a desktop session; the command line needs none (desk-app --help)",
        lang,
    )


def unreachable_message(display: str, *, lang: str | None = None) -> str:
    return _say(
        f"desk-app: 无法连接显示 {display!r}: 请检查 X 服务器是否在运行、本用户是否有权使用",
        f"desk-app: cannot connect to the display {display!r}: is the X server running "
        "and may this user use it?",
        lang,
    )


def _x_server_answers(display: str) -> bool:
    """Connect to the X server once with libxcb (what Qt would do, minus the abort)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # reported as a missing library instead
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        return xcb.xcb_connection_has_error(conn) == 0
    finally:
        xcb.xcb_disconnect(conn)  # also frees the error connection xcb returns


def display_problem(
    env: Mapping[str, str] | None = None, *, lang: str | None = None, platform: str | None = None
) -> str | None:
    """Why the screens cannot start here, in one line; None when Qt can start.

    Only Linux desktops are checked, and only for the platform Qt will pick: a platform set
    in ``QT_QPA_PLATFORM`` other than xcb or wayland (offscreen, vnc, eglfs...) is left to Qt.
    """
    env = os.environ if env is None else env
    if (platform or sys.platform) != "linux":
        return None
    chosen = qt_platform(env)
    if chosen not in ("xcb", "wayland"):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return no_display_message(lang=lang)
    if chosen != "xcb":
        return None
    plugin = xcb_plugin()
    if plugin is not None:
        missing = missing_libraries(plugin)
        if missing:
            return missing_message(missing, lang=lang)
    display = env.get("DISPLAY", "")
    if display and not _x_server_answers(display):
        return unreachable_message(display, lang=lang)
    return None
