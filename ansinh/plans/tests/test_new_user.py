"""Defects a new user meets on the plan pages (issue 10, item 8): the period picker, approval,
late forms, read-only viewers, the standards page and the catalogue."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.models import AuditEvent
from ansinh.plans import services
from ansinh.plans.models import SubmissionStatus
from ansinh.plans.tests.test_reporting_views import communes, make_plan
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


def _sent(plan, unit, people, period="2025-Q1"):  # type: ignore[no-untyped-def]
    """A form sent by the commune officer (whoever sends a form does not approve it)."""
    form = services.submission_open(actor=people.lan, plan=plan, unit=unit, period=period)
    services.submission_save(actor=people.lan, submission=form, values={("jobs_created", ""): Decimal(10)})
    return services.submission_submit(actor=people.lan, submission=form)


def test_it_filters_the_forms_by_status(client, people, units):
    plan = make_plan(units)
    others = communes(units, 3)
    waiting = _sent(plan, units.tra_cu, people)
    returned = services.submission_return(actor=people.minh, submission=_sent(plan, others[0], people), reason="Sai")
    approved = services.submission_approve(actor=people.minh, submission=_sent(plan, others[1], people))
    login(client, people.minh)
    url = reverse("submission-list", args=[plan.pk])

    def units_shown(status: str) -> set[str]:
        html = client.get(url, {"period": "2025-Q1", "status": status}).content.decode()
        assert 'data-testid="status-filter"' in html
        return set(re.findall(r'<tr data-unit="(\d+)"', html))

    assert units_shown("submitted") == {waiting.unit.code}
    assert units_shown("returned") == {returned.unit.code}
    assert units_shown("approved") == {approved.unit.code}
    overdue = units_shown("missing")
    assert others[2].code in overdue and waiting.unit.code not in overdue and returned.unit.code in overdue
    assert units_shown("late") == {waiting.unit.code, approved.unit.code}  # sent in 2026 for 2025-Q1
    everyone = units_shown("")
    assert units_shown("nonsense") == everyone and len(everyone) > 3


def test_it_asks_to_confirm_an_approval(client, people, units):
    plan = make_plan(units)
    form = _sent(plan, units.tra_cu, people)
    login(client, people.minh)
    html = client.get(reverse("submission-detail", args=[form.pk])).content.decode()
    assert f'action="{reverse("submission-approve", args=[form.pk])}"' in html
    response = client.post(reverse("submission-approve", args=[form.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="confirm-approve"' in html
    assert 'name="confirm" value="1"' in html and 'method="post"' in html
    form.refresh_from_db()
    assert form.status == SubmissionStatus.SUBMITTED and not AuditEvent.objects.filter(
        action="plans.submission.approve").exists()
    assert client.get(reverse("submission-approve", args=[form.pk])).status_code == 405
    response = client.post(reverse("submission-approve", args=[form.pk]), {"confirm": "1"})
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.status == SubmissionStatus.APPROVED
    # an approved form cannot be approved again: a clear 400, not a second confirmation
    assert client.post(reverse("submission-approve", args=[form.pk])).status_code == 400


def test_it_flags_a_late_submission_with_its_deadline(client, people, units):
    plan = make_plan(units)
    form = _sent(plan, units.tra_cu, people)  # 2025-Q1 is due 15/03/2025; sent today
    days = (timezone.localdate() - dt.date(2025, 3, 15)).days
    login(client, people.lan)
    html = client.get(reverse("submission-detail", args=[form.pk])).content.decode()
    assert f"Nộp muộn {days} ngày (hạn 15/03/2025)" in html
    # on time: no flag
    future = make_plan(units, year=timezone.localdate().year + 1, number="46/KH-UBND")
    early = _sent(future, units.tra_cu, people, period=f"{future.year}-Q1")
    html = client.get(reverse("submission-detail", args=[early.pk])).content.decode()
    assert 'data-testid="late"' not in html


def test_it_never_offers_a_viewer_to_enter_a_plan(client, people):
    login(client, people.duc)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="no-plan"' in html
    assert reverse("plan-create") not in html and "Nhập kế hoạch" not in html
    assert "Đơn vị của bạn chưa có kế hoạch" not in html
    # …while an officer who may enter one is offered to
    login(client, people.minh)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("plan-create") in html


def test_it_shows_officers_the_catalogue_in_words_and_administrators_the_codes(client, people):
    login(client, people.minh)
    html = client.get(reverse("indicator-list")).content.decode()
    assert ">jobs_created<" not in html and "poor_households / households" not in html
    assert "= Số hộ nghèo / Tổng số hộ dân cư × 100" in html
    login(client, people.tung)
    html = client.get(reverse("indicator-list")).content.decode()
    assert ">jobs_created<" in html and "= poor_households / households * 100" in html
