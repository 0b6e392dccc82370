"""A page image before it is sealed into the case: turned a quarter, or trimmed to the paper.

A document camera (高拍仪) photographs the sheet on its base: the margin around the paper is
the base's uniform colour. ``autocrop`` trims it from a grayscale projection (cheap: on a copy
reduced to about 400 pixels, then one crop of the full image): the level of the image's outer
frame is taken as the background, a row or column is paper when enough of its pixels differ
from it, and the image is cut to the first and last such row and column (plus a small margin).
An image whose frame is not one uniform colour (a scanner's page, a photo of a cluttered desk)
or whose paper would be under a quarter of it is left as it is. Skew is not corrected.

Pillow only (no Qt): the dialog and the command line call the same functions.
"""

from __future__ import annotations

import io
from statistics import median, pstdev

from PIL import Image, ImageOps

PAPER_DIFF = 40  # grey levels between the background and what counts as paper
MIN_SHARE = 0.25  # share of a row's (column's) pixels that differ: the row crosses the paper
FRAME_STD = 18.0  # a frame more varied than this is not a uniform background: no crop
MIN_AREA = 0.25  # a crop leaving less than this share of the image is not trusted
PAD = 0.01  # margin kept around the paper (share of the side)


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    return ImageOps.exif_transpose(image).convert("RGB")


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def paper_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The paper's box (left, top, right, bottom) in ``image``, None when there is no clear
    uniform margin to trim."""
    gray = image.convert("L")
    w, h = gray.size
    factor = max(1, max(w, h) // 400)
    small = gray.reduce(factor) if factor > 1 else gray
    sw, sh = small.size
    if sw < 20 or sh < 20:
        return None
    px = small.load()
    assert px is not None
    edge = max(1, min(sw, sh) // 50)
    frame = [
        int(px[x, y])  # type: ignore[arg-type]
        for y in range(sh)
        for x in range(sw)
        if x < edge or y < edge or x >= sw - edge or y >= sh - edge
    ]
    if pstdev(frame) > FRAME_STD:
        return None
    level = median(frame)

    def differs(v: object) -> bool:
        return abs(int(v) - level) > PAPER_DIFF  # type: ignore[call-overload]

    rows = [sum(differs(px[x, y]) for x in range(sw)) / sw >= MIN_SHARE for y in range(sh)]
    cols = [sum(differs(px[x, y]) for y in range(sh)) / sh >= MIN_SHARE for x in range(sw)]
    if not any(rows) or not any(cols):
        return None
    top, bottom = rows.index(True), sh - rows[::-1].index(True)
    left, right = cols.index(True), sw - cols[::-1].index(True)
    if (bottom - top) * (right - left) < MIN_AREA * sw * sh:
        return None
    pad_x, pad_y = int(sw * PAD), int(sh * PAD)
    box = (
        max(0, left - pad_x) * factor,
        max(0, top - pad_y) * factor,
        min(sw, right + pad_x) * factor,
        min(sh, bottom + pad_y) * factor,
    )
    return (box[0], box[1], min(w, box[2]), min(h, box[3]))


def autocrop(data: bytes) -> bytes:
    """The page trimmed to its paper (JPEG), or ``data`` unchanged when there is nothing clear
    to trim."""
    image = _open(data)
    box = paper_box(image)
    if box is None or box == (0, 0, *image.size):
        return data
    return _encode(image.crop(box))


def rotate(data: bytes, quarter_turns: int = 1) -> bytes:
    """The page turned clockwise by 90° ``quarter_turns`` times (JPEG)."""
    image = _open(data)
    turns = quarter_turns % 4
    if not turns:
        return data
    # PIL turns counter-clockwise: 270° counter-clockwise is 90° clockwise.
    return _encode(image.rotate(-90 * turns, expand=True))
