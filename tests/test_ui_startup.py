"""Starting the screens on a machine that cannot show them: one line and exit 1, never Qt's
abort (exit 134 and a core dump)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.ui.common import startup

ROOT = Path(__file__).resolve().parent.parent


def _gui(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``desk-app gui --role kiosk`` in a child process with exactly ``env``'s display."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DESK_APP_LANG")
    }
    base.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), **env)
    db = f"sqlite:///{tmp_path / 'hall.db'}"
    return subprocess.run(
        [sys.executable, "-m", "desk_app", "--db", db, "gui", "--role", "kiosk", *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="the X11/Wayland check is Linux's")
def test_no_display_is_one_line_and_exit_1(tmp_path):
    done = _gui(tmp_path, {})
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISPLAY" in lines[0] and "没有图形显示" in lines[0]
    assert "/ no display" in lines[0]  # no language chosen yet: said in both
    english = _gui(tmp_path, {}, "--lang", "en")
    assert english.returncode == 1
    assert english.stderr.strip().startswith("desk-app: no display")
    assert "没有" not in english.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the X11/Wayland check is Linux's")
def test_missing_xcb_libraries_are_named_with_the_packages_to_install(tmp_path):
    # The loader's own report (ldd) says two of Qt's xcb pieces are missing.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "ldd"
    fake.write_text(
        "#!/bin/sh\n"
        "echo '\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x1)'\n"
        "echo '\tlibxcb-icccm.so.4 => not found'\n"
        "echo '\tlibxcb-keysyms.so.1 => not found'\n"
        "echo '\tlibxcb-icccm.so.4 => not found'\n"
    )
    fake.chmod(0o755)
    done = _gui(tmp_path, {"DISPLAY": ":97", "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in lines[0]
    assert lines[0].endswith("sudo apt install libxcb-icccm4 libxcb-keysyms1")
    assert "cursor" not in lines[0]  # not Qt's guess


@pytest.mark.skipif(not shutil.which("ldd"), reason="needs ldd")
def test_a_display_nobody_serves_is_named(tmp_path):
    plugin = startup.xcb_plugin()
    if plugin is None or startup.missing_libraries(plugin):
        pytest.skip("Qt's xcb libraries are not all installed here")
    display = _unserved_display()
    done = _gui(tmp_path, {"DISPLAY": display})
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [startup.unreachable_message(display)]


def _unserved_display() -> str:
    """A local X display number no server has taken (a developer's Xvfb may hold :97)."""
    for n in range(97, 400):
        if not any(os.path.exists(p) for p in (f"/tmp/.X11-unix/X{n}", f"/tmp/.X{n}-lock")):
            return f":{n}"
    pytest.skip("every X display number from :97 to :399 is taken")


@pytest.mark.skipif(not shutil.which("ldd"), reason="needs ldd")
def test_every_library_the_xcb_plugin_loads_has_its_package_named():
    """PySide6 upgrades can change what the plugin needs; each system library it needs
    directly must map to a Debian package in the one-line advice."""
    plugin = startup.xcb_plugin()
    assert plugin is not None
    qt_lib = plugin.parent.parent.parent / "lib" / "libQt6XcbQpa.so.6"
    needed: set[str] = set()
    for binary in (plugin, qt_lib):
        dump = subprocess.run(
            [sys.executable, "-c", _NEEDED, str(binary)], capture_output=True, text=True
        )
        needed |= set(dump.stdout.split())
    system = {n for n in needed if not n.startswith(("libQt6", "libstdc++", "libc.", "libm."))}
    system -= {"libgcc_s.so.1", "libgthread-2.0.so.0", "ld-linux-x86-64.so.2"}
    assert system, "no dependencies read"
    assert system <= set(startup.XCB_PACKAGES), system - set(startup.XCB_PACKAGES)


# DT_NEEDED of an ELF64 little-endian file, read from its dynamic section.
_NEEDED = r"""
import struct, sys
data = open(sys.argv[1], "rb").read()
shoff, = struct.unpack_from("<Q", data, 0x28)
shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
for name, kind, _f, _a, off, size, link, _i, _al, _es in sections:
    if kind == 6:  # SHT_DYNAMIC
        strtab = sections[link][4]
        for i in range(0, size, 16):
            tag, val = struct.unpack_from("<qQ", data, off + i)
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab + val)
                print(data[strtab + val:end].decode())
"""


# -- full screen without a window manager ------------------------------------------------------

_FULLSCREEN = r"""
import sys
from PySide6.QtWidgets import QApplication, QLabel
from desk_app.ui.common.app import place_fullscreen

app = QApplication(sys.argv)
widget = QLabel("kiosk")
widget.resize(844, 676)  # what a kiosk asks for on its own
place_fullscreen(widget, None)
for _ in range(100):  # until the X server has mapped it
    app.processEvents()
    if widget.isVisible() and widget.windowHandle().isExposed():
        break
app.processEvents()
g, s = widget.frameGeometry(), app.primaryScreen().geometry()
print(g.x(), g.y(), g.width(), g.height(), s.width(), s.height())
"""


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs Xvfb (Debian: xvfb)")
@pytest.mark.skipif(
    bool(startup.xcb_plugin() is None or startup.missing_libraries(startup.xcb_plugin())),
    reason="Qt's xcb libraries are not all installed here",
)
def test_kiosk_and_display_fill_the_screen_without_a_window_manager(tmp_path):
    """Kiosks often run on a bare X server: nobody honours "full screen" but the app."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.pop("DESK_APP_WINDOWED", None)
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1024x600x24", sys.executable, "-c", _FULLSCREEN],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    x, y, w, h, sw, sh = map(int, done.stdout.split()[-6:])
    assert (sw, sh) == (1024, 600)
    assert (x, y, w, h) == (0, 0, 1024, 600)
