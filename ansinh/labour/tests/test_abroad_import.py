"""Imports of workers abroad and foreign workers: the happy path, row and field errors in
Vietnamese, all or nothing, duplicates against the registry, scope, the CLI and the template."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.labour.import_abroad import (
    DEPARTURE_COLUMNS,
    FOREIGN_COLUMNS,
    import_departures,
    import_foreign_workers,
    template,
)
from ansinh.labour.models import Departure, Employer, ForeignWorker, Placement, WorkPermit
from ansinh.lib.spreadsheets import read_rows
from ansinh.lib.tabular import ImportProblems

from .abroad_data import D, employer, labour, worker  # noqa: F401

pytestmark = pytest.mark.django_db

DEP_HEADER = ";".join(c.header for c in DEPARTURE_COLUMNS)
FW_HEADER = ";".join(c.header for c in FOREIGN_COLUMNS)


def csv(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


HEAD = "Thạch Văn Sóc;01/03/1980;086080000001"
SPOUSE = "Kim Thị Sa Ri;02/05/1982;086182000002"


def test_it_imports_departures_with_their_placements(labour: SimpleNamespace, units: Any) -> None:
    data = csv(DEP_HEADER,
               f"{HEAD};Đài Loan;;Công ty A;Cơ khí;36;10/02/2025;;;LD-1",
               f"{SPOUSE};nhat ban;Hợp đồng cá nhân;;Điều dưỡng;;;;;")
    result = import_departures(actor=labour.actor, data=data, filename="di.csv", province=units.vinh_long)
    assert (result.created, result.placements) == (2, 1)
    tw = Departure.objects.get(destination="TW")
    assert (tw.status, tw.contract_months, tw.labour_code) == ("abroad", 36, "LD-1")
    assert Placement.objects.get(departure=tw).placed_on == D(2025, 2, 10)
    jp = Departure.objects.get(destination="JP")
    assert (jp.status, jp.sender_kind, jp.departed_on) == ("preparing", "individual", None)
    assert AuditEvent.objects.filter(action="labour.import").count() == 1


def test_it_refuses_the_whole_file_with_every_problem(labour: SimpleNamespace, units: Any) -> None:
    data = csv(DEP_HEADER,
               f"{HEAD};Nhật Bản;;;;12;01/03/2025;;;",  # right
               f"{SPOUSE};Atlantis;;;;;01/03/2025;;;",
               "Lê Văn Tám;01/01/1990;086090999999;Hàn Quốc;;;;;01/03/2025;;;",
               f"{SPOUSE};Hàn Quốc;;;;;01/03/2025;01/02/2025;;",
               f"{HEAD};Nhật Bản;;;;12;01/03/2025;;;",  # twice in the file
               "Kim Thị Sa Na;02/05/1982;086182000002;Hàn Quốc;;;;;01/03/2025;;;")
    with pytest.raises(ImportProblems) as error:
        import_departures(actor=labour.actor, data=data, filename="di.csv", province=units.vinh_long)
    texts = [(p.row, p.column, p.message) for p in error.value.problems]
    assert (3, "Nước đến", "Không rõ nước “Atlantis”: ghi tên nước bằng tiếng Việt, ví dụ Đài Loan (Trung Quốc); "
            "Nhật Bản; Hàn Quốc; Trung Quốc; Xi-ga-po; Ma-lai-xi-a; Đức.".replace("Xi-ga-po", "Xinh-ga-po")) in texts
    assert any(r == 4 and "không có trong sổ hộ của tỉnh" in m for r, _c, m in texts)
    assert (5, "Ngày về nước", "Ngày về nước phải sau ngày xuất cảnh.") in texts
    assert any(r == 7 and "Họ và tên khác với sổ hộ" in m for r, _c, m in texts)
    assert any(r == 6 and "Trùng với dòng 2" in m for r, _c, m in texts)
    assert not Departure.objects.exists() and not Placement.objects.exists()
    assert AuditEvent.objects.filter(action="import.refused").count() == 1


def test_it_reports_a_departure_already_in_the_registry(labour: SimpleNamespace, units: Any) -> None:
    data = csv(DEP_HEADER, f"{HEAD};Hàn Quốc;;;;;05/05/2025;;;")
    import_departures(actor=labour.actor, data=data, filename="a.csv", province=units.vinh_long)
    with pytest.raises(ImportProblems) as error:
        import_departures(actor=labour.actor, data=data, filename="a.csv", province=units.vinh_long)
    assert "đã có trong sổ" in error.value.problems[0].message
    assert Departure.objects.count() == 1


def test_it_refuses_rows_outside_the_importers_scope(labour: SimpleNamespace, units: Any) -> None:
    data = csv(DEP_HEADER, f"{HEAD};Hàn Quốc;;;;;05/05/2025;;;")
    with pytest.raises(ImportProblems) as error:
        import_departures(actor=Actor(user=labour.commune_officer), data=data, filename="a.csv",
                          province=units.vinh_long)
    assert "không được ghi" in error.value.problems[0].message


def test_it_imports_foreign_workers_employers_and_permits(labour: SimpleNamespace, units: Any, employer: Any) -> None:
    data = csv(FW_HEADER,
               "Wang Wei;E1234567;Trung Quốc;Nam;01/06/1985;Công ty Hòa Phát;2100123456;Chuyên gia;Kỹ sư;Trà Cú;"
               "Cấp giấy phép;29/08/2025;10/09/2025;GP-1;15/09/2025;14/09/2027",
               "Kim Min Ho;M7654321;Hàn Quốc;Nam;;Công ty Mới;;Nhà quản lý;;Xã Trà Cú;Cấp giấy phép;13/02/2026;;;;",
               "Sato Yuki;TR0001;Nhật Bản;Nữ;;Công ty Mới;;Lao động kỹ thuật;;xa tra cu;;;;;;")
    result = import_foreign_workers(actor=labour.actor, data=data, filename="nn.csv", province=units.vinh_long)
    assert (result.created, result.employers, result.permits) == (3, 1, 2)
    wang = ForeignWorker.objects.get(passport_number="E1234567")
    assert wang.employer_id == employer.pk and wang.workplace_id == units.tra_cu.pk
    granted = WorkPermit.objects.get(worker=wang)
    assert (granted.state, granted.due_on, granted.valid_to) == ("granted", D(2025, 9, 16), D(2027, 9, 14))
    pending = WorkPermit.objects.get(worker__passport_number="M7654321")
    assert (pending.state, pending.due_on) == ("pending", D(2026, 3, 6))  # after Tết Bính Ngọ
    assert Employer.objects.filter(name="Công ty Mới").count() == 1


def test_it_refuses_foreign_worker_rows_against_the_law(labour: SimpleNamespace, units: Any, worker: Any) -> None:
    WorkPermit.objects.create(worker=worker, kind="issue", received_on=D(2024, 1, 2), state="granted",
                              number="GP-0", valid_from=D(2024, 2, 1), valid_to=D(2026, 1, 31))
    WorkPermit.objects.create(worker=worker, kind="extend", received_on=D(2025, 12, 1), state="granted",
                              number="GP-0-GH", valid_from=D(2026, 2, 1), valid_to=D(2028, 1, 31))
    data = csv(FW_HEADER,
               "Wang Wei;E12345678;Trung Quốc;Nam;;Công ty;2100123456;Chuyên gia;;Trà Cú;Gia hạn;01/12/2025;;;;",
               "Wang Wei;E12345678;Trung Quốc;Nam;;Công ty;2100123456;Chuyên gia;;Trà Cú;Gia hạn;02/01/2026;;;;",
               "Ana;P1;Ba Tư;Nữ;;Công ty;12;Chuyên gia;;Xã Không Có;Cấp giấy phép;10/01/2026;20/01/2026;GP-2;"
               "01/02/2026;01/02/2028",
               "Wang Wei;E12345678;Trung Quốc;Nam;;Công ty;2100123456;Chuyên gia;;Trà Cú;;;;;;")
    with pytest.raises(ImportProblems) as error:
        import_foreign_workers(actor=labour.actor, data=data, filename="nn.csv", province=units.vinh_long)
    found = {(p.row, p.column): p.message for p in error.value.problems}
    assert "đã có trong sổ" in found[(2, "Số hộ chiếu")]
    assert "chỉ được gia hạn một lần" in found[(3, "Loại thủ tục")]
    assert "Không rõ quốc tịch “Ba Tư”" in found[(4, "Quốc tịch")]
    assert "Mã số thuế “12” không đúng" in found[(4, "Mã số thuế")]
    assert "Không có xã, phường “Xã Không Có”" in found[(4, "Nơi làm việc")]
    assert "tối đa là 02 năm" in found[(4, "Hiệu lực đến")]
    assert "đã có trong sổ" in found[(5, "Số hộ chiếu")]
    assert WorkPermit.objects.count() == 2 and ForeignWorker.objects.count() == 1


def test_it_writes_templates_that_import_back(labour: SimpleNamespace, units: Any, tmp_path: Path) -> None:
    for kind, columns in (("departures", DEPARTURE_COLUMNS), ("foreign_workers", FOREIGN_COLUMNS)):
        rows = list(read_rows(template(kind)))
        assert rows[0][1] == [c.header for c in columns]
        assert len(rows) == 2  # the header and one example


def test_it_imports_from_the_command_line(labour: SimpleNamespace, units: Any, tmp_path: Path) -> None:
    path = tmp_path / "di.csv"
    path.write_bytes(csv(DEP_HEADER, f"{HEAD};Đài Loan;;;;;10/02/2025;;;"))
    out = StringIO()
    call_command("labour", "import-departures", str(path), "--unit", "86", "--as", "thu", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"created": 1}
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("labour", "import-departures", str(path), "--unit", "86", "--json", stdout=StringIO(),
                     stderr=err)
    assert exit_.value.code == 1
    assert "đã có trong sổ" in err.getvalue()


def test_it_imports_in_a_number_of_queries_that_does_not_grow_with_the_rows(labour: SimpleNamespace, units: Any,
                                                                          employer: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(n: int, first: int) -> int:
        rows = [f"Nguoi {i};E{first + i:08d};Trung Quốc;Nam;;Công ty Hòa Phát;2100123456;Chuyên gia;;Trà Cú;"
                f"Cấp giấy phép;0{1 + i % 8}/09/2025;;;;" for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            import_foreign_workers(actor=labour.actor, data=csv(FW_HEADER, *rows), filename="nn.csv",
                                   province=units.vinh_long)
        return len(queries)

    few, many = run(2, 100), run(40, 200)
    assert many <= few + 2  # bulk inserts in batches; the checks are set-based
    assert ForeignWorker.objects.count() == 42 and WorkPermit.objects.count() == 42
