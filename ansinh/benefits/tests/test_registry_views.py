"""The dossier and proposal pages and the dossiers' API: scope (404 outside, 403 for a role that
may not change), the workflow through the forms, and Vietnamese errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.benefits import services
from ansinh.benefits.models import Dossier, Entitlement, Proposal
from ansinh.households import services as register
from ansinh.households.models import Member
from ansinh.testing import bearer, login, make_household, vi

D = dt.date


@pytest.fixture
def setup(people: Any, units: Any) -> Any:
    from types import SimpleNamespace

    from ansinh.accounts.services import unit_for_role, user_create

    actor = Actor(user=people.lan)
    household = make_household(actor, units.tra_cu, "HH-DOS-1")
    person = register.member_add(actor=actor, household=household, full_name="Trần Thị Bé", sex="female",
                                 birth_date=D(1940, 2, 10), relation="other")
    dossier = services.receive_dossier(actor, kind="start", person=person, scheme="social_assistance",
                                       category_code="sa_disability_severe", received_on=D(2025, 8, 27))
    province = unit_for_role(role="provincial_officer", code="86")
    sa_officer = user_create(username="thu", password="correct-horse-battery", role="provincial_officer",
                             unit=province, field="social_assistance")
    merit_officer = user_create(username="cong", password="correct-horse-battery", role="provincial_officer",
                                unit=province, field="meritorious")
    labour_officer = user_create(username="lao", password="correct-horse-battery", role="provincial_officer",
                                 unit=province, field="labour")
    return SimpleNamespace(actor=actor, household=household, person=person, dossier=dossier, sa=sa_officer,
                           merit=merit_officer, labour=labour_officer)


def client_for(user: User) -> Client:
    return login(Client(), user)


def test_it_lists_a_communes_dossiers_with_filters(people: Any, setup: Any) -> None:
    page = client_for(people.lan).get(reverse("benefit-dossier-list"), {"status": "received", "due": "overdue"})
    assert page.status_code == 200
    assert f"#{setup.dossier.pk}" in page.content.decode()
    assert f"#{setup.dossier.pk}" not in client_for(people.lan).get(
        reverse("benefit-dossier-list"), {"status": "decided"}).content.decode()
    assert f"#{setup.dossier.pk}" in client_for(setup.sa).get(reverse("benefit-dossier-list")).content.decode()
    for outsider in (people.binh, setup.merit, setup.labour):
        assert f"#{setup.dossier.pk}" not in client_for(outsider).get(reverse("benefit-dossier-list")).content.decode()


def test_it_hides_a_dossier_outside_the_users_scope(people: Any, setup: Any) -> None:
    url = reverse("benefit-dossier-detail", args=[setup.dossier.pk])
    assert client_for(people.lan).get(url).status_code == 200
    assert client_for(setup.sa).get(url).status_code == 200
    for outsider in (people.binh, setup.merit, setup.labour):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(reverse("benefit-dossier-check", args=[setup.dossier.pk]),
                                         {"on": "2025-08-28"}).status_code == 404
    assert client_for(setup.labour).get(reverse("benefit-dossier-create")).status_code == 403
    # A leader reads, and may not change.
    assert client_for(people.bao).get(url).status_code == 200
    assert client_for(people.bao).post(reverse("benefit-dossier-check", args=[setup.dossier.pk]),
                                       {"on": "2025-08-28"}).status_code == 403


def test_it_receives_checks_and_decides_a_dossier_through_the_pages(people: Any, setup: Any) -> None:
    client = client_for(people.lan)
    response = client.post(reverse("benefit-dossier-create"), {
        "kind": "start", "scheme": "social_pension", "person": setup.person.pk, "category": "social_pension",
        "received_on": "2025-08-27"})
    assert response.status_code == 302
    dossier = Dossier.objects.exclude(pk=setup.dossier.pk).get()
    assert dossier.due_on == D(2025, 9, 12)  # 10 working days across 1–2/9
    refused = client.post(reverse("benefit-dossier-decide", args=[dossier.pk]),
                          {"on": "2025-09-05", "decision_number": "1/QĐ"})
    assert refused.status_code == 400
    assert vi("Check the dossier before deciding it.") in refused.content.decode()
    assert client.post(reverse("benefit-dossier-check", args=[dossier.pk]), {"on": "2025-08-28"}).status_code == 302
    assert client.post(reverse("benefit-dossier-decide", args=[dossier.pk]),
                       {"on": "2025-09-05", "decision_number": "1/QĐ", "signer": "Chủ tịch"}).status_code == 302
    entitlement = Entitlement.objects.get(person=setup.person)
    assert (entitlement.category.code, entitlement.start_month) == ("social_pension", D(2025, 9, 1))
    again = client.post(reverse("benefit-dossier-decide", args=[dossier.pk]),
                        {"on": "2025-09-06", "decision_number": "2/QĐ"})
    assert again.status_code == 400
    page = client.get(reverse("benefit-dossier-detail", args=[dossier.pk])).content.decode()
    assert "12/09/2025" in page and "1/QĐ" in page


def test_it_refuses_a_dossier_only_with_a_reason_on_the_page(people: Any, setup: Any) -> None:
    client = client_for(people.lan)
    url = reverse("benefit-dossier-refuse", args=[setup.dossier.pk])
    response = client.post(url, {"on": "2025-09-01", "reason": ""})
    assert response.status_code == 400
    assert vi("Give the reason for the refusal: the applicant is told it in writing.") in response.content.decode()
    assert client.post(url, {"on": "2025-09-01", "reason": "Không đủ điều kiện"}).status_code == 302
    setup.dossier.refresh_from_db()
    assert setup.dossier.status == "refused"


def test_it_shows_field_errors_for_a_bad_dossier(people: Any, setup: Any) -> None:
    response = client_for(people.lan).post(reverse("benefit-dossier-create"), {
        "kind": "stop", "scheme": "social_assistance", "person": setup.person.pk, "received_on": "2025-08-27"})
    assert response.status_code == 400
    assert vi("Choose the entitlement this dossier is about.") in response.content.decode()
    outsider = client_for(people.binh)
    response = outsider.post(reverse("benefit-dossier-create"), {
        "kind": "start", "scheme": "social_assistance", "person": setup.person.pk, "category": "sa_disability_severe",
        "received_on": "2025-08-27"})
    assert response.status_code == 400
    assert vi("No person with this number in your units.") in response.content.decode()


def test_it_lists_and_confirms_death_proposals(people: Any, setup: Any) -> None:
    services.create_entitlement(setup.actor, setup.person, "sa_disability_severe", decision_number="5/QĐ",
                                decision_date=D(2025, 3, 3))
    register.member_died(actor=setup.actor, member=Member.objects.get(pk=setup.person.pk), on=D(2025, 9, 15))
    proposal = Proposal.objects.get(person=setup.person)
    client = client_for(people.lan)
    page = client.get(reverse("benefit-proposal-list")).content.decode()
    assert "10.000.000" in page
    assert client_for(people.binh).post(reverse("benefit-proposal-confirm", args=[proposal.pk])).status_code == 404
    assert client_for(people.bao).post(reverse("benefit-proposal-confirm", args=[proposal.pk])).status_code == 403
    client.post(reverse("benefit-proposal-dismiss", args=[proposal.pk]), {"note": ""})
    proposal.refresh_from_db()
    assert proposal.status == "proposed"  # a dismissal needs a reason
    assert client.post(reverse("benefit-proposal-confirm", args=[proposal.pk])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "confirmed"


def test_it_serves_the_dossiers_api_scoped(people: Any, setup: Any, django_assert_max_num_queries: Any) -> None:
    url = reverse("api-benefit-dossiers")
    found = Client().get(url, {"status": "received"}, **bearer(people.lan)).json()
    assert [row["id"] for row in found["results"]] == [setup.dossier.pk]
    assert found["results"][0]["due_on"] == "2025-09-12"
    assert Client().get(url, **bearer(people.binh)).json()["results"] == []
    assert Client().get(url, {"status": "nope"}, **bearer(people.lan)).status_code == 400
    detail = reverse("api-benefit-dossier", args=[setup.dossier.pk])
    body = Client().get(detail, **bearer(people.lan)).json()
    assert [step["status"] for step in body["steps"]] == ["received"]
    assert Client().get(detail, **bearer(setup.labour)).status_code == 404
