"""A commune officer's pages cost what her commune holds, not what the province holds: the scope
filter reaches the households, members and assessments through their index on the commune.

The plans are read with EXPLAIN. SQLite plans without statistics of the register's tables (only
the map's, written by `geo load`), so its plan on this small test data is the plan it makes on a
province of 300,000 households: the test asserts that no register table is SCANned (read whole,
in table or index order). PostgreSQL plans by cost, and with a few rows a sequential scan is the
cheapest whatever the indexes: there the test turns sequential scans off for its transaction
(`SET LOCAL enable_seqscan = off`), which leaves a `Seq Scan` in the plan only where no index can
serve the filter. The map's table counts too (no full read of its 14,000 units). The checks fail
on the filter this replaced (`commune__path__startswith`) on SQLite, whose LIKE uses no index.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ansinh import testing
from ansinh.accounts import access as core_access
from ansinh.accounts.access import audit_events_for_user, get_scope, own_units_for_user, units_for_user, users_for_user
from ansinh.accounts.audit import Actor
from ansinh.geo.services import hamlet_create
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.access import households_for_user, households_in_unit, members_for_user
from ansinh.households.models import Household
from ansinh.poverty import services as poverty_services
from ansinh.poverty.access import assessments_for_user
from ansinh.testing import login

pytestmark = pytest.mark.django_db

REGISTER_TABLES = ("households_household", "households_member", "households_assessment")
# The map too: a filter that reads every unit to find a commune's costs the country's 14,000 units.
SCANNED = (*REGISTER_TABLES, "geo_unit")
SQLITE_FULL_SCAN = re.compile(r"\bSCAN (?:%s)\b" % "|".join(SCANNED))
POSTGRES_FULL_SCAN = re.compile(r"Seq Scan on (?:%s)\b" % "|".join(SCANNED))


def other_commune(units: Any) -> Unit:
    """A commune of Vĩnh Long other than Trà Cú: outside Lan's scope, inside Minh's."""
    return (Unit.objects.subtree(units.vinh_long).filter(edition=Edition.CURRENT, level=Level.COMMUNE)
            .exclude(pk=units.tra_cu.pk).order_by("code").first())


@pytest.fixture
def register(people: Any, units: Any) -> Any:
    """Two households in Trà Cú, one in another commune of Vĩnh Long, and the province's round."""
    testing.make_household(people.lan, units.tra_cu, "TC-1")
    testing.make_household(people.lan, units.tra_cu, "TC-2", income=3_500_000)
    testing.make_household(people.minh, other_commune(units), "OT-1")
    round_ = poverty_services.review_round_open(actor=people.minh, unit=units.vinh_long, year=2025)
    poverty_services.review_round_run(round=round_, actor=people.minh)
    return round_


@pytest.fixture
def no_seq_scans() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # until the test's transaction rolls back


def full_scans(plan: str) -> list[str]:
    pattern = POSTGRES_FULL_SCAN if connection.vendor == "postgresql" else SQLITE_FULL_SCAN
    return [line.strip() for line in plan.splitlines() if pattern.search(line)]


def explain(queryset: QuerySet[Any]) -> str:
    return queryset.explain()


