"""Defects a new user meets on the plan pages (issue 10, item 8): the period picker, approval,
late forms, read-only viewers, the standards page and the catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ansinh.plans import services
from ansinh.plans.tests.test_reporting_views import make_plan
from conftest import login

pytestmark = pytest.mark.django_db


def test_it_offers_only_the_period_kinds_the_plan_reports_by(client, people, units):
    plan = make_plan(units)  # quarterly, six-monthly and yearly reports
    login(client, people.bao)
    html = client.get(reverse("submission-list", args=[plan.pk])).content.decode()
    assert 'value="2025-Q4"' in html and 'value="2025-H2"' in html and 'value="2025"' in html
    assert 'value="2025-12"' not in html and 'value="2025-01"' not in html
    # a month typed in the address is not offered either: the latest due quarter is shown instead
    html = client.get(reverse("submission-list", args=[plan.pk]), {"period": "2025-12"}).content.decode()
    assert "tháng 12 năm 2025" not in html
    html = client.get(reverse("plan-results", args=[plan.pk]), {"period": "2025-12"}).content.decode()
    assert 'value="2025-12"' not in html
    html = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert 'value="2025-Q4"' in html and 'value="2025-12"' not in html


def test_it_keeps_offering_a_kind_a_form_was_opened_for(client, people, units):
    plan = make_plan(units)
    services.submission_open(actor=people.bao, plan=plan, unit=plan.unit, period="2025-03")
    login(client, people.bao)
    html = client.get(reverse("submission-list", args=[plan.pk])).content.decode()
    assert 'value="2025-03"' in html


def test_it_offers_every_kind_when_the_plan_names_no_deadline(client, people, units):
    plan = make_plan(units)
    services.plan_update(actor=None, plan=plan, deadlines={})
    login(client, people.bao)
    html = client.get(reverse("submission-list", args=[plan.pk])).content.decode()
    assert 'value="2025-12"' in html and 'value="2025-Q4"' in html
