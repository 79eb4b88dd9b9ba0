"""The main pages run a number of queries that does not grow with the data: the same with 2 or 20
households (in several communes, poor, near-poor and not, classified by the province's round),
for a commune officer and for a provincial officer. A page whose count grew would be doing per-row
work (an N+1 query) that a province of 300,000 households turns into seconds.

The bound is "not more than with less data", plus a generous ceiling per page rather than exact
counts: the list's status, the figures and the plan results change how they are computed (stored
status, cached figures) without that being a regression. Each page is viewed once before it is
counted (content types, the session's first write and any cache fill are one-off costs).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ansinh import testing
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household
from ansinh.plans import services as plan_services
from ansinh.plans.models import Indicator, Plan
from ansinh.poverty import services as poverty_services
from ansinh.poverty.models import ReviewRound
from ansinh.testing import bearer, login

pytestmark = pytest.mark.django_db

YEAR = 2025
# Generous ceilings: today's pages run 10 to 40 queries; a page past these has grown a loop.
CEILING = 60
# A plan's results count every registry's figures for the period and the same period last year: one
# or a few GROUP BYs per registry: issue 13 added five (placements, training, abroad, unemployment),
# issue 14 about ten (care facilities 1, children 5, inspections 3, procedures), each run twice. The
# check that matters stays: the count is the same with 20 households as with 2.
CEILINGS = {"plan results": 120}
HEADS = ["Thạch Văn Sóc", "Nguyễn Thị Hoa", "Kim Sa Ri", "Trần Văn Minh", "Lê Thị Hồng"]


def communes(units: Any, n: int) -> list[Unit]:
    """Trà Cú and the first n - 1 other communes of Vĩnh Long."""
    others = list(Unit.objects.subtree(units.vinh_long).filter(edition=Edition.CURRENT, level=Level.COMMUNE)
                  .exclude(pk=units.tra_cu.pk).order_by("code")[: n - 1])
    return [units.tra_cu, *others]


def add_households(people: Any, units: Any, start: int, count: int) -> None:
    """`count` households, every other one in Trà Cú, the rest spread over four other communes;
    incomes that make them poor, near-poor and not poor in turn."""
    places = communes(units, 5)
    incomes = [1_200_000, 1_900_000, 3_500_000]
    for n in range(start, start + count):
        commune = units.tra_cu if n % 2 == 0 else places[1 + n % 4]
        actor = people.lan if commune == units.tra_cu else people.minh
        testing.make_household(actor, commune, f"HH-{n:03d}", income=incomes[n % 3], head=HEADS[n % len(HEADS)],
                               ethnicity="05" if n % 2 else "01")


def make_plan(people: Any, units: Any) -> Plan:
    """Vĩnh Long's 2025 plan with targets for the province and Trà Cú, and one approved form."""
    province = units.vinh_long
    agency = plan_services.agency_for(province, "Ủy ban nhân dân tỉnh Vĩnh Long", "ubnd", symbol="UBND")
    plan = plan_services.plan_create(actor=None, agency=agency, unit=province, year=YEAR, number="45/KH-UBND",
                                     title="Kế hoạch lao động, việc làm năm 2025", place="Vĩnh Long",
                                     deadlines={"quarter": "last:15", "half": "05-30", "year": "12-05"})
    jobs, poor = Indicator.objects.get(code="jobs_created"), Indicator.objects.get(code="poor_households")
    plan_services.targets_replace(actor=None, plan=plan, rows=[
        plan_services.TargetRow(jobs, province, str(YEAR), "", Decimal(3200)),
        plan_services.TargetRow(jobs, units.tra_cu, str(YEAR), "", Decimal(100)),
        plan_services.TargetRow(poor, province, str(YEAR), "", Decimal(10)),
        plan_services.TargetRow(poor, units.tra_cu, str(YEAR), "", Decimal(2))])
    form = plan_services.submission_open(actor=None, plan=plan, unit=units.tra_cu, period=f"{YEAR}-Q1")
    plan_services.submission_save(actor=None, submission=form, values={("jobs_created", ""): Decimal(30)})
    plan_services.submission_submit(actor=None, submission=form)
    plan_services.submission_approve(actor=people.minh, submission=form)
    return plan


