"""The enrolment import: the contract's columns, courses found or created, row errors, all or
nothing, duplicates in the file and against the registry, the CLI and the template."""

from __future__ import annotations

import csv
import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.labour import training
from ansinh.labour.models import Course, Enrolment
from ansinh.labour.training_import import HEADERS, import_enrolments, template_csv, template_xlsx
from ansinh.lib.tabular import ImportProblems

from .training_helpers import labour_officer, level, member, provider

pytestmark = pytest.mark.django_db


def _csv(*rows: list[str]) -> bytes:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _row(name: str, born: str, cid: str, *, occupation: str = "May công nghiệp", level: str = "Sơ cấp",
         field: str = "phi nông nghiệp", starts: str = "02/03/2025", enrolled: str = "02/03/2025", status: str = "",
         completed: str = "", certificate: str = "", school: str = "Trường Trung cấp nghề Trà Cú") -> list[str]:
    return [name, born, cid, school, occupation, level, field, "", starts, enrolled, status, completed, certificate]


@pytest.fixture
def register(units):  # type: ignore[no-untyped-def]
    provider(units.vinh_long)
    return [member(units.tra_cu, name="Thạch Thị Mai", born=dt.date(1995, 4, 10), citizen_id="086195000001"),
            member(units.tra_cu, name="Sơn Văn Tài", born=dt.date(1990, 1, 2), sex="male", citizen_id="086090000002"),
            member(units.tra_cu, name="Kim Thị Hoa", born=dt.date(2000, 7, 8), citizen_id="086300000003")]


def test_it_imports_enrolments_and_creates_each_course_once(units, register) -> None:
    data = _csv(_row("Thạch Thị Mai", "10/04/1995", "086195000001"),
                _row("SON VAN TAI", "02/01/1990", "086090000002", status="Đã tốt nghiệp", completed="30/05/2025",
                     certificate="SC-2025-01"),
                _row("Kim Thị Hoa", "08/07/2000", "086300000003", occupation="Trồng lúa", level="Dưới 3 tháng",
                     field="Nông nghiệp", starts="10/03/2025", enrolled="10/03/2025", completed="05/05/2025"))
    result = import_enrolments(actor=Actor.system(), data=data, filename="nguoi-hoc.csv", province=units.vinh_long)
    assert (result.created, result.courses_created) == (3, 2)
    assert Course.objects.count() == 2
    tai = Enrolment.objects.get(person=register[1])
    assert (tai.status, tai.certificate_number, tai.certificate_on) == ("completed", "SC-2025-01", dt.date(2025, 5, 30))
    hoa = Enrolment.objects.get(person=register[2])
    assert hoa.status == "completed" and hoa.course.level.code == "under_3_months" and hoa.course.field == "farm"
    assert hoa.commune == units.tra_cu
    assert AuditEvent.objects.filter(action=AuditAction.LABOUR_IMPORT).count() == 1
    # The same file again: every row is already in the register, nothing is written.
    with pytest.raises(ImportProblems) as refused:
        import_enrolments(actor=Actor.system(), data=data, filename="nguoi-hoc.csv", province=units.vinh_long)
    assert [p.row for p in refused.value.problems] == [2, 3, 4]
    assert Enrolment.objects.count() == 3


def test_it_reports_every_bad_row_and_writes_nothing(units, register) -> None:
    data = _csv(_row("Thạch Thị Mai", "10/04/1995", "086195000001"),
                _row("Người Lạ", "01/01/1990", "086090009999"),
                _row("Sơn Văn Tài", "02/01/1990", "086090000002", school="Trường không có"),
                _row("Kim Thị Hoa", "08/07/2000", "086300000003", level="Trung học nghề", starts="01/09/2025"),
                _row("Kim Thị Hoa", "08/07/2000", "086300000003", occupation="Hàn", certificate="SC-9"),
                _row("Thạch Thị Mai", "01/01/1999", "086195000001", occupation="Điện"))
    with pytest.raises(ImportProblems) as refused:
        import_enrolments(actor=Actor.system(), data=data, filename="x.csv", province=units.vinh_long)
    where = {(p.row, p.column) for p in refused.value.problems}
    assert where == {(3, "Số CCCD"), (4, "Cơ sở đào tạo"), (5, "Trình độ"), (6, "Số văn bằng, chứng chỉ"),
                     (7, "Số CCCD")}
    level_problem = next(p for p in refused.value.problems if p.row == 5)
    assert "01/01/2026" in str(level_problem.message)
    assert Enrolment.objects.count() == 0 and Course.objects.count() == 0
    assert AuditEvent.objects.filter(action="import.refused").exists()


def test_it_accepts_the_new_level_from_2026(units, register) -> None:
    data = _csv(_row("Kim Thị Hoa", "08/07/2000", "086300000003", level="Trung học nghề", starts="05/01/2026",
                     enrolled="05/01/2026"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 2, 1))
        result = import_enrolments(actor=Actor.system(), data=data, filename="x.csv", province=units.vinh_long)
    assert result.created == 1
    assert Course.objects.get().level == level("vocational_secondary")


def test_it_reports_the_same_person_twice_in_a_course_of_the_file(units, register) -> None:
    data = _csv(_row("Thạch Thị Mai", "10/04/1995", "086195000001"),
                _row("Thạch Thị Mai", "10/04/1995", "086195000001", enrolled="03/03/2025"))
    with pytest.raises(ImportProblems) as refused:
        import_enrolments(actor=Actor.system(), data=data, filename="x.csv", province=units.vinh_long)
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "Số CCCD")]


def test_it_refuses_an_importer_outside_the_training_scope(units, people, register) -> None:
    data = _csv(_row("Thạch Thị Mai", "10/04/1995", "086195000001"))
    with pytest.raises(ImportProblems):
        import_enrolments(actor=Actor(user=people.lan), data=data, filename="x.csv", province=units.vinh_long)
    thu = labour_officer(units.vinh_long)
    assert import_enrolments(actor=Actor(user=thu), data=data, filename="x.csv", province=units.vinh_long).created == 1


def test_it_imports_from_the_command_line_with_json(units, register, tmp_path: Path) -> None:
    path = tmp_path / "nguoi-hoc.csv"
    path.write_bytes(_csv(_row("Thạch Thị Mai", "10/04/1995", "086195000001")))
    out = StringIO()
    call_command("labour", "import-enrolments", str(path), "--unit", "86", "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] == 1
    with pytest.raises(CommandError):
        call_command("labour", "import-enrolments", str(path), "--unit", "86", stdout=StringIO(), stderr=StringIO())


def test_it_reads_its_own_xlsx_template(units, register) -> None:
    with pytest.raises(ImportProblems) as refused:  # the template has the headers and no rows
        import_enrolments(actor=Actor.system(), data=template_xlsx(), filename="mau.xlsx", province=units.vinh_long)
    assert [p.row for p in refused.value.problems] == [0]
    assert template_csv().decode("utf-8-sig").startswith("Họ và tên,Ngày sinh,Số CCCD,Cơ sở đào tạo")
    assert '"Số văn bằng, chứng chỉ"' in template_csv().decode("utf-8-sig")
    assert training.levels_in_force(dt.date(2025, 1, 1)).count() == 4
