"""Materials scanned or photographed into a case (电子件): ``desk-app case attach CASE MATERIAL
FILE...`` and the case dialog's 拍照/扫描.

The pages (camera images, a scanner's files, or one PDF) become one PDF per attach: images
are scaled to at most ``MAX_SIDE`` pixels and re-encoded as JPEG (a document camera's 12 MP
photo is 4 MB; a page read at 200 dpi needs a tenth of it), laid one per page with reportlab.
The PDF is sealed at rest with the hall key like every other piece of personal data, the
material is marked received as 电子件 (its paper handed back: not counted as paper kept in the
reform figures), and the attach is audited. Bounded: ``MAX_PAGES`` pages, ``MAX_FILE`` bytes
per attach and ``MAX_CASE`` per case, refused with the figures. Nothing but the page count and
the size is shown at the counter; reading a file back is a reveal (supervisor, with a reason,
audited), like reading an ID number.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desk_app.domain import clock
from desk_app.domain.cases import RECEIVED, MaterialStatus
from desk_app.security.authz import require
from desk_app.security.crypto import decrypt_bytes, encrypt_bytes
from desk_app.security.roles import Operation
from desk_app.services.cases.lifecycle import not_purged, receive_materials
from desk_app.services.cases.views import case_materials, find_case
from desk_app.services.common import audit, protection
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.lookups import acting_desk
from desk_app.store import Database
from desk_app.store.case_models import CaseFile

MAX_SIDE = 2200  # pixels on the long side: an A4 page at about 200 dpi
JPEG_QUALITY = 80
MAX_PAGES = 50
MAX_INPUT = 40 * 1024 * 1024  # one file handed in
MAX_FILE = 15 * 1024 * 1024  # one attach's PDF
MAX_CASE = 60 * 1024 * 1024  # all of a case's files
SOURCES = ("camera", "scanner", "file", "online")  # online: uploaded with a 网办件
CONTEXT = "case_files.content"


@dataclass(frozen=True)
class Attached:
    file_id: int
    material: str
    pages: int
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return {"material": self.material, "pages": self.pages, "bytes": self.bytes}


@dataclass(frozen=True)
class FileView:
    id: int
    material: str
    pages: int
    size: int
    source: str
    created_at: datetime
    delivered: bool
    purged: bool


def pages_to_pdf(paths: list[Path]) -> tuple[bytes, int]:
    """One PDF of ``paths``: a single PDF as it is, or images (JPEG, PNG, TIFF, BMP; a
    multi-page TIFF gives all its pages) one per page. Refused for anything else."""
    return blobs_to_pdf(read_pages(paths))


def read_pages(paths: list[Path]) -> list[tuple[str, bytes]]:
    """(name, bytes) of each file, bounded by ``MAX_INPUT``; refused when unreadable."""
    blobs = []
    for p in paths:
        try:
            size = p.stat().st_size
            if size > MAX_INPUT:
                raise Refused(
                    f"{p.name} 超过 {MAX_INPUT // 2**20} MB",
                    f"{p.name} is over {MAX_INPUT // 2**20} MB",
                )
            blobs.append((p.name, p.read_bytes()))
        except OSError as exc:
            raise Refused(
                f"无法读取 {p}: {exc.strerror}", f"cannot read {p}: {exc.strerror}"
            ) from None
    return blobs


def blobs_to_pdf(blobs: list[tuple[str, bytes]]) -> tuple[bytes, int]:
    """One PDF of pages held in memory (the dialog's camera pages never touch the disk)."""
    if not blobs:
        raise Refused("请给出要上传的文件", "give at least one file")
    if any(len(b) > MAX_INPUT for _n, b in blobs):
        raise Refused(
            f"一页超过 {MAX_INPUT // 2**20} MB", f"a page is over {MAX_INPUT // 2**20} MB"
        )
    if len(blobs) == 1 and blobs[0][1].startswith(b"%PDF-"):
        data = blobs[0][1]
        return data, max(1, data.count(b"/Type /Page") - data.count(b"/Type /Pages"))
    if any(b.startswith(b"%PDF-") for _n, b in blobs):
        raise Refused("PDF 须单独上传一份", "a PDF is attached on its own, not with images")
    return _images_to_pdf(blobs)


def _images_to_pdf(blobs: list[tuple[str, bytes]]) -> tuple[bytes, int]:
    from PIL import Image, ImageOps, UnidentifiedImageError
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    pdf = Canvas(out)
    pdf.setTitle("电子件")
    pages = 0
    for name, data in blobs:
        try:
            image = Image.open(io.BytesIO(data))
        except (UnidentifiedImageError, OSError):
            raise Refused(
                f"{name} 不是图片或 PDF", f"{name} is neither an image nor a PDF"
            ) from None
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)
            page = ImageOps.exif_transpose(image.copy()).convert("RGB")
            page.thumbnail((MAX_SIDE, MAX_SIDE))
            jpeg = io.BytesIO()
            page.save(jpeg, "JPEG", quality=JPEG_QUALITY, optimize=True)
            width, height = (v * 72 / 200 for v in page.size)  # points at 200 dpi
            pdf.setPageSize((width, height))
            pdf.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width, height)
            pdf.showPage()
            pages += 1
            if pages > MAX_PAGES:
                raise Refused(f"一次最多 {MAX_PAGES} 页", f"at most {MAX_PAGES} pages at a time")
    pdf.save()
    return out.getvalue(), pages


