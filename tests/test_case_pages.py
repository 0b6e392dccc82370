"""A page before it is sealed: trimmed to the paper on a document camera's uniform base, left
alone when there is no clear margin, turned a quarter clockwise."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from desk_app.services.cases import pages


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def sheet_on_base(size=(2000, 1500), box=(500, 200, 1500, 1350), base=(55, 60, 60)) -> bytes:
    """A white sheet with some lines at ``box`` on a dark camera base."""
    image = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(image)
    draw.rectangle(box, fill=(245, 245, 240))
    for y in range(box[1] + 60, box[3] - 40, 50):
        draw.line((box[0] + 60, y, box[2] - 80, y), fill=(30, 30, 30), width=4)
    return _jpeg(image)


def test_a_sheet_on_the_camera_base_is_trimmed_to_the_paper():
    box = (500, 200, 1500, 1350)
    out = Image.open(io.BytesIO(pages.autocrop(sheet_on_base(box=box))))
    w, h = box[2] - box[0], box[3] - box[1]
    # The paper and at most a small margin around it (the pad and the reduced grid).
    assert w <= out.width <= w * 1.06 and h <= out.height <= h * 1.06
    assert min(out.convert("L").getpixel((out.width // 2, out.height // 2)), 255) > 200


def test_a_page_with_no_uniform_margin_is_left_alone():
    plain = _jpeg(Image.new("RGB", (1200, 1600), (250, 250, 250)))
    assert pages.autocrop(plain) == plain  # all paper: nothing to trim
    busy = Image.new("RGB", (1200, 900), (40, 40, 40))
    draw = ImageDraw.Draw(busy)
    for x in range(0, 1200, 30):  # a cluttered desk: the frame is not one colour
        draw.line((x, 0, x, 900), fill=(230, 230, 230), width=10)
    data = _jpeg(busy)
    assert pages.autocrop(data) == data
    tiny = sheet_on_base(box=(990, 740, 1010, 760))  # "paper" under a quarter of the image
    assert pages.autocrop(tiny) == tiny


def test_a_quarter_turn_is_clockwise_and_four_come_back():
    image = Image.new("RGB", (300, 100), (255, 255, 255))
    image.paste((0, 0, 0), (0, 0, 30, 100))  # a black band on the left
    data = _jpeg(image)
    turned = Image.open(io.BytesIO(pages.rotate(data))).convert("L")
    assert turned.size == (100, 300)
    assert turned.getpixel((50, 10)) < 60 and turned.getpixel((50, 290)) > 200  # now on top
    assert pages.rotate(data, 4) == data