def explain_sql(sql: str) -> str:
    """The plan of a query a page ran (as captured: its parameters written in)."""
    prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def page_queries(client: Client, url: str) -> list[str]:
    """The queries of a page that read the register."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries
            if any(table in query["sql"] for table in REGISTER_TABLES) and query["sql"].lstrip().startswith("SELECT")]


# --- Querysets of the access layer -----------------------------------------------------------------


def test_it_reads_a_commune_officers_households_members_and_assessments_through_an_index(people, register,
                                                                                        no_seq_scans):
    lan = people.lan
    querysets = {
        "households": households_for_user(lan).filter(status="active").order_by("sort_key", "code")[:50],
        "households (count)": households_for_user(lan).filter(status="active").values("pk"),
        "members": members_for_user(lan).order_by("pk")[:50],
        "assessments of a round": assessments_for_user(lan).filter(round=register).order_by("pk"),
        "the round's poor": assessments_for_user(lan).filter(round=register, status="poor").values("commune_id"),
    }
    for name, queryset in querysets.items():
        plan = explain(queryset)
        assert not full_scans(plan), f"{name}: {plan}"


def test_it_reads_a_commune_officers_household_list_through_an_index(client, people, register, no_seq_scans):
    login(client, people.lan)
    urls = ["/households/", "/households/?status=poor", "/households/?q=thach", f"/households/?round={register.pk}",
            f"/households/?commune={people.lan.roles.get().unit_id}"]
    for url in urls:
        queries = page_queries(client, url)
        assert any("households_household" in sql for sql in queries), url
        for sql in queries:
            plan = explain_sql(sql)
            assert not full_scans(plan), f"{url}: {sql}\n{plan}"


def test_it_the_old_filter_scanned_on_sqlite(people, register):
    """The checks above can fail: a prefix match over the join reads every household on SQLite
    (without the map's statistics) or every unit of the map (with them)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL serves LIKE 'prefix%' from Django's varchar_pattern_ops index on the path")
    old = Household.objects.filter(commune__path__startswith=people.lan.roles.get().unit.path)
    assert full_scans(explain(old))


def test_it_matches_a_communes_records_by_the_ids_of_its_subtree(people, units, monkeypatch):
    """A commune officer's filter names her commune and its hamlets outright, a provincial
    officer's her province's units; a subtree larger than MAX_INLINE_IDS is read from the path
    index in a subquery."""
    hamlet = hamlet_create(actor=Actor.system(), commune=units.tra_cu, name="Ấp Một", kind="ap")
    lan_filter = get_scope(people.lan).data_filter("commune")
    assert lan_filter == Q(commune__in=[units.tra_cu.pk, hamlet.pk])
    province_ids = set(Unit.objects.filter(path__startswith=units.vinh_long.path).values_list("pk", flat=True))
    minh_filter = get_scope(people.minh).data_filter("commune")
    assert set(dict(minh_filter.children)["commune__in"]) == province_ids
    monkeypatch.setattr(core_access, "MAX_INLINE_IDS", len(province_ids) - 1)
    people.minh._ansinh_scope = None  # the scope is cached on the user for the request
    where = str(households_for_user(people.minh).query).split("WHERE", 1)[1]
    assert '"commune_id" IN (SELECT' in where
    if connection.vendor == "sqlite":  # the path range, not a LIKE no index serves
        assert "LIKE" not in where and ">=" in where


# --- The same rows as before -------------------------------------------------------------------------


def old_under(paths: Any, prefix: str = "") -> Q:
    """The filter this replaced: a prefix match on the unit's path (over the join)."""
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def test_it_finds_the_same_records_as_the_prefix_match(people, units, register, monkeypatch):
    """Every scoped queryset (households, members, assessments, units, users, audit events) holds
    the same rows as with the prefix match, for each role: national, province, commune, outsider."""
    testing.make_household(people.binh, units.ba_dinh, "BD-1")

    def rows(user: Any) -> dict[str, set[Any]]:
        found = {
            "households": set(households_for_user(user).values_list("pk", flat=True)),
            "in Trà Cú": set(households_in_unit(households_for_user(user), units.tra_cu).values_list("pk", flat=True)),
            "members": set(members_for_user(user).values_list("pk", flat=True)),
            "assessments": set(assessments_for_user(user).values_list("pk", flat=True)),
            "units": set(units_for_user(user).values_list("pk", flat=True)),
            "own units": set(own_units_for_user(user).values_list("pk", flat=True)),
            "users": set(users_for_user(user).values_list("pk", flat=True)),
        }
        if get_scope(user).can_read_audit:
            found["audit"] = set(audit_events_for_user(user).values_list("pk", flat=True))
            found["audit of Trà Cú"] = set(audit_events_for_user(user, unit=units.tra_cu).values_list("pk", flat=True))
        return found

    people_ = [people.lan, people.binh, people.minh, people.bao, people.hoa, people.duc, people.tung]
    new = {}
    for user in people_:
        user._ansinh_scope = None
        new[user.username] = rows(user)
    assert new["lan"]["households"] and new["minh"]["households"] > new["lan"]["households"]

    def old_filter(self: Any, assignments: Any, unit_field: str) -> Q:
        if any(a.unit.level == Level.COUNTRY for a in assignments):
            return Q()
        return old_under([a.unit.path for a in assignments], f"{unit_field}__" if unit_field else "")

    monkeypatch.setattr(core_access, "under", old_under)
    monkeypatch.setattr(core_access.Scope, "_filter", old_filter)
    for user in people_:
        user._ansinh_scope = None
        assert rows(user) == new[user.username], user.username


# --- The name search on PostgreSQL -----------------------------------------------------------------


def test_it_searches_names_through_the_trigram_index_on_postgresql(people: Any, register: Any,
                                                                  no_seq_scans: None) -> None:
    """A search for a word anywhere in the name (`LIKE '%…%'`) over many communes reads the trigram
    index (migration households 0010), not every row. (With a commune list to start from, the
    planner may as well read the communes' rows through their index; words under three letters
    have no trigram and are filtered.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no trigram index: its search scans (a commune officer's, her commune's rows).")
    found = Household.objects.search("trà")  # a national search: no commune to start from; 3 letters at least
    plan = explain(found)
    assert "households_household_search_trgm" in plan, plan
    assert not [line for line in full_scans(plan) if "households_household" in line], plan
