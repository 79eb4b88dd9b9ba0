"""Small fixtures of the training tests: a labour officer, a provider, register members made
directly (a handful of rows, so the suite stays fast)."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.households.models import Household, Member
from ansinh.labour import training
from ansinh.labour.models import TrainingLevel, TrainingProvider

_numbers = count(1)


def labour_officer(province: Unit, username: str = "thu") -> Any:
    from ansinh.accounts.services import user_create

    return user_create(username=username, password="correct-horse-battery", role="provincial_officer",
                       unit=province, field="labour")


def member(commune: Unit, *, name: str = "Thạch Thị Mai", born: dt.date = dt.date(1995, 4, 10), sex: str = "female",
           citizen_id: str | None = None, **facts: Any) -> Member:
    n = next(_numbers)
    household = Household.objects.create(code=f"TRN-{commune.code}-{n}", commune=commune, area="rural",
                                         head_name=name)
    person = Member(household=household, full_name=name, citizen_id=citizen_id, sex=sex, birth_date=born,
                    relation="head", **facts)
    person.set_derived_fields()
    person.save()
    return person


def provider(province: Unit, name: str = "Trường Trung cấp nghề Trà Cú") -> TrainingProvider:
    return training.training_provider_save(actor=Actor.system(), name=name, kind="public", unit=province,
                                           decision_number="123/QĐ-UBND", decision_date=dt.date(2010, 5, 4))


def level(code: str) -> TrainingLevel:
    return TrainingLevel.objects.get(code=code)
