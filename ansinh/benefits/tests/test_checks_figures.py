"""The counted figures of the people served: the provider's values, the catalogue rows that use it
(and the migration that switches existing databases), the drill-down, the report's sentence."""

from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from ansinh.benefits import indicators
from ansinh.benefits.models import Entitlement
from ansinh.benefits.monthly import month_totals
from ansinh.plans import counted, documents, services
from ansinh.plans.models import Indicator
from ansinh.plans.periods import Period

from .checks_data import dossier, entitle, household, member, other_commune

pytestmark = pytest.mark.django_db

Q4 = Period(2025, "quarter", 4)
DECEMBER = dt.date(2025, 12, 1)


def make_register(units):  # type: ignore[no-untyped-def]
    """Trà Cú: two on social assistance (one of them on two categories, paid one), a social
    pensioner, a war invalid (41 %), a martyr's mother, someone stopped in November, someone
    starting in January; another commune: one on social assistance. Dossiers in and out of Q4."""
    h = household(units.tra_cu, status="poor")
    a = member(h, "Người Khuyết Tật", dt.date(1990, 1, 1))
    entitle(a, "sa_disability_severe")
    b = member(h, "Hai Chế Độ", dt.date(1985, 1, 1), relation="spouse")
    entitle(b, "sa_disability_severe")
    entitle(b, "sa_hiv_poor")
    c = member(h, "Cụ Hưu Trí", dt.date(1945, 1, 1), relation="parent")
    entitle(c, "social_pension", start=dt.date(2025, 7, 1))
    d = member(h, "Thương Binh", dt.date(1950, 1, 1), relation="parent", sex="male")
    entitle(d, "merit_war_invalid", rate=41)
    e = member(h, "Mẹ Liệt Sĩ", dt.date(1940, 1, 1), relation="grandparent")
    entitle(e, "merit_martyr_relative", martyr_count=1)
    f = member(h, "Đã Dừng", dt.date(1991, 1, 1), relation="sibling")
    entitle(f, "sa_disability_severe", stop=dt.date(2025, 11, 1))
    g = member(h, "Chưa Bắt Đầu", dt.date(1992, 1, 1), relation="sibling")
    entitle(g, "sa_disability_severe", start=dt.date(2026, 1, 1))
    elsewhere = other_commune(units.vinh_long, units.tra_cu)
    o = member(household(elsewhere), "Xã Khác", dt.date(1990, 1, 1))
    entitle(o, "sa_disability_severe")
    dossier(a, "social_assistance", received=dt.date(2025, 10, 2), status="decided", decided=dt.date(2025, 10, 10))
    dossier(d, "meritorious", received=dt.date(2025, 9, 20), status="decided", decided=dt.date(2025, 10, 5))
    dossier(e, "meritorious", received=dt.date(2025, 11, 3))
    dossier(c, "social_pension", received=dt.date(2025, 12, 31), status="refused")
    dossier(b, "social_assistance", received=dt.date(2025, 9, 1), status="decided", decided=dt.date(2025, 9, 30))
    return elsewhere


def value(counts: counted.Counts, query: str, unit_id: int, breakdown: str = "") -> float | None:
    return counts.get(query, {}).get((unit_id, breakdown))


def test_it_counts_people_and_amounts_of_the_month_at_the_periods_end(units):  # type: ignore[no-untyped-def]
    elsewhere = make_register(units)
    counts, note, key = indicators.fetch(units.vinh_long, Q4)
    tc = units.tra_cu.pk
    assert key == "2025-12" and "tháng 12/2025" in note
    assert value(counts, "social_allowance_recipients", tc) == 2  # two people, one of them on two categories
    assert value(counts, "social_allowance_amount", tc) == pytest.approx(1.5)  # 2 × 1,5 × 500.000 đ
    assert value(counts, "social_allowance_recipients", elsewhere.pk) == 1
    assert value(counts, "social_pension_recipients", tc) == 1
    assert value(counts, "social_pension_amount", tc) == pytest.approx(0.5)
    assert value(counts, "merit_recipients", tc) == 1
    assert value(counts, "merit_recipients", tc, "war_invalid") == 1
    assert value(counts, "merit_recipients", tc, "sick_soldier") is None
    assert value(counts, "merit_relatives", tc) == 1
    assert value(counts, "merit_relatives", tc, "martyr") == 1
    assert value(counts, "merit_amount", tc) == pytest.approx((3_667_000 + 2_789_000) / 1e6)


def test_it_adds_the_amounts_month_totals_gives(units):  # type: ignore[no-untyped-def]
    make_register(units)
    counts = indicators.month_figures(indicators.commune_ids(units.vinh_long), DECEMBER)
    totals = month_totals(Entitlement.objects.all(), DECEMBER)
    for (commune, scheme), (people, amount) in totals.items():
        assert value(counts, indicators.AMOUNT[scheme], commune) == pytest.approx(amount / 1e6)
        if scheme in indicators.PEOPLE:
            assert value(counts, indicators.PEOPLE[scheme], commune) == people


