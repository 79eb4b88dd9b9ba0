"""Care facilities and drug rehabilitation of the demo province (`ansinh demo care --province 86`).

Seed 001 reports, for the first quarter: the social protection centre "Quyết định tiếp nhận 08 đối
tượng, Quyết định dừng trợ giúp 15 đối tượng, … đang chăm sóc, nuôi dưỡng 155 đối tượng (37 người
cao tuổi, người khuyết tật; 104 người tâm thần; 14 em mồ côi)"; the rehabilitation facility
"tiếp nhận 25 học viên (19 bắt buộc, 06 tự nguyện); … tái hòa nhập cộng đồng 30 học viên (25 bắt
buộc, 05 tự nguyện) … đang quản lý 100 học viên (97 bắt buộc, 03 tự nguyện)". The province's
2025-Q1 is made of exactly those decisions, on top of the residents present at the end of 2024
(162 at the centre, 105 at the rehabilitation facility) and of earlier stays; the months after it,
up to today, have a few admissions and discharges each, and a commune's social work centre opens
in April 2025, so that lists and the occupancy table are real.

Three of the five voluntary residents reintegrated in the quarter were admitted in January and
moved on to voluntary rehabilitation at home and in the community in March (Law 73/2021/QH14 Art.
28): the seed's figures leave no other way (2 voluntary residents at the end of 2024).

Deterministic (`random.Random(seed)`), written in bulk with one audit row per facility;
idempotent (the demo facilities' residents are replaced)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.vietnamese import fold

from .models_facilities import (
    AFTERCARE_MONTHS,
    KIND_FIELD,
    REINTEGRATED,
    DischargeReason,
    Facility,
    FacilityKind,
    Ownership,
    RehabKind,
    RehabStage,
    Resident,
    ResidentCategory,
    add_months,
)

PREFIX = "DEMO-"
Q1_START, Q1_END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
YEAR_END = dt.date(2024, 12, 31)

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Thạch", "Sơn", "Kim", "Đặng", "Bùi", "Dương"]
MIDDLE = {"male": ["Văn", "Minh", "Hữu", "Quốc", "Thanh"], "female": ["Thị", "Ngọc", "Kim", "Thanh", "Mỹ"]}
GIVEN = {"male": ["An", "Bình", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Phúc", "Sang", "Tài", "Tuấn", "Vinh"],
         "female": ["Chi", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Thảo", "Trang", "Vân", "Yến", "Xuân"]}


class _Maker:
    """Builds the stays of one facility (unsaved), with decision numbers in sequence."""

    def __init__(self, rng: random.Random, facility: Facility, communes: list[Unit], decided_by: str,
                 symbol: str) -> None:
        self.rng, self.facility, self.communes = rng, facility, communes
        self.decided_by, self.symbol = decided_by, symbol
        self.rows: list[Resident] = []
        self.numbers: dict[int, int] = {}

    def _number(self, day: dt.date) -> str:
        self.numbers[day.year] = self.numbers.get(day.year, 0) + 1
        return f"{self.numbers[day.year]:03d}/{day.year}/QĐ-{self.symbol}"

    def admit(self, *, category: ResidentCategory, on: dt.date, born: tuple[int, int], rehab_kind: str = "",
              term: int | None = None, reason: str = "") -> Resident:
        rng = self.rng
        sex = rng.choice(["male", "male", "female"]) if self.facility.is_rehab is False else "male"
        if self.facility.is_rehab and rng.random() < 0.05:
            sex = "female"
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        birth = dt.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
        decided_by = self.decided_by
        if rehab_kind == RehabKind.COMPULSORY:
            decided_by = "Tòa án nhân dân khu vực (quyết định áp dụng biện pháp đưa vào cơ sở cai nghiện bắt buộc)"
        resident = Resident(
            facility=self.facility, full_name=name, search_name=fold(name), sex=sex, birth_date=birth,
            home_commune=rng.choice(self.communes) if self.communes else None, category=category,
            admission_number=self._number(on), admitted_on=on, admission_decided_by=decided_by,
            admission_reason=reason, rehab_kind=rehab_kind, term_months=term,
            stage=RehabStage.INTAKE if self.facility.is_rehab else None)
        self.rows.append(resident)
        return resident

    def discharge(self, resident: Resident, *, on: dt.date, reason: str, note: str = "") -> None:
        resident.discharged_on, resident.discharge_reason, resident.discharge_note = on, reason, note
        resident.discharge_number = self._number(on).replace("QĐ-", "QĐ-DTG-")
        if self.facility.is_rehab:
            resident.stage = RehabStage.REINTEGRATION if reason in REINTEGRATED else resident.stage
            if reason in REINTEGRATED:
                resident.aftercare_commune = resident.home_commune
                resident.aftercare_until = add_months(on, AFTERCARE_MONTHS)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _months(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    out = []
    month = first.replace(day=1)
    while month <= last:
        end = add_months(month, 1) - dt.timedelta(days=1)
        out.append((month, min(end, last)))
        month = end + dt.timedelta(days=1)
    return out


def _facility(code: str, **fields: Any) -> Facility:
    found = Facility.objects.filter(code=code).first()
    kind = fields["kind"]
    values = {**fields, "field": KIND_FIELD[FacilityKind(kind)]}
    if found is None:
        return Facility.objects.create(code=code, **values)
    for name, value in values.items():
        setattr(found, name, value)
    found.save()
    return found


def _care_centre(rng: random.Random, maker: _Maker, cats: dict[str, ResidentCategory], today: dt.date) -> None:
    """The provincial social protection centre: 162 present at the end of 2024, seed 001's quarter,
    then a few decisions a month."""
    born = {"elderly": (1930, 1960), "disabled": (1955, 1995), "mental_illness": (1950, 1995), "orphan": (2010, 2020)}
    base: dict[str, list[Resident]] = {}
    for code, n in [("elderly", 24), ("disabled", 16), ("mental_illness", 107), ("orphan", 15)]:
        base[code] = [maker.admit(category=cats[code], on=_day(rng, dt.date(2015, 1, 5), dt.date(2024, 12, 20)),
                                  born=born[code], reason="Không nơi nương tựa, không tự lo được cuộc sống")
                      for _ in range(n)]
    for code in ("elderly", "mental_illness"):  # earlier stays, ended before 2025
        for _ in range(12):
            stay = maker.admit(category=cats[code], on=_day(rng, dt.date(2015, 1, 5), dt.date(2022, 12, 31)),
                               born=born[code])
            maker.discharge(stay, on=_day(rng, stay.admitted_on + dt.timedelta(days=200), dt.date(2024, 12, 15)),
                            reason=rng.choice([DischargeReason.RETURNED_FAMILY, DischargeReason.DEATH]))
    # Seed 001's quarter: 8 admissions, 15 discharges (stays admitted before 2025).
    for code, n in [("elderly", 2), ("disabled", 1), ("mental_illness", 4), ("orphan", 1)]:
        for _ in range(n):
            maker.admit(category=cats[code], on=_day(rng, Q1_START + dt.timedelta(days=3), Q1_END), born=born[code],
                        reason="Không nơi nương tựa, không tự lo được cuộc sống")
    plan = [("elderly", 4, DischargeReason.DEATH), ("disabled", 2, DischargeReason.RETURNED_FAMILY),
            ("mental_illness", 5, DischargeReason.RETURNED_FAMILY), ("mental_illness", 2, DischargeReason.TRANSFERRED),
            ("orphan", 2, DischargeReason.RETURNED_FAMILY)]
    leaving: list[Resident] = []
    for code, n, reason in plan:
        for stay in rng.sample([s for s in base[code] if s not in leaving], n):
            leaving.append(stay)
            maker.discharge(stay, on=_day(rng, Q1_START + dt.timedelta(days=5), Q1_END), reason=reason)
    # The months after, up to today.
    open_stays = [s for stays in base.values() for s in stays if s.discharged_on is None]
    for first, last in _months(dt.date(2025, 4, 1), today):
        for _ in range(rng.randint(1, 3)):
            code = rng.choice(["elderly", "disabled", "mental_illness", "mental_illness", "orphan"])
            open_stays.append(maker.admit(category=cats[code], on=_day(rng, first, last), born=born[code]))
        for _ in range(rng.randint(0, 2)):
            candidates = [s for s in open_stays if s.discharged_on is None and s.admitted_on < first]
            if candidates:
                maker.discharge(rng.choice(candidates), on=_day(rng, first, last),
                                reason=rng.choice([DischargeReason.RETURNED_FAMILY, DischargeReason.DEATH,
                                                   DischargeReason.REINTEGRATION]))


def _rehab(rng: random.Random, maker: _Maker, drug: ResidentCategory, today: dt.date) -> None:
    """The rehabilitation facility: 105 present at the end of 2024 (103 compulsory, 2 voluntary),
    seed 001's quarter, then admissions each month and discharges at the end of each term."""
    adult = (1975, 2005)
    compulsory, voluntary = RehabKind.COMPULSORY, RehabKind.VOLUNTARY
    # 25 compulsory stays ending in the quarter at the end of their term.
    for _ in range(25):
        end = _day(rng, Q1_START + dt.timedelta(days=2), Q1_END)
        term = rng.choice([12, 18, 24])
        stay = maker.admit(category=drug, on=add_months(end, -term), born=adult, rehab_kind=compulsory, term=term)
        maker.discharge(stay, on=end, reason=DischargeReason.END_OF_TERM)
    # 78 compulsory stays present at the end of 2024 whose term ends after the quarter.
    for _ in range(78):
        term = rng.choice([12, 18, 24])
        end = _day(rng, dt.date(2025, 4, 5), add_months(YEAR_END, term) - dt.timedelta(days=1))
        maker.admit(category=drug, on=add_months(end, -term), born=adult, rehab_kind=compulsory, term=term)
    # 2 voluntary stays of 6 months ending in the quarter.
    for _ in range(2):
        end = _day(rng, dt.date(2025, 1, 10), dt.date(2025, 2, 28))
        stay = maker.admit(category=drug, on=add_months(end, -6), born=adult, rehab_kind=voluntary, term=6)
        maker.discharge(stay, on=end, reason=DischargeReason.END_OF_TERM)
    # Earlier stays, ended before 2025.
    for _ in range(40):
        term = rng.choice([12, 18, 24])
        stay = maker.admit(category=drug, on=_day(rng, dt.date(2020, 1, 1), dt.date(2022, 6, 30)), born=adult,
                           rehab_kind=compulsory, term=term)
        maker.discharge(stay, on=add_months(stay.admitted_on, term), reason=DischargeReason.END_OF_TERM)
    # Seed 001's quarter: 19 compulsory and 6 voluntary admissions; 3 of the voluntary move on to
    # rehabilitation at home and in the community in March.
    for _ in range(19):
        maker.admit(category=drug, on=_day(rng, Q1_START + dt.timedelta(days=2), Q1_END), born=adult,
                    rehab_kind=compulsory, term=rng.choice([12, 18, 24]))
    for index in range(6):
        stay = maker.admit(category=drug, on=_day(rng, dt.date(2025, 1, 2), dt.date(2025, 1, 20) if index < 3 else Q1_END),
                           born=adult, rehab_kind=voluntary, term=rng.choice([6, 6, 12]))
        if index < 3:
            maker.discharge(stay, on=_day(rng, dt.date(2025, 3, 1), Q1_END), reason=DischargeReason.REINTEGRATION,
                            note="Chuyển sang cai nghiện tự nguyện tại gia đình, cộng đồng")
    for first, last in _months(dt.date(2025, 4, 1), today):
        for _ in range(rng.randint(2, 5)):
            maker.admit(category=drug, on=_day(rng, first, last), born=adult, rehab_kind=compulsory,
                        term=rng.choice([12, 18, 24]))
        if rng.random() < 0.5:
            maker.admit(category=drug, on=_day(rng, first, last), born=adult, rehab_kind=voluntary,
                        term=rng.choice([6, 12]))
    # Every stay whose term ended before today ends then; the stage of the others follows the time spent.
    for stay in maker.rows:
        if stay.discharged_on is not None or not stay.term_months:
            continue
        end = add_months(stay.admitted_on, stay.term_months)
        if end <= today and end > Q1_END:
            maker.discharge(stay, on=end, reason=DischargeReason.END_OF_TERM)
        else:
            spent = (today - stay.admitted_on).days / max(1, (end - stay.admitted_on).days)
            stay.stage = min(5, 1 + int(spent * 5))


