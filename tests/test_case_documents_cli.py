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


def _deferred_case(tmp_path, capsys, *extra, agent=False):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    base = ["--db", url]
    rc, r, _ = run(
        capsys, *base, "case", "open", "--bundle", "newborn", "--applicant-name", "张三丰",
        "--applicant-id", resident_id(), "--answer", "maternity_claim=yes", "--json",
        *(["--agent-name", "李四", "--agent-id", resident_id(), "--auth-scope", "代为办理",
           "--auth-valid-until", "2099-01-01"] if agent else []),
    )  # fmt: skip
    no = r["case_no"]
    run(capsys, *base, "case", "receive", no, "application_form", "parents_id_cards",
        "household_register", "marriage_certificate", "maternity_invoices")  # fmt: skip
    assert run(capsys, *base, "case", "decide", no, "defer", *extra)[0] == 0
    return base, no


def test_documents_without_a_window_promise_no_window_zero(tmp_path, capsys):
    base, no = _deferred_case(tmp_path, capsys)
    for kind in ("notice", "receipt", "commitment"):
        pdf = tmp_path / f"{kind}.pdf"
        assert run(capsys, *base, "case", "print", no, f"--{kind}", str(pdf))[0] == 0
        text = "".join(pdf_text(pdf).split())
        assert "0号窗口" not in text, kind
        assert "受理人：\n" not in pdf_text(pdf) and not text.endswith("受理人："), kind
        assert "综合窗口" in text, kind


def test_notice_on_a_deferred_case_lists_the_deferred_materials(tmp_path, capsys):
    base, no = _deferred_case(tmp_path, capsys)
    pdf = tmp_path / "notice.pdf"
    rc, _, err = run(capsys, *base, "case", "print", no, "--notice", str(pdf))
    assert rc == 0, err
    assert "出院记录" in "".join(pdf_text(pdf).split())


def test_commitment_keeps_promises_with_the_materials(tmp_path, capsys):
    from tests.tools import run_tool

    base, no = _deferred_case(tmp_path, capsys, agent=True)  # the agent signs too: longer
    pdf = tmp_path / "commitment.pdf"
    assert run(capsys, *base, "case", "print", no, "--commitment", str(pdf))[0] == 0
    assert "Pages:           1" in run_tool("pdfinfo", pdf)


def test_receive_by_name_and_show_lists_the_codes(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    rc, r, _ = run(
        capsys, "--db", url, "case", "open", "--bundle", "newborn", "--applicant-name", "张三丰",
        "--applicant-id", resident_id(), "--json",
    )  # fmt: skip
    no = r["case_no"]
    rc, shown, _ = run(capsys, "--db", url, "case", "show", no)
    assert "application_form" in shown  # the codes are in the human-readable view
    rc, view, err = run(
        capsys, "--db", url, "case", "receive", no, "结婚证", "application_form", "--json"
    )
    assert rc == 0, err
    status = {m["name"]: m["status"] for m in view["materials"]}
    assert status["结婚证"] == "original"


def test_missing_reason_is_recorded_and_printed(tmp_path, capsys):
    base, no = _deferred_case(
        tmp_path, capsys, "--missing-reason", "出院记录(出院小结)=医院三日后出具"
    )
    rc, view, _ = run(capsys, *base, "case", "show", no, "--json")
    reasons = {m["name"]: m["missing_reason"] for m in view["materials"]}
    assert reasons["出院记录(出院小结)"] == "医院三日后出具"
    pdf = tmp_path / "commitment.pdf"
    assert run(capsys, *base, "case", "print", no, "--commitment", str(pdf))[0] == 0
    text = "".join(pdf_text(pdf).split())
    assert "医院三日后出具" in text
    assert "生育医疗费用报销" in text  # no reason given for the other one: what it is for


def test_missing_reason_only_for_a_missing_material(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    rc, r, _ = run(
        capsys, "--db", url, "case", "open", "--bundle", "newborn", "--applicant-name", "张三丰",
        "--applicant-id", resident_id(), "--json",
    )  # fmt: skip
    rc, _, err = run(
        capsys, "--db", url, "case", "decide", r["case_no"], "notice",
        "--missing-reason", "no_such_material=x",
    )  # fmt: skip
    assert rc == 2 and "no_such_material" in err
