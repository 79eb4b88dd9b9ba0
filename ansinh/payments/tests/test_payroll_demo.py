"""The demo's payrolls on a small province: four months, the three older reconciled with a few
lines carried forward, a death recorded late recovered, a decision back-dated two months paid
as two months of arrears; run twice, nobody is paid twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from ansinh.benefits.months import add_months
from ansinh.geo.models import Edition, Unit
from ansinh.payments import demo_payroll
from ansinh.payments.models import PayLineKind, Payroll, PayrollLine, PayrollState

pytestmark = pytest.mark.django_db


def test_it_makes_the_demo_payrolls_with_their_stories(settings):  # type: ignore[no-untyped-def]
    settings.DEMO = True
    call_command("demo", "generate", "--province", "86", "--households", "500", "--seed", "2", stdout=StringIO())
    province = Unit.objects.get(edition=Edition.CURRENT, code="86")
    said: list[str] = []
    demo_payroll.generate(province=province, write=said.append)
    months = demo_payroll._months()
    states = dict(Payroll.objects.values("month").annotate(n=Count("pk")).values_list("month", "n"))
    assert set(states) == set(months)
    for month in months[:3]:
        assert set(Payroll.objects.filter(month=month).values_list("state", flat=True)) == {PayrollState.RECONCILED}
    assert set(Payroll.objects.filter(month=months[3]).values_list("state", flat=True)) == {PayrollState.DRAFT}
    assert PayrollLine.objects.filter(kind=PayLineKind.CARRIED, payroll__month=months[1]).exists()
    recovery = PayrollLine.objects.get(kind=PayLineKind.RECOVERY)
    assert recovery.payroll.month == months[2] and recovery.for_month == months[1] and recovery.amount < 0
    assert recovery.person.died_on is not None and recovery.person.died_on.month == months[0].month
    arrears = PayrollLine.objects.filter(kind=PayLineKind.ARREARS, entitlement__decision_number=demo_payroll.LATE_DECISION)
    assert sorted(arrears.values_list("for_month", flat=True)) == [months[0], months[1]]
    assert arrears.first().payroll.month == months[2]  # type: ignore[union-attr]
    assert any("hai tháng trước" in line for line in said) and any("Ghi nhận muộn người mất" in line for line in said)
    before = sorted(PayrollLine.objects.values_list("person_id", "scheme", "for_month", "kind", "amount"))
    demo_payroll.generate(province=province, write=said.append)
    after = sorted(PayrollLine.objects.values_list("person_id", "scheme", "for_month", "kind", "amount"))
    assert after == before
    assert add_months(months[0], 3) == months[3]
