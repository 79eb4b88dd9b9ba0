"""What the de-duplication tests start from: the officers of the people-served tests (Xã Trà Cú
29461, Vĩnh Long 86) and the same woman registered twice, in Trà Cú and in another commune of the
province, with a spelling variant and no citizen ID on the second record."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from ansinh.accounts.services import unit_for_role, user_create
from ansinh.benefits.tests.pages_setup import PASSWORD, SYSTEM, officers, person
from ansinh.dedup.models import DuplicatePair, Method
from ansinh.households.models import Member



def other_commune() -> str:
    """The code of another current commune of Vĩnh Long (86) than Trà Cú."""
    from ansinh.geo.models import Edition, Level, Unit

    tra_cu = unit_for_role(role="commune_officer", code="29461")
    other = (Unit.objects.filter(level=Level.COMMUNE, edition=Edition.CURRENT, parent_id=tra_cu.parent_id)
             .exclude(pk=tra_cu.pk).order_by("code").first())
    assert other is not None
    return other.code


def pair_of(a: Member, b: Member, *, probability: float = 0.97, method: str = Method.LINKAGE) -> DuplicatePair:
    left, right = sorted([a, b], key=lambda m: m.pk)
    return DuplicatePair.objects.create(left=left, right=right, method=method, probability=probability,
                                        evidence={"full": "close", "birth_date": "exact"})


def twins() -> SimpleNamespace:
    """Officers, plus: `hoa` (Trà Cú, with a citizen ID) and `hoa2` (the other commune, tones
    dropped, no ID) — one person; `khac` (Trà Cú) another person born the same day; and
    `tu`, a commune officer of the other commune; `po`, the provincial officer of the register
    (poverty field: decides pairs across communes)."""
    who = officers()
    code = other_commune()
    tu = user_create(username="tu", password=PASSWORD, role="commune_officer",
                     unit=unit_for_role(role="commune_officer", code=code))
    hoa = person("TC-100", "Huỳnh Thị Hoa", dt.date(1952, 4, 17), sex="female", citizen_id="084152000101")
    hoa2 = person("OT-100", "Hoang Thi Hoa", dt.date(1952, 4, 17), sex="female", commune_code=code)
    khac = person("TC-101", "Trần Văn Khắc", dt.date(1952, 4, 17))
    po = user_create(username="po", password=PASSWORD, role="provincial_officer",
                     unit=unit_for_role(role="provincial_officer", code="86"), field="poverty")
    return SimpleNamespace(**vars(who), tu=tu, po=po, hoa=hoa, hoa2=hoa2, khac=khac, system=SYSTEM)
