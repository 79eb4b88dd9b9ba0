"""A commune's month reads what the commune holds: the month's query reaches the entitlements
through their index on the paying commune and the people by primary key (no full read of the
entitlements or of the register's members). Read with EXPLAIN: SQLite plans without statistics of
these tables, so its plan on the test data is its plan on a province; PostgreSQL plans by cost, so
there sequential scans are turned off for the test's transaction (a `Seq Scan` then remains only
where no index serves the filter)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection

from ansinh.accounts.audit import Actor
from ansinh.benefits import services
from ansinh.benefits.access import entitlements_for_user
from ansinh.benefits.monthly import _active, _query
from ansinh.households import services as register
from ansinh.testing import make_household

pytestmark = pytest.mark.django_db

TABLES = ("benefits_entitlement", "households_member")
SQLITE_FULL_SCAN = re.compile(r"\bSCAN (?:%s)\b" % "|".join(TABLES))
POSTGRES_FULL_SCAN = re.compile(r"Seq Scan on (?:%s)\b" % "|".join(TABLES))


def test_it_reads_a_communes_month_through_the_indexes(people: Any, units: Any) -> None:
    actor = Actor(user=people.lan)
    household = make_household(actor, units.tra_cu, "PLAN-1")
    person = register.member_add(actor=actor, household=household, full_name="Kế Hoạch Thị", sex="female",
                                 birth_date=dt.date(1950, 1, 1), relation="other")
    services.create_entitlement(actor, person, "sa_disability_severe", decision_number="1/QĐ",
                                decision_date=dt.date(2025, 8, 1))
    month = dt.date(2025, 9, 1)
    sql, params = _query(_active(entitlements_for_user(people.lan), month, month), dated=False).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())
    pattern = POSTGRES_FULL_SCAN if connection.vendor == "postgresql" else SQLITE_FULL_SCAN
    assert [line for line in plan.splitlines() if pattern.search(line)] == [], plan
