"""results.compute beyond the core tests: roll-up over time (flows add, stocks take the latest),
a unit's own form against its units' sum, indicators that are not summed, formulas recomputed per
level, poverty figures counted from the household registry (and the fallback on declared ones),
the crosswalk re-aggregation of a legacy commune split in two, and the change against last year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import services as household_services
from ansinh.plans import results, services
from ansinh.plans.models import Indicator, Plan, Source
from ansinh.plans.periods import Period
from ansinh.poverty import services as poverty_services
from ansinh.poverty.models import Step
from ansinh.poverty.tests.test_review import make_household

pytestmark = pytest.mark.django_db


def make_plan(unit: Unit, year: int, number: str = "10/KH-UBND", **fields: object) -> Plan:
    agency = services.agency_for(unit, f"Ủy ban nhân dân {unit.name}", "ubnd", symbol="UBND")
    return services.plan_create(actor=None, agency=agency, unit=unit, year=year, number=number,
                                title=f"Kế hoạch {year}", place=unit.name, **fields)


def submit(plan: Plan, unit: Unit, period: str, values: dict[str, float]) -> None:
    """A unit's form with `values` ({"jobs_created": 10, "jobs_created.female": 4}), submitted; the
    plan's form asks for every indicator given (counted ones only stand in where a form asks)."""
    codes = [code.partition(".")[0] for code in values]
    missing = [code for code in dict.fromkeys(codes) if code not in plan.form_codes]
    if missing:
        services.plan_update(actor=None, plan=plan, form_codes=[*plan.form_codes, *missing])
    form = services.submission_open(actor=None, plan=plan, unit=unit, period=period)
    figures = {(code.partition(".")[0], code.partition(".")[2]): Decimal(str(v)) for code, v in values.items()}
    services.submission_save(actor=None, submission=form, values=figures)
    services.submission_submit(actor=None, submission=form)


def commune(province: Unit, code: str) -> Unit:
    return Unit.objects.get(edition=province.edition, code=code, path__startswith=province.path)


@pytest.fixture
def plan25(units) -> Plan:  # type: ignore[no-untyped-def]
    return make_plan(units.vinh_long, 2025)


@pytest.fixture
def other(units) -> Unit:  # type: ignore[no-untyped-def]
    """A commune of Vĩnh Long other than Trà Cú."""
    found = (Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=units.vinh_long.path)
             .exclude(pk=units.tra_cu.pk).order_by("code").first())
    assert found is not None
    return found


def test_it_adds_up_flows_and_takes_the_latest_stock_over_the_periods(units, plan25) -> None:  # type: ignore[no-untyped-def]
    tra_cu, province = units.tra_cu, units.vinh_long
    submit(plan25, tra_cu, "2025-Q1", {"jobs_created": 10, "jobs_created.female": 4, "employed_regularly": 100})
    submit(plan25, tra_cu, "2025-Q2", {"jobs_created": 20, "jobs_created.female": 6, "employed_regularly": 120})
    assert Indicator.objects.get(code="employed_regularly").over_time == "stock"
    year = results.compute(province, Period.parse("2025"), plan25)
    assert year.value(tra_cu.pk, "jobs_created") == 30  # flow: Q1 + Q2
    assert year.value(tra_cu.pk, "jobs_created", "female") == 10
    assert year.value(tra_cu.pk, "employed_regularly") == 120  # stock: the latest, not 220
    assert year.value(province.pk, "jobs_created") == 30 and year.value(province.pk, "employed_regularly") == 120
    half = results.compute(province, Period.parse("2025-H1"), plan25)
    assert half.value(tra_cu.pk, "jobs_created") == 30 and half.value(tra_cu.pk, "employed_regularly") == 120
    assert results.compute(province, Period.parse("2025-H2"), plan25).value(tra_cu.pk, "jobs_created") is None
    # a period's own form wins over its parts: a six-month form says 35 (one job came in late)
    submit(plan25, tra_cu, "2025-H1", {"jobs_created": 35})
    year = results.compute(province, Period.parse("2025"), plan25)
    assert year.value(tra_cu.pk, "jobs_created") == 35
    assert year.value(tra_cu.pk, "employed_regularly") == 120  # not in the six-month form: still from Q2


