#!/usr/bin/env python3
"""Rebuild the bundled CJK font ``resources/fonts/wqy-microhei-gbk.ttf``.

The source is WenQuanYi Micro Hei from the Debian package ``fonts-wqy-microhei``
(``apt-get install fonts-wqy-microhei``). Its ``wqy-microhei.ttc`` holds two faces; we keep face 0
(the proportional "WenQuanYi Micro Hei") as a plain TrueType (glyf) file, which reportlab can
embed and Qt's ``QFontDatabase.addApplicationFont`` can load.

The subset keeps every character of GBK (GB2312 plus the rarer characters that appear in
people's names and addresses), ASCII and Latin-1, general punctuation, CJK symbols and
punctuation, full-width forms, and every non-ASCII character found in the project's own text
(``resources/``, ``desk_app/``, ``printing/``), so that everything the application prints has a
glyph: reportlab has no font fallback, a missing glyph would print as an empty box.

The name table (all IDs, all languages, Mac and Windows records) and the legacy cmap subtables
are kept as they are, so the family name stays "WenQuanYi Micro Hei" / "文泉驿微米黑".

Usage (needs fontTools, a build-time tool only: ``pip install fonttools``)::

    python scripts/subset_font.py [--source PATH] [--charset gbk|gb2312] [--output PATH]

Run it again whenever text with new characters is added under ``resources/``
(``tests/test_printing_ticket.py`` checks that the font covers all that text).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEFAULT_OUTPUT = ROOT / "resources" / "fonts" / "wqy-microhei-gbk.ttf"

# Unicode ranges kept whatever the text says: ASCII, Latin-1, general punctuation (“ ” ‘ ’ · …
# — ‰), letter-like symbols (℃ №), number forms (Ⅰ Ⅱ), enclosed numerals (① ⑴ ⒈), arrows,
# box drawing (tables in receipts), geometric shapes (□ ■ ○ ● △ ★), CJK symbols and
# punctuation (、。《》【】〔〕), full-width and half-width forms (，：？！（）￥).
RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x2000, 0x206F),
    (0x2100, 0x214F),
    (0x2150, 0x218F),
    (0x2190, 0x21FF),
    (0x2460, 0x24FF),
    (0x2500, 0x257F),
    (0x25A0, 0x25FF),
    (0x2600, 0x26FF),
    (0x3000, 0x303F),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)

# Text files under these folders whose characters must all be printable.
TEXT_DIRS = ("resources", "desk_app", "printing")
TEXT_SUFFIXES = {
    ".py",
    ".json",
    ".yaml",
    ".yml",
    ".toml",
    ".csv",
    ".txt",
    ".md",
    ".qss",
    ".ts",
    ".xml",
    ".html",
}


def charset(name: str) -> set[str]:
    """Every character of a two-byte Chinese national charset (``gb2312`` or ``gbk``).

    GBK includes GB2312, but Python's codecs map a few shared code points differently (A1A4 is
    U+30FB in ``gb2312`` and U+00B7 in ``gbk``), so ``gbk`` returns both mappings.
    """
    if name == "gbk":
        return _charset("gbk") | _charset("gb2312")
    return _charset(name)


def _charset(name: str) -> set[str]:
    first = range(0xA1, 0xF8) if name == "gb2312" else range(0x81, 0xFF)
    second = range(0xA1, 0xFF) if name == "gb2312" else range(0x40, 0xFF)
    chars: set[str] = set()
    for hi in first:
        for lo in second:
            try:
                chars.add(bytes((hi, lo)).decode(name))
            except UnicodeDecodeError:
                continue  # an unassigned code point of the charset
    return chars


def project_text_chars(root: Path = ROOT) -> set[str]:
    """Non-ASCII characters used in the project's text files (catalog, UI strings, documents)."""
    chars: set[str] = set()
    for folder in TEXT_DIRS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():
                continue
            if "fonts" in path.relative_to(root).parts:
                continue  # the font's own README/licence are documentation, not printed text
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            chars.update(ch for ch in text if ord(ch) > 0x7F and ch.isprintable())
    return chars


def wanted_codepoints(charset_name: str, root: Path = ROOT) -> set[int]:
    """All code points the bundled font should cover."""
    points = {ord(ch) for ch in charset(charset_name)}
    points |= {ord(ch) for ch in project_text_chars(root)}
    for lo, hi in RANGES:
        points.update(range(lo, hi + 1))
    return points


def _format_missing(points: Iterable[int]) -> str:
    return " ".join(f"U+{p:04X}({chr(p)})" for p in sorted(points))


def main(argv: list[str] | None = None) -> int:
    """Subset the source font and write the bundled TrueType file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--font-number", type=int, default=0, help="face index inside a .ttc")
    parser.add_argument("--charset", choices=("gbk", "gb2312"), default="gbk")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        print("fontTools is needed: pip install fonttools", file=sys.stderr)
        return 2
    if not args.source.is_file():
        print(
            f"{args.source} not found: apt-get install fonts-wqy-microhei (or pass --source)",
            file=sys.stderr,
        )
        return 2

    # recalcTimestamp=False: the same input gives a byte-identical file (reproducible builds).
    font = TTFont(args.source, fontNumber=args.font_number, lazy=False, recalcTimestamp=False)
    if "glyf" not in font:
        print("the source must have TrueType (glyf) outlines for reportlab", file=sys.stderr)
        return 2
    available = set(font.getBestCmap())
    wanted = wanted_codepoints(args.charset)
    # Ranges are kept "as far as the font has them"; only text the project really prints must be
    # present, so warn about those characters alone.
    needed = {ord(ch) for ch in project_text_chars()} | {ord(ch) for ch in charset(args.charset)}
    missing = needed - available
    if missing:
        print(f"warning: not in the source font: {_format_missing(missing)}", file=sys.stderr)

    options = subset.Options()
    options.name_IDs = ["*"]  # keep every name record: Qt and PDF viewers show the family name
    options.name_languages = ["*"]  # ... including the Chinese family name 文泉驿微米黑
    options.name_legacy = True  # ... and the Mac platform records
    options.legacy_cmap = True  # keep all cmap subtables, not just the Windows Unicode ones
    options.symbol_cmap = True
    options.layout_features = ["*"]  # vertical forms and the like, for Qt's text shaping
    options.notdef_outline = True  # a visible box rather than nothing for an unknown char
    options.glyph_names = False
    options.hinting = True  # keep the TrueType instructions: sharper UI text on screen
    options.drop_tables += ["FFTM"]  # FontForge timestamp, meaningless after subsetting

    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted & available))
    subsetter.subset(font)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.save(args.output)
    size = args.output.stat().st_size
    print(
        f"wrote {args.output} ({size / 1e6:.2f} MB, {len(font.getBestCmap())} characters, "
        f"{font['maxp'].numGlyphs} glyphs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
