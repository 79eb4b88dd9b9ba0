"""The API's household list reads the stored current status: `?status=` gives the households the
latest-assessment subquery gave, `poverty_status` and `poverty_round` say the latest round that
assessed each, and the count looks up no assessment."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.households.models import Household
from ansinh.households.tests.test_status_list import STATUSES, expected_codes, register  # noqa: F401 — a fixture
from ansinh.poverty.models import Assessment
from ansinh.testing import bearer

pytestmark = pytest.mark.django_db


def listed(client, headers, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/households/?page_size=100{query}", **headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_it_filters_by_the_stored_status_as_the_latest_assessment_did(client, people, register):
    for user in (people.lan, people.minh):
        headers = bearer(user)
        for status in STATUSES:
            if status in ("", "none"):
                continue
            found = [h["code"] for h in listed(client, headers, f"&status={status}")]
            assert sorted(found) == sorted(expected_codes(user, status)), (user, status)
        found = sorted(h["code"] for h in listed(client, headers, "&include_ended=1&status=poor"))
        assert found == sorted(expected_codes(user, "poor", ended=True))
    assert listed(client, bearer(people.binh), "&status=poor") == []


def test_it_gives_the_status_and_the_round_it_comes_from(client, people, register):
    _first, second, monthly = register
    rows = {h["code"]: h for h in listed(client, bearer(people.lan), "&include_ended=1")}
    assert {code: (h["poverty_status"], h["poverty_round"]) for code, h in rows.items()} == {
        "TC-1": ("poor", second.pk), "TC-2": ("poor", second.pk), "TC-3": ("poor", monthly.pk),
        "TC-4": ("poor", second.pk), "TC-5": (None, None)}
    # A round given: that round's own assessments.
    by_round = {h["code"]: (h["poverty_status"], h["poverty_round"])
                for h in listed(client, bearer(people.lan), f"&round={second.pk}&status=not_poor")}
    assert by_round == {"TC-3": ("not_poor", second.pk)}
    detail = client.get(f"/api/v1/households/{Household.objects.get(code='TC-3').pk}", **bearer(people.lan)).json()
    assert (detail["poverty_status"], detail["poverty_round"]) == ("poor", monthly.pk)
    assert detail["latest_assessment"]["round"]["id"] == Assessment.objects.get(round=monthly).round_id


def test_it_counts_by_status_without_looking_up_assessments(client, people, register):
    headers = bearer(people.minh)
    with CaptureQueriesContext(connection) as queries:
        assert len(listed(client, headers, "&status=poor")) == 3
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1 and "households_assessment" not in counts[0] and "households_member" not in counts[0]
