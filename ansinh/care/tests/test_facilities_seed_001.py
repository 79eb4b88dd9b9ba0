"""Issue 14 item 2, "what shows it works": the demo province's 2025-Q1 report counts seed 001's
social protection centre and rehabilitation facility figures from the residents' stays."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ansinh.care import demo_facilities
from ansinh.care.models import Resident
from ansinh.plans import documents, results, services
from ansinh.plans.models import Indicator
from ansinh.plans.periods import Period

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2025-Q1")


def test_it_counts_seed_001s_care_and_rehab_figures_from_the_demo(units: Any, people: Any) -> None:
    admin = people.tung
    province = units.vinh_long
    made = demo_facilities.run(province=province, write=lambda _line: None)
    assert made["care_facilities"] == 3
    agency = services.agency_for(province, "Sở Nội vụ", "so", symbol="SNV")
    plan = services.plan_create(actor=None, agency=agency, unit=province, year=2025, number="01/KH-SNV",
                                title="Kế hoạch năm 2025", place="Vĩnh Long")
    services.targets_replace(actor=None, plan=plan, rows=[
        services.TargetRow(Indicator.objects.get(code="care_centre_residents"), province, "2025", "", Decimal(160))])
    figures = results.compute(province, Q1, plan, with_previous=False)
    pid = province.pk

    def value(code: str, breakdown: str = "") -> float | None:
        return figures.value(pid, code, breakdown)

    assert value("care_admissions") == 8 and value("care_discharges") == 15
    assert [value("care_centre_residents", b) for b in ["", "elderly_disabled", "mental_illness", "orphan"]] == [
        155, 37, 104, 14]
    assert [value("rehab_admissions", b) for b in ["", "compulsory", "voluntary"]] == [25, 19, 6]
    assert [value("rehab_reintegrated", b) for b in ["", "compulsory", "voluntary"]] == [30, 25, 5]
    assert [value("rehab_residents", b) for b in ["", "compulsory", "voluntary"]] == [100, 97, 3]
    for code in ["care_admissions", "care_discharges", "care_centre_residents", "rehab_admissions",
                 "rehab_reintegrated", "rehab_residents"]:
        assert figures.source(pid, code) == "counted", code
    text = "\n".join(s for _title, lines, _note in documents.report_lines(plan, Q1, province, figures) for s in lines)
    assert "Cơ sở bảo trợ xã hội quyết định tiếp nhận 8 đối tượng (*)." in text
    assert "Quyết định dừng trợ giúp 15 đối tượng (*)." in text
    assert ("Cơ sở bảo trợ xã hội đang chăm sóc, nuôi dưỡng 155 đối tượng (trong đó người cao tuổi, người khuyết "
            "tật 37 đối tượng, người tâm thần 104 đối tượng, trẻ em mồ côi 14 đối tượng)") in text
    assert ("Cơ sở cai nghiện ma túy tiếp nhận 25 học viên (trong đó cai nghiện bắt buộc 19 học viên, cai nghiện "
            "tự nguyện 6 học viên)") in text
    assert ("Giải quyết tái hòa nhập cộng đồng 30 học viên (trong đó cai nghiện bắt buộc 25 học viên, cai nghiện "
            "tự nguyện 5 học viên)") in text
    assert ("Cơ sở cai nghiện ma túy đang quản lý 100 học viên (trong đó cai nghiện bắt buộc 97 học viên, cai "
            "nghiện tự nguyện 3 học viên)") in text
    # The drill-down: the residents behind a figure, on the list page.
    from django.test import Client

    from ansinh.care.indicators_facilities import records_url

    client = Client()
    client.force_login(admin)
    for query, breakdown, expected in [("rehab_admissions", "compulsory", 19), ("rehab_reintegrated", "voluntary", 5),
                                       ("care_centre_residents", "mental_illness", 104), ("care_discharges", "", 15)]:
        url = records_url(query, province, breakdown, "2025-01-01..2025-03-31")
        assert url is not None
        page = client.get(url).content.decode()
        assert f'data-testid="count">{expected} ' in page.replace("\n", ""), (query, url)
    # Deterministic and idempotent: a second run replaces the residents with the same ones.
    before = list(Resident.objects.order_by("facility__code", "admission_number")
                  .values_list("full_name", "admitted_on", "discharged_on"))
    assert demo_facilities.run(province=province, write=lambda _line: None) == made
    after = list(Resident.objects.order_by("facility__code", "admission_number")
                 .values_list("full_name", "admitted_on", "discharged_on"))
    assert before == after
