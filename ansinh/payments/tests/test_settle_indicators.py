"""Counted indicators of what was paid: people and amount from the payroll lines reported paid or
partly paid, by commune and up the map; the catalogue rows of plans 0008."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.audit import Actor
from ansinh.benefits.tests.pages_setup import more_disabled
from ansinh.geo.models import Unit
from ansinh.payments import indicators
from ansinh.payments.results import apply_results, line_code
from ansinh.plans.counted import fetch_all, provider_for
from ansinh.plans.models import Indicator
from ansinh.plans.periods import Period

from . import settle_setup as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return s.world()


def test_it_counts_people_and_amounts_paid(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(2)], amount=500_000)
    a, b, c = payroll.lines.order_by("pk")
    apply_results([{"code": line_code(a), "status": "paid", "paid_on": dt.date(2025, 10, 5)},
                   {"code": line_code(b), "status": "partly", "paid_amount": 200_000, "paid_on": dt.date(2025, 10, 5)},
                   {"code": line_code(c), "status": "not_paid"}], actor=Actor(user=w.who.lan))
    merit = s.payroll(field="meritorious", entitlements=[w.ben.invalid], amount=2_000_000)
    apply_results([{"code": line_code(merit.lines.get()), "status": "paid", "paid_on": dt.date(2025, 10, 6)}],
                  actor=Actor(user=w.who.lan))
    province = Unit.objects.get(edition="current", code="86")
    with CaptureQueriesContext(connection) as ctx:
        counts, note, key = indicators.fetch(province, Period.parse("2025-10"))
    assert len(ctx.captured_queries) <= 2
    commune = s.commune().pk
    assert counts["social_allowance_paid_recipients"] == {(commune, ""): 2.0}
    assert counts["social_allowance_paid_amount"] == {(commune, ""): 0.7}
    assert counts["merit_paid_recipients"] == {(commune, ""): 1.0}
    assert counts["merit_paid_amount"] == {(commune, ""): 2.0}
    assert key == "2025-10" and "10/2025" in note
    assert indicators.fetch(province, Period.parse("2025-11"))[0]["merit_paid_amount"] == {}
    assert indicators.fetch(Unit.objects.get(edition="current", code="01"), Period.parse("2025-10"))[0][
        "merit_paid_amount"] == {}
    got, _notes, _keys = fetch_all({"social_allowance_paid_amount"}, province, Period.parse("2025-10"))
    assert got["social_allowance_paid_amount"] == {(commune, ""): 0.7}


def test_it_ships_the_catalogue_rows_and_registers_the_provider(db) -> None:  # type: ignore[no-untyped-def]
    rows = Indicator.objects.filter(query__in=indicators.QUERIES)
    assert set(rows.values_list("query", flat=True)) == set(indicators.QUERIES)
    assert set(rows.values_list("source", flat=True)) == {"counted"}
    assert set(rows.values_list("over_time", flat=True)) == {"stock"}
    assert provider_for("merit_paid_amount") is indicators.PROVIDER
