"""QR codes for printed documents (ticket progress, receipt lookup, notice download).

Made with the ``qrcode`` package (the design requires it, not reportlab's own QR widget) and
handed to reportlab as an image.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
from PIL import Image
from qrcode.image.pil import PilImage
from reportlab.lib.utils import ImageReader

_ERROR_CORRECTION = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def qr_image(
    data: str, box_size: int = 10, border: int = 4, error_correction: str = "M"
) -> Image.Image:
    """A black-on-white QR code for ``data`` as a 1-bit PIL image.

    Args:
        data: the exact text to encode (a URL is encoded as given, byte for byte).
        box_size: pixels per module; the image is drawn scaled, so this only sets the raster
            resolution: 10 keeps module edges sharp at any print size.
        border: quiet zone in modules; 4 is the minimum the QR standard asks for, and thermal
            receipts need it since phone cameras lose the code against the paper edge otherwise.
        error_correction: ``L``, ``M``, ``Q`` or ``H``; ``M`` (15 %) survives the smudges and
            creases of thermal paper without making the code too dense for a short URL.
    """
    if not data:
        raise ValueError("QR data must not be empty")
    qr = qrcode.QRCode(
        version=None,  # smallest version that fits
        error_correction=_ERROR_CORRECTION[error_correction],
        box_size=box_size,
        border=border,
    )
    qr.add_data(data)
    qr.make(fit=True)
    # PilImage explicitly: without Pillow qrcode would silently fall back to a PyPNG image.
    wrapper = qr.make_image(image_factory=PilImage, fill_color="black", back_color="white")
    # Mode "1" (bilevel) is what a thermal printer prints anyway and keeps the PDF image tiny.
    return wrapper.get_image().convert("1")


def qr_reader(
    data: str, box_size: int = 10, border: int = 4, error_correction: str = "M"
) -> ImageReader:
    """The QR code of :func:`qr_image` wrapped for ``canvas.drawImage``.

    Encoded as PNG in memory: reportlab then embeds it losslessly (a JPEG would blur modules).
    """
    buffer = io.BytesIO()
    qr_image(data, box_size=box_size, border=border, error_correction=error_correction).save(
        buffer, format="PNG"
    )
    buffer.seek(0)
    return ImageReader(buffer)
