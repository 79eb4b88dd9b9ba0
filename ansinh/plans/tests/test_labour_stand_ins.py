"""Issue 13: the labour figures are counted from the registries, and where a unit has no registry
data for a period its declared figure stands in — in the default form (counted indicators with a
target), in the results (per unit and period, up the map) and in the report (which says so)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans import counted, documents, results, services
from ansinh.plans.models import Indicator, Plan, Source
from ansinh.plans.periods import Period
from ansinh.plans.reporting_forms import build_fields
from ansinh.plans.tests.test_results import make_plan

pytestmark = pytest.mark.django_db

LABOUR_COUNTED = ["jobs_created", "jobs_added", "overseas_workers", "employed_regularly", "job_counselling",
                  "job_fairs", "unemployment_dossiers", "unemployment_amount", "trained_workers",
                  "trained_labour_rate", "certified_labour_rate", "foreign_workers"]


def two_communes(province: Unit) -> list[Unit]:
    return list(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=province.path)
                .order_by("code")[:2])


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[tuple[int, str], float]]:
    """A fake jobs registry: the test puts counts {(commune id, breakdown): n} in the dict."""
    found: dict[tuple[int, str], float] = {}

    def fetch(root: Unit, period: Period) -> tuple[counted.Counts, str, str]:
        if root.edition == Edition.LEGACY or period.key != "2026-Q1":
            return {}, "", ""
        return {"jobs_created": dict(found)}, "sổ theo dõi giải quyết việc làm", "jobs"

    fake = counted.Provider(frozenset({"jobs_created"}), fetch, lambda query, unit, breakdown, key: None)
    monkeypatch.setattr(counted, "PROVIDERS", [p for p in counted.PROVIDERS if "jobs_created" not in p.queries]
                        + [fake])
    yield found


@pytest.fixture
def plan(units) -> Plan:  # type: ignore[no-untyped-def]
    plan = make_plan(units.vinh_long, 2026)
    rows = [services.TargetRow(Indicator.objects.get(code=code), units.vinh_long, "2026", "", Decimal(value))
            for code, value in [("jobs_created", 3000), ("gratitude_fund", 500)]]
    services.targets_replace(actor=None, plan=plan, rows=rows)
    return plan


def declare(plan: Plan, unit: Unit, values: dict[tuple[str, str], int]) -> None:
    form = services.submission_open(actor=None, plan=plan, unit=unit, period="2026-Q1")
    services.submission_save(actor=None, submission=form, values={k: Decimal(v) for k, v in values.items()})
    services.submission_submit(actor=None, submission=form)


def test_it_counts_the_labour_indicators_of_the_catalogue(db) -> None:  # type: ignore[no-untyped-def]
    rows = {i.code: i for i in Indicator.objects.filter(code__in=LABOUR_COUNTED)}
    assert sorted(rows) == sorted(LABOUR_COUNTED)
    assert all(i.source == Source.COUNTED and i.query == i.code for i in rows.values())
    assert rows["foreign_workers"].breakdown_codes == ["CN", "KR", "JP", "TW", "other"]
    assert rows["foreign_workers"].over_time == "stock"


def test_it_offers_counted_indicators_with_a_target_in_the_default_form_as_stand_ins(plan) -> None:  # type: ignore[no-untyped-def]
    codes = [i.code for i in services.form_indicators(plan)]
    assert codes == ["jobs_created", "gratitude_fund"]
    fields = build_fields(services.form_indicators(plan))
    assert [(f.indicator.code, f.breakdown) for f in fields if f.stands_in] == [("jobs_created", "")]
    assert not any(f.stands_in for f in fields if f.indicator.code == "gratitude_fund")


def test_it_accepts_a_counted_figure_as_a_stand_in_and_refuses_a_formula(plan, units) -> None:  # type: ignore[no-untyped-def]
    form = services.submission_open(actor=None, plan=plan, unit=units.vinh_long, period="2026-Q1")
    # Not in the form (no target): a unit may still report it, as a stand-in.
    assert services.submission_save(actor=None, submission=form, values={
        ("job_counselling", ""): Decimal(120), ("jobs_created", ""): Decimal(700)}) == 2
    derived = Indicator.objects.filter(source=Source.DERIVED).first()
    assert derived is not None
    with pytest.raises(ValidationError) as error:
        services.submission_save(actor=None, submission=form, values={(derived.code, ""): Decimal(1)})
    assert derived.name in str(error.value) and "công thức" in str(error.value)


def test_it_lets_a_commune_without_registry_data_stand_in(plan, units, registry) -> None:  # type: ignore[no-untyped-def]
    first, second = two_communes(units.vinh_long)
    declare(plan, first, {("jobs_created", ""): 999})  # the registry wins over it
    declare(plan, second, {("jobs_created", ""): 40, ("jobs_created", "female"): 15})
    registry.update({(first.pk, ""): 100.0, (first.pk, "female"): 60.0})
    figures = results.compute(units.vinh_long, Period.parse("2026-Q1"), plan)
    assert figures.value(first.pk, "jobs_created") == 100 and figures.source(first.pk, "jobs_created") == "counted"
    assert figures.value(second.pk, "jobs_created") == 40 and figures.source(second.pk, "jobs_created") == "declared"
    assert figures.value(units.vinh_long.pk, "jobs_created") == 140
    assert figures.value(units.vinh_long.pk, "jobs_created", "female") == 75
    assert figures.source(units.vinh_long.pk, "jobs_created") == "counted"
    assert figures.stood_in(units.vinh_long.pk, "jobs_created")
    assert not figures.stood_in(first.pk, "jobs_created")
    lines = documents.report_lines(plan, Period.parse("2026-Q1"), units.vinh_long, figures)
    employment = next(line for line in lines if any("Giải quyết việc làm" in s for s in line[1]))
    assert any(s.startswith("- Giải quyết việc làm cho 140 lao động") and "(*)" in s for s in employment[1])
    assert "sổ theo dõi giải quyết việc làm" in employment[2]
    assert "đơn vị chưa có dữ liệu trong sổ thì lấy số liệu đơn vị báo cáo" in employment[2]


def test_it_counts_only_the_registry_once_every_commune_has_data(plan, units, registry) -> None:  # type: ignore[no-untyped-def]
    first, second = two_communes(units.vinh_long)
    declare(plan, units.vinh_long, {("jobs_created", ""): 5000})  # the province's own form: the registry wins
    registry.update({(first.pk, ""): 100.0, (second.pk, ""): 20.0})
    figures = results.compute(units.vinh_long, Period.parse("2026-Q1"), plan)
    assert figures.value(units.vinh_long.pk, "jobs_created") == 120
    assert not figures.stood_in(units.vinh_long.pk, "jobs_created")
    lines = documents.report_lines(plan, Period.parse("2026-Q1"), units.vinh_long, figures)
    assert not any("chưa có dữ liệu trong sổ" in note for _title, _s, note in lines)


def test_it_falls_back_on_declared_figures_where_the_registry_has_no_data_for_the_period(plan, units, registry) -> None:  # type: ignore[no-untyped-def]
    first, _second = two_communes(units.vinh_long)
    registry.update({(first.pk, ""): 100.0})
    declare(plan, units.vinh_long, {("jobs_created", ""): 5000})
    figures = results.compute(units.vinh_long, Period.parse("2026-Q1"), plan)
    assert figures.value(units.vinh_long.pk, "jobs_created") == 100
    # Another period: the registry has nothing, so the province's own declared figure stands.
    later = services.submission_open(actor=None, plan=plan, unit=units.vinh_long, period="2026-Q2")
    services.submission_save(actor=None, submission=later, values={("jobs_created", ""): Decimal(800)})
    services.submission_submit(actor=None, submission=later)
    figures = results.compute(units.vinh_long, Period.parse("2026-Q2"), plan)
    assert figures.value(units.vinh_long.pk, "jobs_created") == 800
    assert figures.source(units.vinh_long.pk, "jobs_created") == "declared"
