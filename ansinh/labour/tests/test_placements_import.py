"""The placements and counselling imports: all or nothing, row and field problems in Vietnamese,
duplicates, hostile files, the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ansinh.accounts.models import AuditEvent
from ansinh.labour.counselling import session_save
from ansinh.labour.counselling_import import import_counselling
from ansinh.labour.models import Counselling, Placement
from ansinh.labour.placements import placement_create
from ansinh.labour.placements_import import import_placements, template_xlsx
from ansinh.lib.tabular import ImportProblems

from .place_setup import HEAD_ID, OTHER_HEAD_ID, SPOUSE_ID, labour_officer, register

pytestmark = pytest.mark.django_db
HEADER = ("Họ và tên,Ngày sinh,Số CCCD,Ngày giải quyết việc làm,Hình thức,Người sử dụng lao động,Mã số thuế,"
          "Việc làm tăng thêm,Ghi chú")


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *lines]).encode("utf-8-sig")


def _problems(error: ImportProblems) -> list[str]:
    with translation.override("vi"):
        return [str(p) for p in error.problems]


def test_it_imports_a_file_with_short_channel_names(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    data = _csv(f"Thạch Văn Sóc,01/03/1980,{HEAD_ID},05/03/2026,Doanh nghiệp,Công ty Giày Vĩnh Long,,Có,",
                f"kim thi sa ri,,{SPOUSE_ID},06/03/2026,Vay vốn,,,,hộ nghèo")
    result = import_placements(actor=people.lan, data=data, filename="gqvl.csv", province=units.vinh_long)
    assert result.created == 2
    rows = {p.person_id: p for p in Placement.objects.all()}
    assert rows[reg.head.pk].channel == "employer" and rows[reg.head.pk].new_job
    assert rows[reg.spouse.pk].channel == "loan" and rows[reg.spouse.pk].commune_id == units.tra_cu.pk
    assert rows[reg.head.pk].employer_name == "Công ty Giày Vĩnh Long"
    assert AuditEvent.objects.filter(action="labour.import").count() == 1


def test_it_reads_its_own_xlsx_template(people, units):  # type: ignore[no-untyped-def]
    register(people, units)
    data = template_xlsx(sample=[{"Họ và tên": "Thạch Văn Sóc", "Số CCCD": HEAD_ID,
                                  "Ngày giải quyết việc làm": dt.date(2026, 3, 5),
                                  "Hình thức": "qua Trung tâm Dịch vụ việc làm", "Việc làm tăng thêm": "Không"}])
    result = import_placements(actor=labour_officer(), data=data, filename="mau.xlsx", province=units.vinh_long)
    assert result.created == 1 and Placement.objects.get().channel == "job_centre"


def test_it_reports_every_problem_by_row_and_writes_nothing(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    placement_create(actor=people.lan, person=reg.other_head, placed_on=dt.date(2026, 3, 1), channel="loan")
    data = _csv(f"Thạch Văn Sóc,01/03/1980,{HEAD_ID},05/03/2026,Doanh nghiệp,,,,",  # good
                f"Thạch Văn Sóc,01/03/1980,{HEAD_ID},05/03/2026,Doanh nghiệp,,,,",  # twice in the file
                f"Nguyễn Văn An,,{OTHER_HEAD_ID},01/03/2026,Vay vốn,,,,",  # already in the register
                "Ai Đó,,086099999999,31/02/2026,Chợ,,,Chắc,",  # not in the register; bad date, channel, yes/no
                f"Kim Thị Sa Ri,,{SPOUSE_ID},01/01/2099,Vay vốn,,,,")  # future
    with pytest.raises(ImportProblems) as refused:
        import_placements(actor=people.lan, data=data, filename="sai.csv", province=units.vinh_long)
    texts = _problems(refused.value)
    assert any(", dòng 3," in t and "dòng 2" in t for t in texts), texts
    assert any(", dòng 4," in t and "đã có trong sổ" in t for t in texts), texts
    assert any(", dòng 5," in t and "Số CCCD" in t and "không có trong sổ hộ của tỉnh" in t for t in texts)
    assert any(", dòng 5," in t and "Ngày giải quyết việc làm" in t for t in texts)
    assert any(", dòng 5," in t and "Hình thức" in t for t in texts)
    assert any(", dòng 5," in t and "Việc làm tăng thêm" in t for t in texts)
    assert any(", dòng 6," in t and "01/01/2099" in t for t in texts)
    assert Placement.objects.count() == 1  # only the one entered before
    assert AuditEvent.objects.filter(action="import.refused").count() == 1


def test_it_refuses_people_outside_the_importer_scope(people, units):  # type: ignore[no-untyped-def]
    register(people, units)
    data = _csv(f"Thạch Văn Sóc,,{HEAD_ID},05/03/2026,Doanh nghiệp,,,,")
    for outsider in (people.binh, people.minh):
        with pytest.raises(ImportProblems) as refused:
            import_placements(actor=outsider, data=data, filename="x.csv", province=units.vinh_long)
        assert "không được ghi hồ sơ" in " ".join(_problems(refused.value))
    with pytest.raises(ImportProblems):  # Hà Nội's register has nobody of the file
        import_placements(actor=people.tung, data=data, filename="x.csv", province=units.ha_noi)
    assert not Placement.objects.exists()


def test_it_refuses_hostile_and_huge_files(people, units, settings):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:  # a zip bomb: 20 MB of zeros
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    settings.ANSINH_IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    cases = [buffer.getvalue(), b"\x00\x01binary", b"\xff\xfe not utf-8 \xff"]
    for data in cases:
        with pytest.raises(ImportProblems) as refused:
            import_placements(actor=people.tung, data=data, filename="x", province=units.vinh_long)
        assert len(refused.value.problems) == 1
    settings.ANSINH_IMPORT_MAX_ROWS = 5
    with pytest.raises(ImportProblems) as long_file:
        import_placements(actor=people.tung, data=_csv(*[f"A,,{HEAD_ID},05/03/2026,Vay vốn,,,," for _ in range(9)]),
                          filename="x.csv", province=units.vinh_long)
    assert "5" in _problems(long_file.value)[0]
    settings.ANSINH_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ImportProblems) as big:
        import_placements(actor=people.tung, data=b"x" * 101, filename="x.csv", province=units.vinh_long)
    assert "lớn hơn" in _problems(big.value)[0]
    assert not Placement.objects.exists()


def test_it_imports_counselling_with_sessions_and_reports_duplicates(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    officer = labour_officer()
    session_save(actor=officer, kind="job_fair", unit=units.vinh_long, held_on=dt.date(2026, 3, 10),
                 title="Phiên giao dịch việc làm tháng 3", attendance=300)
    header = "Họ và tên,Ngày sinh,Số CCCD,Ngày tư vấn,Nội dung tư vấn,Đang hưởng trợ cấp thất nghiệp,Phiên,Ghi chú"
    good = [f"Thạch Văn Sóc,,{HEAD_ID},10/03/2026,,Có,phien giao dich viec lam thang 3,",
            f"Kim Thị Sa Ri,,{SPOUSE_ID},11/03/2026,bảo hiểm thất nghiệp,,,"]
    bad = _csv(*good, good[1], f"Nguyễn Văn An,,{OTHER_HEAD_ID},11/03/2026,,,Phiên không có,", header=header)
    with pytest.raises(ImportProblems) as refused:
        import_counselling(actor=people.lan, data=bad, filename="tv.csv", province=units.vinh_long)
    texts = _problems(refused.value)
    assert len(texts) == 2 and "dòng 3" in texts[0] and "Phiên không có" in texts[1], texts
    assert import_counselling(actor=people.lan, data=_csv(*good, header=header), filename="tv.csv",
                              province=units.vinh_long).created == 2
    rows = {c.person_id: c for c in Counselling.objects.all()}
    assert rows[reg.head.pk].session is not None and rows[reg.head.pk].on_unemployment_benefit
    assert rows[reg.spouse.pk].topic == "unemployment"
    with pytest.raises(ImportProblems) as again:
        import_counselling(actor=people.lan, data=_csv(good[1], header=header), filename="tv.csv",
                           province=units.vinh_long)
    assert "đã có trong sổ" in _problems(again.value)[0]


def test_it_imports_from_the_command_line(people, units, tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    register(people, units)
    good = tmp_path / "gqvl.csv"
    good.write_bytes(_csv(f"Thạch Văn Sóc,,{HEAD_ID},05/03/2026,Nước ngoài,,,,"))
    out = io.StringIO()
    call_command("labour", "import-placements", str(good), "--unit", "86", "--as", "lan", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"created": 1}
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("labour", "import-placements", str(good), "--unit", "86", stdout=io.StringIO(), stderr=err)
    assert "đã có trong sổ" in err.getvalue() and "không ghi gì" in str(refused.value)
    template = tmp_path / "mau.xlsx"
    call_command("labour", "counselling-template", str(template), stdout=io.StringIO())
    assert template.read_bytes()[:2] == b"PK"


def test_it_imports_in_a_constant_number_of_queries(people, units):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register(people, units)

    def run(days: int) -> int:
        lines = [f"Thạch Văn Sóc,,{HEAD_ID},{day:02d}/0{month}/2025,Vay vốn,,,," for month in (1, 2)
                 for day in range(1, days + 1)]
        with CaptureQueriesContext(connection) as queries:
            assert import_placements(actor=people.lan, data=_csv(*lines), filename="x.csv",
                                     province=units.vinh_long).created == len(lines)
        return len(queries)

    run(2)  # the first run reads what is cached for the next ones (the user's scope)
    Placement.objects.all().delete()
    few = run(3)
    Placement.objects.all().delete()
    assert run(28) == few <= 10
