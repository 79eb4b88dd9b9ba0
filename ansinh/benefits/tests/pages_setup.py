"""What the tests of the people-served pages start from: named officers of each kind around Xã
Trà Cú (29461, Vĩnh Long 86), and a few beneficiaries of each scheme in the register."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from ansinh.accounts.audit import Actor
from ansinh.accounts.services import unit_for_role, user_create
from ansinh.benefits import services
from ansinh.benefits.models import Entitlement
from ansinh.households import services as register
from ansinh.households.models import Member

PASSWORD = "correct-horse-battery"
SYSTEM = Actor.system()


def officers() -> SimpleNamespace:
    """- lan: commune officer of Xã Trà Cú (29461)
    - an: provincial officer of Vĩnh Long, field social_assistance (social assistance, social pension)
    - cong: provincial officer of Vĩnh Long, field meritorious
    - lao: provincial officer of Vĩnh Long, field labour (sees no record)
    - bao: provincial leader of Vĩnh Long (reads, changes nothing)
    - binh: commune officer of Phường Ba Đình (Hà Nội), an outsider"""
    spec = {
        "lan": ("commune_officer", "29461", ""),
        "an": ("provincial_officer", "86", "social_assistance"),
        "cong": ("provincial_officer", "86", "meritorious"),
        "lao": ("provincial_officer", "86", "labour"),
        "bao": ("provincial_leader", "86", ""),
        "binh": ("commune_officer", "00004", ""),
    }
    made: dict[str, Any] = {}
    for username, (role, code, field) in spec.items():
        made[username] = user_create(username=username, password=PASSWORD, role=role,
                                     unit=unit_for_role(role=role, code=code), field=field)
    return SimpleNamespace(**made)


def person(household_code: str, full_name: str, born: dt.date, *, citizen_id: str | None = None,
           commune_code: str = "29461", sex: str = "male", relation: str = "head") -> Member:
    from ansinh.households.models import Household

    commune = unit_for_role(role="commune_officer", code=commune_code)
    household = Household.objects.filter(code=household_code).first() or register.household_create(
        actor=SYSTEM, commune=commune, code=household_code)
    return register.member_add(actor=SYSTEM, household=household, full_name=full_name, citizen_id=citizen_id,
                               sex=sex, birth_date=born, relation=relation)


def beneficiaries() -> SimpleNamespace:
    """A severely disabled man (social assistance, since 2025), a social pensioner of 78, a war
    invalid of 61 % (merit), all of Xã Trà Cú; and a social-assistance beneficiary of Ba Đình."""
    soc = person("TC-1", "Thạch Văn Sóc", dt.date(1970, 3, 1), citizen_id="084070000001")
    ba = person("TC-2", "Nguyễn Thị Ba", dt.date(1948, 5, 2), sex="female", citizen_id="084148000002")
    dung = person("TC-3", "Lê Văn Dũng", dt.date(1950, 1, 9), citizen_id="084050000003")
    hanoi = person("BD-1", "Trần Văn Hà", dt.date(1980, 1, 1), commune_code="00004")
    disability = services.create_entitlement(SYSTEM, soc, "sa_disability_severe", decision_number="12/QĐ-UBND",
                                             decision_date=dt.date(2025, 3, 10), decision_signer="Chủ tịch UBND huyện")
    pension = services.create_entitlement(SYSTEM, ba, "social_pension", decision_number="31/QĐ-UBND",
                                          decision_date=dt.date(2025, 8, 5), decision_signer="Chủ tịch UBND xã")
    invalid = services.create_entitlement(SYSTEM, dung, "merit_war_invalid", decision_number="7/QĐ-SNV",
                                          decision_date=dt.date(2024, 2, 1), rate=61,
                                          recognised_on=dt.date(2024, 1, 15))
    elsewhere = services.create_entitlement(SYSTEM, hanoi, "sa_disability_severe", decision_number="1/QĐ",
                                            decision_date=dt.date(2025, 3, 10))
    return SimpleNamespace(soc=soc, ba=ba, dung=dung, hanoi=hanoi, disability=disability, pension=pension,
                           invalid=invalid, elsewhere=elsewhere)


def more_disabled(n: int, start: int = 10) -> list[Entitlement]:
    """`n` more severely disabled people of Xã Trà Cú with their entitlement."""
    out = []
    for i in range(start, start + n):
        member = person(f"TC-{i}", f"Người Số {i}", dt.date(1960, 1, 1) + dt.timedelta(days=i))
        out.append(services.create_entitlement(SYSTEM, member, "sa_disability_severe", decision_number=f"{i}/QĐ",
                                               decision_date=dt.date(2025, 3, 10)))
    return out