def _social_work(rng: random.Random, maker: _Maker, cats: dict[str, ResidentCategory], today: dt.date) -> None:
    """A commune's social work centre, opened in April 2025: short stays of people in need of urgent
    protection and of children."""
    for first, last in _months(dt.date(2025, 4, 1), today):
        for _ in range(rng.randint(0, 2)):
            code = rng.choice(["urgent_protection", "urgent_protection", "orphan"])
            stay = maker.admit(category=cats[code], on=_day(rng, first, last),
                               born=(2010, 2020) if code == "orphan" else (1960, 2005),
                               reason="Cần sự bảo vệ khẩn cấp" if code == "urgent_protection" else "Mồ côi cả cha và mẹ")
            leave = stay.admitted_on + dt.timedelta(days=rng.randint(20, 120))
            if leave < today:
                maker.discharge(stay, on=leave, reason=rng.choice([DischargeReason.RETURNED_FAMILY,
                                                                   DischargeReason.REINTEGRATION]))


def _lower_first(name: str) -> str:
    """ "Tỉnh Vĩnh Long" -> "tỉnh Vĩnh Long" (inside a facility's name)."""
    return name[:1].lower() + name[1:]


@transaction.atomic
def run(*, province: Unit, write: Callable[[str], None] = print, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    today = timezone.localdate()
    communes = list(Unit.objects.filter(path__under=province.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                    .order_by("code"))
    cats = {c.code: c for c in ResidentCategory.objects.filter(valid_to__isnull=True)}
    code = province.code
    place = _lower_first(province.name)  # "tỉnh Vĩnh Long"
    centre = _facility(f"{PREFIX}{code}-BTXH", name=f"Trung tâm Bảo trợ xã hội {place}",
                       kind=FacilityKind.SOCIAL_PROTECTION, ownership=Ownership.PUBLIC, unit=province, capacity=200,
                       address=f"{province.name}", established_by="Quyết định của Ủy ban nhân dân tỉnh",
                       opened_on=dt.date(2010, 1, 1))
    rehab = _facility(f"{PREFIX}{code}-CNMT", name=f"Cơ sở Cai nghiện ma túy {place}",
                      kind=FacilityKind.REHAB, ownership=Ownership.PUBLIC, unit=province, capacity=150,
                      address=f"{province.name}", established_by="Quyết định của Ủy ban nhân dân tỉnh",
                      opened_on=dt.date(2010, 1, 1))
    facilities = [centre, rehab]
    if communes:
        commune = communes[0]
        facilities.append(_facility(
            f"{PREFIX}{code}-CTXH", name=f"Trung tâm Công tác xã hội {_lower_first(commune.name)}", kind=FacilityKind.SOCIAL_WORK,
            ownership=Ownership.PUBLIC, unit=commune, capacity=30, address=commune.name,
            established_by="Quyết định của Ủy ban nhân dân xã", opened_on=dt.date(2025, 4, 1)))
    Resident.objects.filter(facility__in=facilities).delete()
    makers = [_Maker(rng, centre, communes, "Giám đốc Trung tâm Bảo trợ xã hội", "TTBTXH"),
              _Maker(rng, rehab, communes, "Giám đốc Cơ sở Cai nghiện ma túy", "CSCN")]
    _care_centre(rng, makers[0], cats, today)
    _rehab(rng, makers[1], cats["drug_user"], today)
    if len(facilities) > 2:
        makers.append(_Maker(rng, facilities[2], communes[:1], "Giám đốc Trung tâm Công tác xã hội", "TTCTXH"))
        _social_work(rng, makers[2], cats, today)
    made: dict[str, int] = {"care_facilities": len(facilities)}
    for maker in makers:
        Resident.objects.bulk_create(maker.rows, batch_size=1000)
        audit.record(actor=Actor.system(), action=AuditAction.CARE_RESIDENT_IMPORT, obj=maker.facility,
                     unit=maker.facility.unit, after={"demo": True, "residents": len(maker.rows)})
    made["care_residents"] = sum(len(m.rows) for m in makers)
    present = Resident.objects.filter(facility__in=facilities).present().count()
    write(f"{province.name}: {len(facilities)} cơ sở trợ giúp xã hội và cai nghiện ma túy, {made['care_residents']} "
          f"lượt đối tượng (đang chăm sóc, quản lý {present}).")
    return made


__all__ = ["run"]