def test_it_a_units_own_form_wins_over_the_sum_of_the_units_below(units, plan25, other) -> None:  # type: ignore[no-untyped-def]
    province = units.vinh_long
    submit(plan25, units.tra_cu, "2025-Q1", {"jobs_created": 10})
    submit(plan25, other, "2025-Q1", {"jobs_created": 5})
    figures = results.compute(province, Period.parse("2025-Q1"), plan25)
    assert figures.value(province.pk, "jobs_created") == 15
    assert figures.source(province.pk, "jobs_created") == Source.DECLARED
    submit(plan25, province, "2025-Q1", {"jobs_created": 100})  # the department's own count
    figures = results.compute(province, Period.parse("2025-Q1"), plan25)
    assert figures.value(province.pk, "jobs_created") == 100
    assert figures.value(units.tra_cu.pk, "jobs_created") == 10  # the communes keep their own figures


def test_it_an_indicator_that_is_not_aggregable_is_not_summed(units, plan25, other) -> None:  # type: ignore[no-untyped-def]
    rate = Indicator.objects.get(code="trained_labour_rate")
    assert rate.aggregation == "none"
    submit(plan25, units.tra_cu, "2025", {"trained_labour_rate": 60.5})
    submit(plan25, other, "2025", {"trained_labour_rate": 70})
    figures = results.compute(units.vinh_long, Period.parse("2025"), plan25)
    assert figures.value(units.tra_cu.pk, "trained_labour_rate") == 60.5
    assert figures.value(units.vinh_long.pk, "trained_labour_rate") is None  # not 130.5, nor an average
    submit(plan25, units.vinh_long, "2025", {"trained_labour_rate": 65})  # only the province's own
    figures = results.compute(units.vinh_long, Period.parse("2025"), plan25)
    assert figures.value(units.vinh_long.pk, "trained_labour_rate") == 65


def test_it_a_rate_is_recomputed_at_each_level_from_the_summed_counts(units, plan25, other) -> None:  # type: ignore[no-untyped-def]
    # no review round: the counted poverty figures fall back on what the communes declared
    submit(plan25, units.tra_cu, "2025", {"households": 100, "poor_households": 10})
    submit(plan25, other, "2025", {"households": 300, "poor_households": 3})
    figures = results.compute(units.vinh_long, Period.parse("2025"), plan25)
    assert figures.value(units.tra_cu.pk, "poor_rate") == pytest.approx(10.0)
    assert figures.value(other.pk, "poor_rate") == pytest.approx(1.0)
    # 13 / 400: not the sum of the rates (11) nor their mean (5.5)
    assert figures.value(units.vinh_long.pk, "poor_rate") == pytest.approx(3.25)
    assert figures.source(units.vinh_long.pk, "poor_rate") == Source.DERIVED
    assert figures.value(units.vinh_long.pk, "poor_households") == 13
    assert figures.source(units.vinh_long.pk, "poor_households") == Source.DECLARED  # the fallback says so
    assert "poor_households" not in figures.notes


def _decided_round(people, units):  # type: ignore[no-untyped-def]
    """Trà Cú's 2025 review: one poor Khmer household of two; classified, posted and decided."""
    make_household(people, units, code="HH-1")  # 1.2M a month, four deprivations: poor
    make_household(people, units, code="HH-3", income=3_500_000)
    round_ = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    poverty_services.review_round_run(round=round_, actor=people.lan)
    for step in (Step.LIST, Step.SURVEY, Step.MEETING, Step.POSTING):
        poverty_services.review_round_step(actor=people.lan, round=round_, commune=units.tra_cu, step=step,
                                             on=dt.date(2025, 11, 1))
    return poverty_services.review_round_decide(round=round_, actor=people.minh, decision_number="12/QĐ-UBND",
                                                  decided_on=dt.date(2025, 12, 15))


