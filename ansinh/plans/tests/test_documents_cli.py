"""`ansinh reports generate` and `ansinh reports plan`: files written, read back; clear Vietnamese
errors for an unknown or ambiguous plan, an unknown unit or one outside the plan, a bad period."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from ansinh.plans import services
from ansinh.plans.tests.test_documents import tra_cu_plan, tra_vinh_plan  # noqa: F401

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("reports", *args, stdout=out)
    return out.getvalue()


def test_it_generate_the_quarterly_report(tmp_path: Path, tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "bao-cao.docx"
    printed = run("generate", "--plan", "15/KH-SLĐTBXH", "--period", "2020-Q1", "-o", str(target))
    assert printed.startswith("Đã ghi báo cáo quý I năm 2020 của Tỉnh Trà Vinh (kế hoạch 15/KH-SLĐTBXH) → ")
    text = [p.text for p in Document(str(target)).paragraphs]
    assert ("- Giải quyết việc làm cho 7.645 lao động, đạt 33,2% so với kế hoạch (trong đó nữ 3.899 lao động, "
            "dân tộc 2.142 lao động, lao động là thanh niên 4.969 lao động).") in text
    # a district by its code on the plan's (legacy) map, spaces and case in the number do not matter
    target = tmp_path / "tra-cu.xlsx"
    run("generate", "--plan", "15/kh-slđtbxh ", "--period", "2020-q1", "--unit", "849", "-o", str(target))
    sheet = load_workbook(target)["Tổng hợp"]
    assert sheet["A1"].value == "KẾT QUẢ THỰC HIỆN QUÝ I NĂM 2020 — HUYỆN TRÀ CÚ"
    # the current province that took Trà Vinh over, on the current map
    target = tmp_path / "vinh-long.docx"
    printed = run("generate", "--plan", "15/KH-SLĐTBXH", "--period", "2020-Q1", "--unit", "86", "--map", "current",
                  "-o", str(target))
    assert "của Tỉnh Vĩnh Long" in printed
    text = [p.text for p in Document(str(target)).paragraphs]
    assert any(t.startswith("- Giải quyết việc làm cho 7.645 lao động") for t in text)


def test_it_plan_document_and_appendix(tmp_path: Path, tra_cu_plan) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "ke-hoach.docx"
    assert "Đã ghi kế hoạch 12/KH-UBND" in run("plan", "--plan", "12/KH-UBND", "-o", str(target))
    document = Document(str(target))
    assert "Số: 12/KH-UBND" in [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
    assert len(document.sections) == 2
    target = tmp_path / "phu-luc.xlsx"
    run("plan", "--plan", "12/KH-UBND", "--year", "2023", "-o", str(target))
    rows = list(load_workbook(target)["Phụ lục"].iter_rows(values_only=True))
    assert rows[23][:4] == ("Tổng cộng", None, 3000, 140)


@pytest.mark.parametrize(("args", "message"), [
    (["--plan", "99/KH-UBND"], "Không có kế hoạch số 99/KH-UBND."),
    (["--plan", "12/KH-UBND", "--year", "2022"], "Không có kế hoạch số 12/KH-UBND năm 2022."),
    (["--plan", "12/KH-UBND", "--period", "2023-Q5"],
     "“2023-Q5” không phải là kỳ báo cáo: ghi 2025, 2025-H1, 2025-Q1 hoặc 2025-03."),
    (["--plan", "12/KH-UBND", "--period", "2022-Q1"], "Kỳ 2022-Q1 không thuộc năm của kế hoạch 12/KH-UBND (2023)."),
    (["--plan", "12/KH-UBND", "--unit", "99999"], "Không có đơn vị mã 99999 trên bản đồ trước ngày 01/07/2025."),
    (["--plan", "12/KH-UBND", "--unit", "564"],
     "Thị xã Đông Hòa (mã 564) không thuộc địa bàn của kế hoạch 12/KH-UBND (Huyện Trà Cú)."),
    (["--plan", "12/KH-UBND", "-o", "bao-cao.pdf"],
     "Tệp kết quả phải là .docx (văn bản) hoặc .xlsx (bảng số liệu): bao-cao.pdf"),
])
def test_it_errors_are_clear(tmp_path: Path, tra_cu_plan, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    options = {"--period": "2023-Q1", "-o": str(tmp_path / "out.docx")}
    for index in range(0, len(args), 2):
        options[args[index]] = args[index + 1]
    flat = [item for pair in options.items() for item in pair]
    with pytest.raises(CommandError) as error:
        run("generate", *flat)
    assert str(error.value) == message
    assert not (tmp_path / "out.docx").exists()


def test_it_an_ambiguous_number(tmp_path: Path, tra_cu_plan) -> None:  # type: ignore[no-untyped-def]
    services.plan_create(actor=None, agency=tra_cu_plan.agency, unit=tra_cu_plan.unit, year=2024,
                         number="12/KH-UBND", title="Kế hoạch năm 2024", place="Trà Cú")
    with pytest.raises(CommandError) as error:
        run("plan", "--plan", "12/KH-UBND", "-o", str(tmp_path / "x.docx"))
    assert str(error.value) == ("Có 2 kế hoạch số 12/KH-UBND (năm 2023, Ủy ban nhân dân huyện Trà Cú; năm 2024, "
                                "Ủy ban nhân dân huyện Trà Cú): ghi thêm --year.")
    run("plan", "--plan", "12/KH-UBND", "--year", "2024", "-o", str(tmp_path / "x.docx"))
    assert (tmp_path / "x.docx").exists()
