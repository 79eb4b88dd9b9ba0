"""What the settle lane's tests start from: the officers and beneficiaries of the people-served
tests (Xã Trà Cú, 29461), a sent payroll of their month's lines made with the models (the
payroll engine is another lane's), a frozen package with a household and a person line."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from ansinh.benefits.models import Entitlement
from ansinh.benefits.tests.pages_setup import beneficiaries, officers, person
from ansinh.geo.models import Unit
from ansinh.payments.models import (
    LineRule,
    Package,
    PackageLine,
    PackageState,
    PackageTier,
    Payroll,
    PayrollLine,
    PayrollState,
    PayStatus,
)

MONTH = dt.date(2025, 10, 1)


def commune() -> Unit:
    return Unit.objects.get(edition="current", code="29461")


def hamlet(name: str = "Chợ") -> Unit:
    from ansinh.accounts.audit import Actor
    from ansinh.geo.services import hamlet_create

    found = Unit.objects.filter(parent=commune(), name=name).first()
    return found or hamlet_create(actor=Actor.system(), commune=commune(), name=name, kind="ap")


def payroll(month: dt.date = MONTH, *, state: str = PayrollState.SENT, field: str = "social_assistance",
            entitlements: list[Entitlement] | None = None, amount: int = 500_000,
            sequence: int = 1) -> Payroll:
    """A payroll of Trà Cú with one month line per entitlement of the field."""
    made = Payroll.objects.create(commune=commune(), month=month, field=field, state=state, sequence=sequence,
                                  sent_at=timezone.now() if state == PayrollState.SENT else None)
    lines = []
    basis = LineRule.of("Mức chuẩn 500.000 × 1,0", "Nghị định 20/2021/NĐ-CP")
    for ent in entitlements or []:
        lines.append(PayrollLine(payroll=made, person=ent.person, scheme=ent.scheme, for_month=month, amount=amount,
                                 basis=basis,
                                 entitlement=ent, commune=made.commune, hamlet=None))
    PayrollLine.objects.bulk_create(lines)
    made.lines_count = len(lines)
    made.people_count = len({line.person_id for line in lines})
    made.total = amount * len(lines)
    made.save()
    return made


def package(*, state: str = PackageState.FROZEN, people: list[Any] = ()) -> Package:  # type: ignore[assignment]
    made = Package.objects.create(name="Quà Tết 2026 cho người cao tuổi", purpose="tet", field="social_assistance",
                                  unit=commune(), on=dt.date(2026, 1, 20), period_start=dt.date(2026, 1, 1),
                                  period_end=dt.date(2026, 2, 28), state=state, key=f"k{Package.objects.count()}")
    tier = PackageTier.objects.create(package=made, name="Người cao tuổi", rule="age", params={"ages": [90]},
                                      per="person", central=300_000, local=200_000)
    PackageLine.objects.bulk_create([
        PackageLine(package=made, tier=tier, person=member, per="person", commune=made.unit, amount=500_000,
                    central=300_000, local=200_000) for member in people])
    made.recipients, made.total = len(people), 500_000 * len(people)
    made.save()
    return made


def world() -> SimpleNamespace:
    who = officers()
    ben = beneficiaries()
    return SimpleNamespace(who=who, ben=ben)


__all__ = ["MONTH", "PayStatus", "commune", "hamlet", "package", "payroll", "person", "world"]