def test_it_poverty_figures_are_counted_from_the_decided_review_round(people, units, plan25) -> None:  # type: ignore[no-untyped-def]
    _decided_round(people, units)
    submit(plan25, units.tra_cu, "2025", {"poor_households": 99, "households": 1000})  # typed: ignored
    figures = results.compute(units.vinh_long, Period.parse("2025"), plan25)
    tra_cu, province = units.tra_cu.pk, units.vinh_long.pk
    assert figures.value(tra_cu, "households") == 2
    assert figures.value(tra_cu, "poor_households") == 1
    assert figures.value(tra_cu, "poor_households", "khmer") == 1
    assert figures.value(tra_cu, "poor_rate") == pytest.approx(50.0)
    assert figures.source(tra_cu, "poor_households") == Source.COUNTED
    assert figures.value(province, "poor_households") == 1 and figures.value(province, "households") == 2
    assert figures.source(province, "poor_households") == Source.COUNTED
    assert "2025" in figures.notes["poor_households"]
    # before the round's reference date (14 Dec 2025) nothing is counted for 2025
    early = results.compute(units.vinh_long, Period.parse("2025-Q1"), plan25)
    assert early.value(tra_cu, "poor_households") is None
    # a first round has nothing to compare with: no reduction, rather than "giảm -1" against zero
    assert figures.value(tra_cu, "poor_reduction") is None
    assert figures.value(tra_cu, "new_poor") is None and figures.value(tra_cu, "escaped_poverty") is None
    assert figures.value(province, "poor_rate_reduction") is None


def test_it_counted_figures_fall_back_on_declared_ones_when_no_round_exists(units, plan25) -> None:  # type: ignore[no-untyped-def]
    submit(plan25, units.tra_cu, "2025", {"poor_households": 7, "households": 70})
    figures = results.compute(units.vinh_long, Period.parse("2025"), plan25)
    assert figures.value(units.tra_cu.pk, "poor_households") == 7
    assert figures.indicators["poor_households"].source == Source.COUNTED
    assert figures.source(units.tra_cu.pk, "poor_households") == Source.DECLARED
    assert figures.value(units.vinh_long.pk, "poor_rate") == pytest.approx(10.0)


@pytest.fixture
def split_commune(units):  # type: ignore[no-untyped-def]
    """Legacy Thị trấn Tam Bình (29719, old Vĩnh Long) went partly to Xã Tam Bình, partly to Xã Trà Côn."""
    legacy_province = Unit.objects.get(edition=Edition.LEGACY, code="86")
    old = commune(legacy_province, "29719")
    tam_binh, tra_con = commune(units.vinh_long, "29719"), commune(units.vinh_long, "29836")
    assert set(old.successors().values_list("pk", flat=True)) == {tam_binh.pk, tra_con.pk}
    plan = make_plan(legacy_province, 2024, number="20/KH-UBND")
    submit(plan, old, "2024-Q1", {"jobs_created": 100})
    return old, tam_binh, tra_con


def test_it_a_split_legacy_commune_is_shared_by_its_households_in_the_registry(people, units, split_commune) -> None:  # type: ignore[no-untyped-def]
    old, tam_binh, tra_con = split_commune
    for n, new in enumerate([tam_binh, tam_binh, tam_binh, tra_con]):
        household_services.household_create(actor=people.minh, commune=new, code=f"TB-{n}", legacy_commune=old)
    figures = results.compute(units.vinh_long, Period.parse("2024-Q1"))
    assert figures.value(tam_binh.pk, "jobs_created") == pytest.approx(75.0)
    assert figures.value(tra_con.pk, "jobs_created") == pytest.approx(25.0)
    assert figures.value(units.vinh_long.pk, "jobs_created") == pytest.approx(100.0)
    assert not figures.estimated
    # on its own map the legacy province still has the figure as reported
    legacy = results.compute(old.parent.parent, Period.parse("2024-Q1"))
    assert legacy.value(old.pk, "jobs_created") == 100


