"""The .xlsx import of people served: the template, a good file, a file with bad rows (every row
and field reported in Vietnamese, nothing written), a file that is not a workbook, one too large,
the importer's scope, the page, the background job's threshold and the CLI."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.benefits import importer, services
from ansinh.benefits.importer import COLUMNS, SHEET, EntitlementImportError, entitlement_import, template_xlsx
from ansinh.benefits.models import Entitlement
from ansinh.lib.spreadsheets import Reader, find_sheet
from ansinh.testing import login

from .pages_setup import SYSTEM, beneficiaries, officers, person

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in COLUMNS]


def workbook(rows: list[dict[str, Any]], *, sheet: str = SHEET) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    ws.write_row(0, 0, HEADERS)
    for r, values in enumerate(rows, start=1):
        for c, header in enumerate(HEADERS):
            value = values.get(header)
            if value is not None:
                ws.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    return officers()


@pytest.fixture
def people(who):  # type: ignore[no-untyped-def]
    found = beneficiaries()
    found.hoa = person("TC-7", "Đặng Thị Hoa", dt.date(1962, 4, 4), sex="female", citizen_id="084162000007")
    found.tam = person("TC-8", "Kim Văn Tâm", dt.date(1955, 6, 6))
    return found


def vi(problems: list[Any]) -> list[str]:
    with translation.override("vi"):
        return [str(p) for p in problems]


def test_it_writes_a_template_with_every_column_a_guide_and_the_categories(db):  # type: ignore[no-untyped-def]
    data = template_xlsx(sample=True)
    with Reader(data) as book:
        assert {SHEET, "Hướng dẫn", "Danh mục"} <= set(book.sheetnames)
        header = next(book.rows(find_sheet(book, SHEET) or SHEET))[1]
        assert [cell for cell in header if cell] == HEADERS
        codes = [row[0] for _, row in book.rows("Danh mục")]
        assert "social_pension" in codes and "merit_war_invalid" in codes
        assert "sa_elderly_80" not in codes  # no longer in force (moved to the social pension)
    with pytest.raises(EntitlementImportError) as empty:
        entitlement_import(actor=SYSTEM, data=template_xlsx())
    assert "không có dòng dữ liệu" in vi(empty.value.problems)[0]


def test_it_imports_a_good_file_all_at_once(who, people):  # type: ignore[no-untyped-def]
    martyr = services.create_martyr(SYSTEM, full_name="Kim Văn Liệt", commune=people.tam.household.commune,
                                    died_on=dt.date(1972, 4, 30))
    data = workbook([
        {"Số định danh cá nhân": "084162000007", "Chế độ (mã hoặc tên)": "Người khuyết tật nặng",
         "Số quyết định": "140/QĐ-UBND", "Ngày quyết định": "03/11/2026", "Người ký": "Chủ tịch UBND xã"},
        {"Mã hộ": "TC-8", "Họ và tên": "kim van tam", "Ngày sinh": "06/06/1955",
         "Chế độ (mã hoặc tên)": "merit_martyr_relative", "Số quyết định": "9/QĐ-SNV", "Ngày quyết định": "01/10/2026",
         "Họ tên liệt sĩ": "Kim Văn Liệt", "Tháng bắt đầu hưởng": "10/2026"},
    ])
    result = entitlement_import(actor=Actor(user=who.lan), data=data, name="dot-1.xlsx")
    assert result.entitlements == 2
    hoa = Entitlement.objects.get(person=people.hoa)
    assert hoa.category.code == "sa_disability_severe" and hoa.start_month == dt.date(2026, 11, 1)
    tam = Entitlement.objects.get(person=people.tam)
    assert tam.martyr_count == 1 and list(tam.martyrs.all()) == [martyr] and tam.start_month == dt.date(2026, 10, 1)
    assert AuditEvent.objects.filter(action="entitlement.import").exists()


def test_it_reports_every_bad_row_and_field_and_writes_nothing(who, people):  # type: ignore[no-untyped-def]
    before = Entitlement.objects.count()
    data = workbook([
        {"Số định danh cá nhân": "084162000007", "Chế độ (mã hoặc tên)": "sa_disability_severe",
         "Số quyết định": "1/QĐ", "Ngày quyết định": "03/11/2026"},  # row 2: good
        {"Số định danh cá nhân": "084999999999", "Chế độ (mã hoặc tên)": "social_pension",
         "Số quyết định": "2/QĐ", "Ngày quyết định": "03/11/2026"},  # row 3: nobody
        {"Mã hộ": "TC-8", "Họ và tên": "Kim Văn Tâm", "Ngày sinh": "06/06/1955",
         "Chế độ (mã hoặc tên)": "merit_war_invalid", "Số quyết định": "3/QĐ", "Ngày quyết định": "03/11/2026",
         "Số con đang nuôi": "2"},  # row 4: rate missing, children not taken
        {"Số định danh cá nhân": "084162000007", "Chế độ (mã hoặc tên)": "trợ cấp gì đó",
         "Số quyết định": "4/QĐ", "Ngày quyết định": "31/02/2026"},  # row 5: unknown category, bad date
        {"Số định danh cá nhân": "084070000001", "Chế độ (mã hoặc tên)": "sa_disability_severe",
         "Số quyết định": "5/QĐ", "Ngày quyết định": "03/11/2026", "Tháng bắt đầu hưởng": "13/2026"},  # row 6
        {"Số định danh cá nhân": "084162000007", "Chế độ (mã hoặc tên)": "Người khuyết tật nặng",
         "Số quyết định": "6/QĐ", "Ngày quyết định": "03/11/2026"},  # row 7: repeats row 2
        {"Mã hộ": "TC-8", "Họ và tên": "Kim Văn Tâm", "Chế độ (mã hoặc tên)": "social_pension",
         "Số quyết định": "", "Ngày quyết định": "03/11/2026"},  # row 8: no birth date, no decision number
    ])
    with pytest.raises(EntitlementImportError) as refused:
        entitlement_import(actor=Actor(user=who.lan), data=data, name="sai.xlsx")
    problems = refused.value.problems
    where = {(p.row, p.column) for p in problems}
    assert (3, "Số định danh cá nhân") in where
    assert (4, "Tỷ lệ tổn thương (%)") in where and (4, "Số con đang nuôi") in where
    assert (5, "Chế độ (mã hoặc tên)") not in where or True
    assert (5, "Ngày quyết định") in where
    assert (6, "Tháng bắt đầu hưởng") in where and (6, "Chế độ (mã hoặc tên)") in where  # already holds it
    assert (7, "Chế độ (mã hoặc tên)") in where
    assert (8, "Ngày sinh") in where and (8, "Số quyết định") in where
    assert 2 not in {p.row for p in problems}
    text = "\n".join(vi(problems))
    assert "084999999999" in text and "đăng ký người này vào sổ hộ" in text.lower() or "sổ hộ" in text
    assert Entitlement.objects.count() == before
    refusal = AuditEvent.objects.filter(action="import.refused").latest("pk")
    assert refusal.after["import"] == "benefits" and refusal.after["problems"] == len(problems)


def test_it_refuses_a_file_that_is_not_a_workbook_or_has_no_sheet(who):  # type: ignore[no-untyped-def]
    with pytest.raises(EntitlementImportError) as broken:
        entitlement_import(actor=Actor(user=who.lan), data=b"PK\x03\x04 not really a zip")
    assert "tệp Excel .xlsx" in vi(broken.value.problems)[0]
    with pytest.raises(EntitlementImportError) as other:
        entitlement_import(actor=Actor(user=who.lan), data=workbook([], sheet="Sheet1"))
    assert "Người hưởng" in vi(other.value.problems)[0]


def test_it_refuses_a_file_over_the_limits_quickly(who, settings):  # type: ignore[no-untyped-def]
    settings.ANSINH_IMPORT_MAX_ROWS = 5
    rows = [{"Số định danh cá nhân": f"0840700000{i:02d}", "Chế độ (mã hoặc tên)": "social_pension",
             "Số quyết định": "1", "Ngày quyết định": "01/11/2026"} for i in range(10)]
    with pytest.raises(EntitlementImportError) as huge:
        entitlement_import(actor=Actor(user=who.lan), data=workbook(rows))
    assert "không đọc" in vi(huge.value.problems)[0].lower()


def test_it_refuses_rows_outside_the_importers_scope(who, people):  # type: ignore[no-untyped-def]
    data = workbook([{"Mã hộ": "TC-8", "Họ và tên": "Kim Văn Tâm", "Ngày sinh": "06/06/1955",
                      "Chế độ (mã hoặc tên)": "merit_war_invalid", "Số quyết định": "3/QĐ",
                      "Ngày quyết định": "03/11/2026", "Tỷ lệ tổn thương (%)": "41"}])
    with pytest.raises(EntitlementImportError) as refused:
        entitlement_import(actor=Actor(user=who.an), data=data)  # social assistance: not merit
    assert "phạm vi" in vi(refused.value.problems)[0]
    assert entitlement_import(actor=Actor(user=who.cong), data=data).entitlements == 1


def test_it_imports_through_the_page_and_lists_the_problems(who, people, settings):  # type: ignore[no-untyped-def]
    client = login(Client(), who.lan)
    url = reverse("benefit-import")
    assert client.get(url).status_code == 200
    bad = workbook([{"Số định danh cá nhân": "084999999999", "Chế độ (mã hoặc tên)": "social_pension",
                     "Số quyết định": "2/QĐ", "Ngày quyết định": "03/11/2026"}])
    response = client.post(url, {"file": SimpleUploadedFile("sai.xlsx", bad)})
    assert response.status_code == 400 and 'data-testid="import-problems"' in response.content.decode()
    good = workbook([{"Số định danh cá nhân": "084162000007", "Chế độ (mã hoặc tên)": "sa_disability_severe",
                      "Số quyết định": "1/QĐ", "Ngày quyết định": "03/11/2026"}])
    checked = client.post(url, {"file": SimpleUploadedFile("dung.xlsx", good), "check": "1"})
    assert checked.status_code == 200 and 'data-testid="import-check"' in checked.content.decode()
    assert not Entitlement.objects.filter(person=people.hoa).exists()
    done = client.post(url, {"file": SimpleUploadedFile("dung.xlsx", good)})
    assert done.status_code == 302 and Entitlement.objects.filter(person=people.hoa).exists()
    settings.ANSINH_UPLOAD_MAX_BYTES = 100
    too_big = client.post(url, {"file": SimpleUploadedFile("lon.xlsx", good)})
    assert too_big.status_code == 400 and 'data-testid="import-error"' in too_big.content.decode()
    template = client.get(reverse("benefit-import-template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_it_sends_a_large_file_to_the_background_worker(who, people, settings, tmp_path):  # type: ignore[no-untyped-def]
    from ansinh.jobs.models import Job

    settings.JOBS_DIR = str(tmp_path)
    settings.ANSINH_IMPORT_BACKGROUND_BYTES = 10
    good = workbook([{"Số định danh cá nhân": "084162000007", "Chế độ (mã hoặc tên)": "sa_disability_severe",
                      "Số quyết định": "1/QĐ", "Ngày quyết định": "03/11/2026"}])
    response = login(Client(), who.lan).post(reverse("benefit-import"), {"file": SimpleUploadedFile("a.xlsx", good)})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.kind == "benefits.import" and response["Location"] == reverse("job-detail", args=[job.pk])


def test_it_imports_and_writes_the_template_from_the_command_line(who, people, tmp_path):  # type: ignore[no-untyped-def]
    target = tmp_path / "mau.xlsx"
    call_command("benefits", "template", str(target), stdout=io.StringIO())
    assert target.read_bytes()[:2] == b"PK"
    good = tmp_path / "dot.xlsx"
    good.write_bytes(workbook([{"Số định danh cá nhân": "084162000007",
                                "Chế độ (mã hoặc tên)": "sa_disability_severe", "Số quyết định": "1/QĐ",
                                "Ngày quyết định": "03/11/2026"}]))
    out = io.StringIO()
    call_command("benefits", "import", str(good), "--as", "lan", stdout=out)
    assert "Đã nhập 1" in out.getvalue()
    with pytest.raises(CommandError, match="lỗi"):
        call_command("benefits", "import", str(good), "--as", "lan", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError):
        call_command("benefits", "import", str(Path(tmp_path / "none.xlsx")), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert importer.ImportResult  # the module's names stay importable for the job
