"""The province's payrolls as a background job (`payments.payroll_run`): its progress and result,
and a run that dies half-way leaves every payroll whole (as it was, or complete) and runs again
without a line twice."""

from __future__ import annotations

from typing import Any

import pytest

from ansinh.accounts.services import unit_for_role
from ansinh.benefits.tests.pages_setup import more_disabled
from ansinh.jobs.models import JobStatus
from ansinh.jobs.services import job_retry
from ansinh.payments import payroll as engine
from ansinh.payments.jobs_payroll import PAYROLL_RUN, payroll_run_job, payroll_run_start
from ansinh.payments.models import Payroll, PayrollLine

from .payroll_setup import actor, beneficiaries, month, officers

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    found = officers()
    beneficiaries()
    more_disabled(4)
    return found


def test_it_runs_as_a_job_with_its_result(who):  # type: ignore[no-untyped-def]
    province = unit_for_role(role="provincial_officer", code="86")
    job = payroll_run_start(unit=province, month=month(2025, 10), actor=actor(who.an))
    job.refresh_from_db()
    assert job.kind == PAYROLL_RUN and job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["lines"] == 6 and job.result["people"] == 6 and job.result["refused"] == []
    assert "Đã tính 1 bảng chi trả: 6 dòng, 6 người" in job.message  # her field only
    assert payroll_run_job(province, month(2025, 10)) == job


def test_it_leaves_no_partial_payroll_when_a_run_dies_and_runs_again(who, monkeypatch):  # type: ignore[no-untyped-def]
    province = unit_for_role(role="provincial_officer", code="86")
    def dies_after_the_lines(*args: Any, **kwargs: Any) -> None:
        # The worker dies inside the province's transaction, after the lines went in.
        raise RuntimeError("worker lost")

    monkeypatch.setattr(engine, "_set_totals", dies_after_the_lines)
    job = payroll_run_start(unit=province, month=month(2025, 10), actor=actor(who.lan))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    # The province's payrolls are written in one transaction: it was rolled back whole (no payroll
    # half-written, no line left over).
    assert not Payroll.objects.exists() and not PayrollLine.objects.exists()
    monkeypatch.undo()
    job = job_retry(job=job, actor=actor(who.lan))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert Payroll.objects.count() == 2
    keys = list(PayrollLine.objects.values_list("person_id", "scheme", "for_month", "kind"))
    assert len(keys) == len(set(keys)) == 7 == sum(p.lines_count for p in Payroll.objects.all())
