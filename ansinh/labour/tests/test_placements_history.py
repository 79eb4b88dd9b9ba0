"""A person's labour history on the register's household page: all five registries, scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.labour.history import person_labour_history
from ansinh.labour.models import (
    Course,
    Departure,
    Enrolment,
    TrainingLevel,
    TrainingProvider,
    UnemploymentDossier,
)
from ansinh.labour.placements import placement_create
from ansinh.testing import login

from .place_setup import register

pytestmark = pytest.mark.django_db


def test_it_reads_every_registry_and_only_what_the_user_may_see(client: Client, people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    spouse, commune = reg.spouse, units.tra_cu
    placement_create(actor=people.lan, person=spouse, placed_on=dt.date(2026, 3, 10), channel="employer",
                     employer_name="Công ty May")
    level = TrainingLevel.objects.create(code="place-test-level", name="Sơ cấp", valid_from=dt.date(2015, 1, 1),
                                         legal_basis="Luật 74/2014/QH13")
    provider = TrainingProvider.objects.create(name="Trường Trung cấp Trà Cú", kind="public", unit=units.vinh_long)
    course = Course.objects.create(provider=provider, occupation="May công nghiệp", level=level, field="non_farm",
                                   unit=commune, starts_on=dt.date(2025, 9, 1))
    Enrolment.objects.create(person=spouse, commune=commune, course=course, enrolled_on=dt.date(2025, 9, 1),
                             status="completed", certificate_number="SC-12")
    Departure.objects.create(person=spouse, commune=commune, destination="JP", job="Chế biến thực phẩm",
                             departed_on=dt.date(2024, 5, 1), status="returned")
    UnemploymentDossier.objects.create(person=spouse, commune=commune, received_on=dt.date(2026, 1, 20),
                                       employer_name="Công ty Giày", region=3, contract_end=dt.date(2026, 1, 5),
                                       months_contributed=24, average_salary=6_000_000)
    items = person_labour_history(people.lan, spouse)
    assert [item.date for item in items] == sorted((item.date for item in items), reverse=True)
    texts = " | ".join(f"{item.kind}: {item.text}" for item in items)
    assert len(items) == 4, texts
    assert "Công ty May" in texts and "May công nghiệp" in texts and "Nhật Bản" in texts and "Công ty Giày" in texts
    assert person_labour_history(people.minh, spouse) == []  # a provincial officer of another field
    assert person_labour_history(people.binh, spouse) == []  # a commune officer elsewhere
    login(client, people.lan)
    page = client.get(reverse("household-detail", args=[spouse.household_id])).content.decode()
    assert 'data-testid="labour-history"' in page and "Công ty May" in page
    login(client, people.minh)
    page = client.get(reverse("household-detail", args=[spouse.household_id])).content.decode()
    assert 'data-testid="labour-history"' not in page
