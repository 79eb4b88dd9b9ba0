"""Hand-made registers for the tests of the checks and figures (helper CHECKS): households,
members, current poverty statuses, categories and entitlements written directly, so that each
test states exactly the facts it is about."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from ansinh.benefits.models import Category, Dossier, Entitlement, LineKind, Scheme
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household, Member
from ansinh.poverty.models import CurrentStatus

_codes = count(1)

CATEGORY_SCHEMES = {
    "social_pension": Scheme.SOCIAL_PENSION,
}


def category(code: str, *, valid_to: dt.date | None = None) -> Category:
    """The category of `code` (the law's data once migrated; made here when missing)."""
    scheme = CATEGORY_SCHEMES.get(code) or (Scheme.MERITORIOUS if code.startswith("merit_") else Scheme.SOCIAL_ASSISTANCE)
    found, _ = Category.objects.get_or_create(code=code, defaults={
        "scheme": scheme, "kind": LineKind.ALLOWANCE, "name": code, "valid_from": dt.date(2021, 7, 1),
        "valid_to": valid_to, "legal_basis": "test"})
    return found


def other_commune(province: Unit, but: Unit) -> Unit:
    return (Unit.objects.filter(path__startswith=province.path, level=Level.COMMUNE, edition=Edition.CURRENT)
            .exclude(pk=but.pk).order_by("code").first())  # type: ignore[return-value]


def household(commune: Unit, *, status: str | None = None) -> Household:
    code = f"CHK-{next(_codes):06d}"
    made = Household.objects.create(code=code, commune=commune, area="rural", head_name=code)
    if status:
        CurrentStatus.objects.create(household=made, status=status)
    return made


def member(household: Household, name: str, born: dt.date, relation: str = "head", **fields: Any) -> Member:
    return Member.objects.create(household=household, full_name=name, sex=fields.pop("sex", "female"),
                                 birth_date=born, relation=relation, **fields)


def entitle(person: Member, code: str, *, start: dt.date = dt.date(2024, 1, 1), stop: dt.date | None = None,
            commune: Unit | None = None, **fields: Any) -> Entitlement:
    cat = category(code)
    return Entitlement.objects.create(person=person, category=cat, scheme=cat.scheme,
                                      commune=commune or person.household.commune, decision_number="01/QĐ",
                                      decision_date=start, start_month=start, stop_month=stop, **fields)


def dossier(person: Member, scheme: str, *, received: dt.date, status: str = "received",
            decided: dt.date | None = None, kind: str = "start") -> Dossier:
    return Dossier.objects.create(kind=kind, scheme=scheme, person=person, commune=person.household.commune,
                                  received_on=received, due_on=received + dt.timedelta(days=14), status=status,
                                  decided_on=decided)
