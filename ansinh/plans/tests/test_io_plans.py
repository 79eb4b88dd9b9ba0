"""The plan workbook: the template, the import's checks (every problem by sheet, row and column,
nothing written), Vietnamese numbers, check-only runs, updating a plan, and the command."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import AuditEvent
from ansinh.plans import examples
from ansinh.plans.importer import (PLAN_FIELDS, SHEET_PLAN, SHEET_TARGETS, SHEET_TASKS, ImportProblems, PlanBook,
                                   catalogue_info, plan_import, plan_workbook, template_xlsx)
from ansinh.plans.models import Agency, Plan, Target, TargetRevision, Task

EXAMPLE = Path(examples.EXAMPLES_DIR) / examples.TRA_VINH_PLAN


def book(targets: list[dict[str, Any]] | None = None, tasks: list[dict[str, Any]] | None = None,
         **fields: Any) -> bytes:
    """A small plan of legacy Trà Vinh (84) for 2020."""
    values = {"number": "01/KH-SLĐTBXH", "agency": "Sở Lao động - Thương binh và Xã hội", "agency_symbol": "SLĐTBXH",
              "parent": "Ủy ban nhân dân tỉnh Trà Vinh", "unit": "84", "edition": "legacy", "year": 2020,
              "place": "Trà Vinh", "issued_on": dt.date(2020, 1, 5), "title": "Kế hoạch thử", **fields}
    default_targets = [{"indicator": "jobs_created", "value": 23000},
                       {"indicator": "jobs_created", "unit": "842", "value": 3000}]
    return plan_workbook(PlanBook(values, default_targets if targets is None else targets, tasks or []),
                         indicators=catalogue_info())


def problems_of(data: bytes | Path, **options: Any) -> list[str]:
    with pytest.raises(ImportProblems) as raised:
        plan_import(actor=None, data=data, **options)
    return [str(problem) for problem in raised.value.problems]


def test_it_template_has_the_sheets_fields_and_catalogue(db) -> None:  # type: ignore[no-untyped-def]
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["Hướng dẫn", "Kế hoạch", "Chỉ tiêu", "Nhiệm vụ", "Danh mục chỉ tiêu",
                                   "Danh sách chọn"]
    labels = [row[0] for row in workbook["Kế hoạch"].iter_rows(min_row=3, max_col=1, values_only=True)]
    assert labels == [f.label for f in PLAN_FIELDS]
    assert "Hạn báo cáo quý" in labels and "Chỉ tiêu trong biểu báo cáo" in labels
    assert [c.value for c in workbook["Chỉ tiêu"][1]] == ["Mã chỉ tiêu", "Tên chỉ tiêu", "Mã đơn vị", "Tên đơn vị",
                                                         "Kỳ", "Chi tiết", "Giá trị", "Ghi chú"]
    assert [c.value for c in workbook["Nhiệm vụ"][1]] == ["Thứ tự", "Lĩnh vực", "Nội dung", "Cơ quan chủ trì",
                                                         "Cơ quan phối hợp", "Hạn", "Kỳ hạn", "Điều kiện",
                                                         "Trạng thái"]
    catalogue = {row[0]: row for row in workbook["Danh mục chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert "female: nữ" in catalogue["jobs_created"][5]
    guide = " ".join(str(c) for row in workbook["Hướng dẫn"].iter_rows(values_only=True) for c in row if c)
    assert "ansinh plans import" in guide


def test_it_a_bad_cell_of_each_kind_commits_nothing(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    workbook = openpyxl.load_workbook(EXAMPLE)
    targets = workbook[SHEET_TARGETS]
    assert targets["A2"].value == "jobs_created" and targets["G2"].value == 23000
    targets["A2"] = "jobs_createdd"  # unknown indicator
    targets["C3"] = "99999"  # no such unit under Trà Vinh
    targets["E4"] = "2020-Q5"  # not a period
    targets["F5"] = "japan"  # a destination is not a breakdown of jobs
    targets["G6"] = "nhiều"  # not a number
    targets["E7"] = "2021"  # outside the plan's year
    targets["C8"] = "29461"  # fine: on the legacy map, Thị trấn Trà Cú in Trà Vinh (Xã Trà Cú on the current map)
    plan_rows = {row[0].value: row[0].row for row in workbook[SHEET_PLAN].iter_rows(min_row=3, max_col=1)}
    workbook[SHEET_PLAN].cell(plan_rows["Ngày ban hành"], 2, "31/02/2020")  # no such day
    workbook[SHEET_PLAN].cell(plan_rows["Hạn báo cáo quý"], 2, "ngày 15")  # not a rule
    workbook[SHEET_TASKS]["F2"] = "32/13/2020"  # bad due date
    workbook[SHEET_TASKS]["I3"] = "xong rồi nhé"  # not a status
    path = tmp_path / "bad.xlsx"
    workbook.save(path)

    found = problems_of(path)
    expected = [
        f"Kế hoạch, dòng {plan_rows['Ngày ban hành']}, cột Ngày ban hành: Ngày «31/02/2020» không hợp lệ",
        f"Kế hoạch, dòng {plan_rows['Hạn báo cáo quý']}, cột Hạn báo cáo quý: «ngày 15» không phải là quy tắc",
        "Chỉ tiêu, dòng 2, cột Mã chỉ tiêu: Không có chỉ tiêu mã «jobs_createdd»",
        "Chỉ tiêu, dòng 3, cột Mã đơn vị: Không có đơn vị mã 99999 thuộc Tỉnh Trà Vinh",
        "Chỉ tiêu, dòng 4, cột Kỳ: «2020-Q5» không phải là một kỳ",
        "Chỉ tiêu, dòng 5, cột Chi tiết: «japan» không phải là chi tiết của Số lao động được giải quyết việc làm",
        "Chỉ tiêu, dòng 6, cột Giá trị: «nhiều» không phải là số",
        "Chỉ tiêu, dòng 7, cột Kỳ: Kỳ 2021 không thuộc năm 2020 của kế hoạch",
        "Nhiệm vụ, dòng 2, cột Hạn: Ngày «32/13/2020» không hợp lệ",
        "Nhiệm vụ, dòng 3, cột Trạng thái: «xong rồi nhé» không có trong danh sách",
    ]
    assert len(found) == len(expected), found
    for problem, start in zip(found, expected, strict=True):
        assert problem.startswith(start), (problem, start)
    assert not Plan.objects.exists() and not Agency.objects.exists() and not Target.objects.exists()
    assert not Task.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="plans.").exists()


def test_it_required_fields_and_sheets(db) -> None:  # type: ignore[no-untyped-def]
    found = problems_of(book(number="", place=None, edition="moon"))
    assert any(p.startswith("Kế hoạch, dòng 4, cột Số ký hiệu: Chưa điền") for p in found), found
    assert any("cột Địa danh: Chưa điền" in p for p in found)
    assert any("cột Bản đồ hành chính: «moon» không có trong danh sách" in p for p in found)
    assert problems_of(b"not a workbook")[0].startswith("Không đọc được tệp")


def test_it_vietnamese_numbers_breakdown_names_and_blank_unit(db) -> None:  # type: ignore[no-untyped-def]
    result = plan_import(actor=None, data=book(targets=[
        {"indicator": "jobs_created", "value": "7.645"},
        {"indicator": "jobs_created", "breakdown": "nữ", "value": "3.899"},
        {"indicator": "overseas_workers", "unit": "849", "period": "2020-Q1", "value": "21,3"},
        {"indicator": "trained_labour_rate", "value": "67,67"},
    ]))
    plan = Plan.objects.get(pk=result.plan_id or 0)
    values = {(t.indicator.code, t.unit.code, t.period, t.breakdown): t.value for t in plan.targets.all()}
    assert values == {("jobs_created", "84", "2020", ""): Decimal("7645"),
                      ("jobs_created", "84", "2020", "female"): Decimal("3899"),
                      ("overseas_workers", "849", "2020-Q1", ""): Decimal("21.3"),
                      ("trained_labour_rate", "84", "2020", ""): Decimal("67.67")}


def test_it_duplicates_and_service_checks_are_placed(db) -> None:  # type: ignore[no-untyped-def]
    found = problems_of(book(targets=[{"indicator": "jobs_created", "value": 1},
                                      {"indicator": "jobs_created", "unit": "84", "value": 2},
                                      {"indicator": "poor_rate", "breakdown": "khmer", "value": 2}],
                             issued_on=dt.date(2018, 5, 1), form_codes=["jobs_created", "nope", "poor_rate"]))
    assert any(p.startswith("Chỉ tiêu, dòng 3, cột Mã chỉ tiêu: Chỉ tiêu này của Tỉnh Trà Vinh, kỳ 2020 đã "
                            "ghi ở dòng 2") for p in found), found
    assert any("dòng 4, cột Chi tiết: Tỷ lệ hộ nghèo là tỷ lệ tính theo công thức" in p for p in found)
    assert any("cột Ngày ban hành: Kế hoạch năm 2020 được ban hành trong năm 2020 hoặc năm 2019" in p for p in found)
    assert any("cột Chỉ tiêu trong biểu báo cáo: Không có chỉ tiêu mã: nope" in p for p in found)
    assert any("Chỉ tiêu tính theo công thức không báo cáo được trong biểu: poor_rate" in p for p in found)


def test_it_check_only_writes_nothing_and_replace_revises(db) -> None:  # type: ignore[no-untyped-def]
    checked = plan_import(actor=None, data=book(), dry_run=True)
    assert not checked.written and checked.plan_id is None and checked.created
    assert checked.lines()[0].startswith("Tệp hợp lệ, chưa ghi gì: sẽ tạo kế hoạch 01/KH-SLĐTBXH")
    assert not Plan.objects.exists() and not Agency.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="plans.").exists()

    first = plan_import(actor=None, data=book(tasks=[{"order": 1, "description": "Việc một", "lead": "Phòng A"}]))
    assert first.created and first.targets_new == 2 and first.tasks_new == 1 and first.agencies_new == [
        "Ủy ban nhân dân tỉnh Trà Vinh", "Sở Lao động - Thương binh và Xã hội", "Phòng A"]
    found = problems_of(book())
    assert found == ["Kế hoạch, dòng 4, cột Số ký hiệu: Sở Lao động - Thương binh và Xã hội đã có kế hoạch "
                     "01/KH-SLĐTBXH năm 2020. Để cập nhật kế hoạch đó theo tệp, nhập lại với tùy chọn cập nhật "
                     "(--replace)."]
    second = plan_import(actor=None, replace=True, data=book(
        targets=[{"indicator": "jobs_created", "value": 24000}],
        tasks=[{"order": 1, "description": "Việc một, sửa", "lead": "Phòng A"},
               {"order": 2, "description": "Việc hai", "status": "Hoàn thành"}], title="Kế hoạch thử (sửa)"))
    assert not second.created and (second.targets_revised, second.targets_removed, second.targets_new) == (1, 1, 0)
    assert (second.tasks_updated, second.tasks_new) == (1, 1)
    plan = Plan.objects.get()
    assert plan.title == "Kế hoạch thử (sửa)"
    target = plan.targets.get()
    assert target.value == 24000 and target.revision == 1
    assert list(TargetRevision.objects.filter(target=target).values_list("number", "value", "previous")) == [
        (0, Decimal(23000), None), (1, Decimal(24000), Decimal(23000))]
    assert list(plan.tasks.values_list("order", "description", "status")) == [(1, "Việc một, sửa", "open"),
                                                                             (2, "Việc hai", "done")]
    assert AuditEvent.objects.filter(action="plans.plan.update").count() == 1
    # the removed target's history is gone from the tables but kept in the audit trail
    replaced = AuditEvent.objects.filter(action="plans.targets.replace").latest("pk")
    label = f"jobs_created {target.unit.code} 2020"
    assert replaced.before["revised"] == {label: "23000"} and replaced.after["revised"] == {label: "24000"}
    [(removed, history)] = replaced.before["removed"].items()
    assert removed != label and [h["number"] for h in history] == ["0"]


def test_it_only_within_the_editing_scope(people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        plan_import(actor=people.lan, data=book(), allowed=get_scope(people.lan).can_change)
    with pytest.raises(PermissionDenied):
        plan_import(actor=people.hoa, data=book(), allowed=get_scope(people.hoa).can_change)
    result = plan_import(actor=people.minh, data=book(), allowed=get_scope(people.minh).can_change)
    assert Plan.objects.get(pk=result.plan_id or 0).created_by == people.minh


def test_it_command_prints_the_number_last_and_errors_to_stderr(people, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.xlsx"
    path.write_bytes(book())
    out = StringIO()
    call_command("plans", "import", str(path), "--check", stdout=out)
    assert out.getvalue().splitlines()[-1] == "01/KH-SLĐTBXH" and not Plan.objects.exists()
    out = StringIO()
    call_command("plans", "import", str(path), "--as", "minh", stdout=out)
    assert out.getvalue().splitlines()[-1] == "01/KH-SLĐTBXH" and Plan.objects.get().created_by == people.minh
    with pytest.raises(CommandError, match="Không được lập kế hoạch|không được lập kế hoạch"):
        call_command("plans", "import", str(path), "--as", "lan", "--replace", stdout=StringIO())
    err = StringIO()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(book(targets=[{"indicator": "nope", "value": 1}]))
    with pytest.raises(CommandError, match="Không nhập gì: 1 lỗi"):
        call_command("plans", "import", str(bad), stdout=StringIO(), stderr=err)
    assert "Chỉ tiêu, dòng 2, cột Mã chỉ tiêu" in err.getvalue()
    template = tmp_path / "template.xlsx"
    call_command("plans", "template", "-o", str(template), stdout=StringIO())
    assert "Kế hoạch" in openpyxl.load_workbook(template).sheetnames


def test_it_a_plan_exports_to_the_workbook_and_imports_back_unchanged(db) -> None:  # type: ignore[no-untyped-def]
    from ansinh.plans.importer import plan_xlsx

    first = plan_import(actor=None, data=Path(examples.EXAMPLES_DIR) / examples.TRA_CU_PLAN)
    plan = Plan.objects.get(pk=first.plan_id or 0)
    revisions = TargetRevision.objects.count()
    exported = plan_xlsx(plan)
    sheet = openpyxl.load_workbook(io.BytesIO(exported))[SHEET_PLAN]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, max_col=2, values_only=True)}
    assert values["Số ký hiệu"] == "12/KH-UBND" and values["Mã đơn vị"] == "849"
    assert values["Người ký"] == "Tăng Thị Thắm"
    again = plan_import(actor=None, data=exported, replace=True)
    assert (again.created, again.targets, again.targets_new, again.targets_revised, again.targets_removed) == (
        False, first.targets, 0, 0, 0)
    assert (again.tasks_new, again.tasks_updated, again.warnings) == (0, 33, [])
    assert TargetRevision.objects.count() == revisions
    plan.refresh_from_db()
    assert plan.basis.splitlines()[1].startswith("Căn cứ Kế hoạch số 07/KH-UBND") and plan.tasks.count() == 33


def test_it_guesses_the_kind_of_a_named_body() -> None:
    from ansinh.plans.importer import guess_agency_kind
    from ansinh.plans.models import AgencyKind

    assert guess_agency_kind("Ủy ban nhân dân huyện Trà Cú") == AgencyKind.PEOPLES_COMMITTEE
    assert guess_agency_kind("UBND xã Ngãi Xuyên") == AgencyKind.PEOPLES_COMMITTEE
    # all the communes' committees together are no one body that could sign a report
    assert guess_agency_kind("Ủy ban nhân dân các xã, thị trấn") == AgencyKind.OTHER
    assert guess_agency_kind("Phòng Giao dịch Ngân hàng Chính sách xã hội huyện") == AgencyKind.SOCIAL_POLICY_BANK
    assert guess_agency_kind("Sở Lao động - Thương binh và Xã hội") == AgencyKind.DEPARTMENT


@pytest.mark.django_db
def test_it_the_plan_and_form_imports_refuse_a_zip_bomb_quickly_and_audit_it() -> None:
    """2.000.000 rows in a 650 KB workbook took these imports to 3-4,7 GB of memory before the limits."""
    import time
    import tracemalloc

    from ansinh.lib.tests.test_spreadsheets import zip_bomb
    from ansinh.plans.submission_io import submission_import

    data = zip_bomb(2_000_000)
    for run in (lambda: plan_import(actor=None, data=data, name="bom.xlsx"),
                lambda: submission_import(actor=None, data=data, name="bom.xlsx")):
        tracemalloc.start()
        started = time.monotonic()
        try:
            with pytest.raises(ImportProblems) as raised:
                run()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert time.monotonic() - started < 30 and peak < 50 * 1024 * 1024
        assert [str(p) for p in raised.value.problems] == [
            "Không đọc được tệp: một sheet của tệp có hơn 1.000.000 dòng (giới hạn cho một lần nhập): hãy chia "
            "thành nhiều tệp nhỏ hơn."]
    assert sorted(e.after["import"] for e in AuditEvent.objects.filter(action="import.refused")) == [
        "plans", "submissions"]
