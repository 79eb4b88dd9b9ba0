"""The import of the book of citizen reception: a good file records every row with one audit row;
a file with a bad row records nothing and names every problem by row and column; scope (an
inspector of another province is refused); the template reads back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ansinh.accounts.models import AuditEvent
from ansinh.accounts.services import unit_for_role, user_create
from ansinh.care import import_inspections
from ansinh.care.models_inspections import Reception
from ansinh.lib.tabular import ImportProblems

pytestmark = pytest.mark.django_db
HEADER = "Ngày tiếp,Mã đơn vị tiếp,Hình thức tiếp,Người tiếp,Công dân hoặc người đại diện,Số người,Nội dung,Lĩnh vực,Kết quả\n"


def inspector(username: str, code: str) -> Any:
    return user_create(username=username, password="Mua-thu-2026-mua-dong", role="inspector",
                       unit=unit_for_role(role="inspector", code=code), field="")


def test_it_records_every_row_of_a_good_file(units: Any) -> None:
    data = (HEADER + "06/01/2025,86,,Chánh Thanh tra,Nguyễn Văn An,1,Hỏi chế độ BHXH một lần,,\"giải thích, trả lời\"\n"
            "07/01/2025,29461,tiếp đột xuất,Cán bộ tiếp dân,Thạch Văn Bé,8,Nợ lương,pháp luật lao động,"
            "\"hướng dẫn đến cơ quan có thẩm quyền\"\n").encode()
    result = import_inspections.import_receptions(actor=inspector("thanh", "86"), data=data, filename="so.csv")
    assert (result.created, result.rows) == (2, 2)
    group = Reception.objects.get(citizen_name="Thạch Văn Bé")
    assert group.is_group and group.unit == units.tra_cu and group.province == units.vinh_long
    assert group.kind == "ad_hoc" and group.outcome == "guided"
    assert Reception.objects.get(citizen_name="Nguyễn Văn An").kind == "regular"
    assert AuditEvent.objects.filter(action="inspection.reception.save", after__created=2).exists()


def test_it_records_nothing_and_names_every_problem(units: Any) -> None:
    data = (HEADER + "06/01/2025,86,,Chánh Thanh tra,Nguyễn Văn An,1,Hỏi chế độ,,\"giải thích, trả lời\"\n"
            "31/02/2025,99999,,Cán bộ,,0,Nợ lương,,không rõ\n").encode()
    with pytest.raises(ImportProblems) as refused:
        import_inspections.import_receptions(actor=inspector("thanh", "86"), data=data, filename="sai.csv")
    where = {(p.row, p.column) for p in refused.value.problems}
    assert {(3, "Ngày tiếp"), (3, "Mã đơn vị tiếp"), (3, "Công dân hoặc người đại diện"), (3, "Số người"),
            (3, "Kết quả")} <= where
    assert not Reception.objects.exists()
    assert AuditEvent.objects.filter(action="import.refused", after__import="care.receptions").exists()


def test_it_refuses_rows_outside_the_importers_province(units: Any) -> None:
    data = (HEADER + "06/01/2025,86,,Chánh Thanh tra,Nguyễn Văn An,1,Hỏi chế độ,,\"giải thích, trả lời\"\n").encode()
    with pytest.raises(ImportProblems) as refused:
        import_inspections.import_receptions(actor=inspector("hanoi", "01"), data=data, filename="so.csv")
    assert refused.value.problems[0].column == "Mã đơn vị tiếp" and "Vĩnh Long" in str(refused.value.problems[0])
    assert not Reception.objects.exists()


def test_it_imports_its_own_template_from_the_command_line(units: Any, tmp_path: Path) -> None:
    inspector("thanh", "86")
    import datetime as dt

    sample = [{"Ngày tiếp": dt.date(2025, 2, 3), "Mã đơn vị tiếp": "86", "Người tiếp": "Chánh Thanh tra",
               "Công dân hoặc người đại diện": "Kim Thị Hoa", "Số người": 1, "Nội dung": "Hỏi trợ cấp thất nghiệp",
               "Kết quả": "giải thích, trả lời"}]
    path = tmp_path / "mau.xlsx"
    path.write_bytes(import_inspections.template(sample))
    out = io.StringIO()
    call_command("care", "inspections-import-receptions", str(path), "--as", "thanh", "--check", stdout=out)
    assert "1 dòng hợp lệ" in out.getvalue() and not Reception.objects.exists()
    call_command("care", "inspections-import-receptions", str(path), "--as", "thanh", stdout=out)
    assert Reception.objects.get().citizen_name == "Kim Thị Hoa"
    with pytest.raises(CommandError, match="không có người dùng"):
        call_command("care", "inspections-import-receptions", str(path), "--as", "nobody")
