"""Periods, formulas, targets and their split, the submission workflow and results up the map."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans import results, services
from ansinh.plans.models import Indicator, SubmissionStatus
from ansinh.plans.periods import Period


def test_it_periods_parse_label_cutoff_and_deadlines() -> None:
    q1 = Period.parse("2020-q1")
    assert q1.key == "2020-Q1" and (q1.start, q1.end) == (dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    assert q1.cutoff == (dt.date(2019, 12, 15), dt.date(2020, 3, 14))  # Decree 09/2019, Art. 12
    assert Period.parse("2022-H1").cutoff == (dt.date(2021, 12, 15), dt.date(2022, 6, 14))
    assert Period.parse("2025-03").cutoff == (dt.date(2025, 2, 15), dt.date(2025, 3, 14))
    assert Period.parse("2025").cutoff == (dt.date(2024, 12, 15), dt.date(2025, 12, 14))
    rules = {"quarter": "last:15", "half": "05-30", "year": "12-05"}  # seed 004
    assert Period.parse("2022-Q2").deadline(rules) == dt.date(2022, 6, 15)
    # 30 May and 5 Dec fall before the data cut-off (14 Jun, 14 Dec): the day after it instead
    assert Period.parse("2022-H1").deadline(rules) == dt.date(2022, 6, 15)
    assert Period.parse("2022").deadline(rules) == dt.date(2022, 12, 15)
    assert Period.parse("2022-02").deadline({"month": "next:05"}) == dt.date(2022, 3, 5)
    assert [p.key for p in Period.parse("2025").parts()] == ["2025-H1", "2025-H2"]
    assert Period.parse("2025-Q4").next().key == "2026-Q1"
    for bad in ("2025-Q5", "2025-13", "25", "2025-H3", "Q1-2025"):
        with pytest.raises(ValidationError):
            Period.parse(bad)


@pytest.fixture
def tra_vinh_plan(db, people):  # type: ignore[no-untyped-def]
    province = Unit.objects.get(edition=Edition.LEGACY, code="84")
    agency = services.agency_create(actor=None, unit=province, name="Ủy ban nhân dân tỉnh Trà Vinh",
                                    kind="ubnd", symbol="UBND")
    plan = services.plan_create(actor=None, agency=agency, unit=province, year=2020, number="25/KH-UBND",
                                title="Kế hoạch lao động 2020", place="Trà Vinh",
                                deadlines={"quarter": "last:15"})
    jobs = Indicator.objects.get(code="jobs_created")
    districts = list(Unit.objects.filter(parent=province).order_by("code"))
    rows = [services.TargetRow(jobs, province, "2020", "", Decimal(23000))]
    rows += [services.TargetRow(jobs, d, "2020", "", Decimal(2000)) for d in districts]
    services.targets_replace(actor=None, plan=plan, rows=rows)
    return plan


def test_it_home_of_a_legacy_plan_is_the_current_province(tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    assert tra_vinh_plan.home.code == "86" and tra_vinh_plan.home.edition == Edition.CURRENT


def test_it_split_check_states_the_difference(tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    [line] = services.split_check(tra_vinh_plan)
    assert line.total == 23000 and line.split == 2000 * line.units and line.difference == 23000 - 2000 * line.units


def test_it_province_form_gives_percent_of_target(tra_vinh_plan, people) -> None:  # type: ignore[no-untyped-def]
    sub = services.submission_open(actor=people.bao, plan=tra_vinh_plan, unit=tra_vinh_plan.unit, period="2020-Q1")
    assert sub.deadline == dt.date(2020, 3, 15)
    # the plan's deadlines change: the opened form follows
    services.plan_update(actor=None, plan=tra_vinh_plan, deadlines={**tra_vinh_plan.deadlines, "quarter": "last:25"})
    sub.refresh_from_db()
    assert sub.deadline == dt.date(2020, 3, 25)
    services.submission_save(actor=people.bao, submission=sub, values={
        ("jobs_created", ""): Decimal(7645), ("jobs_created", "female"): Decimal(3899)})
    figures = results.compute(tra_vinh_plan.unit, Period.parse("2020-Q1"), tra_vinh_plan)
    assert figures.value(tra_vinh_plan.unit_id, "jobs_created") is None  # a draft does not count
    services.submission_submit(actor=people.bao, submission=sub)
    figures = results.compute(tra_vinh_plan.unit, Period.parse("2020-Q1"), tra_vinh_plan)
    assert figures.value(tra_vinh_plan.unit_id, "jobs_created") == 7645
    assert round(figures.percent(tra_vinh_plan.unit_id, "jobs_created") or 0, 1) == 33.2
    # the year so far is made of its quarters
    year = results.compute(tra_vinh_plan.unit, Period.parse("2020"), tra_vinh_plan)
    assert year.value(tra_vinh_plan.unit_id, "jobs_created", "female") == 3899
    # re-aggregated onto the current map: Vĩnh Long holds all of Trà Vinh's figure
    vinh_long = Unit.objects.get(edition=Edition.CURRENT, code="86")
    current = results.compute(vinh_long, Period.parse("2020-Q1"))
    assert current.value(vinh_long.pk, "jobs_created") == 7645


def test_it_communes_add_up_and_workflow(tra_vinh_plan, people) -> None:  # type: ignore[no-untyped-def]
    district = Unit.objects.filter(parent=tra_vinh_plan.unit).order_by("code").first()
    assert district is not None
    communes = list(Unit.objects.filter(parent=district, level=Level.COMMUNE).order_by("code")[:2])
    for n, commune in enumerate(communes, start=1):
        sub = services.submission_open(actor=None, plan=tra_vinh_plan, unit=commune, period="2020-Q1")
        services.submission_save(actor=None, submission=sub, values={("jobs_created", ""): Decimal(100 * n)})
        services.submission_submit(actor=None, submission=sub)
    figures = results.compute(tra_vinh_plan.unit, Period.parse("2020-Q1"), tra_vinh_plan)
    assert figures.value(district.pk, "jobs_created") == 300
    assert figures.value(tra_vinh_plan.unit_id, "jobs_created") == 300
    assert figures.percent(district.pk, "jobs_created") == 15.0
    with pytest.raises(ValidationError):
        services.submission_save(actor=None, submission=sub, values={("jobs_created", ""): Decimal(1)})
    with pytest.raises(ValidationError):
        services.submission_return(actor=people.minh, submission=sub, reason=" ")
    services.submission_return(actor=people.minh, submission=sub, reason="Thiếu số liệu nữ")
    assert sub.status == SubmissionStatus.RETURNED
    services.submission_save(actor=None, submission=sub, values={("jobs_created", ""): Decimal(250)})
    services.submission_submit(actor=None, submission=sub)
    services.submission_approve(actor=people.minh, submission=sub)
    with pytest.raises(ValidationError):
        services.submission_save(actor=None, submission=sub, values={("jobs_created", ""): Decimal(1)})
    figures = results.compute(tra_vinh_plan.unit, Period.parse("2020-Q1"), tra_vinh_plan)
    assert figures.value(district.pk, "jobs_created") == 350


def test_it_year_to_date_spans() -> None:
    keys = lambda text: [p.key for p in Period.parse(text).year_to_date()]  # noqa: E731
    assert keys("2025-Q1") == ["2025-Q1"]
    assert keys("2025-Q3") == ["2025-H1", "2025-Q3"]
    assert keys("2025-05") == ["2025-Q1", "2025-04", "2025-05"]
    assert keys("2025-Q4") == ["2025"]
    assert keys("2025-H2") == ["2025"]


def test_it_year_to_date_adds_flows_and_paces_the_year(tra_vinh_plan, people) -> None:  # type: ignore[no-untyped-def]
    for period, jobs in (("2020-Q1", 7645), ("2020-Q2", 4000), ("2020-Q3", 3000)):
        sub = services.submission_open(actor=None, plan=tra_vinh_plan, unit=tra_vinh_plan.unit, period=period)
        services.submission_save(actor=None, submission=sub, values={("jobs_created", ""): Decimal(jobs)})
        services.submission_submit(actor=None, submission=sub)
    q3 = results.compute(tra_vinh_plan.unit, Period.parse("2020-Q3"), tra_vinh_plan, with_previous=False)
    assert q3.value(tra_vinh_plan.unit_id, "jobs_created") == 3000 and q3.expected_share() == 25.0
    ytd = results.compute(tra_vinh_plan.unit, Period.parse("2020-Q3"), tra_vinh_plan, year_to_date=True)
    assert ytd.value(tra_vinh_plan.unit_id, "jobs_created") == 14645 and ytd.expected_share() == 75.0
    # 14.645 of 23.000 is 63,7 %: more than 10 points behind the 75 % pace
    assert ytd.lagging(tra_vinh_plan.unit_id, "jobs_created")


def test_it_fixed_deadline_moves_with_the_half_year() -> None:
    rules = {"half": "05-30"}  # seed 004: the six-month report before 30 May
    # …but never before the data cut-off ends (14 Jun, 14 Dec): the day after it
    assert Period.parse("2022-H1").deadline(rules) == dt.date(2022, 6, 15)
    assert Period.parse("2022-H2").deadline(rules) == dt.date(2022, 12, 15)
    assert Period.parse("2022-H2").deadline({"half": "06-20"}) == dt.date(2022, 12, 20)
    assert Period.parse("2025-H2").deadline() == dt.date(2025, 12, 20)
    assert Period.parse("2025-H2").deadline({"half": "07-10"}) == dt.date(2026, 1, 10)


def test_it_figures_are_checked_for_size() -> None:
    assert services.parse_value("7.645", label="x") == 7645
    assert services.parse_value(1.123456789, label="x") == Decimal("1.1235")
    for bad in ("1e30", 10**17, "12345678901234567"):
        with pytest.raises(ValidationError):
            services.parse_value(bad, label="x")


def test_it_a_returned_form_is_not_on_time_and_the_sender_does_not_approve(tra_vinh_plan, people) -> None:  # type: ignore[no-untyped-def]
    from ansinh.plans.access import can_decide_submission

    district = Unit.objects.filter(parent=tra_vinh_plan.unit).order_by("code").first()
    assert district is not None
    sub = services.submission_open(actor=people.minh, plan=tra_vinh_plan, unit=district, period="2020-Q1")
    services.submission_save(actor=people.minh, submission=sub, values={("jobs_created", ""): Decimal(5)})
    services.submission_submit(actor=people.minh, submission=sub)
    assert not can_decide_submission(people.minh, sub)  # four eyes
    assert can_decide_submission(people.bao, sub)
    row = next(r for r in services.timeliness(tra_vinh_plan, "2020-Q1", today=dt.date(2020, 4, 1)) if r.unit == district)
    assert row.state == services.Timeliness.LATE  # sent today, long after the 2020 deadline
    services.submission_return(actor=people.bao, submission=sub, reason="Sai số liệu")
    row = next(r for r in services.timeliness(tra_vinh_plan, "2020-Q1", today=dt.date(2020, 4, 1)) if r.unit == district)
    assert row.state == services.Timeliness.MISSING


def test_it_plan_year_is_fixed_once_it_has_targets(tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.plan_update(actor=None, plan=tra_vinh_plan, year=2021)


def test_it_a_legacy_unit_without_successor_has_no_home(db) -> None:  # type: ignore[no-untyped-def]
    from ansinh.geo.models import current_home

    district = Unit.objects.filter(edition=Edition.LEGACY, level=Level.DISTRICT).first()
    assert district is not None
    orphan = Unit(code="99999", name="Xã Thử", kind="xa", level=Level.COMMUNE, edition=Edition.LEGACY,
                  parent=district, path="")
    orphan.set_derived_fields()
    orphan.save()
    orphan.path = f"{district.path}{orphan.pk}/"
    orphan.save()
    with pytest.raises(ValidationError):
        current_home(orphan)


def test_it_the_country_adds_current_forms_and_legacy_ones_through_the_crosswalk(tra_vinh_plan, people) -> None:  # type: ignore[no-untyped-def]
    vinh_long = Unit.objects.get(edition=Edition.CURRENT, code="86")
    agency = services.agency_create(actor=None, unit=vinh_long, name="Sở Nội vụ", kind="so")
    plan = services.plan_create(actor=None, agency=agency, unit=vinh_long, year=2025, number="1/KH-SNV",
                                title="Kế hoạch 2025", place="Vĩnh Long")
    tra_cu = Unit.objects.get(edition=Edition.CURRENT, code="29461")
    sub = services.submission_open(actor=None, plan=plan, unit=tra_cu, period="2025-Q3")
    services.submission_save(actor=None, submission=sub, values={("jobs_created", ""): Decimal(150)})
    services.submission_submit(actor=None, submission=sub)
    # the legacy Thị trấn Trà Cú, merged into Xã Trà Cú, reported Q1 and Q2 under a 2025 legacy-map plan
    legacy_tt = Unit.objects.get(edition=Edition.LEGACY, code="29461")
    old_agency = services.agency_create(actor=None, unit=tra_vinh_plan.unit, name="UBND tỉnh Trà Vinh (cũ)",
                                        kind="ubnd")
    old_plan = services.plan_create(actor=None, agency=old_agency, unit=tra_vinh_plan.unit, year=2025,
                                    number="2/KH-UBND", title="Kế hoạch 2025", place="Trà Vinh")
    for period in ("2025-Q1", "2025-Q2"):
        old = services.submission_open(actor=None, plan=old_plan, unit=legacy_tt, period=period)
        services.submission_save(actor=None, submission=old, values={("jobs_created", ""): Decimal(100)})
        services.submission_submit(actor=None, submission=old)
    year = results.compute(vinh_long, Period.parse("2025"), plan, with_previous=False)
    shares = year.value(tra_cu.pk, "jobs_created")
    assert shares is not None and shares > 150  # the commune's own Q3 plus (its share of) the legacy town's
    country = Unit.objects.get(level=Level.COUNTRY)
    national = results.compute(country, Period.parse("2025"), with_previous=False)
    assert national.value(country.pk, "jobs_created") == year.value(vinh_long.pk, "jobs_created")


def test_it_report_priorities_are_the_tasks_open_at_the_end_of_the_period(tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    from ansinh.plans.documents import priority_tasks

    task = services.task_create(actor=None, plan=tra_vinh_plan, description="Tổ chức phiên giao dịch việc làm",
                                due_period="2020-Q2")
    q1 = Period.parse("2020-Q1")
    assert priority_tasks(tra_vinh_plan, q1) == [task]
    services.task_note_add(actor=None, task=task, text="Đã tổ chức", status="done", written_on=dt.date(2020, 6, 20))
    assert priority_tasks(tra_vinh_plan, q1) == [task]  # done in June: still open at the end of March
    assert priority_tasks(tra_vinh_plan, Period.parse("2020-Q2")) == []


@pytest.mark.parametrize("rules", [
    {},  # the defaults
    {"quarter": "last:15", "half": "05-30", "year": "12-05"},  # seed 004
    {"month": "last:01", "quarter": "last:01", "half": "01-01", "year": "01-01"},
    {"month": "next:05", "quarter": "next:05", "half": "07-10", "year": "12-31"},
])
def test_it_never_sets_a_deadline_before_the_data_cut_off_ends(rules) -> None:  # type: ignore[no-untyped-def]
    from ansinh.plans.periods import KINDS, periods_of_year

    for year in (2024, 2025, 2026):
        for kind in KINDS:
            for period in periods_of_year(year, kind):
                deadline = period.deadline(rules)
                assert deadline > period.cutoff[1], (period.key, rules, deadline)