def test_it_a_split_legacy_commune_with_no_households_is_shared_equally_and_marked_estimated(units, split_commune) -> None:  # type: ignore[no-untyped-def]
    _old, tam_binh, tra_con = split_commune
    figures = results.compute(units.vinh_long, Period.parse("2024-Q1"))
    assert figures.value(tam_binh.pk, "jobs_created") == pytest.approx(50.0)
    assert figures.value(tra_con.pk, "jobs_created") == pytest.approx(50.0)
    assert {tam_binh.pk, tra_con.pk, units.vinh_long.pk} <= figures.estimated
    assert units.tra_cu.pk not in figures.estimated


def test_it_the_change_against_last_year_reads_the_legacy_map(units, plan25) -> None:  # type: ignore[no-untyped-def]
    old_plan = make_plan(units.legacy_tra_vinh, 2024, number="30/KH-UBND")
    submit(old_plan, units.legacy_thi_tran_tra_cu, "2024-Q1", {"jobs_created": 80})  # went whole into Xã Trà Cú
    submit(plan25, units.tra_cu, "2025-Q1", {"jobs_created": 100})
    figures = results.compute(units.vinh_long, Period.parse("2025-Q1"), plan25)
    assert figures.previous_value(units.tra_cu.pk, "jobs_created") == 80
    assert figures.change(units.tra_cu.pk, "jobs_created") == 20
    assert figures.change(units.vinh_long.pk, "jobs_created") == 20
    assert figures.change(units.tra_cu.pk, "overseas_workers") is None  # nothing either year


def test_it_a_year_made_of_its_first_quarter_only_says_what_is_missing(units, plan25) -> None:  # type: ignore[no-untyped-def]
    submit(plan25, units.tra_cu, "2025-Q1", {"jobs_created": 40})
    year = results.compute(units.vinh_long, Period.parse("2025"), plan25)
    assert year.value(units.vinh_long.pk, "jobs_created") == 40
    assert [p.key for p in year.uncovered] == ["2025-Q2", "2025-H2"]
    assert results.compute(units.vinh_long, Period.parse("2025-Q1"), plan25).uncovered == []
    # nothing reported at all: nothing to warn of
    assert results.compute(units.vinh_long, Period.parse("2024"), None).uncovered == []
    # the report says so under its results
    from ansinh.plans import documents
    from ansinh.plans.tests.test_documents import body_text, read

    text = body_text(read(documents.report_docx(plan25, Period.parse("2025"), units.vinh_long)))
    assert ("(Số liệu năm 2025 tổng hợp từ các kỳ đã có báo cáo; chưa có báo cáo quý II năm 2025, "
            "6 tháng cuối năm 2025.)") in text


def test_it_the_second_round_counts_its_transitions_and_the_reduction(people, units, plan25) -> None:  # type: ignore[no-untyped-def]
    """2024 → 2025 in Trà Cú: one household escapes poverty, one falls into it, one stays poor."""
    earlier = {"housing": "simple", "floor_area": Decimal("30"), "water_source": "piped", "latrine": "flush",
               "has_phone": True}
    for code, before, now in (("HH-1", 1_200_000, 3_500_000), ("HH-3", 3_500_000, 1_200_000),
                              ("HH-4", 1_200_000, 1_200_000)):
        household = make_household(people, units, code=code, income=now)
        household_services.conditions_record(actor=people.lan, household=household, year=2024,
                                             income_per_capita=Decimal(before), **earlier)
    for year in (2024, 2025):
        review = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=year)
        poverty_services.review_round_run(round=review, actor=people.lan)
    figures = results.compute(units.vinh_long, Period.parse("2025"), plan25)
    tra_cu = units.tra_cu.pk
    assert figures.value(tra_cu, "previous_poor_households") == 2 and figures.value(tra_cu, "poor_households") == 2
    assert figures.value(tra_cu, "escaped_poverty") == 1 and figures.value(tra_cu, "new_poor") == 1
    assert figures.value(tra_cu, "poor_reduction") == 0
    assert figures.value(units.vinh_long.pk, "escaped_poverty") == 1  # and up the map