def attach(
    db: Database,
    case_no: str,
    material: str,
    paths: list[Path],
    *,
    source: str = "file",
    window: int | None = None,
    now: datetime | None = None,
) -> Attached:
    """Scan ``paths`` into ``case_no`` as ``material`` (its code or name): one sealed PDF, the
    material received as 电子件 unless it was already received on paper."""
    require(db.actor, Operation.CASE_ATTACH)
    return attach_pages(
        db, case_no, material, read_pages(paths), source=source, window=window, now=now
    )


def attach_pages(
    db: Database,
    case_no: str,
    material: str,
    blobs: list[tuple[str, bytes]],
    *,
    source: str = "file",
    window: int | None = None,
    now: datetime | None = None,
) -> Attached:
    """:func:`attach` of pages held in memory as (name, bytes), in order."""
    require(db.actor, Operation.CASE_ATTACH)
    if source not in SOURCES:
        raise Refused(f"未知的来源 {source}", f"source must be one of {', '.join(SOURCES)}")
    pdf, pages = blobs_to_pdf(blobs)
    if len(pdf) > MAX_FILE:
        raise Refused(
            f"文件 {len(pdf) // 2**20} MB, 超过每份材料 {MAX_FILE // 2**20} MB 的上限",
            f"{len(pdf) // 2**20} MB is over the {MAX_FILE // 2**20} MB limit of one material",
        )
    now = now or clock.now()
    sealed = encrypt_bytes(protection.cipher(), pdf, context=CONTEXT)
    with db.begin() as s:
        case = find_case(s, case_no)
        not_purged(case)
        mats = case_materials(s, case)
        code = (
            material
            if material in mats
            else next((c for c, m in mats.items() if m.name == material), material)
        )
        if code not in mats or mats[code].status == MaterialStatus.OBTAINED:
            raise Refused(
                f"材料 {material} 不在本办件的提交清单中", f"{material} is not on this case's list"
            )
        used = s.scalar(
            select(func.coalesce(func.sum(CaseFile.size), 0)).where(
                CaseFile.case_id == case.id, CaseFile.purged_at.is_(None)
            )
        )
        if int(used or 0) + len(pdf) > MAX_CASE:
            raise Refused(
                f"本办件电子件已达 {MAX_CASE // 2**20} MB 上限",
                f"this case's files would exceed {MAX_CASE // 2**20} MB",
            )
        window_id, staff_id = acting_desk(s, window, db.actor)
        if mats[code].status not in RECEIVED:  # on paper already: the scan is a copy of it
            receive_materials(
                s, case, mats, {code: MaterialStatus.ELECTRONIC}, window_id, staff_id, now
            )
        row = CaseFile(
            case_id=case.id,
            material_code=code,
            pages=pages,
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            source=source,
            content=sealed,
            created_at=now,
            created_by=db.actor.staff_id if db.actor else None,
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            db.actor,
            "case.attach",
            case.case_no,
            {"material": code, "pages": pages, "bytes": len(pdf)},
        )
        return Attached(row.id, code, pages, len(pdf))


def list_files(db: Database, case_no: str) -> list[FileView]:
    """The case's files: what, how many pages, how big (never their content)."""
    require(db.actor, Operation.CASE_SHOW)
    with db.read() as s:
        case = find_case(s, case_no, lock=False)
        rows = s.scalars(select(CaseFile).where(CaseFile.case_id == case.id).order_by(CaseFile.id))
        return [
            FileView(
                r.id,
                r.material_code,
                r.pages,
                r.size,
                r.source,
                r.created_at,
                r.delivered_at is not None,
                r.purged_at is not None,
            )
            for r in rows
        ]


def reveal_file(db: Database, file_id: int, reason: str) -> bytes:
    """A file's PDF for a supervisor with a stated reason, audited like an ID's reveal."""
    require(db.actor, Operation.CASE_REVEAL)
    reason = audit.reveal_reason(db, reason, "case.file.reveal", str(file_id))
    with db.begin() as s:
        row = s.get(CaseFile, file_id)
        if row is None or row.content is None:
            raise NotFound(f"没有文件 {file_id} (或已清除)", f"no file {file_id} (or purged)")
        audit.record(s, db.actor, "case.file.reveal", str(file_id), {"reason": reason})
        return decrypt_bytes(protection.cipher(), row.content, context=CONTEXT)


def file_for_upload(db: Database, file_id: int) -> tuple[CaseFile, bytes] | None:
    """The sync worker's read of a file to deliver (its row and PDF), None once purged."""
    with db.read() as s:
        row = s.get(CaseFile, file_id)
        if row is None or row.content is None:
            return None
        s.expunge(row)
        return row, decrypt_bytes(protection.cipher(), row.content, context=CONTEXT)
