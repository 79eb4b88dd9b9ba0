"""The unemployment pages (nothing answers 500, scope, forms keep what was typed), the API, and the
counted indicators with their drill-down."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.labour.indicators_unemployment import fetch, records_url
from ansinh.labour.models import BaseSalary, DossierState, UnemploymentDossier
from ansinh.labour.unemployment import unemployment_decide
from ansinh.plans.periods import Period
from ansinh.testing import bearer, login

from .ui_helpers import communes, dossier, member, province, user

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def officer(client: Client):  # type: ignore[no-untyped-def]
    u = user(province(), "thu")
    login(client, u)
    return u


def test_it_shows_every_page_to_an_officer(client: Client, officer) -> None:  # type: ignore[no-untyped-def]
    d = dossier(member(communes(province())[0]))
    for name, args in [("unemployment-list", []), ("unemployment-due", []), ("unemployment-new", []),
                       ("unemployment-detail", [d.pk]), ("unemployment-import", []),
                       ("unemployment-calculator", []), ("unemployment-law", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    assert client.get(reverse("unemployment-import-template")).status_code == 200


def test_it_filters_and_answers_bad_parameters_without_500(client: Client, officer) -> None:  # type: ignore[no-untyped-def]
    first, second = communes(province())
    a = dossier(member(first, name="Nguyễn Thị Lan"))
    dossier(member(second, name="Thạch Văn Sóc"))
    unemployment_decide(actor=Actor.system(), dossier=a, decided_on=D(2025, 10, 20))
    url = reverse("unemployment-list")
    page = client.get(url, {"unit": first.pk, "period": "2025-Q4", "by": "decided", "state": "granted"})
    assert page.status_code == 200 and "Nguyễn Thị Lan" in page.content.decode() and "Thạch" not in page.content.decode()
    assert "Thạch Văn Sóc" in client.get(url, {"q": "thach van"}).content.decode()
    assert client.get(url, {"period": "2025-Q9"}).status_code == 400
    assert client.get(url, {"unit": "abc"}).status_code == 400
    assert client.get(url, {"unit": 999999999}).status_code == 400
    assert client.get(reverse("unemployment-detail", args=[999999])).status_code == 404
    assert client.get(reverse("unemployment-law-new", args=["nope"])).status_code == 404


def test_it_keeps_what_was_typed_and_receives(client: Client, officer) -> None:  # type: ignore[no-untyped-def]
    person = member(communes(province())[0], citizen_id="086190000777")
    data = {"citizen_id": "086190000777", "received_on": "2025-09-01", "employer_name": "Công ty May",
            "region": "", "contract_kind": "indefinite", "contract_end": "2025-09-15", "months_contributed": "30",
            "average_salary": "7000000"}
    response = client.post(reverse("unemployment-new"), data)
    assert response.status_code == 400 and "Công ty May" in response.content.decode()
    data["received_on"], data["region"] = "2025-10-01", "3"
    response = client.post(reverse("unemployment-new"), data)
    d = UnemploymentDossier.objects.get(person=person)
    assert response.status_code == 302 and d.created_by == officer and d.decision_due == D(2025, 10, 29)
    response = client.post(reverse("unemployment-decide", args=[d.pk]), {"decided_on": "2025-10-20"})
    d.refresh_from_db()
    assert d.state == DossierState.GRANTED and d.monthly_amount == 4_200_000
    detail = client.get(reverse("unemployment-detail", args=[d.pk])).content.decode()
    assert "Điều 50.1" in detail and "4.200.000" in detail


def test_it_hides_dossiers_outside_the_scope(client: Client) -> None:
    d = dossier(member(communes(province())[0]))
    login(client, user(province(), "ngheo", field="poverty"))
    assert client.get(reverse("unemployment-detail", args=[d.pk])).status_code == 404
    assert client.get(reverse("unemployment-new")).status_code == 403
    assert client.get(reverse("unemployment-calculator")).status_code == 200  # any signed-in user


def test_it_computes_on_the_calculator_page(client: Client, officer) -> None:  # type: ignore[no-untyped-def]
    url = reverse("unemployment-calculator")
    page = client.get(url, {"contract_end": "2025-12-31", "months": "48", "average_salary": "30000000",
                            "region": "1", "contract_kind": "indefinite", "state_pay_scale": "on",
                            "filed_on": "2026-01-05"}).content.decode()
    assert "11.700.000" in page and "Điều 50.1" in page and "38/2013/QH13" in page
    refused = client.get(url, {"contract_end": "2025-12-31", "months": "11", "average_salary": "30000000",
                               "region": "1", "contract_kind": "indefinite"})
    assert "cần đủ 12 tháng" in refused.content.decode()
    assert client.get(url, {"months": "x"}).status_code == 400


def test_it_lets_only_administrators_change_the_law(client: Client, officer) -> None:  # type: ignore[no-untyped-def]
    base = BaseSalary.objects.get(valid_from=D(2024, 7, 1))
    url = reverse("unemployment-law-edit", args=["base", base.pk])
    assert client.get(url).status_code == 403
    from ansinh.accounts.services import user_create
    from ansinh.geo.models import Unit

    admin = user_create(username="quantri", password="correct-horse-battery", role="admin",
                        unit=Unit.objects.get(level=0), field="")
    login(client, admin)
    response = client.post(url, {"amount": "2340001", "valid_from": "2024-07-01", "valid_to": "2026-06-30",
                                 "legal_basis": "Nghị định 73/2024/NĐ-CP", "provisional": "on"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    base.refresh_from_db()
    assert base.amount == 2_340_001
    event = AuditEvent.objects.get(action=AuditAction.LABOUR_LAW_SAVE)
    assert event.before["amount"] == 2_340_000 and event.after["amount"] == 2_340_001


def test_it_lets_an_administrator_set_the_region_of_any_commune_of_the_country(client: Client) -> None:
    """Decree 293/2025 sets wage regions by commune: the list of units is not cut (it was at 2.000)."""
    from ansinh.accounts.services import user_create
    from ansinh.geo.models import Edition, Level, Unit
    from ansinh.labour.models import WageRegionUnit

    admin = user_create(username="quantri", password="correct-horse-battery", role="admin",
                        unit=Unit.objects.get(level=0), field="")
    login(client, admin)
    last = Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE).order_by("-sort_key").first()
    assert last is not None
    response = client.post(reverse("unemployment-law-new", args=["region"]), {
        "unit": str(last.pk), "region": "2", "valid_from": "2026-01-01", "valid_to": "",
        "legal_basis": "Nghị định 293/2025/NĐ-CP"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert WageRegionUnit.objects.get(unit=last).region == 2


def test_it_counts_granted_dossiers_and_amounts_by_decision_date() -> None:
    first, second = communes(province())
    granted = [dossier(member(first)), dossier(member(first)), dossier(member(second))]
    for d in granted:
        unemployment_decide(actor=Actor.system(), dossier=d, decided_on=D(2025, 10, 20))
    refused = dossier(member(first), months=11)
    unemployment_decide(actor=Actor.system(), dossier=refused, decided_on=D(2025, 10, 20))
    dossier(member(first))  # not decided
    counts, note, key = fetch(province(), Period.parse("2025-Q4"))
    assert counts["unemployment_dossiers"] == {(first.pk, ""): 2.0, (second.pk, ""): 1.0}
    assert counts["unemployment_amount"][(first.pk, "")] == pytest.approx(2 * 19.2)
    assert fetch(province(), Period.parse("2025-Q3"))[0]["unemployment_dossiers"] == {}
    url = records_url("unemployment_dossiers", first, "", key)
    assert url is not None and "period=2025-Q4" in url and f"unit={first.pk}" in url and "state=awarded" in url
    from ansinh.labour.unemployment import StopReason, unemployment_stop

    unemployment_stop(actor=Actor.system(), dossier=granted[0], on=D(2025, 11, 2), reason=StopReason.FOUND_JOB)
    counts, _, _ = fetch(province(), Period.parse("2025-Q4"))
    assert counts["unemployment_dossiers"][(first.pk, "")] == 2.0  # granted then, stopped since: still counted
    admin = user(province(), "thu")
    client = Client()
    login(client, admin)
    page = client.get(url).content.decode()
    assert "2 hồ sơ" in page


def test_it_answers_the_api(client: Client) -> None:
    officer = user(province(), "thu")
    person = member(communes(province())[0], citizen_id="086190000888")
    headers = bearer(officer)
    created = client.post("/api/v1/labour/unemployment/", {
        "citizen_id": "086190000888", "received_on": "2025-10-01", "employer_name": "A", "region": 3,
        "contract_end": "2025-09-15", "months_contributed": 48, "average_salary": 8000000},
        content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    assert created.json()["decision_due"] == "2025-10-29"
    listed = client.get("/api/v1/labour/unemployment/", {"state": "received"}, **headers).json()
    assert [row["person"] for row in listed["results"]] == [person.pk]
    assert client.get("/api/v1/labour/unemployment/", {"period": "bad"}, **headers).status_code == 400
    assert client.get("/api/v1/labour/unemployment/", {"by": "AAA"}, **headers).status_code == 400
    benefit = client.get("/api/v1/labour/ui-benefit", {"contract_end": "2025-12-31", "months": 48,
                                                       "average_salary": 30000000, "region": 1,
                                                       "state_pay_scale": "true"}, **headers).json()
    assert benefit["monthly"] == 11_700_000 and benefit["months"] == 4 and benefit["steps"]
    outsider = bearer(user(province(), "ngheo", field="poverty"))
    assert client.get("/api/v1/labour/unemployment/", **outsider).json()["results"] == []
    assert client.post("/api/v1/labour/unemployment/", {"citizen_id": "086190000888"}, content_type="application/json",
                       **outsider).status_code == 400


def test_it_lists_with_a_constant_number_of_queries(client: Client, officer) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    commune = communes(province())[0]
    url = reverse("unemployment-list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"period": "2025", "unit": province().pk}).status_code == 200
        return len(queries)

    dossier(member(commune))
    few = count()
    for _ in range(5):
        dossier(member(commune))
    assert count() == few
    with CaptureQueriesContext(connection) as api:
        client.get("/api/v1/labour/unemployment/")
    assert len(api) < 20
