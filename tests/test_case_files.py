"""Materials scanned into a case (电子件): pages become one sealed PDF, the material counts as
received electronically (on the receipt, not as paper kept in the reform figures), limits are
refused with their figures, and reading a file back is a supervisor's audited reveal."""

from __future__ import annotations

import pytest
from PIL import Image
from sqlalchemy import select

from desk_app.security.authz import Forbidden
from desk_app.security.roles import Actor, Role
from desk_app.services.cases import actions as cases
from desk_app.services.cases import files as case_files
from desk_app.services.common.errors import Refused
from desk_app.store.case_models import CaseFile, CaseMaterial
from desk_app.store.identity_models import AuditEntry
from tests.test_cases import NEWBORN_SUBMIT, T, open_newborn
from tests.test_cli import run
from tests.tools import add_staff


@pytest.fixture
def hall(db):
    from desk_app.services.hall import setup as hall_setup

    hall_setup.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall_setup.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall_setup.open_window(db, 1, "s01")
    return db


def _pages(tmp_path, n: int, size=(3000, 4000)) -> list:
    paths = []
    for i in range(n):
        p = tmp_path / f"page{i}.jpg"
        image = Image.new("RGB", size, (250, 250, 245))
        w, h = size
        for x in range(w // 15, w - w // 15, 40):  # some "text" so JPEG has work to do
            for y in range(h // 13 + i * 7, h - h // 13, 90):
                image.putpixel((x, y), (20, 20, 20))
        image.save(p, "JPEG", quality=95)
        paths.append(p)
    return paths


def test_pages_become_one_sealed_pdf_and_the_material_is_received_electronically(hall, tmp_path):
    ref = open_newborn(hall)
    done = case_files.attach(hall, ref.case_no, "household_register", _pages(tmp_path, 3))
    assert done.pages == 3 and done.material == "household_register"
    assert done.bytes < 3 * 1024 * 1024  # three 12 MP photos scaled to about 200 dpi
    with hall.read() as s:
        row = s.scalar(select(CaseFile))
        status = s.scalar(
            select(CaseMaterial.status).where(CaseMaterial.material_code == done.material)
        )
    assert status == "electronic" and b"%PDF" not in row.content  # sealed at rest
    view = cases.show(hall, ref.case_no)
    line = next(m for m in view.materials if m.code == done.material)
    assert line.form == "电子件 (原件已退还)"
    with pytest.raises(Forbidden):  # the clerk sees pages and size, not the content
        case_files.reveal_file(hall.acting_as(Actor(1, "s01", Role.COUNTER)), row.id, "核对")
    sup = hall.acting_as(Actor(None, "sup", Role.SUPERVISOR))
    pdf = case_files.reveal_file(sup, row.id, "核对材料")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 3
    with hall.read() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("case.%"))).all()
    assert "case.attach" in actions and "case.file.reveal" in actions


def test_limits_and_bad_files_are_refused_with_nothing_written(hall, tmp_path):
    ref = open_newborn(hall)
    text = tmp_path / "note.txt"
    text.write_text("not an image")
    with pytest.raises(Refused, match="neither"):
        case_files.attach(hall, ref.case_no, "household_register", [text])
    with pytest.raises(Refused, match="not on this case"):
        case_files.attach(hall, ref.case_no, "passport", _pages(tmp_path, 1))
    many = tmp_path / "many.tif"
    frames = [Image.new("L", (50, 50), v) for v in range(case_files.MAX_PAGES + 1)]
    frames[0].save(many, save_all=True, append_images=frames[1:])
    with pytest.raises(Refused, match=f"at most {case_files.MAX_PAGES}"):
        case_files.attach(hall, ref.case_no, "household_register", [many])
    with hall.read() as s:
        assert s.scalar(select(CaseFile.id)) is None


def test_case_attach_on_the_command_line(hall, db_url, capsys, tmp_path):
    ref = open_newborn(hall)
    rc, r, _ = run(capsys, "--db", db_url, "case", "attach", ref.case_no, "居民户口簿(新生儿随迁父亲或母亲一方)",
                   *[str(p) for p in _pages(tmp_path, 2, size=(800, 1100))], "--source",
                   "scanner", "--json")  # fmt: skip
    assert rc == 0 and r["pages"] == 2 and r["material"] == "household_register"
    assert set(r) == {"material", "pages", "bytes"}


def test_a_scanned_original_is_not_counted_as_paper_kept(hall, tmp_path):
    from desk_app.services.supervision import reform

    ref = open_newborn(hall)
    case_files.attach(hall, ref.case_no, "household_register", _pages(tmp_path, 1))
    rest = sorted(NEWBORN_SUBMIT - {"household_register"})
    cases.receive(hall, ref.case_no, rest, now=T)
    cases.decide(hall, ref.case_no, "accept", now=T)
    cases.conclude(hall, ref.case_no, now=T)
    newborn = {b.code: b for b in reform.reform(hall).bundles}["newborn"]
    assert newborn.measured["materials"] == len(rest)  # the scanned one went back


def test_the_retention_purge_removes_the_files_content(hall, tmp_path):
    from datetime import timedelta

    from desk_app.sync.retention import purge_personal_data

    ref = open_newborn(hall)
    case_files.attach(hall, ref.case_no, "household_register", _pages(tmp_path, 1), now=T)
    cases.decide(hall, ref.case_no, "reject", reason="不属于本中心受理范围", now=T)
    assert purge_personal_data(hall, 30, now=T + timedelta(days=60)).purged == 1
    with hall.read() as s:
        row = s.scalar(select(CaseFile))
    assert row.content is None and row.purged_at is not None and row.pages == 1


def test_sealed_bytes_are_bound_to_their_context_and_detect_tampering():
    from desk_app.security.crypto import DecryptionError, decrypt_bytes, encrypt_bytes
    from desk_app.services.common import protection

    c = protection.cipher()
    blob = encrypt_bytes(c, b"%PDF-1.4 page", context="case_files.content")
    assert decrypt_bytes(c, blob, context="case_files.content") == b"%PDF-1.4 page"
    with pytest.raises(DecryptionError):
        decrypt_bytes(c, blob, context="cases.applicant_id_no")
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(DecryptionError):
        decrypt_bytes(c, tampered, context="case_files.content")


@pytest.mark.gui
def test_the_scan_dialog_takes_the_scanners_pages_and_empties_its_folder(qtbot, hall, tmp_path):
    from desk_app.services.devices import registry
    from desk_app.ui.cases.scan import ScanDialog
    from desk_app.ui.common.tasks import TaskRunner

    drop = tmp_path / "scans"
    drop.mkdir()
    for p in _pages(tmp_path, 2, size=(800, 1100)):
        p.rename(drop / p.name)
    registry.add_device(hall, "scanner", "camera", f"folder:{drop}")
    ref = open_newborn(hall)
    view = cases.show(hall, ref.case_no)
    got: list = []
    runner = TaskRunner()
    dialog = ScanDialog(hall, runner, view, 1, got.append)
    qtbot.addWidget(dialog)
    assert dialog.files.count() == 2 and len(dialog.selected()) == 2
    dialog.material.setCurrentIndex(dialog.material.findData("household_register"))
    dialog.attach_selected()
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    line = next(m for m in got[0].materials if m.code == "household_register")
    assert line.status == "electronic" and list(drop.iterdir()) == []
    assert "2 页" in dialog.status.text()
    runner.shutdown()
