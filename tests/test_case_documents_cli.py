"""`desk-app case print`: the three documents of a real case, end to end."""

from __future__ import annotations

import json

from desk_app.cli import main
from tests.ids import resident_id
from tests.tools import decode_qr, pdf_fonts, pdf_text, pdf_to_png


def run(capsys, *args):
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if out.strip().startswith("{") else out), err


def test_notice_commitment_and_receipt(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    base = ["--db", url]
    run(capsys, *base, "settings", "set", "progress_base_url", "https://hall.example.cn/p")
    rc, r, _ = run(
        capsys,
        *base,
        "case",
        "open",
        "--bundle",
        "newborn",
        "--applicant-name",
        "张三丰",
        "--applicant-id",
        resident_id(),
        "--answer",
        "maternity_claim=yes",
        "--json",
    )
    no, case_id = r["case_no"], r["id"]
    run(
        capsys,
        *base,
        "case",
        "receive",
        no,
        "application_form",
        "parents_id_cards",
        "household_register",
        "marriage_certificate",
        "maternity_invoices",
    )

    # Before deciding: nothing accepted, so no receipt and no commitment.
    rc, _, err = run(capsys, *base, "case", "print", no, "--receipt", str(tmp_path / "r.pdf"))
    assert rc == 2 and "尚未受理" in err and not (tmp_path / "r.pdf").exists()

    notice = tmp_path / "notice.pdf"
    assert run(capsys, *base, "case", "print", no, "--notice", str(notice))[0] == 0
    text = pdf_text(notice)
    assert no in text and "一次性告知" in text
    assert "出院记录" in text.replace("\n", "") or "出院" in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(notice))

    run(capsys, *base, "case", "decide", no, "defer")
    commitment = tmp_path / "commitment.pdf"
    assert run(capsys, *base, "case", "print", no, "--commitment", str(commitment))[0] == 0
    rc, view, _ = run(capsys, *base, "case", "show", no, "--json")
    due = view["deferral_due"]
    ctext = pdf_text(commitment).replace(" ", "")
    assert no in ctext and "承诺" in ctext
    y, m, d = due.split("-")
    assert f"{int(y)}年{int(m)}月{int(d)}日" in ctext or due in ctext

    receipt = tmp_path / "receipt.pdf"
    assert run(capsys, *base, "case", "print", no, "--receipt", str(receipt))[0] == 0
    assert no in pdf_text(receipt)
    assert all(f["emb"] == "yes" for f in pdf_fonts(receipt))
    pages = pdf_to_png(receipt, tmp_path)
    codes = [c for p in pages for c in decode_qr(p)]
    assert f"https://hall.example.cn/p/{case_id}" in codes
    assert resident_id() not in pdf_text(receipt)  # masked on paper too
