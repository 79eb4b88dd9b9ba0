"""A commune officer's entitlement list and API cost what her commune holds: every query they run
on the people-served tables reaches the entitlements through an index (EXPLAIN), never by reading
the table whole; on PostgreSQL with sequential scans turned off for the test, as the register's
index tests do (`ansinh/households/tests/test_scope_indexes.py`)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ansinh.testing import bearer, login

from .pages_setup import beneficiaries, more_disabled, officers

pytestmark = pytest.mark.django_db

TABLES = ("benefits_entitlement", "households_member", "households_household")
SQLITE_FULL_SCAN = re.compile(r"\bSCAN (?:%s)\b" % "|".join(TABLES))
POSTGRES_FULL_SCAN = re.compile(r"Seq Scan on (?:%s)\b" % "|".join(TABLES))


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    found = officers()
    beneficiaries()
    more_disabled(5)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return found


def full_scans(plan: str) -> list[str]:
    pattern = POSTGRES_FULL_SCAN if connection.vendor == "postgresql" else SQLITE_FULL_SCAN
    return [line.strip() for line in plan.splitlines() if pattern.search(line)]


def explain_sql(sql: str) -> str:
    prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def entitlement_queries(client: Client, url: str, **headers: Any) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return [q["sql"] for q in captured.captured_queries
            if "benefits_entitlement" in q["sql"] and q["sql"].lstrip().startswith("SELECT")]


def test_it_reads_a_commune_officers_entitlements_through_an_index(who):  # type: ignore[no-untyped-def]
    client = login(Client(), who.lan)
    for url in ("/benefits/entitlements/", "/benefits/entitlements/?scheme=social_assistance",
                "/benefits/entitlements/?q=thach", "/benefits/entitlements/?status=all&month=2025-07"):
        queries = entitlement_queries(client, url)
        assert queries, url
        for sql in queries:
            plan = explain_sql(sql)
            assert not full_scans(plan), f"{url}: {sql}\n{plan}"


def test_it_reads_the_api_page_through_an_index(who):  # type: ignore[no-untyped-def]
    for sql in entitlement_queries(Client(), "/api/v1/entitlements/", **bearer(who.lan)):
        plan = explain_sql(sql)
        assert not full_scans(plan), f"{sql}\n{plan}"
