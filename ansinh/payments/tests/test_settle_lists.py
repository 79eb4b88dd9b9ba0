"""The signed lists of payrolls and packages: rows, totals in figures and words, the three
signers, citizen IDs masked for those who do not pay, the export audited."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from ansinh.accounts.models import AuditEvent
from ansinh.benefits.tests.pages_setup import more_disabled
from ansinh.payments.lists import package_docx, package_xlsx, payroll_docx, payroll_xlsx
from ansinh.payments.models import PayrollLine

from . import settle_setup as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return s.world()


def _cells(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_it_writes_a_payroll_list_with_totals_in_words_and_signers(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(2)], amount=750_000)
    cells = _cells(payroll_xlsx(payroll, user=w.who.lan))
    flat = [str(v) for row in cells for v in row if v is not None]
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in v for v in flat)
    assert any(v.startswith("DANH SÁCH CHI TRẢ TRỢ CẤP") and v.endswith("THÁNG 10/2025") for v in flat)
    header = next(i for i, row in enumerate(cells) if row[0] == "STT")
    body = [row for row in cells[header + 1:header + 4]]
    codes = {f"L{pk}" for pk in payroll.lines.values_list("pk", flat=True)}
    assert {row[1] for row in body} == codes
    assert {row[7] for row in body} == {750_000}
    sole = next(row for row in body if row[2] == "Thạch Văn Sóc")
    assert sole[4] == "084070000001" and sole[3] == 1970
    total_row = cells[header + 4]
    assert str(total_row[0]).startswith("Tổng cộng") and total_row[7] == 2_250_000
    assert "Bằng chữ: Hai triệu hai trăm năm mươi nghìn đồng." in flat
    for signer in ("NGƯỜI LẬP BẢNG", "KẾ TOÁN TRƯỞNG", "THỦ TRƯỞNG ĐƠN VỊ"):
        assert signer in flat
    event = AuditEvent.objects.get(action="payroll.export")
    assert event.after["format"] == "xlsx" and event.after["citizen_ids"] == "full"


def test_it_masks_citizen_ids_for_those_who_do_not_pay(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    flat = [str(v) for row in _cells(payroll_xlsx(payroll, user=w.who.bao)) for v in row if v is not None]
    assert "084070000001" not in flat
    assert not any("084070000001" in v for v in flat)
    text = _text(payroll_docx(payroll, user=w.who.bao))
    assert "084070000001" not in text and "Thạch Văn Sóc" in text


def test_it_lists_one_hamlet(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(2)])
    cho = s.hamlet("Chợ")
    first = payroll.lines.order_by("pk").first()
    PayrollLine.objects.filter(pk=first.pk).update(hamlet=cho)
    cells = _cells(payroll_xlsx(payroll, hamlet=cho, user=w.who.lan))
    header = next(i for i, row in enumerate(cells) if row[0] == "STT")
    assert cells[header + 1][1] == f"L{first.pk}"
    assert str(cells[header + 2][0]).startswith("Tổng cộng: 1 dòng")
    assert any("Ấp Chợ" in str(v) or "Chợ" in str(v) for row in cells[:8] for v in row if v)


def test_it_writes_the_payroll_as_a_word_document_in_the_decree_30_layout(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(1)], amount=5_842_200_000 // 2)
    data = payroll_docx(payroll, user=w.who.lan)
    text = _text(data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND XÃ TRÀ CÚ" in text
    assert "Bằng chữ: Năm tỷ tám trăm bốn mươi hai triệu hai trăm nghìn đồng." in text
    assert "NGƯỜI LẬP BẢNG" in text and "KẾ TOÁN TRƯỞNG" in text and "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "5.842.200.000" in text
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    lines = document.tables[1]
    assert len(lines.rows) == 1 + 2 + 1


def test_it_shows_recoveries_apart_from_the_total_paid(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(1)])
    line = payroll.lines.order_by("pk").first()
    PayrollLine.objects.filter(pk=line.pk).update(kind="recovery", amount=-500_000)
    flat = [str(v) for row in _cells(payroll_xlsx(payroll, user=w.who.lan)) for v in row if v is not None]
    assert "Bằng chữ: Năm trăm nghìn đồng." in flat
    assert "-500000" in flat


def test_it_writes_a_package_list_with_funding_sources(w) -> None:  # type: ignore[no-untyped-def]
    package = s.package(people=[w.ben.ba, w.ben.soc])
    cells = _cells(package_xlsx(package, user=w.who.lan))
    flat = [str(v) for row in cells for v in row if v is not None]
    assert "DANH SÁCH CHI TRẢ QUÀ TẾT 2026 CHO NGƯỜI CAO TUỔI" in flat
    assert "Bằng chữ: Một triệu đồng." in flat
    assert "Trong đó: Trung ương" in flat and "600000" in flat and "400000" in flat
    text = _text(package_docx(package, commune=s.commune(), user=w.who.lan))
    assert "Nguyễn Thị Ba" in text and "Bằng chữ: Một triệu đồng." in text
    assert AuditEvent.objects.filter(action="package.export").count() == 2


def test_it_writes_an_empty_list_without_failing(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[])
    flat = [str(v) for row in _cells(payroll_xlsx(payroll, user=w.who.lan)) for v in row if v is not None]
    assert "Không có dòng nào." in flat and "Bằng chữ: Không đồng." in flat
    assert "Không đồng" in _text(payroll_docx(payroll, user=w.who.lan))


@pytest.mark.slow
def test_it_libreoffice_opens_the_payroll_list(w) -> None:  # type: ignore[no-untyped-def]
    import os
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is missing, and CI must check the documents with it")
        pytest.skip("LibreOffice (soffice) is missing: apt-get install libreoffice-writer-nogui")
    payroll = s.payroll(entitlements=[w.ben.disability], amount=750_000)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "danh-sach.docx"
        source.write_bytes(payroll_docx(payroll, user=w.who.lan))
        profile = Path(folder) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        "txt:Text (encoded):UTF8", "--outdir", folder, str(source)],
                       check=True, capture_output=True, timeout=180)
        text = (Path(folder) / "danh-sach.txt").read_text(encoding="utf-8-sig")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "THÁNG 10/2025" in text
    assert "Bằng chữ: Bảy trăm năm mươi nghìn đồng." in text and "THỦ TRƯỞNG ĐƠN VỊ" in text
