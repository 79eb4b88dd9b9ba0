"""API /api/v1/payrolls/: scoped by unit and field, filtered like the page, a payroll with its
lines, accounts masked for readers, bad parameters 400, outsiders 404."""

from __future__ import annotations

import pytest
from django.test import Client

from ansinh.payments import payroll as engine
from ansinh.payments.models import PaymentMethod
from ansinh.testing import bearer

from .payroll_setup import MERIT, SA, actor, beneficiaries, month, officers, tra_cu

pytestmark = pytest.mark.django_db
URL = "/api/v1/payrolls/"


@pytest.fixture
def made(db):  # type: ignore[no-untyped-def]
    who = officers()
    people = beneficiaries()
    PaymentMethod.objects.create(person=people.soc, channel="bank", bank_name="Agribank", account_number="710020501234")
    sa = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    merit = engine.compute(commune=tra_cu(), month=month(2025, 10), field=MERIT, actor=actor(who.lan))
    return who, people, sa, merit


def get(user, path: str = URL, **params):  # type: ignore[no-untyped-def]
    return Client().get(path, params, **bearer(user))


def test_it_scopes_the_list_by_unit_and_field(made):  # type: ignore[no-untyped-def]
    who, _people, sa, merit = made
    ids = lambda r: {row["id"] for row in r.json()["results"]}  # noqa: E731
    assert ids(get(who.lan)) == {sa.pk, merit.pk}
    assert ids(get(who.an)) == {sa.pk}
    assert ids(get(who.cong)) == {merit.pk}
    assert ids(get(who.binh)) == set() and ids(get(who.lao)) == set()
    row = next(r for r in get(who.an).json()["results"])
    assert (row["lines_count"], row["total"], row["commune"]["name"]) == (2, sa.total, tra_cu().name)


def test_it_filters_and_refuses_bad_parameters(made):  # type: ignore[no-untyped-def]
    who, _people, sa, _merit = made
    assert [r["id"] for r in get(who.lan, field=SA, month="2025-10", state="draft").json()["results"]] == [sa.pk]
    assert get(who.lan, month="2025-11").json()["results"] == []
    for bad in ({"month": "x"}, {"field": "x"}, {"state": "x"}, {"commune": "x"}):
        response = get(who.lan, **bad)
        assert response.status_code == 400 and response["Content-Type"] == "application/json"


def test_it_gives_a_payroll_with_its_lines_and_masks_accounts(made):  # type: ignore[no-untyped-def]
    who, people, sa, _merit = made
    body = get(who.lan, f"{URL}{sa.pk}").json()
    assert body["lines_count"] == len(body["lines"]) == 2
    soc = next(line for line in body["lines"] if line["person"]["id"] == people.soc.pk)
    assert soc["account_number"] == "710020501234" and soc["kind"] == "month" and soc["rule"]
    read = get(who.bao, f"{URL}{sa.pk}").json()
    assert next(line for line in read["lines"] if line["person"]["id"] == people.soc.pk)["account_number"] == \
        "••••••••1234"
    assert get(who.binh, f"{URL}{sa.pk}").status_code == 404
    assert get(who.cong, f"{URL}{sa.pk}").status_code == 404
    assert Client().get(f"{URL}{sa.pk}").status_code == 401
