"""Small fixtures of the unemployment tests: officers, register members made directly, a dossier."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Level, Unit
from ansinh.households.models import Household, Member
from ansinh.labour.models import UnemploymentDossier
from ansinh.labour.unemployment import unemployment_receive

_numbers = count(1)


def province() -> Unit:
    return Unit.objects.get(code="86", level=Level.PROVINCE, edition="current")


def communes(root: Unit, n: int = 2) -> list[Unit]:
    return list(Unit.objects.filter(path__startswith=root.path, level=Level.COMMUNE, edition="current")
                .order_by("sort_key")[:n])


def user(unit: Unit, username: str, role: str = "provincial_officer", field: str = "labour") -> Any:
    from ansinh.accounts.services import user_create

    return user_create(username=username, password="correct-horse-battery", role=role, unit=unit,
                       field=field if role == "provincial_officer" else "")


def member(commune: Unit, *, name: str = "Nguyễn Thị Lan", born: dt.date = dt.date(1990, 5, 12),
           citizen_id: str | None = None) -> Member:
    n = next(_numbers)
    household = Household.objects.create(code=f"UI-{commune.code}-{n}", commune=commune, area="rural", head_name=name)
    person = Member(household=household, full_name=name, citizen_id=citizen_id or f"0861900{n:05d}", sex="female",
                    birth_date=born, relation="head")
    person.set_derived_fields()
    person.save()
    return person


def dossier(person: Member, *, actor: Actor | None = None, received_on: dt.date = dt.date(2025, 10, 1),
            contract_end: dt.date = dt.date(2025, 9, 15), months: int = 48, salary: int = 8_000_000,
            region: int = 3) -> UnemploymentDossier:
    return unemployment_receive(actor=actor or Actor.system(), person=person, received_on=received_on,
                                employer_name="Công ty TNHH May Vĩnh Long", contract_end=contract_end,
                                months_contributed=months, average_salary=salary, region=region)
