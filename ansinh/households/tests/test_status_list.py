"""The household list by poverty status reads the stored current status (`poverty.CurrentStatus`):
the same households as the latest-assessment subquery it replaces, with no query on the
assessments and a count that evaluates nothing per household; a chosen round still reads its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ansinh.households import services
from ansinh.households.access import households_for_user
from ansinh.households.models import Household, HouseholdStatus
from ansinh.poverty import services as poverty_services
from ansinh.poverty.models import Assessment, CurrentStatus
from ansinh.testing import make_household
from conftest import login

pytestmark = pytest.mark.django_db

STATUSES = ["", "poor", "near_poor", "average", "not_poor", "none"]


@pytest.fixture
def register(people, units):
    """Households of Xã Trà Cú after a 2024 and a 2025 round and a monthly one in March 2026: poor,
    near-poor, not poor, one merged away, one registered since (never assessed)."""
    poor = make_household(people.lan, units.tra_cu, "TC-1", year=2024)
    near = make_household(people.lan, units.tra_cu, "TC-2", year=2024, income=4_000_000)
    rich = make_household(people.lan, units.tra_cu, "TC-3", year=2024, income=5_000_000, head="Nguyễn Văn Bình")
    merged = make_household(people.lan, units.tra_cu, "TC-4", year=2024, head="Lê Văn Tư")
    first = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2024)
    poverty_services.review_round_run(round=first, actor=people.lan)
    services.conditions_record(actor=people.lan, household=near, year=2025, income_per_capita=Decimal(1_000_000),
                               housing="durable", floor_area=Decimal("80"), has_phone=True)
    second = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    poverty_services.review_round_run(round=second, actor=people.lan)
    services.conditions_record(actor=people.lan, household=rich, year=2026, income_per_capita=Decimal(900_000),
                               housing="simple", floor_area=Decimal("20"), surveyed_on=dt.date(2026, 3, 3))
    monthly = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2026, kind="regular",
                                                 month=3)
    poverty_services.review_round_run(round=monthly, actor=people.lan)
    services.household_merge(actor=people.lan, household=merged, into=poor, on=dt.date(2026, 4, 1))
    services.household_create(actor=people.lan, commune=units.tra_cu, code="TC-5")
    return first, second, monthly


def expected_codes(user, status: str, ended: bool = False) -> list[str]:
    """The list as the latest-assessment subquery gave it (the rule the stored status replaces)."""
    latest = (Assessment.objects.filter(household=OuterRef("pk")).order_by("-round__reference_date", "-round_id")
              .values("status")[:1])
    found = households_for_user(user).annotate(latest=Subquery(latest))
    if not ended:
        found = found.filter(status=HouseholdStatus.ACTIVE)
    if status == "none":
        found = found.filter(latest__isnull=True)
    elif status:
        found = found.filter(latest=status)
    return list(found.order_by("sort_key", "code").values_list("code", flat=True))


def listed(client, **params) -> list[str]:
    response = client.get(reverse("household-list"), params)
    assert response.status_code == 200
    return [h.code for h in response.context["page"].object_list]


def test_it_lists_by_status_the_same_households_as_the_latest_assessment(client, people, units, register):
    statuses = dict(CurrentStatus.objects.values_list("household__code", "status"))
    assert statuses == {"TC-1": "poor", "TC-2": "poor", "TC-3": "poor", "TC-4": "poor"}  # TC-5: none
    assert Assessment.objects.get(round=register[1], household__code="TC-3").status == "not_poor"
    for user in (people.lan, people.minh):
        login(client, user)
        for status in STATUSES:
            assert listed(client, status=status) == expected_codes(user, status), (user, status)
            assert listed(client, status=status, ended="1") == expected_codes(user, status, ended=True)
    login(client, people.binh)  # another province's officer: none of them
    assert listed(client, status="poor") == []


def test_it_shows_each_households_stored_status(client, people, units, register):
    login(client, people.lan)
    html = client.get(reverse("household-list")).content.decode()
    assert html.count("reg-status-poor") == 3 and html.count("reg-status-none") == 1
    household = Household.objects.get(code="TC-3")  # poor since the monthly round
    page = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    heading = page[page.index('class="reg-heading"'):page.index("</div>", page.index('class="reg-heading"'))]
    assert "reg-status-poor" in heading


def test_it_the_list_by_status_does_not_look_up_assessments(client, people, units, register):
    login(client, people.minh)
    for status in ("poor", "none", ""):
        expected = expected_codes(people.minh, status)
        with CaptureQueriesContext(connection) as queries:
            assert listed(client, status=status) == expected
        sqls = [q["sql"] for q in queries]
        assert not [sql for sql in sqls if "households_assessment" in sql], status
        counts = [sql for sql in sqls if sql.startswith("SELECT COUNT(") and "households_household" in sql]
        assert len(counts) == 1, sqls
        # The count evaluates nothing per household: no subquery on members or assessments.
        assert "households_member" not in counts[0] and counts[0].count("SELECT") <= 3, counts[0]


def test_it_a_chosen_round_still_lists_by_that_rounds_status(client, people, units, register):
    first, second, _monthly = register
    login(client, people.lan)
    in_first = sorted(Assessment.objects.filter(round=first, status="poor").values_list("household__code", flat=True))
    assert sorted(listed(client, status="poor", round=first.pk)) == in_first
    in_second = sorted(Assessment.objects.filter(round=second, status="not_poor")
                       .values_list("household__code", flat=True))
    assert in_second == ["TC-3"]
    assert listed(client, status="not_poor", round=second.pk) == in_second
    assert listed(client, status="not_poor") == []  # TC-3 is poor now (the monthly round)
