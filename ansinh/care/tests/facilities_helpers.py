"""Small fixtures of the facilities tests: facilities, categories, an admission, officers of the
social assistance and children fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.care import services_facilities as services
from ansinh.care.models import Facility, Resident, ResidentCategory
from ansinh.geo.models import Unit

SYSTEM = Actor.system()


def officer(username: str, field: str, unit: Unit) -> User:
    from ansinh.accounts.services import user_create

    return user_create(username=username, password="correct-horse-battery", role="provincial_officer", unit=unit,
                       field=field)


def category(code: str) -> ResidentCategory:
    return ResidentCategory.objects.get(code=code, valid_to__isnull=True)


def facility(unit: Unit, *, code: str = "F1", kind: str = "social_protection", ownership: str = "public",
             capacity: int = 10, opened_on: dt.date | None = dt.date(2010, 1, 1)) -> Facility:
    return services.facility_create(actor=SYSTEM, code=code, name=f"Cơ sở {code}", kind=kind, ownership=ownership,
                                    unit=unit, capacity=capacity, opened_on=opened_on)


def admit(f: Facility, *, number: str = "01/QĐ", on: dt.date = dt.date(2025, 1, 10), name: str = "Trần Văn An",
          cat: str | None = None, citizen_id: str = "", **more: Any) -> Resident:
    data = services.Admission(admission_number=number, admitted_on=on, admission_decided_by="Giám đốc",
                              category=category(cat or ("drug_user" if f.is_rehab else "elderly")), full_name=name,
                              sex=more.pop("sex", "male"), birth_date=more.pop("birth_date", dt.date(1950, 1, 1)),
                              citizen_id=citizen_id, **more)
    return services.resident_admit(actor=SYSTEM, facility=f, data=data)
