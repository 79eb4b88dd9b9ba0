"""The demo province's one-off packages of Tết 2026 and the year's longevity gifts, as seed 001
reports them for Trà Vinh (now part of Vĩnh Long), each list built from the registers:

1. the President's Tết gift (Decision 01/QĐ-CTN of 05/01/2026): 600.000 đồng for the categories
   of the higher tier, war invalids and sick soldiers from 81 %, 300.000 for the other people with
   meritorious service — central budget, one gift per person at the highest tier;
2. the province's Tết gift to people with meritorious service: 500.000 đồng, local budget (each of
   its lines says the person is also in the President's gift: same purpose and period);
3. the province's Tết gift to near-poor households: 300.000 đồng per household (seed 001: 19.474
   households × 300.000 = 5.842.200.000 đồng), from the review round in force on the date;
4. longevity gifts (Law on the Elderly Art. 21; Circular 96/2018/TT-BTC): 700.000 đồng for those
   reaching 100 in 2026 (the President's, central), 500.000 for those reaching 90 (the province's);
5. Tết gifts to the children under 16 of poor households: 200.000 đồng, socialised funds.

Then part of the lists is marked paid by the post office (most lines, a few not collected), as the
paying agent's results would, so the pages show payment progress. Idempotent: a package is
created once (its key), and lines already reported are left as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Mod

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.lib.vietnamese import format_number

from .models import Package, PackageLine, PayStatus
from .packages import TierSpec, create_package

TET = dt.date(2026, 1, 20)
TET_PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 2, 28))
LONGEVITY = dt.date(2026, 3, 25)  # celebrated on Vietnam's Social Work Day, as seed 001's department did
PAID_ON = dt.date(2026, 2, 5)
HIGHER = ["merit_pre1945_fulltime", "merit_pre1945_parttime", "merit_pre_uprising", "merit_heroic_mother", "merit_hero",
          "merit_helper"]
RATED = ["merit_war_invalid", "merit_war_invalid_b", "merit_sick_soldier", "merit_toxic_chemical"]
OTHERS = [*RATED, "merit_resistance", "merit_former_prisoner", "merit_martyr_relative", "merit_martyr_spouse_remarried",
          "merit_toxic_chemical_child", "merit_survivor_pre1945", "merit_survivor_pre_uprising",
          "merit_survivor_invalid", "merit_survivor_sick_soldier", "merit_survivor_toxic_chemical"]


def _known(codes: list[str]) -> list[str]:
    from ansinh.benefits.models import Category

    return list(Category.objects.filter(code__in=codes).values_list("code", flat=True))


def packages_of(province: Unit) -> list[dict[str, object]]:
    """The demo's packages: create_package's arguments."""
    higher, others, rated = _known(HIGHER), _known(OTHERS), _known(RATED)
    merit_basis = "Quyết định số 01/QĐ-CTN ngày 05/01/2026 của Chủ tịch nước về việc tặng quà nhân dịp Tết Bính Ngọ"
    local_basis = "Kế hoạch số 12/KH-UBND ngày 08/01/2026 của Ủy ban nhân dân tỉnh về tổ chức Tết Bính Ngọ năm 2026"
    return [
        {"name": "Quà của Chủ tịch nước tặng người có công nhân dịp Tết Bính Ngọ 2026", "purpose": "tet",
         "field": "meritorious", "on": TET, "period": TET_PERIOD, "legal_basis": merit_basis, "tiers": [
             TierSpec(name="Mức 600.000 đồng", rule="category", params={"codes": higher}, per="person",
                      central=600_000),
             TierSpec(name="Thương binh, bệnh binh, người nhiễm chất độc hóa học từ 81%", rule="category",
                      params={"codes": rated, "min_rate": 81}, per="person", central=600_000),
             TierSpec(name="Mức 300.000 đồng", rule="category", params={"codes": others}, per="person",
                      central=300_000)]},
        {"name": "Quà Tết Bính Ngọ 2026 của tỉnh tặng người có công", "purpose": "tet", "field": "meritorious",
         "on": TET, "period": TET_PERIOD, "legal_basis": local_basis, "tiers": [
             TierSpec(name="Mức 500.000 đồng", rule="category", params={"codes": [*higher, *others]}, per="person",
                      local=500_000)]},
        {"name": "Quà Tết Bính Ngọ 2026 tặng hộ cận nghèo", "purpose": "tet", "field": "poverty", "on": TET,
         "period": TET_PERIOD, "legal_basis": local_basis, "tiers": [
             TierSpec(name="300.000 đồng/hộ", rule="household_status", params={"statuses": ["near_poor"]},
                      per="household", local=300_000)]},
        {"name": "Chúc thọ, mừng thọ người cao tuổi năm 2026", "purpose": "longevity", "field": "social_assistance",
         "on": LONGEVITY, "period": None,
         "legal_basis": "Luật Người cao tuổi 39/2009/QH12 Điều 21; Thông tư 96/2018/TT-BTC Điều 3", "tiers": [
             TierSpec(name="Tròn 100 tuổi (quà của Chủ tịch nước)", rule="age", params={"ages": [100], "year": 2026},
                      per="person", central=700_000),
             TierSpec(name="Tròn 90 tuổi (quà của Chủ tịch UBND tỉnh)", rule="age", params={"ages": [90], "year": 2026},
                      per="person", local=500_000)]},
        {"name": "Quà Tết Bính Ngọ 2026 tặng trẻ em thuộc hộ nghèo", "purpose": "tet", "field": "children", "on": TET,
         "period": TET_PERIOD, "legal_basis": "Vận động các tổ chức, nhà hảo tâm", "tiers": [
             TierSpec(name="Trẻ em dưới 16 tuổi thuộc hộ nghèo", rule="members_of_status",
                      params={"statuses": ["poor"], "under_age": 16}, per="person", socialised=200_000)]},
    ]


def _pay(package: Package) -> int:
    """The post office's results, as the demo has them: nine lines in ten paid, one in forty not
    collected (away), the rest not reported yet; only lines still pending (set-based updates,
    spread by id)."""
    pending = PackageLine.objects.filter(package=package, status=PayStatus.PENDING).alias(
        tenth=Mod("pk", 10), fortieth=Mod("pk", 40))
    pending.filter(fortieth=0).update(status=PayStatus.NOT_PAID, paid_amount=0, reason="Đi vắng, chưa nhận")
    return pending.exclude(tenth=0).update(status=PayStatus.PAID, paid_amount=F("amount"), paid_on=PAID_ON)


def generate(*, province: Unit, write: Callable[[str], None]) -> None:
    actor = Actor.system()
    for spec in packages_of(province):
        tiers = spec.pop("tiers")
        try:
            package, created = create_package(unit=province, tiers=tiers, actor=actor, **spec)  # type: ignore[arg-type]
        except ValidationError as error:
            write(f"Gói “{spec['name']}”: bỏ qua — {' '.join(error.messages)}")
            continue
        verb = "đã lập" if created else "đã có"
        write(f"Gói “{package.name}” {verb}: {format_number(package.recipients)} người/hộ, "
              f"{format_number(package.total)} đồng.")
        if package.on < dt.date(2026, 3, 1):  # the Tết lists were paid before Tết
            _pay(package)
