"""`ansinh poverty standards`: the standards as dated law, listed, found by date, exported and
re-imported as JSON with an audit row per changed standard."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ansinh.accounts.models import AuditEvent
from ansinh.poverty import standards_io
from ansinh.poverty.models import PovertyStandard, StandardIndicator

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("poverty", "standards", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize(("on", "code"), [
    ("2016-01-01", "2016-2020"),
    ("2021-06-30", "2016-2020"),  # 2016–2020 extended through 2021
    ("2022-01-01", "2022-2025"),
    ("2023-01-01", "2022-2025"),
    ("2026-06-01", "2022-2025"),  # 2022–2025 extended through 2026
    ("2027-01-01", "2027-2030"),
])
def test_it_prints_the_standard_in_force_on_a_date(on, code):
    output = run("--on", on)
    assert f"[mã {code}]" in output
    assert output.count("[mã ") == 1


def test_it_says_when_no_standard_is_in_force():
    with pytest.raises(CommandError, match="Không có chuẩn nghèo nào có hiệu lực ngày 31/12/2015"):
        run("--on", "2015-12-31")
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        run("--on", "30/06/2021")


def test_it_lists_every_standard_with_lines_bands_and_indicators():
    output = run()
    assert output.index("[mã 2016-2020]") < output.index("[mã 2022-2025]") < output.index("[mã 2027-2030]")
    assert "Hiệu lực: từ 01/01/2022 đến hết 31/12/2026" in output
    assert "Chuẩn nghèo: nông thôn 1.500.000; thành thị 2.000.000 (đồng/người/tháng)" in output
    assert "Hộ cận nghèo: trên chuẩn nghèo đến nông thôn 1.000.000; thành thị 1.300.000" in output
    assert "Hộ có mức sống trung bình: trên chuẩn nghèo đến nông thôn 2.250.000; thành thị 3.000.000" in output
    assert "Quy tắc: income_or_deprivation" in output and "Quy tắc: income_and_deprivation" in output
    assert "   1. employment — Việc làm / Việc làm" in output
    assert "Tham số: min_m2_per_person=8" in output


def test_it_marks_provisional_standards_and_bands_not_yet_set():
    output = run("--code", "2027-2030")
    assert "*** TẠM THỜI – chưa đối chiếu văn bản gốc, cấu hình được ***" in output
    assert "Hộ có mức sống trung bình: chưa có quy định" in output
    assert "  12. waste — Nước, vệ sinh và môi trường / Thu gom, xử lý rác thải sinh hoạt  [TẠM THỜI" in output
    settled = run("--code", "2022-2025")
    assert "*** TẠM THỜI" not in settled
    assert "nutrition — Y tế / Dinh dưỡng\n" in settled  # a checked indicator carries no mark
    with pytest.raises(CommandError, match="Không có chuẩn nghèo mã “1999”"):
        run("--code", "1999")


# --- JSON export and import ---------------------------------------------------------------------


def dump(tmp_path: Path) -> dict[str, Any]:
    target = tmp_path / "standards.json"
    run("--dump", str(target))
    return json.loads(target.read_text(encoding="utf-8"))


def load(tmp_path: Path, data: dict[str, Any], *extra: str) -> str:
    source = tmp_path / "edited.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return run("--load", str(source), *extra)


def by_code(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in data["standards"] if s["code"] == code)


def test_it_round_trips_the_standards_through_json_without_changes(tmp_path):
    data = dump(tmp_path)
    assert data["format"] == "ansinh-poverty-standards"
    assert [s["code"] for s in data["standards"]] == ["2016-2020", "2022-2025", "2027-2030"]
    assert by_code(data, "2022-2025")["indicators"][7]["params"] == {"min_m2_per_person": 8}
    assert len(by_code(data, "2022-2025")["scoring_tables"]) == 6
    assert load(tmp_path, data).strip() == "Không có thay đổi."
    assert not AuditEvent.objects.filter(action__startswith="households.standard").exists()
    assert dump(tmp_path) == data


def test_it_dumps_one_standard_to_standard_output():
    data = json.loads(run("--dump", "-", "--code", "2027-2030"))
    assert [s["code"] for s in data["standards"]] == ["2027-2030"]


def test_it_corrects_a_provisional_standard_and_audits_it(tmp_path, people):
    data = dump(tmp_path)
    edited = copy.deepcopy(data)
    standard = by_code(edited, "2027-2030")
    standard["poverty_line_rural"] = 2_300_000
    standard["average_line_rural"], standard["average_line_urban"] = 3_000_000, 3_800_000
    standard["indicators"][6]["params"]["min_m2_per_person"] = 10
    standard["indicators"][6]["provisional"] = False
    output = load(tmp_path, edited, "--actor", "tung")
    assert output.strip() == "Đã cập nhật 1 chuẩn nghèo: 2027-2030."
    saved = PovertyStandard.objects.get(code="2027-2030")
    assert (saved.poverty_line_rural, saved.average_line_urban) == (2_300_000, 3_800_000)
    area = StandardIndicator.objects.get(standard=saved, code="housing_area")
    assert area.params == {"min_m2_per_person": 10} and not area.provisional
    event = AuditEvent.objects.get(action="households.standard.update")
    assert event.actor == people.tung and event.object_id == str(saved.pk)
    assert event.before["poverty_line_rural"] == 2_200_000 and event.after["poverty_line_rural"] == 2_300_000
    assert dump(tmp_path) == edited


def test_it_adds_removes_and_reorders_indicators_of_a_standard_without_assessments(tmp_path):
    data = dump(tmp_path)
    standard = by_code(data, "2027-2030")
    waste = standard["indicators"].pop()
    standard["indicators"].insert(0, waste)
    standard["indicators"].pop()  # latrine goes
    load(tmp_path, data)
    codes = list(StandardIndicator.objects.filter(standard__code="2027-2030").order_by("position")
                 .values_list("code", flat=True))
    assert codes[0] == "waste" and "latrine" not in codes and len(codes) == 11


def test_it_creates_a_new_standard(tmp_path):
    data = dump(tmp_path)
    new = copy.deepcopy(by_code(data, "2027-2030"))
    new.update(code="2031-2035", name="Chuẩn nghèo 2031–2035 (thử)", valid_from="2031-01-01", valid_to=None)
    load(tmp_path, {"format": "ansinh-poverty-standards", "standards": [new]})
    assert PovertyStandard.in_force_on(dt.date(2040, 1, 1)).code == "2031-2035"
    assert AuditEvent.objects.filter(action="households.standard.create").count() == 1


@pytest.mark.parametrize(("edit", "text"), [
    (lambda s: s.update(rule="income_only"), "Chuẩn 2027-2030, trường rule: quy tắc “income_only” không có"),
    (lambda s: s["indicators"][0].update(rule="magic"), "chỉ số thứ 1, trường rule: quy tắc tính “magic” không có"),
    (lambda s: s["indicators"][1].update(code="employment"), "mã chỉ số “employment” trùng"),
    (lambda s: s["indicators"][1].update(code="Người phụ thuộc"), "trường code: “Người phụ thuộc” không hợp lệ"),
    (lambda s: s.update(poverty_line_urban="2.800.000"), "trường poverty_line_urban: cần số đồng nguyên không âm"),
    (lambda s: s.update(average_line_rural=3_000_000), "cần cả hai mức"),
    (lambda s: s.update(valid_from="2026-12-31"), "thời gian hiệu lực chồng lên chuẩn 2027-2030"),
    (lambda s: s.update(valid_to="2026-01-01"), "ngày hết hiệu lực trước ngày có hiệu lực"),
    (lambda s: s.update(min_deprivations=13), "trường min_deprivations"),
    (lambda s: s.update(colour="red"), "trường không biết: colour"),
    (lambda s: s["scoring_tables"][0].update(region="mars"), "vùng “mars” không có"),
])
def test_it_refuses_a_bad_file_and_changes_nothing(tmp_path, edit, text):
    data = dump(tmp_path)
    edit(by_code(data, "2027-2030"))
    by_code(data, "2022-2025")["poverty_line_rural"] = 1  # a valid change in the same file
    with pytest.raises(CommandError) as error:
        load(tmp_path, data)
    assert "không thay đổi chuẩn nào" in str(error.value)
    assert text in str(error.value)
    assert PovertyStandard.objects.get(code="2022-2025").poverty_line_rural == 1_500_000
    assert not AuditEvent.objects.filter(action__startswith="households.standard").exists()


def test_it_refuses_a_file_that_is_not_a_standards_file(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON hợp lệ: dòng 1"):
        run("--load", str(path))
    with pytest.raises(CommandError, match="không có danh sách chuẩn nghèo"):
        load(tmp_path, {"hello": 1})
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run("--load", str(tmp_path / "missing.json"))


def test_it_keeps_the_indicator_order_of_a_standard_with_assessments(tmp_path, people, units):
    from ansinh.households import services as household_services
    from ansinh.poverty import services

    household = household_services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-1")
    household_services.member_add(actor=people.lan, household=household, full_name="Thạch Văn Sóc", sex="male",
                        birth_date=dt.date(1980, 3, 1), relation="head")
    household_services.conditions_record(actor=people.lan, household=household, year=2025, income_per_capita=Decimal(900_000))
    round_ = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    services.review_round_run(round=round_, actor=people.lan)
    data = dump(tmp_path)
    standard = by_code(data, round_.standard.code)
    standard["indicators"].reverse()
    with pytest.raises(CommandError, match="không được thêm, bớt hay đổi thứ tự chỉ số"):
        load(tmp_path, data)
    standard["indicators"].reverse()
    standard["indicators"][0]["params"]["min_age"] = 16  # thresholds may still be corrected
    assert "Đã cập nhật 1 chuẩn nghèo" in load(tmp_path, data)


def test_it_exports_what_it_imports():
    data = standards_io.standards_export(codes=["2016-2020"])
    assert data["standards"][0]["near_poor_line_rural"] == 1_000_000
    assert standards_io.standards_import(data=data, actor=None) == []
