"""Helpers of the children area's tests: a child of the register, officers of the field."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from ansinh.accounts.audit import Actor
from ansinh.care import services_children as services
from ansinh.care.models_children import Child, ChildGroup
from ansinh.geo.models import Unit
from ansinh.households.models import Household, Member

_numbers = itertools.count(1)


def officer(unit: Unit, username: str, field: str = "children") -> Any:
    from ansinh.accounts.services import user_create

    return user_create(username=username, password="correct-horse-battery", role="provincial_officer", unit=unit,
                       field=field)


def member(commune: Unit, *, name: str = "Thạch Thị Hồng", born: dt.date = dt.date(2015, 3, 4),
           citizen_id: str | None = None) -> Member:
    n = next(_numbers)
    household = Household.objects.create(code=f"CH-{commune.code}-{n}", commune=commune, area="rural",
                                         head_name="Thạch Văn Sơn")
    person = Member(household=household, full_name=name, citizen_id=citizen_id or f"0862150{n:05d}", sex="female",
                    birth_date=born, relation="child")
    person.set_derived_fields()
    person.save()
    return person


def group(code: str = "orphan") -> ChildGroup:
    return ChildGroup.objects.get(code=code)


def child(commune: Unit, *, name: str = "Thạch Thị Hồng", born: dt.date = dt.date(2015, 3, 4),
          groups: tuple[str, ...] = ("orphan",), since: dt.date = dt.date(2024, 2, 1)) -> Child:
    person = member(commune, name=name, born=born)
    return services.child_register(actor=Actor.system(), person=person,
                                   groups=[(group(code), since) for code in groups])
