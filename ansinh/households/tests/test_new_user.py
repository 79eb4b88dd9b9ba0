"""Defects a new user meets on the household pages (issue 10, item 8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ansinh.households import services
from ansinh.poverty import services as poverty_services
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


def test_it_explains_a_household_without_review_or_survey_as_not_reviewed(client, people, units):
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-N", address="Ấp Chợ")
    services.member_add(actor=people.lan, household=household, full_name="Thạch Văn Sóc", citizen_id="084080000001",
                        sex="male", birth_date=dt.date(1980, 3, 1), relation="head")
    login(client, people.lan)
    html = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert 'data-testid="not-reviewed"' in html
    assert "cận nghèo" not in html and "hộ nghèo" not in html.lower()
    assert 'data-testid="income"' not in html
    assert reverse("conditions-record", args=[household.pk]) in html


def test_it_labels_a_surveyed_but_unreviewed_households_status_as_a_preview(client, people, units):
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-S", address="Ấp Chợ")
    services.member_add(actor=people.lan, household=household, full_name="Thạch Văn Sóc", citizen_id="084080000001",
                        sex="male", birth_date=dt.date(1980, 3, 1), relation="head")
    services.conditions_record(actor=people.lan, household=household, year=2025, housing="simple",
                               floor_area=Decimal("30"), has_phone=True, income_per_capita=Decimal(1_200_000))
    login(client, people.lan)
    html = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert 'data-testid="not-reviewed"' not in html
    assert 'data-testid="would-be"' in html and "reg-status-none" in html


def test_it_opens_the_living_conditions_on_the_running_rounds_year_and_standard(client, people, units):
    year = timezone.localdate().year - 1
    review = poverty_services.review_round_open(actor=people.minh, unit=units.vinh_long, year=year)
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-C", address="Ấp Chợ")
    login(client, people.lan)
    html = client.get(reverse("conditions-record", args=[household.pk])).content.decode()
    assert f'<option value="{year}" selected>' in html
    assert f'name="year" value="{year}"' in html
    assert review.standard.name in html
    # another year asked for by name still opens on that year
    html = client.get(reverse("conditions-record", args=[household.pk]), {"year": str(year + 1)}).content.decode()
    assert f'<option value="{year + 1}" selected>' in html


def test_it_shows_officers_the_standards_parameters_by_name_without_the_command_line(client, people):
    login(client, people.minh)
    html = client.get(reverse("standard-list")).content.decode()
    assert "min_m2_per_person" not in html and "--load" not in html
    assert "Thiếu hụt khi diện tích ở bình quân đầu người dưới (m²): 8" in html
    assert "Người cao tuổi chỉ tính khi hưởng trợ cấp xã hội hằng tháng: không" in html
    login(client, people.tung)
    html = client.get(reverse("standard-list")).content.decode()
    assert "min_m2_per_person" in html and "--load" in html
