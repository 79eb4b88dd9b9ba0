"""The periodic form as a workbook: template → filled in Excel (openpyxl) → import → the figures;
bad cells save nothing; a submitted or approved form is refused; the command."""

from __future__ import annotations

import io
from decimal import Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from ansinh.accounts.access import get_scope
from ansinh.plans.access import plans_for_user
from ansinh.accounts.models import AuditEvent
from ansinh.geo.models import Edition, Unit
from ansinh.plans import examples, services
from ansinh.plans.importer import ImportProblems, plan_import
from ansinh.plans.models import Plan, Submission, SubmissionStatus
from ansinh.plans.periods import Period
from ansinh.plans.submission_io import SHEET_FORM, submission_import, submission_template_xlsx


@pytest.fixture
def plan(db) -> Plan:  # type: ignore[no-untyped-def]
    result = plan_import(actor=None, data=Path(examples.EXAMPLES_DIR) / examples.TRA_VINH_PLAN)
    return Plan.objects.get(pk=result.plan_id or 0)


def table(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[tuple[str, str], int]:
    """(indicator, breakdown) → row number, below the table header."""
    header = next(c.row for c in sheet["A"] if c.value == "Mã chỉ tiêu")
    return {(row[0].value, row[2].value or ""): row[0].row for row in sheet.iter_rows(min_row=header + 1)
            if row[0].value}


def fill(data: bytes, values: dict[tuple[str, str], object], *, notes: dict[tuple[str, str], str] | None = None,
         header: dict[str, object] | None = None) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[SHEET_FORM]
    rows = table(sheet)
    for key, value in values.items():
        sheet.cell(rows[key], 5).value = value  # cell(row, column, None) would leave the cell as it is
    for key, note in (notes or {}).items():
        sheet.cell(rows[key], 6, note)
    for label, value in (header or {}).items():
        row = next(c.row for c in sheet["A"] if c.value == label)
        sheet.cell(row, 2, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_it_template_lists_the_form_indicators_and_breakdowns(plan) -> None:  # type: ignore[no-untyped-def]
    district = Unit.objects.get(edition=Edition.LEGACY, code="849")
    data = submission_template_xlsx(plan, district, Period.parse("2020-Q2"))
    sheet = openpyxl.load_workbook(io.BytesIO(data))[SHEET_FORM]
    head = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=1, max_row=14) if row[0].value}
    assert head["Kế hoạch"] == "15/KH-SLĐTBXH" and head["Năm kế hoạch"] == 2020
    assert head["Mã đơn vị"] == "849" and head["Bản đồ hành chính"] == "legacy" and head["Tên đơn vị"] == "Huyện Trà Cú"
    assert head["Kỳ báo cáo"] == "2020-Q2" and head["Tên kỳ"] == "quý II năm 2020"
    assert head["Hạn nộp"].date().isoformat() == "2020-06-15"
    rows = table(sheet)
    assert list(rows)[:4] == [("jobs_created", ""), ("jobs_created", "female"), ("jobs_created", "ethnic_minority"),
                              ("jobs_created", "youth")]
    assert ("overseas_workers", "korea") in rows and ("households", "") in rows
    assert len({code for code, _ in rows}) == len(plan.form_codes)
    line = [c.value for c in sheet[rows[("jobs_created", "female")]]]
    assert line[:4] == ["jobs_created", "trong đó: nữ", "female", "lao động"] and line[4] is None


