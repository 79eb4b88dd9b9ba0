"""`ansinh packages create` (issue 12 item 3): one tier from the options, several from a file;
JSON exactly {"recipients": N, "total": VND}; created twice, no one is paid twice."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from ansinh.benefits import services as benefits
from ansinh.benefits.tests.pages_setup import SYSTEM, person
from ansinh.payments.models import Package, PackageLine

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("packages", "create", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    old = person("TC-1", "Thạch Thị Thọ", dt.date(1926, 8, 8), sex="female", citizen_id="084126000006")
    ninety = person("TC-2", "Kim Văn Chín", dt.date(1936, 2, 2), citizen_id="084036000007")
    young = person("TC-3", "Kim Văn Trẻ", dt.date(1990, 2, 2), citizen_id="084090000008")
    invalid = person("TC-4", "Lê Văn Dũng", dt.date(1950, 1, 9), citizen_id="084050000003")
    benefits.create_entitlement(SYSTEM, invalid, "merit_war_invalid", decision_number="3/QĐ",
                                decision_date=dt.date(2024, 2, 1), rate=85, recognised_on=dt.date(2024, 1, 15))
    return {"old": old, "ninety": ninety, "young": young, "invalid": invalid}


def test_it_creates_a_simple_package_and_prints_json(people) -> None:  # type: ignore[no-untyped-def]
    args = ["--name", "Mừng thọ 2026", "--unit", "29461", "--date", "2026-01-20", "--amount", "500.000",
            "--per", "person", "--age", "90", "100", "--in-year", "2026", "--json"]
    out = run(*args)
    assert json.loads(out) == {"recipients": 2, "total": 1_000_000}
    assert out.strip() == '{"recipients": 2, "total": 1000000}'
    package = Package.objects.get()
    assert package.purpose == "longevity" and package.field == "social_assistance"
    assert set(package.lines.values_list("person_id", flat=True)) == {people["old"].pk, people["ninety"].pk}
    # Again: the same package, no one paid twice.
    assert json.loads(run(*args)) == {"recipients": 2, "total": 1_000_000}
    assert Package.objects.count() == 1 and PackageLine.objects.count() == 2
    assert "đã có" in run(*args[:-1])


def test_it_creates_several_tiers_from_a_file(people, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "package.json"
    path.write_text(json.dumps({
        "name": "Quà của Chủ tịch nước 2026", "unit": "29461", "date": "2026-01-20", "field": "meritorious",
        "tiers": [
            {"name": "Mức 300.000", "rule": "category", "per": "person", "central": 300000,
             "params": {"codes": ["merit_war_invalid"]}},
            {"name": "Từ 81%", "rule": "category", "per": "person", "central": 600000,
             "params": {"codes": ["merit_war_invalid"], "min_rate": 81}},
        ]}), encoding="utf-8")
    assert json.loads(run("--file", str(path), "--json")) == {"recipients": 1, "total": 600_000}
    package = Package.objects.get()
    assert package.purpose == "tet" and package.tiers.count() == 2


def test_it_refuses_what_is_wrong_in_vietnamese(people, tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = ["--name", "Gói", "--date", "2026-01-20", "--amount", "300000", "--per", "household"]
    with pytest.raises(CommandError, match="Không có tỉnh hoặc xã mã"):
        run(*base, "--unit", "99999", "--household-status", "near_poor")
    with pytest.raises(CommandError, match="Chưa có kết quả rà soát"):
        run(*base, "--unit", "29461", "--household-status", "near_poor")
    with pytest.raises(CommandError, match="đúng một điều kiện"):
        run(*base, "--unit", "29461")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--name", "G", "--unit", "29461", "--date", "20/01/2026", "--amount", "1", "--per", "person",
            "--age", "90", "--in-year", "2026")
    with pytest.raises(CommandError, match="Mức 1"):
        run("--name", "G", "--unit", "29461", "--date", "2026-01-20", "--amount", "1", "--per", "household",
            "--age", "90", "--in-year", "2026")
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON"):
        run("--file", str(bad))
    bad.write_text(json.dumps({"name": "G", "unit": "29461", "date": "2026-01-20", "tiers": []}), encoding="utf-8")
    with pytest.raises(CommandError, match="không có mức"):
        run("--file", str(bad))
    assert Package.objects.count() == 0
