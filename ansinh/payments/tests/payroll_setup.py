"""What the payroll tests start from: the officers and beneficiaries of the people-served tests
(Xã Trà Cú, 29461, Vĩnh Long 86), and small helpers to move a payroll along."""

from __future__ import annotations

import datetime as dt

from ansinh.accounts.audit import Actor
from ansinh.benefits.tests.pages_setup import PASSWORD, SYSTEM, beneficiaries, officers, person  # noqa: F401
from ansinh.geo.models import Unit
from ansinh.payments import payroll as engine
from ansinh.payments.models import Payroll, PayrollLine

SA = "social_assistance"
MERIT = "meritorious"


def tra_cu() -> Unit:
    from ansinh.accounts.services import unit_for_role

    return unit_for_role(role="commune_officer", code="29461")


def actor(user) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(user=user)


def paid(payroll: Payroll, *, approver, sender=None) -> Payroll:  # type: ignore[no-untyped-def]
    """Approves then sends a draft."""
    engine.approve(payroll, actor=actor(approver))
    engine.mark_sent(payroll, actor=actor(sender or payroll.computed_by))
    return payroll


def lines(payroll: Payroll, **filters) -> list[PayrollLine]:  # type: ignore[no-untyped-def]
    return list(PayrollLine.objects.filter(payroll=payroll, **filters).order_by("person_id", "for_month", "kind"))


def month(year: int, m: int) -> dt.date:
    return dt.date(year, m, 1)
