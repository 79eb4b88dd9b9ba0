"""The applicant linked to a person of the households register on the receipt form: the search
(citizen ID or name, accent-insensitive, within the user's scope), the link kept on the dossier
and shown on its page and on the person's household page, and the unhappy paths."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.accounts.models import AuditEvent
from ansinh.geo.models import Unit
from ansinh.households.models import Household, Member
from ansinh.procedures import access
from ansinh.procedures.models import Dossier

from .helpers import procedure

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def person(commune: Unit, name: str, citizen_id: str) -> Member:
    household = Household.objects.create(code=f"PR-{commune.code}-{next(_numbers)}", commune=commune, area="rural",
                                         head_name=name)
    member = Member(household=household, full_name=name, citizen_id=citizen_id, sex="female",
                    birth_date=dt.date(1958, 3, 2), relation="head")
    member.set_derived_fields()
    member.save()
    return member


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(proc: Any, unit: Unit, **extra: str) -> dict[str, Any]:
    return {"procedure": proc.pk, "unit": unit.pk, "channel": "in_person", "applicant_name": "",
            "applicant_id_number": "", "applicant_contact": "0909 000 111", "agency": "", "received_at": "", **extra}


def test_it_finds_people_of_the_register_by_name_without_accents_or_by_citizen_id(people: Any, units: Any) -> None:
    mine = person(units.tra_cu, "Trần Thị Bưởi", "086158000111")
    person(units.ba_dinh, "Trần Thị Bưởi", "001158000222")  # Hà Nội: outside Lan's scope
    assert access.applicant_candidates(people.lan, "tran thi buoi") == [mine]
    assert access.applicant_candidates(people.lan, "086158") == [mine]
    assert access.applicant_candidates(people.lan, "08") == []  # too short to search by
    assert access.applicant_candidates(people.lan, "001158000222") == []
    assert len(access.applicant_candidates(people.tung, "Bưởi")) == 2


def test_it_links_the_applicant_and_shows_the_link_on_both_pages(people: Any, units: Any) -> None:
    member = person(units.tra_cu, "Trần Thị Bưởi", "086158000111")
    proc = procedure(5)
    client = client_for(people.lan)
    found = client.post(reverse("procedure-dossier-receive"), {**form(proc, units.tra_cu), "who": "buoi", "find": "1"})
    body = found.content.decode()
    assert found.status_code == 200 and f'value="{member.pk}"' in body and "086158000111" not in body  # masked in the results
    assert "Trần Thị Bưởi" in body and "0909 000 111" in body  # what was typed is kept
    response = client.post(reverse("procedure-dossier-receive"),
                           {**form(proc, units.tra_cu), "who": "buoi", "person": str(member.pk)})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.person, dossier.applicant_name, dossier.applicant_id_number) == (
        member, "Trần Thị Bưởi", "086158000111")
    event = AuditEvent.objects.get(action="procedure_dossier.receive", object_id=str(dossier.pk))
    assert event.after["person"] == member.pk
    detail = client.get(reverse("procedure-dossier-detail", args=[dossier.pk])).content.decode()
    assert reverse("household-detail", args=[member.household_id]) in detail
    household = client.get(reverse("household-detail", args=[member.household_id])).content.decode()
    assert 'data-testid="procedure-dossiers"' in household and dossier.code in household


def test_it_refuses_a_person_outside_the_users_scope_keeping_what_was_typed(people: Any, units: Any) -> None:
    other = person(units.ba_dinh, "Lê Văn Hà", "001158000333")
    proc = procedure(5)
    response = client_for(people.lan).post(reverse("procedure-dossier-receive"), {
        **form(proc, units.tra_cu, applicant_name="Lê Văn Hà"), "person": str(other.pk)})
    body = response.content.decode()
    assert response.status_code == 400 and "Chọn một người trong sổ hộ thuộc địa bàn" in body
    assert "Lê Văn Hà" in body and not Dossier.objects.exists()
    bad = client_for(people.lan).post(reverse("procedure-dossier-receive"), {**form(proc, units.tra_cu),
                                                                             "person": "abc"})
    assert bad.status_code == 400


def test_it_still_asks_for_a_name_when_no_person_is_chosen(people: Any, units: Any) -> None:
    response = client_for(people.lan).post(reverse("procedure-dossier-receive"), form(procedure(5), units.tra_cu))
    assert response.status_code == 400 and not Dossier.objects.exists()
    nobody = client_for(people.lan).post(reverse("procedure-dossier-receive"),
                                         {**form(procedure(5), units.tra_cu), "who": "khong ai", "find": "1"})
    assert nobody.status_code == 200 and 'data-testid="person-none"' in nobody.content.decode()
