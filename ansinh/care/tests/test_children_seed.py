"""Seed 001's "tặng quà cho 948 trẻ em nghèo, có hoàn cảnh đặc biệt khó khăn" and seed 004's three
rates of target 5, counted from the demo's records of the province (2025-Q1 and the year 2025)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ansinh.care import demo_children
from ansinh.care.models_children import Child, ChildFriendlyAssessment
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import demo as households_demo
from ansinh.plans import documents, results, services
from ansinh.plans.models import Indicator, Plan
from ansinh.plans.periods import Period

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.slow]


def plan_2025(province: Unit) -> Plan:
    agency = services.agency_for(province, "Sở Y tế", "so", symbol="SYT")
    plan = services.plan_create(actor=None, agency=agency, unit=province, year=2025, number="20/KH-SYT",
                                title="Thực hiện nhiệm vụ công tác trẻ em năm 2025", place="Vĩnh Long")
    rows = [services.TargetRow(Indicator.objects.get(code=code), province, "2025", "", Decimal(value))
            for code, value in [("child_friendly_commune_rate", 80), ("special_children_care_rate", 95),
                                ("child_abuse_rate", "4.5")]]
    services.targets_replace(actor=None, plan=plan, rows=rows)
    return plan


def test_it_counts_the_seeds_children_figures_from_the_demo(units: Any) -> None:
    province = units.vinh_long
    households_demo.generate(province=province, households=1600, seed=1, year=2025)
    made = demo_children.run(province=province, write=lambda _line: None)
    assert made["children_given_gifts"] == 948
    assert made["children"] > 0 and made["child_supports"] > 0
    communes = Unit.objects.filter(path__startswith=province.path, level=Level.COMMUNE,
                                   edition=Edition.CURRENT).count()
    assert ChildFriendlyAssessment.objects.filter(year=2024, status="approved").count() == communes
    assert not ChildFriendlyAssessment.objects.filter(total__gt=1000).exists()  # the 1.000-point scale
    plan = plan_2025(province)
    q1 = results.compute(province, Period.parse("2025-Q1"), plan, with_previous=False)
    pid = province.pk
    assert q1.value(pid, "children_gifts") == 948 and q1.source(pid, "children_gifts") == "counted"
    assert q1.value(pid, "communes_total") == communes
    rate = q1.value(pid, "child_friendly_commune_rate")
    assert rate is not None and abs(rate - 100 * round(0.8 * communes) / communes) < 1e-9
    care = q1.value(pid, "special_children_care_rate")
    assert care is not None and care >= 95
    assert 0 < (q1.value(pid, "special_children") or 0) <= Child.objects.count()
    assert q1.value(pid, "children_total") and (q1.value(pid, "children_abused") or 0) >= 0
    abuse = q1.value(pid, "child_abuse_rate")
    assert abuse is not None and 0 <= abuse < 4.5
    text = "\n".join(s for _t, lines, _n in documents.report_lines(plan, Period.parse("2025-Q1"), province, q1)
                     for s in lines)
    print(text)
    assert "Thăm và tặng quà cho 948 trẻ em nghèo, có hoàn cảnh đặc biệt khó khăn (*)." in text
    from ansinh.lib.vietnamese import format_number

    shown = format_number(100 * round(0.8 * communes) / communes, decimals=1)
    assert f"Tỷ lệ xã, phường đạt tiêu chuẩn phù hợp với trẻ em {shown}% (kế hoạch 80,0%)" in text
    assert f"Tỷ lệ trẻ em có hoàn cảnh đặc biệt được chăm sóc, trợ giúp đạt {format_number(care, decimals=1)}%" in text
    assert "Tỷ lệ trẻ em bị xâm hại" in text and "(kế hoạch dưới 4,50%)" in text
    year = results.compute(province, Period.parse("2025"), plan, with_previous=False)
    assert year.value(pid, "children_gifts") == 948
    again = demo_children.run(province=province, write=lambda _line: None)
    assert again.get("children_given_gifts") is None and again.get("children") is None  # idempotent
    assert results.compute(province, Period.parse("2025-Q1"), plan, with_previous=False).value(
        pid, "children_gifts") == 948
