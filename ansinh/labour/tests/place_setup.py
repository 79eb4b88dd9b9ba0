"""Small fixtures of the place lane's tests: two households of Xã Trà Cú (Vĩnh Long) with citizen
IDs, and a provincial labour officer."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from ansinh.accounts.models import User
from ansinh.geo.models import Unit
from ansinh.households.models import Member
from ansinh.testing import make_household

HEAD_ID, SPOUSE_ID = "086080000001", "086182000002"
OTHER_HEAD_ID, OTHER_SPOUSE_ID = "086080000003", "086182000004"


def labour_officer(username: str = "thu", code: str = "86") -> User:
    from ansinh.accounts.services import unit_for_role, user_create

    unit = unit_for_role(role="provincial_officer", code=code)
    return user_create(username=username, password="correct-horse-battery", role="provincial_officer", unit=unit,
                       field="labour")


def register(people: Any, units: Any) -> SimpleNamespace:
    """Head Thạch Văn Sóc (male, Khmer, born 01/03/1980) and spouse Kim Thị Sa Ri (female, born
    02/05/1982) in Trà Cú; a second couple in Trà Cú; nobody elsewhere."""
    first = make_household(people.tung, units.tra_cu, "LAB-1", ids=(HEAD_ID, SPOUSE_ID))
    second = make_household(people.tung, units.tra_cu, "LAB-2", ids=(OTHER_HEAD_ID, OTHER_SPOUSE_ID),
                            head="Nguyễn Văn An", ethnicity="01")
    members = {m.citizen_id: m for m in Member.objects.filter(household__in=[first, second])}
    return SimpleNamespace(head=members[HEAD_ID], spouse=members[SPOUSE_ID], other_head=members[OTHER_HEAD_ID],
                           other_spouse=members[OTHER_SPOUSE_ID], households=(first, second))


def commune_of(member: Member) -> Unit:
    return member.household.commune


def day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()