def test_it_round_trip_fill_import_values(plan, people) -> None:  # type: ignore[no-untyped-def]
    district = Unit.objects.get(edition=Edition.LEGACY, code="849")
    data = submission_template_xlsx(plan, district, Period.parse("2020-Q1"))
    filled = fill(data, {("jobs_created", ""): 812, ("jobs_created", "female"): "401",
                         ("overseas_workers", ""): "1.206", ("unemployment_amount", ""): "1.234,5"},
                  notes={("jobs_created", ""): "Số liệu đến 14/3"})
    result = submission_import(actor=people.minh, data=filled, allowed=get_scope(people.minh).can_change,
                               plans=plans_for_user(people.minh))
    form = Submission.objects.get(pk=result.submission_id)
    assert (form.unit, form.period, form.status, result.values) == (district, "2020-Q1", SubmissionStatus.DRAFT, 4)
    values = {(v.indicator.code, v.breakdown): (v.value, v.note) for v in form.values.select_related("indicator")}
    assert values == {("jobs_created", ""): (Decimal(812), "Số liệu đến 14/3"),
                      ("jobs_created", "female"): (Decimal(401), ""),
                      ("overseas_workers", ""): (Decimal(1206), ""),
                      ("unemployment_amount", ""): (Decimal("1234.5"), "")}
    noted = AuditEvent.objects.get(action="plans.submission.notes")
    assert noted.actor == people.minh and noted.after == {"jobs_created": "Số liệu đến 14/3"}
    # The template now carries the draft's figures; blanking one removes it.
    again = submission_template_xlsx(plan, district, Period.parse("2020-Q1"))
    sheet = openpyxl.load_workbook(io.BytesIO(again))[SHEET_FORM]
    assert sheet.cell(table(sheet)[("overseas_workers", "")], 5).value == 1206
    result = submission_import(actor=None, data=fill(again, {("overseas_workers", ""): None}), submit=True)
    form.refresh_from_db()
    assert form.status == SubmissionStatus.SUBMITTED and result.values == 3
    assert not form.values.filter(indicator__code="overseas_workers").exists()


def test_it_bad_cells_save_nothing(plan) -> None:  # type: ignore[no-untyped-def]
    data = submission_template_xlsx(plan, plan.unit, Period.parse("2020-Q1"))
    workbook = openpyxl.load_workbook(io.BytesIO(fill(data, {("jobs_created", ""): "bảy nghìn",
                                                             ("job_fairs", ""): -2})))
    sheet = workbook[SHEET_FORM]
    rows = table(sheet)
    sheet.cell(rows[("jobs_created", "youth")], 3, "elderly")
    sheet.cell(rows[("overseas_workers", "")], 1, "poor_rate")
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportProblems) as raised:
        submission_import(actor=None, data=out.getvalue())
    found = [str(p) for p in raised.value.problems]
    assert found == [
        f"Biểu báo cáo, dòng {rows[('jobs_created', '')]}, cột Giá trị: «bảy nghìn» không phải là số (ghi 1.200 "
        f"hoặc 1200; 0,5 hoặc 36,5).",
        f"Biểu báo cáo, dòng {rows[('jobs_created', 'youth')]}, cột Chi tiết: «elderly» không phải là chi tiết "
        f"của Số lao động được giải quyết việc làm (các chi tiết: female; ethnic_minority; youth).",
        f"Biểu báo cáo, dòng {rows[('overseas_workers', '')]}, cột Mã chỉ tiêu: Chỉ tiêu «poor_rate» không có "
        f"trong biểu báo cáo của kế hoạch 15/KH-SLĐTBXH.",
        f"Biểu báo cáo, dòng {rows[('job_fairs', '')]}, cột Giá trị: Số liệu không được âm.",
    ]
    assert not Submission.objects.exists()
    # The header: a period outside the plan's year, a unit outside its area.
    bad = fill(data, {("jobs_created", ""): 1}, header={"Mã đơn vị": "00004"})
    with pytest.raises(ImportProblems) as raised:
        submission_import(actor=None, data=bad)
    assert [str(p) for p in raised.value.problems] == [
        "Biểu báo cáo, dòng 7, cột Mã đơn vị: Không có đơn vị mã 00004 trong địa bàn của kế hoạch 15/KH-SLĐTBXH "
        "năm 2020."]
    bad = fill(data, {("jobs_created", ""): 1}, header={"Kỳ báo cáo": "2021-Q1"})
    with pytest.raises(ImportProblems) as raised:
        submission_import(actor=None, data=bad)
    assert [str(p) for p in raised.value.problems] == [
        "Biểu báo cáo, dòng 10, cột Kỳ báo cáo: Kỳ 2021-Q1 không thuộc năm 2020 của kế hoạch."]
    assert not Submission.objects.exists()


