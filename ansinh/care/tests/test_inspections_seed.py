"""Seed 001's inspectorate figures counted from records: the demo of province 86 makes 15
establishments checked in 2025-Q1 (2 in violation) and 27 lượt of citizen reception; the
province's report for the quarter says so, marked counted; the indicators drill down to the lists;
the demo is idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from ansinh.care import demo_inspections, indicators_inspections
from ansinh.care.models_inspections import Inspection, Petition, Reception
from ansinh.plans import documents, results, services
from ansinh.plans.models import Indicator
from ansinh.plans.periods import Period

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2025-Q1")


def test_it_counts_seed_001s_inspectorate_figures_in_the_report(units: Any, client: Any, people: Any) -> None:
    province = units.vinh_long
    made = demo_inspections.run(province=province, write=lambda _line: None)
    assert made["inspections"] > 16 and made["receptions"] > 27 and made["petitions"] > 8
    agency = services.agency_for(province, "Sở Nội vụ", "so", symbol="SNV")
    plan = services.plan_create(actor=None, agency=agency, unit=province, year=2025, number="01/KH-SNV",
                                title="Kế hoạch công tác năm 2025", place="Vĩnh Long")
    figures = results.compute(province, Q1, plan, with_previous=False)
    pid = province.pk
    assert figures.value(pid, "establishments_inspected") == 15
    assert figures.value(pid, "establishments_with_violations") == 2
    assert figures.value(pid, "citizens_received") == 27
    for code in ("establishments_inspected", "citizens_received"):
        assert Indicator.objects.get(code=code).source == "counted"
        assert figures.source(pid, code) == "counted"
    text = "\n".join(s for _title, lines, _note in documents.report_lines(plan, Q1, province, figures) for s in lines)
    assert "Đội kiểm tra liên ngành kiểm tra 15 cơ sở kinh doanh, dịch vụ, phát hiện 2 cơ sở vi phạm (*)." in text
    assert "Tiếp 27 lượt công dân (*)." in text
    # the drill-down: the list behind the figure shows the same establishments
    url = indicators_inspections.records_url("establishments_with_violations", province, "", "2025-01-01..2025-03-31")
    assert url is not None and "violations=yes" in url
    client.force_login(people.bao)
    page = client.get(url).content.decode()
    assert "2 cuộc thanh tra, kiểm tra; 2 cơ sở được kiểm tra, 2 cơ sở vi phạm." in page
    receptions = client.get(indicators_inspections.records_url("citizens_received", province, "",
                                                               "2025-01-01..2025-03-31") or "").content.decode()
    assert "27 lượt" in receptions
    # idempotent: the same records again, nothing added
    counts = (Inspection.objects.count(), Reception.objects.count(), Petition.objects.count())
    assert demo_inspections.run(province=province, write=lambda _line: None) == made
    assert (Inspection.objects.count(), Reception.objects.count(), Petition.objects.count()) == counts


def test_it_counts_an_establishment_once_and_not_agencies(units: Any, people: Any) -> None:
    from ansinh.care import services_inspections as svc

    def check(name: str, day: str, bad: bool = False, kind: str = "establishment") -> None:
        svc.inspection_save(actor=people.tung, inspection=Inspection(
            unit=units.tra_cu, team="team_178", legal_area="social_evils", subject_kind=kind, subject_name=name,
            started_on=day, violations_count=1 if bad else 0, violation_kind="licence" if bad else "",
            violations="Kinh doanh không phép" if bad else ""))

    check("Quán bar Hải Âu", "2025-02-03")
    check("quán bar hải âu", "2025-03-03", bad=True)  # the same establishment, checked again
    check("Ủy ban nhân dân xã Trà Cú", "2025-03-04", kind="unit")
    counts, _note, _key = indicators_inspections.fetch(units.vinh_long, Q1)
    assert counts["establishments_inspected"] == {(units.tra_cu.pk, ""): 1.0}
    assert counts["establishments_with_violations"] == {(units.tra_cu.pk, ""): 1.0}
    legacy, _n, _k = indicators_inspections.fetch(units.legacy_tra_vinh, Q1)
    assert all(not values for values in legacy.values())
