"""The document camera (高拍仪, a UVC camera) in the 拍照/扫描 dialog, through Qt Multimedia:
a live preview (QCamera → QMediaCaptureSession → QVideoWidget) and 拍照 capturing a still
(QImageCapture) handed on as JPEG bytes, in memory only.

The camera is the PC's ``camera`` device whose target is a Qt camera id (its id as Qt lists it,
or its description), or ``default`` (the system's default camera, else the first one). When
no such camera is present the panel is one line saying so, and the dialog's other ways in (the
scan folder, chosen files) work as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

JPEG_QUALITY = 92  # the still as taken; files.py re-encodes the page for the PDF


def image_bytes(image: QImage) -> bytes:
    """``image`` as JPEG bytes (in memory)."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG", JPEG_QUALITY)  # type: ignore[call-overload]  # str at runtime
    buffer.close()
    return bytes(array.data())


def find_camera(wanted: str):  # type: ignore[no-untyped-def]
    """The QCameraDevice for a device target (an id, a description, or ``default``), or None
    when this PC has no such camera."""
    from PySide6.QtMultimedia import QMediaDevices

    inputs = QMediaDevices.videoInputs()
    if not inputs:
        return None
    if wanted in ("", "default"):
        default = QMediaDevices.defaultVideoInput()
        return inputs[0] if default.isNull() else default
    for device in inputs:
        if bytes(device.id().data()).decode("utf-8", "replace") == wanted:
            return device
    return next((d for d in inputs if d.description() == wanted), None)


class CameraPanel(QWidget):
    """The preview and the capture; ``took(jpeg_bytes)`` for each still."""

    def __init__(
        self,
        wanted: str,
        took: Callable[[bytes], None],
        parent: QWidget | None = None,
        *,
        device=None,  # type: ignore[no-untyped-def]  # a QCameraDevice (tests), else found
    ) -> None:
        super().__init__(parent)
        self.took = took
        self.camera = self.capture_session = self.image_capture = self.preview = None
        self.line = QLabel()
        self.line.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        device = device if device is not None else find_camera(wanted)
        if device is None:
            self.line.setText(
                QCoreApplication.translate(
                    "ScanDialog", "未找到摄像头/高拍仪（%1），请用扫描文件夹或选择文件。"
                ).replace("%1", wanted or "default")
            )
            self.line.setProperty("warning", True)
            lay.addWidget(self.line)
            return
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.preview = QVideoWidget(self)
        self.preview.setMinimumSize(QSize(320, 240))
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.camera = QCamera(device, self)
        self.image_capture = QImageCapture(self)
        self.image_capture.setQuality(QImageCapture.Quality.HighQuality)
        self.capture_session = QMediaCaptureSession(self)
        self.capture_session.setCamera(self.camera)
        self.capture_session.setImageCapture(self.image_capture)
        self.capture_session.setVideoOutput(self.preview)
        self.image_capture.imageCaptured.connect(self.captured)
        self.image_capture.errorOccurred.connect(self._capture_failed)
        self.camera.errorOccurred.connect(self._camera_failed)
        self.line.setText(
            QCoreApplication.translate("ScanDialog", "摄像头：%1").replace(
                "%1", device.description()
            )
        )
        lay.addWidget(self.preview, 1)
        lay.addWidget(self.line)
        self.camera.start()

    @property
    def available(self) -> bool:
        return self.camera is not None

    def capture(self) -> bool:
        """Take a still (delivered to :meth:`captured`); False when the camera is not ready."""
        if self.image_capture is None or not self.image_capture.isReadyForCapture():
            return False
        self.image_capture.capture()
        return True

    def captured(self, _request: int, image: QImage) -> None:
        """QImageCapture.imageCaptured: the still, as JPEG bytes, to ``took``."""
        if image.isNull():
            return
        self.took(image_bytes(image))

    def stop(self) -> None:
        if self.camera is not None:
            self.camera.stop()

    def _capture_failed(self, _request: int, _error: object, text: str) -> None:
        log.warning("camera capture failed: %s", text[:200])
        self.line.setText(
            QCoreApplication.translate("ScanDialog", "拍照失败：%1").replace("%1", text[:200])
        )

    def _camera_failed(self, _error: object, text: str) -> None:
        log.warning("camera failed: %s", text[:200])
        self.line.setText(
            QCoreApplication.translate("ScanDialog", "摄像头不可用：%1").replace("%1", text[:200])
        )
        self.line.setAlignment(Qt.AlignmentFlag.AlignLeft)
