"""/api/v1/packages/: scoped list and detail with tiers and totals; creation for those who may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ansinh.benefits import services as benefits
from ansinh.benefits.tests.pages_setup import SYSTEM, officers, person
from ansinh.payments.models import Package
from ansinh.payments.packages import TierSpec, create_package
from ansinh.testing import bearer

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 1, 20)
BODY = {"name": "Quà Tết người có công 2026", "unit": "29461", "date": "2026-01-20", "purpose": "tet",
        "field": "meritorious", "tiers": [
            {"name": "Mức 300.000", "rule": "category", "per": "person", "central": 300000,
             "params": {"codes": ["merit_war_invalid"]}},
            {"name": "Từ 81%", "rule": "category", "per": "person", "central": 600000,
             "params": {"codes": ["merit_war_invalid"], "min_rate": 81}}]}


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    staff = officers()
    invalid = person("TC-1", "Lê Văn Dũng", dt.date(1950, 1, 9), citizen_id="084050000003")
    benefits.create_entitlement(SYSTEM, invalid, "merit_war_invalid", decision_number="3/QĐ",
                                decision_date=dt.date(2024, 2, 1), rate=85, recognised_on=dt.date(2024, 1, 15))
    return staff


def test_it_creates_a_package_once_for_those_who_may(who) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post("/api/v1/packages/", BODY, content_type="application/json", **bearer(who.cong))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["recipients"] == 1 and data["total"] == 600_000
    assert [t["words"] for t in data["tiers"]][1].endswith("từ 81% trở lên")
    assert data["totals"]["central"] == 600_000 and data["totals"]["by_status"]["pending"]["recipients"] == 1
    again = client.post("/api/v1/packages/", BODY, content_type="application/json", **bearer(who.cong))
    assert again.status_code == 200 and again.json()["id"] == data["id"] and Package.objects.count() == 1
    # Those who may not: another field, a reader, an outsider.
    for user in (who.an, who.bao, who.binh):
        refused = client.post("/api/v1/packages/", BODY, content_type="application/json", **bearer(user))
        assert refused.status_code in (400, 403)
    bad = client.post("/api/v1/packages/", {**BODY, "tiers": []}, content_type="application/json", **bearer(who.cong))
    assert bad.status_code == 400
    bad = client.post("/api/v1/packages/", {**BODY, "date": "20/01/2026"}, content_type="application/json",
                      **bearer(who.cong))
    assert bad.status_code == 400 and "date" in bad.json()
    assert Package.objects.count() == 1


def test_it_lists_and_shows_packages_in_scope(who, units) -> None:  # type: ignore[no-untyped-def]
    package, _ = create_package(name="Quà Tết", purpose="tet", field="meritorious", unit=units.tra_cu, on=ON,
                                actor=SYSTEM, tiers=[TierSpec(name="M", rule="category",
                                                              params={"codes": ["merit_war_invalid"]}, per="person",
                                                              local=300_000)])
    client = Client()
    listed = client.get("/api/v1/packages/", **bearer(who.cong)).json()
    assert [p["id"] for p in listed["results"]] == [package.pk]
    assert client.get("/api/v1/packages/", **bearer(who.binh)).json()["results"] == []
    assert client.get("/api/v1/packages/", {"purpose": "covid"}, **bearer(who.cong)).json()["results"] == []
    assert client.get("/api/v1/packages/", {"purpose": "nope"}, **bearer(who.cong)).status_code == 400
    assert client.get("/api/v1/packages/", {"from": "x"}, **bearer(who.cong)).status_code == 400
    detail = client.get(f"/api/v1/packages/{package.pk}", **bearer(who.lan)).json()
    assert detail["totals"]["recipients"] == 1 and detail["totals"]["local"] == 300_000
    assert detail["tiers"][0]["words"].startswith("Người đang hưởng trợ cấp")
    assert client.get(f"/api/v1/packages/{package.pk}", **bearer(who.binh)).status_code == 404
    assert client.get(f"/api/v1/packages/{package.pk}").status_code in (401, 403)