def test_it_locked_forms_are_refused(plan, people) -> None:  # type: ignore[no-untyped-def]
    data = fill(submission_template_xlsx(plan, plan.unit, Period.parse("2020-Q1")), {("jobs_created", ""): 7645})
    result = submission_import(actor=None, data=data, submit=True)
    form = Submission.objects.get(pk=result.submission_id)
    with pytest.raises(ImportProblems) as raised:
        submission_import(actor=None, data=data)
    [message] = [str(p) for p in raised.value.problems]
    assert message.startswith("Biểu báo cáo quý I năm 2020 của Tỉnh Trà Vinh đã nộp ngày ")
    assert "không sửa được nữa" in message and "cấp trên trả lại" in message
    services.submission_approve(actor=people.bao, submission=form)
    with pytest.raises(ImportProblems, match="đã được duyệt"):
        submission_import(actor=None, data=data)
    assert form.values.get(indicator__code="jobs_created", breakdown="").value == 7645


def test_it_scope_of_the_unit(plan, people) -> None:  # type: ignore[no-untyped-def]
    # Legacy Thị trấn Trà Cú (29461) went into current Xã Trà Cú, Lan's commune: she may fill its form.
    township = Unit.objects.get(edition=Edition.LEGACY, code="29461")
    data = fill(submission_template_xlsx(plan, township, Period.parse("2020-Q1")), {("jobs_created", ""): 55})
    result = submission_import(actor=people.lan, data=data, allowed=get_scope(people.lan).can_change,
                               plans=plans_for_user(people.lan))
    assert Submission.objects.get(pk=result.submission_id).unit == township
    province = fill(submission_template_xlsx(plan, plan.unit, Period.parse("2020-Q1")), {("jobs_created", ""): 1})
    with pytest.raises(PermissionDenied):
        submission_import(actor=people.lan, data=province, allowed=get_scope(people.lan).can_change,
                          plans=plans_for_user(people.lan))
    with pytest.raises(ImportProblems, match="Không có kế hoạch 15/KH-SLĐTBXH năm 2020"):  # Hà Nội cannot see it
        submission_import(actor=people.hoa, data=province, allowed=get_scope(people.hoa).can_change,
                          plans=plans_for_user(people.hoa))


def test_it_commands(plan, people, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "form.xlsx"
    out = StringIO()
    call_command("submissions", "template", "--plan", "15/KH-SLĐTBXH", "--unit", "849", "--period", "2020-Q1",
                 "-o", str(path), stdout=out)
    assert "Huyện Trà Cú" in out.getvalue()
    path.write_bytes(fill(path.read_bytes(), {("jobs_created", ""): 300}))
    out = StringIO()
    call_command("submissions", "import", str(path), "--as", "minh", "--submit", stdout=out)
    assert out.getvalue().splitlines() == [
        "Đã lưu 1 số liệu vào biểu báo cáo quý I năm 2020 của Huyện Trà Cú (kế hoạch 15/KH-SLĐTBXH).",
        "Đã nộp biểu lên cấp trên."]
    err = StringIO()
    with pytest.raises(CommandError, match="Không nhập gì: 1 lỗi"):
        call_command("submissions", "import", str(path), stdout=StringIO(), stderr=err)
    assert "đã nộp" in err.getvalue()
    with pytest.raises(CommandError, match="Không có đơn vị mã 99999"):
        call_command("submissions", "template", "--plan", "15/KH-SLĐTBXH", "--unit", "99999", "--period", "2020-Q1",
                     "-o", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="Không có kế hoạch 15/KH-SLĐTBXH năm 2021"):
        call_command("submissions", "template", "--plan", "15/KH-SLĐTBXH", "--unit", "849", "--period", "2021-Q1",
                     "-o", str(path), stdout=StringIO())


def test_it_checks_a_form_without_saving_it(plan, people, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "form.xlsx"
    district = Unit.objects.get(edition=Edition.LEGACY, code="849")
    path.write_bytes(fill(submission_template_xlsx(plan, district, Period.parse("2020-Q1")),
                          {("jobs_created", ""): "1.200"}))
    out = StringIO()
    call_command("submissions", "import", str(path), "--as", "minh", "--check", stdout=out)
    assert out.getvalue().splitlines() == [
        "Biểu hợp lệ, chưa ghi gì: sẽ lưu 1 số liệu vào biểu báo cáo quý I năm 2020 của Huyện Trà Cú "
        "(kế hoạch 15/KH-SLĐTBXH)."]
    assert not Submission.objects.filter(unit=district).exists()
    result = submission_import(actor=people.minh, data=path.read_bytes())  # the actor's scope by default
    assert result.written and result.values == 1
