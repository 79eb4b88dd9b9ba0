"""API /api/v1/entitlements/: the page's filters, scope by field, masked citizen IDs in the list,
the detail's lines with the rule behind each, bad parameters answered 400/404, and a constant
number of queries per page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.models import AuditEvent
from ansinh.benefits import monthly
from ansinh.benefits.forms_pages import this_month
from ansinh.benefits.models import Entitlement
from ansinh.testing import bearer

from .pages_setup import beneficiaries, more_disabled, officers

pytestmark = pytest.mark.django_db
URL = "/api/v1/entitlements/"


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    return officers()


@pytest.fixture
def people(who):  # type: ignore[no-untyped-def]
    return beneficiaries()


def names(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {row["person"]["full_name"] for row in response.json()["results"]}


def get(user, path: str = URL, **params):  # type: ignore[no-untyped-def]
    return Client().get(path, params, **bearer(user))


def test_it_scopes_the_list_by_unit_and_field(who, people):  # type: ignore[no-untyped-def]
    assert names(get(who.lan)) == {"Thạch Văn Sóc", "Nguyễn Thị Ba", "Lê Văn Dũng"}
    assert names(get(who.an)) == {"Thạch Văn Sóc", "Nguyễn Thị Ba"}
    assert names(get(who.cong)) == {"Lê Văn Dũng"}
    assert names(get(who.lao)) == set()
    assert names(get(who.bao)) == {"Thạch Văn Sóc", "Nguyễn Thị Ba", "Lê Văn Dũng"}
    assert names(get(who.binh)) == {"Trần Văn Hà"}


def test_it_filters_like_the_page(who, people, units):  # type: ignore[no-untyped-def]
    assert names(get(who.lan, scheme="meritorious")) == {"Lê Văn Dũng"}
    assert names(get(who.lan, category="social_pension")) == {"Nguyễn Thị Ba"}
    assert names(get(who.lan, q="thach van soc")) == {"Thạch Văn Sóc"}
    assert names(get(who.lan, q="084148000002")) == {"Nguyễn Thị Ba"}
    assert names(get(who.lan, commune=str(units.tra_cu.pk))) == {"Thạch Văn Sóc", "Nguyễn Thị Ba", "Lê Văn Dũng"}
    assert names(get(who.an, province=str(units.vinh_long.pk))) == {"Thạch Văn Sóc", "Nguyễn Thị Ba"}
    assert names(get(who.lan, month="2025-07")) == {"Thạch Văn Sóc", "Lê Văn Dũng"}
    assert names(get(who.lan, month="2025-07", status="all")) == {"Thạch Văn Sóc", "Nguyễn Thị Ba", "Lê Văn Dũng"}
    assert names(get(who.lan, status="stopped")) == set()


def test_it_answers_bad_parameters_clearly(who, people, units):  # type: ignore[no-untyped-def]
    for params in ({"scheme": "pension"}, {"status": "paid"}, {"month": "2025-13"}, {"commune": "abc"},
                   {"page_size": "5000"}, {"month": ""}):
        response = get(who.lan, **params)
        assert response.status_code == 400, (params, response.content)
    assert get(who.lan, commune=str(units.ba_dinh.pk)).status_code == 404  # outside her units
    assert get(who.lan, f"{URL}{people.elsewhere.pk}").status_code == 404
    assert get(who.an, f"{URL}{people.invalid.pk}").status_code == 404  # merit: not her field
    assert Client().get(URL).status_code in (401, 403)


def test_it_masks_citizen_ids_in_the_list_and_audits_the_full_ones(who, people):  # type: ignore[no-untyped-def]
    rows = get(who.lan).json()["results"]
    assert all(row["person"]["citizen_id"] is None or row["person"]["citizen_id"].startswith("•") for row in rows)
    detail = get(who.lan, f"{URL}{people.disability.pk}").json()
    assert detail["person"]["citizen_id"] == "084070000001"
    assert AuditEvent.objects.filter(action="personal_data.read", object_id=str(people.disability.pk)).exists()
    leader = get(who.bao, f"{URL}{people.disability.pk}").json()
    assert leader["person"]["citizen_id"].endswith("001") and leader["person"]["citizen_id"] != "084070000001"


def test_it_gives_the_months_lines_with_the_rule_behind_each(who, people):  # type: ignore[no-untyped-def]
    detail = get(who.lan, f"{URL}{people.invalid.pk}").json()
    lines = monthly.month_lines(Entitlement.objects.filter(person=people.dung), this_month())
    assert detail["month"] == this_month().isoformat()
    assert detail["month_amount"] == sum(line.amount for line in lines if line.paid)
    assert detail["lines"] and all(line["text"] and line["legal_basis"] for line in detail["lines"])
    assert detail["lines"][0]["category"] == "merit_war_invalid" and detail["rate"] == 61
    row = next(r for r in get(who.lan).json()["results"] if r["id"] == people.invalid.pk)
    assert row["month_amount"] == detail["month_amount"]


def test_it_reads_a_page_in_a_constant_number_of_queries(who, people):  # type: ignore[no-untyped-def]
    headers = bearer(who.lan)
    client = Client()
    client.get(URL, **headers)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, **headers).status_code == 200
    more_disabled(15)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, **headers)
    assert response.json()["count"] == 18
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(client.get(URL, {"page_size": "5"}, **headers).json()["results"]) == 5
