"""Workflows of care facilities and drug rehabilitation (issue 14 item 2): register a facility,
admit a resident (admission decision), move a rehabilitation resident to a stage, discharge
(discharge decision), and the monthly occupancy computed set-based.

Every change writes an audit row in its transaction; a refusal raises ValidationError with a
message in Vietnamese (by field where a form shows it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member, Sex
from ansinh.lib.citizen_id import CitizenIdError, check_citizen_id

from .models_facilities import (
    AFTERCARE_MONTHS,
    KIND_FIELD,
    REHAB_TERMS,
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

FACILITY_FIELDS = ["code", "name", "kind", "ownership", "field", "unit", "capacity", "address", "established_by",
                   "opened_on", "closed_on"]
RESIDENT_FIELDS = ["facility", "member", "full_name", "sex", "birth_date", "home_commune", "category",
                   "admission_number", "admitted_on", "admission_decided_by", "admission_reason", "rehab_kind",
                   "stage", "term_months", "discharge_number", "discharged_on", "discharge_reason", "discharge_note",
                   "aftercare_commune", "aftercare_until"]


def _snapshot(resident: Resident) -> dict[str, object]:
    out = audit.snapshot(resident, RESIDENT_FIELDS)
    out["citizen_id"] = bool(resident.citizen_id)  # the number itself stays out of the audit log
    return out


# --- Facilities -------------------------------------------------------------------------------


@transaction.atomic
def facility_create(*, actor: Actor, code: str, name: str, kind: str, ownership: str, unit: Unit, capacity: int,
                    address: str = "", established_by: str = "", opened_on: dt.date | None = None) -> Facility:
    """Registers a facility of `kind` belonging to `unit` (a province or a commune of the current
    map). Compulsory rehabilitation is carried out only at public facilities (Law 73/2021/QH14
    Art. 28), so a private rehabilitation facility takes voluntary residents only."""
    errors: dict[str, str] = {}
    if unit.edition != Edition.CURRENT or unit.level not in (Level.PROVINCE, Level.COMMUNE):
        errors["unit"] = "Cơ sở phải thuộc một tỉnh hoặc một xã, phường của bản đồ hành chính hiện hành."
    if kind not in FacilityKind.values:
        errors["kind"] = "Loại cơ sở không hợp lệ."
    if ownership not in Ownership.values:
        errors["ownership"] = "Hình thức sở hữu không hợp lệ."
    if capacity < 1:
        errors["capacity"] = "Công suất phải lớn hơn 0."
    if not code.strip():
        errors["code"] = "Chưa nhập mã cơ sở."
    elif Facility.objects.filter(code=code.strip()).exists():
        errors["code"] = f"Mã cơ sở {code.strip()} đã có."
    if not name.strip():
        errors["name"] = "Chưa nhập tên cơ sở."
    if errors:
        raise ValidationError(errors)
    facility = Facility(code=code.strip(), name=name.strip(), kind=kind, ownership=ownership,
                        field=KIND_FIELD[FacilityKind(kind)], unit=unit, capacity=capacity, address=address.strip(),
                        established_by=established_by.strip(), opened_on=opened_on)
    facility.full_clean()
    facility.save()
    audit.record(actor=actor, action=AuditAction.CARE_FACILITY_CREATE, obj=facility, unit=unit,
                 after=audit.snapshot(facility, FACILITY_FIELDS))
    return facility


@transaction.atomic
def facility_update(*, actor: Actor, facility: Facility, name: str, capacity: int, address: str,
                    closed_on: dt.date | None) -> Facility:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Chưa nhập tên cơ sở."
    if capacity < 1:
        errors["capacity"] = "Công suất phải lớn hơn 0."
    if closed_on is not None and facility.residents.filter(Q(discharged_on__isnull=True)
                                                           | Q(discharged_on__gt=closed_on)).exists():
        errors["closed_on"] = "Cơ sở còn đối tượng đang chăm sóc sau ngày này: chưa thể ghi ngày giải thể."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(facility, FACILITY_FIELDS)
    facility.name, facility.capacity, facility.address, facility.closed_on = name.strip(), capacity, address.strip(), closed_on
    facility.full_clean()
    facility.save(update_fields=["name", "capacity", "address", "closed_on", "updated_at"])
    audit.record(actor=actor, action=AuditAction.CARE_FACILITY_UPDATE, obj=facility, unit=facility.unit,
                 before=before, after=audit.snapshot(facility, FACILITY_FIELDS))
    return facility


# --- Residents --------------------------------------------------------------------------------


def categories_for(facility: Facility, on: dt.date) -> list[ResidentCategory]:
    """The categories in force on `on` for the facility's kind (rehabilitation or care)."""
    rows = ResidentCategory.objects.filter(for_rehab=facility.is_rehab, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return list(rows.order_by("order", "code"))


@dataclass(frozen=True)
class Admission:
    """What an admission decision says (a form, a row of an import, the API)."""

    admission_number: str
    admitted_on: dt.date
    admission_decided_by: str
    category: ResidentCategory
    member: Member | None = None
    full_name: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    citizen_id: str = ""
    home_commune: Unit | None = None
    admission_reason: str = ""
    rehab_kind: str = ""
    term_months: int | None = None
    stage: int | None = None


def admission_problems(facility: Facility, data: Admission, *, today: dt.date | None = None) -> dict[str, str]:
    """Why `data` cannot be admitted to `facility`, by field (empty when it can). Overlaps with
    other stays of the same person are checked by `_overlap` inside the transaction."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not data.admission_number.strip():
        errors["admission_number"] = "Chưa nhập số quyết định tiếp nhận."
    if not data.admission_decided_by.strip():
        errors["admission_decided_by"] = "Chưa nhập người, cơ quan ra quyết định tiếp nhận."
    if data.admitted_on > today:
        errors["admitted_on"] = "Ngày tiếp nhận không được sau ngày hôm nay."
    elif facility.opened_on and data.admitted_on < facility.opened_on:
        errors["admitted_on"] = f"Cơ sở bắt đầu hoạt động từ {facility.opened_on:%d/%m/%Y}."
    elif facility.closed_on and data.admitted_on > facility.closed_on:
        errors["admitted_on"] = f"Cơ sở đã giải thể từ {facility.closed_on:%d/%m/%Y}."
    if data.category.for_rehab != facility.is_rehab:
        errors["category"] = ("Cơ sở cai nghiện chỉ tiếp nhận người nghiện ma túy." if facility.is_rehab
                              else "Đối tượng này không thuộc diện chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội.")
    elif not data.category.in_force(data.admitted_on):
        errors["category"] = f"Diện đối tượng «{data.category.name}» không có hiệu lực vào ngày tiếp nhận."
    if data.member is None:
        if not data.full_name.strip():
            errors["full_name"] = "Chưa nhập họ và tên (hoặc chọn người trong sổ hộ)."
        if data.sex not in Sex.values:
            errors["sex"] = "Chưa chọn giới tính."
        if data.birth_date and data.birth_date > data.admitted_on:
            errors["birth_date"] = "Ngày sinh sau ngày tiếp nhận."
        if data.citizen_id:
            try:
                check_citizen_id(data.citizen_id)
            except CitizenIdError as exc:
                errors["citizen_id"] = str(exc)
    if facility.is_rehab:
        if data.rehab_kind not in RehabKind.values:
            errors["rehab_kind"] = "Chưa chọn hình thức cai nghiện (bắt buộc hoặc tự nguyện)."
        else:
            if data.rehab_kind == RehabKind.COMPULSORY and facility.ownership != Ownership.PUBLIC:
                errors["rehab_kind"] = ("Cai nghiện bắt buộc chỉ thực hiện tại cơ sở cai nghiện công lập "
                                        "(Luật Phòng, chống ma túy, Điều 28).")
            low, high = REHAB_TERMS[RehabKind(data.rehab_kind)]
            if data.term_months is None or not low <= data.term_months <= high:
                kind = "bắt buộc" if data.rehab_kind == RehabKind.COMPULSORY else "tự nguyện"
                errors["term_months"] = f"Thời hạn cai nghiện {kind} từ {low} đến {high} tháng."
        if data.stage is not None and data.stage not in RehabStage.values:
            errors["stage"] = "Giai đoạn cai nghiện không hợp lệ."
    elif data.rehab_kind or data.term_months or data.stage:
        errors["rehab_kind"] = "Hình thức, giai đoạn và thời hạn cai nghiện chỉ dành cho cơ sở cai nghiện ma túy."
    return errors


def _person_stays(*, member: Member | None, citizen_id: str) -> Q | None:
    if member is not None:
        return Q(member=member) | (Q(citizen_id=member.citizen_id) if member.citizen_id else Q(pk__in=[]))
    if citizen_id:
        return Q(citizen_id=citizen_id)
    return None


def _overlap(*, person: Q | None, start: dt.date, end: dt.date | None, exclude: int | None = None) -> Resident | None:
    """Another stay of the same person overlapping [start, end) (a discharge and an admission on
    the same day, a transfer, do not overlap)."""
    if person is None:
        return None
    stays = Resident.objects.filter(person).select_related("facility")
    if exclude is not None:
        stays = stays.exclude(pk=exclude)
    clash = Q(discharged_on__isnull=True) | Q(discharged_on__gt=start)
    if end is not None:
        clash &= Q(admitted_on__lt=end)
    return stays.filter(clash).order_by("admitted_on").first()


def _overlap_message(other: Resident) -> str:
    until = f" đến {other.discharged_on:%d/%m/%Y}" if other.discharged_on else " (chưa có quyết định dừng trợ giúp)"
    return (f"Người này đang ở {other.facility.name} từ {other.admitted_on:%d/%m/%Y}{until}: "
            "một người không thể ở hai cơ sở cùng lúc.")


@transaction.atomic
def resident_admit(*, actor: Actor, facility: Facility, data: Admission) -> Resident:
    """Admits a person by an admission decision.

    1. Checks the decision (`admission_problems`) and the capacity (open stays < capacity).
    2. A person of the register brings her name, sex, birth date, citizen ID and commune.
    3. Refuses a stay overlapping another stay of the same person (the constraints keep one open
       stay per person; earlier stays are checked here).
    4. Saves, with the stage at intake for rehabilitation, and writes the audit row."""
    errors = admission_problems(facility, data)
    if not errors:
        Facility.objects.select_for_update().filter(pk=facility.pk).first()  # admissions one at a time per facility
        if facility.residents.filter(discharged_on__isnull=True).count() >= facility.capacity:
            errors["facility"] = f"{facility.name} đã đủ công suất ({facility.capacity} người)."
    member = data.member
    citizen_id = (member.citizen_id or "") if member is not None else data.citizen_id.strip()
    if not errors:
        other = _overlap(person=_person_stays(member=member, citizen_id=citizen_id), start=data.admitted_on, end=None)
        if other is not None:
            errors["admitted_on"] = _overlap_message(other)
    if errors:
        raise ValidationError(errors)
    resident = Resident(
        facility=facility, member=member, category=data.category,
        full_name=member.full_name if member else data.full_name.strip(),
        sex=member.sex if member else data.sex,
        birth_date=member.birth_date if member else data.birth_date,
        citizen_id=citizen_id,
        home_commune=member.household.commune if member else data.home_commune,
        admission_number=data.admission_number.strip(), admitted_on=data.admitted_on,
        admission_decided_by=data.admission_decided_by.strip(), admission_reason=data.admission_reason.strip(),
        rehab_kind=data.rehab_kind if facility.is_rehab else "",
        stage=(data.stage or RehabStage.INTAKE) if facility.is_rehab else None,
        term_months=data.term_months if facility.is_rehab else None)
    resident.set_derived_fields()
    if Resident.objects.filter(facility=facility, admission_number=resident.admission_number).exists():
        raise ValidationError({"admission_number": f"Số quyết định {resident.admission_number} đã được ghi "
                                                   "cho một đối tượng khác của cơ sở."})
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:  # a concurrent admission of the same person
        raise ValidationError({"admitted_on": "Người này đang ở một cơ sở khác: một người không thể ở hai cơ sở "
                                              "cùng lúc."}) from exc
    audit.record(actor=actor, action=AuditAction.CARE_RESIDENT_ADMIT, obj=resident, unit=facility.unit,
                 after=_snapshot(resident))
    return resident


@transaction.atomic
def resident_discharge(*, actor: Actor, resident: Resident, number: str, discharged_on: dt.date, reason: str,
                       note: str = "", today: dt.date | None = None) -> Resident:
    """Discharges a resident by a discharge decision (quyết định dừng trợ giúp; for rehabilitation,
    the end of the stay). A rehabilitation resident leaving at the end of the term or reintegrated
    goes under after-rehabilitation management by her commune of residence for AFTERCARE_MONTHS
    (Law 73/2021/QH14 Art. 40). The transition is `filter(open).update(…)`, so two clerks never
    discharge the same stay twice."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if resident.discharged_on is not None:
        errors["discharged_on"] = f"Đối tượng đã có quyết định dừng trợ giúp ngày {resident.discharged_on:%d/%m/%Y}."
    elif discharged_on < resident.admitted_on:
        errors["discharged_on"] = f"Ngày dừng trợ giúp trước ngày tiếp nhận ({resident.admitted_on:%d/%m/%Y})."
    elif discharged_on > today:
        errors["discharged_on"] = "Ngày dừng trợ giúp không được sau ngày hôm nay."
    if not number.strip():
        errors["number"] = "Chưa nhập số quyết định dừng trợ giúp."
    if reason not in DischargeReason.values:
        errors["reason"] = "Chưa chọn lý do dừng trợ giúp."
    if errors:
        raise ValidationError(errors)
    before = _snapshot(resident)
    aftercare_commune, aftercare_until = None, None
    if resident.facility.is_rehab and reason in REINTEGRATED:
        aftercare_commune = resident.home_commune
        aftercare_until = add_months(discharged_on, AFTERCARE_MONTHS)
    changed = Resident.objects.filter(pk=resident.pk, discharged_on__isnull=True).update(
        discharge_number=number.strip(), discharged_on=discharged_on, discharge_reason=reason,
        discharge_note=note.strip(), aftercare_commune=aftercare_commune, aftercare_until=aftercare_until,
        updated_at=timezone.now())
    if changed != 1:
        raise ValidationError({"discharged_on": "Đối tượng vừa được người khác cho dừng trợ giúp."})
    resident.refresh_from_db()
    audit.record(actor=actor, action=AuditAction.CARE_RESIDENT_DISCHARGE, obj=resident,
                 unit=resident.facility.unit, before=before, after=_snapshot(resident))
    return resident


@transaction.atomic
def resident_set_stage(*, actor: Actor, resident: Resident, stage: int) -> Resident:
    """Moves a rehabilitation resident to a stage (Law 73/2021/QH14 Art. 29); stages go forward."""
    if not resident.facility.is_rehab:
        raise ValidationError({"stage": "Giai đoạn cai nghiện chỉ dành cho học viên cơ sở cai nghiện ma túy."})
    if resident.discharged_on is not None:
        raise ValidationError({"stage": "Học viên đã rời cơ sở."})
    if stage not in RehabStage.values:
        raise ValidationError({"stage": "Giai đoạn cai nghiện không hợp lệ."})
    if resident.stage is not None and stage < resident.stage:
        raise ValidationError({"stage": "Không thể chuyển về giai đoạn trước."})
    before = _snapshot(resident)
    changed = Resident.objects.filter(pk=resident.pk, stage=resident.stage, discharged_on__isnull=True).update(
        stage=stage, updated_at=timezone.now())
    if changed != 1:
        raise ValidationError({"stage": "Học viên vừa được người khác cập nhật; tải lại trang."})
    resident.stage = stage
    audit.record(actor=actor, action=AuditAction.CARE_RESIDENT_UPDATE, obj=resident, unit=resident.facility.unit,
                 before=before, after=_snapshot(resident))
    return resident


# --- Occupancy --------------------------------------------------------------------------------


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The last days of the months from `first`'s month to `last`'s month."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass
class OccupancyRow:
    facility: Facility
    counts: list[int]

    def rates(self) -> list[float]:
        return [100.0 * n / self.facility.capacity if self.facility.capacity else 0.0 for n in self.counts]


def occupancy(facilities: list[Facility], ends: list[dt.date]) -> list[OccupancyRow]:
    """Residents on the last day of each month (`ends`) per facility, against capacity: one
    GROUP BY over the stays, a conditional count per month (set-based, whatever the number of
    residents)."""
    if not facilities or not ends:
        return [OccupancyRow(f, [0] * len(ends)) for f in facilities]
    counts = {
        f"m{i}": Count("id", filter=Q(admitted_on__lte=end) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=end)))
        for i, end in enumerate(ends)
    }
    rows = (Resident.objects.filter(facility__in=[f.pk for f in facilities], admitted_on__lte=ends[-1])
            .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=ends[0]))
            .order_by().values_list("facility_id").annotate(**counts))
    found = {row[0]: [int(n) for n in row[1:]] for row in rows}
    return [OccupancyRow(f, found.get(f.pk, [0] * len(ends))) for f in facilities]


