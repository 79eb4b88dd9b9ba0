"""Defects a new user meets on the household pages (issue 10, item 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ansinh.households import services
from conftest import login

pytestmark = pytest.mark.django_db


def test_it_calls_a_members_parent_cha_me_not_the_maps_unit_above(client, people, units):
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-P", address="Ấp Chợ")
    services.member_add(actor=people.lan, household=household, full_name="Thạch Văn Sóc", citizen_id="084080000001",
                        sex="male", birth_date=dt.date(1980, 3, 1), relation="head")
    services.member_add(actor=people.lan, household=household, full_name="Thạch Thị Mai", citizen_id="084150000009",
                        sex="female", birth_date=dt.date(1950, 3, 1), relation="parent")
    login(client, people.lan)
    html = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert "Cha/mẹ" in html or "cha/mẹ" in html
    assert "cấp trên" not in html.lower()


def test_it_offers_a_vietnamese_empty_choice_in_the_member_form(client, people, units):
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-E", address="Ấp Chợ")
    login(client, people.lan)
    html = client.get(reverse("member-add", args=[household.pk])).content.decode()
    assert "Select an option" not in html and "---------" not in html
    assert "— Chọn —" in html
    assert "cha/mẹ" in html.lower()