def pages(round_: ReviewRound, plan: Plan, household: Household) -> dict[str, str]:
    return {
        "home": "/",
        "household list": "/households/",
        "list by status": "/households/?status=poor",
        "name search": "/households/?q=thach",
        "household page": f"/households/{household.pk}/",
        "round figures": f"/households/rounds/{round_.pk}/figures/",
        "plan results": f"/plans/{plan.pk}/results",
        "dashboard": "/plans/dashboard",
        "API list": "/api/v1/households/",
    }


def count_queries(client: Client, url: str, headers: dict[str, str]) -> int:
    assert client.get(url, **headers).status_code == 200, url  # warm: one-off costs
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def counts(client: Client, people: Any, urls: dict[str, str]) -> dict[tuple[str, str], int]:
    found = {}
    for person in (people.lan, people.minh):
        login(client, person)
        token = bearer(person)
        for name, url in urls.items():
            headers = token if url.startswith("/api/") else {}
            found[(person.username, name)] = count_queries(client, url, headers)
    return found


def test_it_the_main_pages_run_as_many_queries_with_20_households_as_with_2(client, people, units):
    add_households(people, units, 0, 2)
    round_ = poverty_services.review_round_open(actor=people.minh, unit=units.vinh_long, year=YEAR)
    poverty_services.review_round_run(round=round_, actor=people.minh)
    plan = make_plan(people, units)
    household = Household.objects.get(code="HH-000")  # in Trà Cú: both officers see it
    urls = pages(round_, plan, household)
    small = counts(client, people, urls)

    add_households(people, units, 2, 18)
    poverty_services.review_round_run(round=round_, actor=people.minh)
    assert Household.objects.count() == 20 and round_.assessments.count() == 20
    assert round_.assessments.filter(commune=units.tra_cu).count() == 10
    large = counts(client, people, urls)

    grew = {page: (small[page], large[page]) for page in small if large[page] > small[page]}
    assert not grew, f"queries grew with the data (2 → 20 households): {grew}"
    over = {page: n for page, n in large.items() if n > CEILINGS.get(page[1], CEILING)}
    assert not over, f"more than {CEILING} queries: {over}"


def test_it_a_commune_officers_pages_do_not_grow_with_the_province(client, people, units):
    """Households of other communes cost a commune officer's pages nothing."""
    add_households(people, units, 0, 2)
    round_ = poverty_services.review_round_open(actor=people.minh, unit=units.vinh_long, year=YEAR)
    poverty_services.review_round_run(round=round_, actor=people.minh)
    plan = make_plan(people, units)
    urls = pages(round_, plan, Household.objects.get(code="HH-000"))
    login(client, people.lan)
    token = bearer(people.lan)
    before = {name: count_queries(client, url, token if url.startswith("/api/") else {}) for name, url in urls.items()}
    for n, commune in enumerate(communes(units, 5)[1:]):  # the province grows, Trà Cú does not
        for k in range(3):
            testing.make_household(people.minh, commune, f"OT-{n}-{k}", income=1_200_000)
    poverty_services.review_round_run(round=round_, actor=people.minh)
    after = {name: count_queries(client, url, token if url.startswith("/api/") else {}) for name, url in urls.items()}
    assert after == before


def test_it_counts_a_page_that_grows(client, people, units, monkeypatch):
    """The comparison above can fail: a page that reads each household's members one by one."""
    from ansinh.households.views import registry

    original = registry.render

    def per_row(request: Any, template: str, context: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        for household in (context or {}).get("page", []):
            list(household.members.all())  # one query per household: the N+1 the test is there for
        return original(request, template, context, **kwargs)

    monkeypatch.setattr(registry, "render", per_row)
    login(client, people.lan)
    add_households(people, units, 0, 2)
    small = count_queries(client, "/households/", {})
    add_households(people, units, 2, 6)
    assert count_queries(client, "/households/", {}) > small

