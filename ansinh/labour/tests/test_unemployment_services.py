"""Receiving, deciding, monthly reports, suspensions and stops of unemployment dossiers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.labour.models import DossierState, JobSearchReport, ReportState, WageRegionUnit
from ansinh.labour.unemployment import (
    StopReason,
    unemployment_decide,
    unemployment_receive,
    unemployment_report,
    unemployment_stop,
)

from .ui_helpers import communes, dossier, member, province, user

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_receives_a_dossier_with_its_decision_due_in_working_days() -> None:
    commune = communes(province())[0]
    officer = user(province(), "thu")
    d = dossier(member(commune), actor=Actor(user=officer))
    assert d.commune == commune and d.state == DossierState.RECEIVED
    assert d.decision_due == D(2025, 10, 29)  # 20 working days after Wed 1 Oct 2025
    assert AuditEvent.objects.filter(action=AuditAction.UNEMPLOYMENT_RECEIVE, object_id=str(d.pk)).exists()


def test_it_takes_the_region_from_the_employers_commune() -> None:
    commune = communes(province())[0]
    WageRegionUnit.objects.create(unit=commune, region=2, valid_from=D(2025, 1, 1), legal_basis="x")
    d = unemployment_receive(actor=Actor.system(), person=member(commune), received_on=D(2025, 10, 1),
                             employer_name="A", employer_unit=commune, region=4, contract_end=D(2025, 9, 15),
                             months_contributed=24, average_salary=5_000_000)
    assert d.region == 2
    with pytest.raises(ValidationError):
        unemployment_receive(actor=Actor.system(), person=member(commune), received_on=D(2025, 10, 1),
                             employer_name="A", contract_end=D(2025, 9, 15), months_contributed=24,
                             average_salary=5_000_000)


def test_it_refuses_an_officer_outside_the_field_or_province() -> None:
    commune = communes(province())[0]
    other = user(province(), "poverty", field="poverty")
    with pytest.raises(PermissionDenied):
        dossier(member(commune), actor=Actor(user=other))
    commune_officer = user(commune, "xa", role="commune_officer")
    with pytest.raises(PermissionDenied):
        dossier(member(commune), actor=Actor(user=commune_officer))


def test_it_grants_with_amounts_and_monthly_reports() -> None:
    d = dossier(member(communes(province())[0]))
    unemployment_decide(actor=Actor.system(), dossier=d, decided_on=D(2025, 10, 20), decision_number="12/QĐ-SNV")
    d.refresh_from_db()
    assert d.state == DossierState.GRANTED and d.monthly_amount == 4_800_000 and d.benefit_months == 4
    assert d.total_amount == 19_200_000 and d.starts_on == D(2025, 10, 23) and d.ends_on == D(2026, 2, 22)
    reports = list(JobSearchReport.objects.filter(dossier=d).order_by("month_number"))
    assert [r.month_number for r in reports] == [1, 2, 3, 4]
    assert reports[0].due_on == D(2025, 10, 23) and reports[1].due_on == D(2025, 11, 24)  # 23 Nov is a Sunday
    assert AuditEvent.objects.filter(action=AuditAction.UNEMPLOYMENT_DECIDE, object_id=str(d.pk)).exists()
    with pytest.raises(ValidationError):
        unemployment_decide(actor=Actor.system(), dossier=d, decided_on=D(2025, 10, 21))


def test_it_refuses_with_the_reason() -> None:
    d = dossier(member(communes(province())[0]), months=11)
    unemployment_decide(actor=Actor.system(), dossier=d, decided_on=D(2025, 10, 20))
    d.refresh_from_db()
    assert d.state == DossierState.REFUSED and "cần đủ 12 tháng" in d.refusal_reason and d.total_amount is None
    assert not JobSearchReport.objects.filter(dossier=d).exists()


def test_it_suspends_on_a_missed_report_and_resumes_on_reporting() -> None:
    d = dossier(member(communes(province())[0]))
    unemployment_decide(actor=Actor.system(), dossier=d, decided_on=D(2025, 10, 20))
    unemployment_report(actor=Actor.system(), dossier=d, month_number=1, reported_on=D(2025, 10, 23))
    unemployment_stop(actor=Actor.system(), dossier=d, on=D(2025, 11, 25), reason=StopReason.MISSED_REPORT,
                      month_number=2)
    d.refresh_from_db()
    assert d.state == DossierState.SUSPENDED
    assert JobSearchReport.objects.get(dossier=d, month_number=2).state == ReportState.MISSED
    unemployment_report(actor=Actor.system(), dossier=d, month_number=3, reported_on=D(2025, 12, 23))
    d.refresh_from_db()
    assert d.state == DossierState.GRANTED and d.stop_reason == ""
    with pytest.raises(ValidationError):
        unemployment_report(actor=Actor.system(), dossier=d, month_number=3, reported_on=D(2025, 12, 24))
    assert AuditEvent.objects.filter(action=AuditAction.UNEMPLOYMENT_REPORT).count() == 2


def test_it_stops_after_three_missed_months_and_on_a_job() -> None:
    d = dossier(member(communes(province())[0]))
    unemployment_decide(actor=Actor.system(), dossier=d, decided_on=D(2025, 10, 20))
    for month in (1, 2, 3):
        unemployment_stop(actor=Actor.system(), dossier=d, on=D(2025, 12, 1), reason=StopReason.MISSED_REPORT,
                          month_number=month)
    d.refresh_from_db()
    assert d.state == DossierState.STOPPED and "3 tháng liên tục" in d.stop_reason
    other = dossier(member(communes(province())[0]))
    unemployment_decide(actor=Actor.system(), dossier=other, decided_on=D(2025, 10, 20))
    unemployment_stop(actor=Actor.system(), dossier=other, on=D(2025, 11, 2), reason=StopReason.FOUND_JOB, note="May")
    other.refresh_from_db()
    assert other.state == DossierState.STOPPED and other.stopped_on == D(2025, 11, 2)
    with pytest.raises(ValidationError):
        unemployment_stop(actor=Actor.system(), dossier=other, on=D(2025, 11, 3), reason=StopReason.DIED)
    assert AuditEvent.objects.filter(action=AuditAction.UNEMPLOYMENT_STOP, object_id=str(other.pk)).count() == 1
