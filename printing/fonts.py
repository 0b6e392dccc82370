"""The bundled CJK font, registered with reportlab for every printed document.

reportlab has no font fallback: text drawn in a font without the glyph prints as an empty box.
All documents therefore use one font that covers Chinese, Latin and punctuation alike
(WenQuanYi Micro Hei, see ``resources/fonts/README.md``).
"""

from __future__ import annotations

import threading
from pathlib import Path

from desk_app.paths import resources_dir

#: File name of the bundled font inside ``resources/fonts``.
FONT_FILE = "wqy-microhei-gbk.ttf"
#: Name under which the font is registered with reportlab (``canvas.setFont(FONT_NAME, size)``).
FONT_NAME = "WenQuanYiMicroHei"

_lock = threading.Lock()
_registered: str | None = None


class FontNotFoundError(FileNotFoundError):
    """The bundled CJK font is missing (a broken install or a wrong DESK_APP_RESOURCES)."""


def font_path() -> Path:
    """Path of the bundled CJK font file (it may not exist: see :func:`register_fonts`)."""
    return resources_dir() / "fonts" / FONT_FILE


def register_fonts() -> str:
    """Register the bundled CJK font with reportlab and return its font name.

    Idempotent and thread-safe: documents may be rendered from several worker threads, and
    reportlab's font registry is a process-wide dict, so the first call registers under a lock
    and later calls return at once.

    Raises:
        FontNotFoundError: the font file is not where ``desk_app.paths.resources_dir()`` says.
    """
    global _registered
    if _registered is not None:  # fast path without the lock, the value never changes back
        return _registered
    with _lock:
        if _registered is not None:
            return _registered
        path = font_path()
        if not path.is_file():
            raise FontNotFoundError(
                f"bundled CJK font not found: {path} (resources dir {resources_dir()}); "
                "check the installation or DESK_APP_RESOURCES"
            )
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        # TTFont embeds only the glyphs used by each document (subset embedding is its default),
        # so a one-page ticket stays small although the font file is 3 MB.
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
        _registered = FONT_NAME
        return _registered
