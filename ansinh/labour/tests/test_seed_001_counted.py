"""Issue 13, "what shows it works": seed 001's first quarter of 2020 entered as registry records
(examples/labour/, loaded through each registry's importer) gives the report's sentences counted,
not declared. Marked slow (about a minute: 7.645 people and 25.000 records)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ansinh.geo.models import Unit
from ansinh.labour import examples
from ansinh.plans import documents, results, services
from ansinh.plans.models import Indicator, Plan
from ansinh.plans.periods import Period

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.slow]

Q1 = Period.parse("2020-Q1")


def plan_2020(province: Unit) -> Plan:
    """The seed's targets for a plan of the current province (the records are on the current map)."""
    agency = services.agency_for(province, "Sở Lao động - Thương binh và Xã hội", "so", symbol="SLĐTBXH")
    plan = services.plan_create(actor=None, agency=agency, unit=province, year=2020, number="15/KH-SLĐTBXH",
                                title="Thực hiện nhiệm vụ công tác lao động năm 2020", place="Trà Vinh")
    rows = [services.TargetRow(Indicator.objects.get(code=code), province, "2020", "", Decimal(value))
            for code, value in [("jobs_created", 23000), ("overseas_workers", 900), ("trained_workers", 20000)]]
    services.targets_replace(actor=None, plan=plan, rows=rows)
    return plan


def test_it_counts_seed_001s_quarter_from_the_example_records(units) -> None:  # type: ignore[no-untyped-def]
    province = units.vinh_long
    made = examples.load(province=province, write=lambda _line: None)
    assert made["placements.csv"] == 7453 and made["departures.csv"] == 192
    plan = plan_2020(province)
    figures = results.compute(province, Q1, plan, with_previous=False)
    pid = province.pk

    def value(code: str, breakdown: str = "") -> float | None:
        return figures.value(pid, code, breakdown)

    assert [value("jobs_created", b) for b in ["", "female", "ethnic_minority", "youth"]] == [7645, 3899, 2142, 4969]
    assert [value("overseas_workers", b) for b in ["", "taiwan", "japan", "korea"]] == [192, 61, 128, 3]
    assert [value("job_counselling", b) for b in ["", "unemployment_insurance"]] == [11913, 11142]
    assert value("job_fairs") == 2
    assert value("unemployment_dossiers") == 1506 and round(value("unemployment_amount") or 0) == 13747
    assert [value("trained_workers", b) for b in ["", "intermediate", "elementary", "under_3_months"]] == [
        2650, 419, 210, 2021]
    assert [value("foreign_workers", b) for b in ["", "CN"]] == [1186, 1011]
    for code in ["jobs_created", "overseas_workers", "job_counselling", "job_fairs", "unemployment_dossiers",
                 "unemployment_amount", "trained_workers", "foreign_workers"]:
        assert figures.source(pid, code) == "counted", code
        assert not figures.stood_in(pid, code), code
    sentences = [s for _title, lines, _note in documents.report_lines(plan, Q1, province, figures) for s in lines]
    text = "\n".join(sentences)
    assert "Giải quyết việc làm cho 7.645 lao động, đạt 33,2% so với kế hoạch" in text
    assert "nữ 3.899" in text and "dân tộc 2.142" in text and "4.969" in text
    assert "192 lao động" in text and "Đài Loan 61" in text and "Nhật Bản 128" in text and "Hàn Quốc 3" in text
    assert "11.913" in text and "11.142" in text and "13.747 triệu đồng" in text and "1.506 hồ sơ" in text
    assert "2.650 người" in text and "trình độ trung cấp 419" in text
    assert "1.186 lao động" in text and "người Trung Quốc 1.011" in text
    assert all(s.endswith("(*).") for s in sentences if any(w in s for w in ["7.645", "192", "2.650", "1.186"]))
    assert dt.date(2020, 3, 31) == Q1.end


def test_it_example_files_are_deterministic_and_committed() -> None:
    built = examples.build()
    assert sorted(built) == sorted(examples.FILES)
    for name, content in built.items():
        assert (examples.EXAMPLES_DIR / name).read_bytes() == content, f"{name}: run python -m ansinh.labour.examples"
