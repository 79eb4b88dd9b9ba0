"""Payroll lines carry only the indexes their queries use (a province's month inserts some 70.000
lines per 300.000 households, and each index is paid on every one of them): no index that another
one starts with, a partial index for the lines not collected (none is new), and every query that reads
lines — the engine's, the results', the lists', the deletions' foreign-key checks — planned with
one of them (EXPLAIN on SQLite)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from ansinh.payments import payroll as engine
from ansinh.payments.models import UNPAID, PayrollLine

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")


def _indexes() -> dict[str, Any]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, PayrollLine._meta.db_table)


def _plan(sql: str, params: tuple | list = ()) -> str:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


def _query_plan(queryset) -> str:  # type: ignore[no-untyped-def]
    sql, params = queryset.query.sql_with_params()
    return _plan(sql, params)


def test_it_keeps_no_index_another_one_starts_with() -> None:
    found = _indexes()
    for column in ("payroll_id", "person_id", "commune_id"):
        own = {name for name, c in found.items() if c["columns"] == [column] and c["index"] and not c["primary_key"]}
        assert not own, f"{column} has an index of its own ({own}): another index starts with it"
    # A deleted line or result file is checked by PostgreSQL with a prepared `$1 = column`, which it
    # does not match to a partial index: these two keep a plain one.
    for column in ("carried_from_id", "result_id"):
        assert any(c["columns"] == [column] and c["index"] and not c["unique"] for c in found.values()), column
    assert {"payments_month_paid_once", "payments_line_once_per_payroll", "payments_carried_once",
            "payments_line_person_month", "payments_line_commune_month", "payments_line_unpaid"} <= set(found)
    assert found["payments_month_paid_once"]["unique"]
    assert found["payments_line_once_per_payroll"]["columns"][0] == "payroll_id"
    assert found["payments_line_person_month"]["columns"][0] == "person_id"
    assert found["payments_line_commune_month"]["columns"][0] == "commune_id"


@sqlite_only
def test_it_plans_every_query_reading_lines_with_an_index() -> None:
    communes, persons, month = [1, 2], [3, 4], dt.date(2026, 11, 1)
    plans = {
        # the engine: the month's lines paid elsewhere, the booked lines by person, the lines of
        # the payrolls read back, the unpaid lines to carry and whether they were carried
        "payments_line_once_per_payroll|sqlite_autoindex_payments_payrollline_1": PayrollLine.objects.filter(
            payroll_id__in=[5, 6], kind="month", scheme__in=["social_assistance"]).values_list("person_id"),
        "payments_line_person_month": PayrollLine.objects.filter(
            person_id__in=persons, scheme__in=["social_assistance"], for_month__gte=month).values_list("pk"),
        "payments_line_unpaid": PayrollLine.objects.filter(
            engine._unpaid(), commune_id__in=communes, for_month__gte=month).values_list("pk"),
        "payments_carried_once|payments_payrollline_carried_from_id": PayrollLine.objects.filter(
            carried_from_id__in=[7, 8]).values_list("pk"),
        "payments_payrollline_result_id": PayrollLine.objects.filter(result_id__in=[9]).values_list("pk"),
        # the counted indicators
        "payments_line_commune_month ": PayrollLine.objects.filter(
            commune_id__in=communes, payroll__month=month, status__in=["paid"]).values_list("commune_id"),
    }
    for index, queryset in plans.items():
        plan = _query_plan(queryset.order_by())
        assert any(f"INDEX {name.strip()}" in plan for name in index.split("|")), (index, plan)
    # Without the written-out condition, SQLite cannot match the partial index to a bound parameter.
    plain = _query_plan(PayrollLine.objects.filter(status__in=UNPAID, commune_id__in=communes).values_list("pk")
                        .order_by())
    assert "payments_line_unpaid" not in plain


@sqlite_only
def test_it_reads_the_entitlements_decided_or_stopped_in_the_window_by_their_indexes() -> None:
    """`_looked_at` reads a tenth of a province's entitlements: by `benefits_ent_decided` and
    `benefits_ent_stopped`, not by reading them all."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        engine._looked_at([1, 2], ("social_assistance",), dt.date(2025, 11, 1))
    reads = [q["sql"] for q in seen.captured_queries if "benefits_entitlement" in q["sql"]]
    plans = []
    for sql in reads[:2]:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plans.append(" / ".join(str(row[-1]) for row in cursor.fetchall()))
    assert "INDEX benefits_ent_decided" in plans[0] and "INDEX benefits_ent_stopped" in plans[1], plans


@sqlite_only
def test_it_checks_foreign_keys_of_deleted_rows_through_an_index() -> None:
    """Deleting a person, an entitlement, a line or a result file checks the lines referring to
    it (SQLite's foreign keys, Django's collector): through an index, never a scan of the lines."""
    for table, index in (("households_member", "payments_line_person_month"),
                         ("benefits_entitlement", "payments_payrollline_entitlement_id"),
                         ("payments_payrollline", "payments_carried"),
                         ("payments_resultimport", "payments_payrollline_result_id")):
        plan = _plan(f"DELETE FROM {table} WHERE id = %s", [1])
        assert index in plan and "SCAN payments_payrollline" not in plan, (table, plan)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's generic plans")
def test_it_checks_foreign_keys_through_an_index_on_postgresql() -> None:
    """PostgreSQL checks a foreign key with a prepared `$1 = column` (a generic plan): it must find
    an index there too, else every deleted row scans the lines."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        for column in ("carried_from_id", "result_id", "payroll_id", "person_id", "commune_id", "entitlement_id",
                       "hamlet_id"):
            name = f"perf_{column}"
            cursor.execute(f"PREPARE {name}(bigint) AS SELECT 1 FROM ONLY payments_payrollline x "
                           f"WHERE $1 OPERATOR(pg_catalog.=) {column} FOR KEY SHARE OF x")
            cursor.execute(f"EXPLAIN EXECUTE {name}(1)")
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute(f"DEALLOCATE {name}")
            assert "Seq Scan on payments_payrollline" not in plan, (column, plan)
