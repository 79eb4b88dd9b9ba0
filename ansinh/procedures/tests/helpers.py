"""Small fixtures of the procedures tests: a procedure of n working days and a dossier received
at a given local time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ansinh.geo.models import Unit
from ansinh.procedures import services
from ansinh.procedures.models import Dossier, Procedure


def procedure(days: int, *, field: str = "social_assistance", code: str = "", next_day: bool = False) -> Procedure:
    found, _ = Procedure.objects.get_or_create(
        code=code or f"T.{field[:4]}.{days}", valid_from=dt.date(2015, 1, 1),
        defaults={"name": f"Thủ tục thử {days} ngày", "field": field, "receiving_level": "commune",
                  "deciding_level": "commune", "days": days, "legal_basis": "Văn bản thử",
                  "counts_from_next_day": next_day})
    return found


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def receive(proc: Procedure, unit: Unit, when: dt.datetime, *, actor: Any = None, name: str = "Nguyễn Văn An",
            code: str = "") -> Dossier:
    return services.dossier_receive(actor=actor, procedure=proc, unit=unit, channel="in_person",
                                    applicant_name=name, received_at=when, code=code)