def test_it_counts_dossiers_received_and_decided_in_the_period(units):  # type: ignore[no-untyped-def]
    make_register(units)
    counts, _, _ = indicators.fetch(units.tra_cu, Q4)
    tc = units.tra_cu.pk
    assert value(counts, "benefit_dossiers_received", tc) == 3  # 2 Oct, 3 Nov, 31 Dec (refused later)
    assert value(counts, "benefit_dossiers_received", tc, "meritorious") == 1
    assert value(counts, "benefit_dossiers_decided", tc) == 2  # 10 Oct and 5 Oct; 30 Sep is Q3
    assert value(counts, "benefit_dossiers_decided", tc, "social_assistance") == 1
    assert value(counts, "merit_dossiers", tc) == 1
    q3, _, _ = indicators.fetch(units.tra_cu, Period(2025, "quarter", 3))
    assert value(q3, "benefit_dossiers_decided", tc) == 1


def test_it_has_no_counts_for_a_legacy_unit_or_an_empty_registry(units):  # type: ignore[no-untyped-def]
    assert indicators.fetch(units.legacy_tra_vinh, Q4) == ({}, "", "")
    counts, _, _ = indicators.fetch(units.vinh_long, Q4)
    assert not any(counts.values())  # nothing recorded: plans.results falls back on declared figures


def test_it_is_registered_and_the_catalogue_counts_from_it() -> None:
    assert counted.provider_for("social_allowance_recipients") is indicators.PROVIDER
    rows = {i.code: i for i in Indicator.objects.filter(code__in=indicators.QUERIES)}
    assert set(rows) == set(indicators.QUERIES)
    for code, row in rows.items():
        assert (row.source, row.query) == ("counted", code)
    assert rows["social_pension_recipients"].valid_from == dt.date(2025, 7, 1)
    assert rows["merit_dossiers"].over_time == "flow" and rows["merit_recipients"].over_time == "stock"


def test_it_switches_an_existing_database_and_keeps_a_departments_choice() -> None:
    migration = importlib.import_module("ansinh.plans.migrations.0007_benefit_indicators")
    Indicator.objects.filter(code="social_allowance_recipients").update(source="declared", query="")
    Indicator.objects.filter(code="merit_dossiers").update(source="derived", formula="1")  # a department's own
    Indicator.objects.filter(code="merit_amount").delete()
    migration.forwards(apps, None)
    assert Indicator.objects.get(code="social_allowance_recipients").source == "counted"
    assert Indicator.objects.get(code="merit_dossiers").source == "derived"
    amount = Indicator.objects.get(code="merit_amount")
    assert amount.source == "counted" and amount.order > Indicator.objects.get(code="merit_dossiers").order


def test_it_links_a_figure_to_the_entitlements_behind_it(units, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(indicators, "reverse", lambda name: f"/{name}/")
    url = indicators.records_url("merit_recipients", units.vinh_long, "heroic_mother", "2025-12")
    assert url == (f"/entitlement-list/?scheme=meritorious&month=2025-12&status=active&province={units.vinh_long.pk}"
                   "&category=merit_heroic_mother")
    url = indicators.records_url("social_allowance_amount", units.tra_cu, "", "2025-12")
    assert url == f"/entitlement-list/?scheme=social_assistance&month=2025-12&status=active&commune={units.tra_cu.pk}"
    assert "category" not in (indicators.records_url("merit_recipients", units.tra_cu, "war_invalid", "2025-12") or "")
    assert indicators.records_url("benefit_dossiers_received", units.tra_cu, "", "2025-12") is None
    assert indicators.records_url("merit_amount", units.legacy_tra_vinh, "", "2025-12") is None


def test_it_counts_with_a_constant_number_of_queries(units):  # type: ignore[no-untyped-def]
    make_register(units)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            indicators.fetch(units.vinh_long, Q4)
        return len(ctx)

    few = queries()
    for i in range(6):
        h = household(units.tra_cu, status="poor")
        person = member(h, f"Thêm {i}", dt.date(1980 + i, 1, 1))
        entitle(person, "sa_disability_severe")
        entitle(member(h, f"Thương binh {i}", dt.date(1950, 1, 1), relation="spouse"), "merit_war_invalid", rate=61)
        dossier(person, "social_assistance", received=dt.date(2025, 10, 1))
    assert queries() == few


def test_it_writes_seed_001s_sentence_from_the_entitlements(units, people):  # type: ignore[no-untyped-def]
    make_register(units)
    agency = services.agency_create(actor=None, unit=units.vinh_long, kind="so", symbol="SYT",
                                    name="Sở Y tế tỉnh Vĩnh Long")
    plan = services.plan_create(actor=None, agency=agency, unit=units.vinh_long, year=2025, number="7/KH-SYT",
                                place="Vĩnh Long", title="Kế hoạch công tác bảo trợ xã hội năm 2025")
    text = [p.text for p in Document(io.BytesIO(documents.report_docx(plan, Q4))).paragraphs]
    line = next(t for t in text if "trợ cấp xã hội hàng tháng cho" in t)
    assert line == "- Chi trả trợ cấp xã hội hàng tháng cho 3 người (*)."
    assert "- Chi trả trợ cấp hưu trí xã hội hằng tháng cho 1 người (*)." in text
    assert "- Duyệt 1 hồ sơ tăng, giảm các loại (*)." in text
    assert any(t.startswith("- Chi trả trợ cấp ưu đãi hằng tháng cho 1 người có công với cách mạng (trong đó "
                            "thương binh 1 người)") for t in text)
    note = next(t for t in text if t.startswith("(*)") and "sổ theo dõi người hưởng trợ cấp" in t)
    assert "tháng 12/2025" in note and "rà soát" not in note
