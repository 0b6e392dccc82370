"""The e-licence document (电子证照) a ``licence`` resource answers with: a one-page A4 PDF.

It shows what the platform vouches for: the licence's title and issuing department, the holder
(name and masked ID), the fields, the licence number, the verification code (核验码) and a QR
code of that code (the ``qrcode`` package), with which anyone may check the document with the
platform. Text is drawn in the project's CJK font (WenQuanYi Micro Hei), embedded as a subset
(reportlab's TTFont default), so the PDF prints Chinese anywhere and stays a few tens of KB.

The font is found at ``CENTRAL_REF_FONT`` when set, else in ``DESK_APP_RESOURCES/fonts``, else
in the checkout's ``resources/fonts`` (as the desk finds it, printing/fonts.py).
"""

from __future__ import annotations

import io
import os
import threading
from datetime import date
from pathlib import Path

FONT_FILE = "wqy-microhei-gbk.ttf"
FONT_NAME = "CentralRefCJK"
_lock = threading.Lock()
_registered = False


def font_path() -> Path:
    """Where the CJK font is expected (it may be missing: ``register_font`` says so)."""
    explicit = os.environ.get("CENTRAL_REF_FONT")
    if explicit:
        return Path(explicit)
    resources = os.environ.get("DESK_APP_RESOURCES")
    base = Path(resources) if resources else Path(__file__).resolve().parents[1] / "resources"
    return base / "fonts" / FONT_FILE


def register_font() -> str:
    """Register the font with reportlab once (thread-safe); FileNotFoundError when missing."""
    global _registered
    with _lock:
        if not _registered:
            path = font_path()
            if not path.is_file():
                raise FileNotFoundError(f"the CJK font for e-licences is missing: {path}")
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
            _registered = True
    return FONT_NAME


def _qr_png(data: str) -> io.BytesIO:
    import qrcode
    import qrcode.constants
    from qrcode.image.pil import PilImage

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(image_factory=PilImage).get_image().convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (with …) to fit ``width`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def render(
    *,
    title: str,
    department: str,
    holder: str,
    holder_id: str,
    fields: list[tuple[str, str]],
    number: str,
    verification_code: str,
    issued: date,
) -> bytes:
    """The licence as PDF bytes (one A4 page). ``holder_id`` is shown as given (pass it masked)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    font = register_font()
    buffer = io.BytesIO()
    width, height = A4
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    pdf.setTitle(f"{title} {number}")
    pdf.setAuthor(department)
    pdf.setLineWidth(1.2)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    pdf.setFont(font, 24)
    pdf.drawCentredString(width / 2, height - 40 * mm, title)
    pdf.setFont(font, 12)
    pdf.drawCentredString(width / 2, height - 49 * mm, f"电子证照 · {department}")
    left, value_x, right = 28 * mm, 75 * mm, width - 28 * mm
    y = height - 68 * mm
    rows = [("持证主体", holder), ("证件号码", holder_id), *fields]
    for label, value in rows:
        pdf.setFont(font, 12)
        pdf.drawString(left, y, label)
        pdf.drawString(value_x, y, _fit(value or "—", font, 12, right - value_x))
        pdf.setLineWidth(0.3)
        pdf.line(left, y - 2.5 * mm, right, y - 2.5 * mm)
        y -= 10 * mm
    y -= 6 * mm
    pdf.setFont(font, 12)
    pdf.drawString(left, y, f"证照编号:{number}")
    pdf.drawString(left, y - 9 * mm, f"发证日期:{issued.isoformat()}")
    pdf.drawString(left, y - 18 * mm, f"核验码:{verification_code}")
    size = 38 * mm
    pdf.drawImage(ImageReader(_qr_png(verification_code)), right - size, y - 30 * mm, size, size)
    pdf.setFont(font, 9)
    pdf.drawString(
        left,
        22 * mm,
        "本电子证照由数据共享交换平台提供,可凭核验码或扫描二维码向平台核验真伪。",
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