__all__ = ["Admission", "OccupancyRow", "admission_problems", "categories_for", "category_add", "facility_create",
           "facility_update", "month_ends", "occupancy", "resident_admit", "resident_discharge",
           "resident_set_stage"]


# --- Categories (dated law) -------------------------------------------------------------------


@transaction.atomic
def category_add(*, actor: Actor, code: str, name: str, group: str, for_rehab: bool, legal_basis: str,
                 valid_from: dt.date, provisional: bool) -> ResidentCategory:
    """Adds a version of a resident category from `valid_from` (an administrator's change of the
    law's categories); the version in force before it ends the day before. Stays keep the version
    they were admitted under."""
    from .models_facilities import CategoryGroup

    errors: dict[str, str] = {}
    if not code.strip() or not name.strip():
        errors["name"] = "Chưa nhập mã hoặc tên diện đối tượng."
    if group not in CategoryGroup.values:
        errors["group"] = "Nhóm báo cáo không hợp lệ."
    if not legal_basis.strip():
        errors["legal_basis"] = "Chưa nhập căn cứ pháp lý."
    later = ResidentCategory.objects.filter(code=code.strip(), valid_from__gte=valid_from).first()
    if later is not None:
        errors["valid_from"] = f"Đã có phiên bản của diện này từ {later.valid_from:%d/%m/%Y}: chọn ngày sau đó."
    if errors:
        raise ValidationError(errors)
    previous = ResidentCategory.objects.filter(code=code.strip(), valid_to__isnull=True).first()
    if previous is not None:
        before = audit.snapshot(previous, ["valid_to"])
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
        audit.record(actor=actor, action=AuditAction.CARE_CATEGORY_ADD, obj=previous, before=before,
                     after=audit.snapshot(previous, ["valid_to"]))
    row = ResidentCategory(code=code.strip(), name=name.strip(), group=group, for_rehab=for_rehab,
                           legal_basis=legal_basis.strip(), valid_from=valid_from, provisional=provisional,
                           order=previous.order if previous else 100)
    row.full_clean()
    row.save()
    audit.record(actor=actor, action=AuditAction.CARE_CATEGORY_ADD, obj=row,
                 after=audit.snapshot(row, ["code", "name", "group", "for_rehab", "legal_basis", "valid_from",
                                            "provisional"]))
    return row
