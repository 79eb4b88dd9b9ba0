"""`ansinh demo plans`: the examples loaded (the Trà Vinh Q1 form approved), and a current-map plan
whose communes' forms are in every state; deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from ansinh.accounts.models import AuditEvent
from ansinh.plans import demo, services
from ansinh.plans.models import Plan, Submission, SubmissionStatus, TaskStatus
from ansinh.plans.services import Timeliness


@pytest.mark.django_db
@pytest.mark.slow
def test_it_demo_plans(people, units) -> None:  # type: ignore[no-untyped-def]
    lines: list[str] = []
    demo.demo_plans(province=units.vinh_long, write=lines.append)
    assert Plan.objects.count() == 4
    tra_vinh = Plan.objects.get(number="15/KH-SLĐTBXH")
    form = Submission.objects.get(plan=tra_vinh, unit=units.legacy_tra_vinh, period="2020-Q1")
    assert form.status == SubmissionStatus.APPROVED
    assert timezone.localtime(form.submitted_at).date() == dt.date(2020, 3, 16)  # the seed report's date
    assert form.values.get(indicator__code="jobs_created", breakdown="").value == 7645

    plan = Plan.objects.get(number=demo.DEMO_NUMBER, year=2025)
    assert plan.unit == units.vinh_long and plan.agency.name == "Sở Nội vụ"
    assert plan.agency.parent is not None and plan.agency.parent.name == "Ủy ban nhân dân tỉnh Vĩnh Long"
    lines_ = services.split_check(plan)
    assert {line.indicator.code for line in lines_} == set(demo.DEMO_TOTALS)
    assert all(line.difference == 0 and line.units == 124 for line in lines_)
    statuses = Counter(plan.tasks.values_list("status", flat=True))
    assert statuses[TaskStatus.DONE] == 5 and statuses[TaskStatus.OPEN] == 2 and statuses[TaskStatus.IN_PROGRESS] == 1
    forms = Submission.objects.filter(plan=plan)
    by_status = Counter(forms.values_list("status", flat=True))
    assert set(by_status) == {"draft", "submitted", "returned", "approved"}
    assert forms.filter(status=SubmissionStatus.RETURNED).exclude(return_reason="").count() == by_status["returned"]
    for period in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
        states = Counter(row.state for row in services.timeliness(plan, period, today=dt.date(2026, 11, 1)))
        assert states[Timeliness.ON_TIME] > 60 and states[Timeliness.LATE] > 5 and states[Timeliness.MISSING] > 3
        assert sum(states.values()) == 124
    assert AuditEvent.objects.filter(action="plans.demo.generate").count() == 1
    count = forms.count()

    # Twice: nothing new.
    again: list[str] = []
    demo.demo_plans(province=units.vinh_long, write=again.append)
    assert Plan.objects.count() == 4 and Submission.objects.filter(plan=plan).count() == count
    assert all("bỏ qua" in line for line in again)
