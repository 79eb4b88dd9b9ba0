"""Residents of one facility from a spreadsheet (docs/care-facilities-import.md): admission
decisions, and discharge decisions where there are.

All or nothing, as every import of the project (`ansinh.lib.tabular`): the file (.xlsx, or .csv
with the same headers) is read, every cell and row is checked (the decision's rules of
`services_facilities.admission_problems`, a category unknown or not in force, a decision number
already used, a discharge before the admission, the same person twice at once in the file or at
another facility, the capacity) and each problem is reported by row and column in Vietnamese;
only a clean file is written, in one transaction, with one bulk insert and one audit row. A
citizen ID found in the households register links the stay to that person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member, Sex
from ansinh.lib.tabular import Column, ImportProblems, Problems, Row, read_upload, record_refused
from ansinh.lib.vietnamese import fold
from ansinh.lib.uploads import read_source

from .models_facilities import (
    AFTERCARE_MONTHS,
    REINTEGRATED,
    DischargeReason,
    Facility,
    RehabKind,
    RehabStage,
    Resident,
    ResidentCategory,
    add_months,
)
from .services_facilities import Admission, admission_problems

SHEET = "Đối tượng"
SEX_LABELS = {Sex.MALE.value: "Nam", Sex.FEMALE.value: "Nữ"}
KIND_LABELS = {RehabKind.COMPULSORY.value: "Bắt buộc", RehabKind.VOLUNTARY.value: "Tự nguyện"}
REASON_LABELS = {
    DischargeReason.RETURNED_FAMILY.value: "Trở về gia đình",
    DischargeReason.REINTEGRATION.value: "Tái hòa nhập cộng đồng",
    DischargeReason.END_OF_TERM.value: "Hết thời hạn",
    DischargeReason.TRANSFERRED.value: "Chuyển cơ sở khác",
    DischargeReason.DEATH.value: "Chết",
    DischargeReason.LEFT.value: "Tự ý rời cơ sở",
    DischargeReason.OTHER.value: "Khác",
}

COLUMNS = [
    Column("Họ và tên", "full_name", "text", "Họ và tên đối tượng.", required=True, max_length=150, width=24,
           aliases=("Ho va ten", "full_name")),
    Column("Giới tính", "sex", "choice", "Nam; Nữ.", labels=SEX_LABELS, required=True, width=10),
    Column("Ngày sinh", "birth_date", "date", "dd/mm/yyyy.", past=True, width=12),
    Column("Số định danh", "citizen_id", "citizen_id",
           "Số định danh cá nhân (12 chữ số), nếu có; người có trong sổ hộ được nối với sổ.", width=15),
    Column("Mã xã cư trú", "home_commune", "code", "Mã xã, phường nơi cư trú (bản đồ hiện hành).", max_length=10,
           width=12),
    Column("Mã diện đối tượng", "category", "code",
           "elderly; disabled; mental_illness; orphan; urgent_protection; self_paid; drug_user (cơ sở cai nghiện).",
           required=True, max_length=40, width=16),
    Column("Số quyết định tiếp nhận", "admission_number", "text", "Số quyết định tiếp nhận (duy nhất trong cơ sở).",
           required=True, max_length=50, width=18),
    Column("Ngày tiếp nhận", "admitted_on", "date", "dd/mm/yyyy.", required=True, width=12),
    Column("Người quyết định", "admission_decided_by", "text", "Người, cơ quan ra quyết định tiếp nhận.",
           required=True, max_length=255, width=24),
    Column("Lý do tiếp nhận", "admission_reason", "text", "", max_length=255, width=24),
    Column("Hình thức cai nghiện", "rehab_kind", "choice", "Bắt buộc; Tự nguyện (chỉ cơ sở cai nghiện).",
           labels=KIND_LABELS, width=14),
    Column("Thời hạn (tháng)", "term_months", "integer", "Tự nguyện 6–12; bắt buộc 12–24 (chỉ cơ sở cai nghiện).",
           width=10),
    Column("Số quyết định dừng trợ giúp", "discharge_number", "text", "Khi đã rời cơ sở.", max_length=50, width=18),
    Column("Ngày dừng trợ giúp", "discharged_on", "date", "dd/mm/yyyy, khi đã rời cơ sở.", width=12),
    Column("Lý do dừng trợ giúp", "discharge_reason", "choice", "; ".join(REASON_LABELS.values()) + ".",
           labels=REASON_LABELS, width=16),
]
PLACES = {column.header: i for i, column in enumerate(COLUMNS)}
# The service's field names → the file's headers.
HEADERS = {"full_name": "Họ và tên", "sex": "Giới tính", "birth_date": "Ngày sinh", "citizen_id": "Số định danh",
           "category": "Mã diện đối tượng", "admission_number": "Số quyết định tiếp nhận",
           "admitted_on": "Ngày tiếp nhận", "admission_decided_by": "Người quyết định",
           "rehab_kind": "Hình thức cai nghiện", "term_months": "Thời hạn (tháng)", "stage": "Hình thức cai nghiện",
           "facility": "", "discharged_on": "Ngày dừng trợ giúp"}


@dataclass(frozen=True)
class ImportResult:
    rows: int
    discharged: int
    linked: int


def _parse(data: bytes) -> tuple[list[Row], Problems]:
    problems = Problems()
    rows = read_upload(data, SHEET, COLUMNS, problems, unreadable=gettext_noop(
        "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8."))
    return rows, problems


def _add(problems: Problems, row: Row, header: str, text: str) -> None:
    problems.add(SHEET, row.number, header, text, order=(row.number, PLACES.get(header, -1)))


def _check(facility: Facility, rows: list[Row], problems: Problems) -> list[Resident]:
    """Every row against the others and the database (a few IN queries); the stays to write."""
    today = timezone.localdate()
    categories: dict[str, list[ResidentCategory]] = {}
    for version in ResidentCategory.objects.all():
        categories.setdefault(version.code, []).append(version)
    communes = {u.code: u for u in Unit.objects.filter(
        edition=Edition.CURRENT, level=Level.COMMUNE, code__in={str(r.values.get("home_commune") or "") for r in rows})}
    ids = {str(r.values.get("citizen_id")) for r in rows if r.values.get("citizen_id")}
    members = {m.citizen_id: m for m in Member.objects.filter(citizen_id__in=ids).select_related("household__commune")}
    numbers = set(Resident.objects.filter(facility=facility, admission_number__in={
        str(r.values.get("admission_number") or "").strip() for r in rows}).values_list("admission_number", flat=True))
    existing: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
    if ids:
        for cid, member_cid, start, end, name in (
                Resident.objects.filter(Q(citizen_id__in=ids) | Q(member__citizen_id__in=ids))
                .values_list("citizen_id", "member__citizen_id", "admitted_on", "discharged_on", "facility__name")):
            existing.setdefault(cid or member_cid or "", []).append((start, end, name))
    seen_numbers: dict[str, int] = {}
    in_file: dict[str, list[tuple[dt.date, dt.date | None, int]]] = {}
    out: list[Resident] = []
    for row in rows:
        v = row.values
        code = str(v.get("category") or "")
        admitted_on: dt.date | None = v.get("admitted_on")
        category: ResidentCategory | None = None
        if code:
            versions = categories.get(code, [])
            category = next((c for c in versions if admitted_on and c.in_force(admitted_on)), None)
            if not versions:
                _add(problems, row, "Mã diện đối tượng", f"Không có diện đối tượng mã «{code}».")
            elif category is None and admitted_on:
                _add(problems, row, "Mã diện đối tượng", "Diện đối tượng không có hiệu lực vào ngày tiếp nhận.")
        cid = str(v.get("citizen_id") or "")
        member = members.get(cid)
        commune = communes.get(str(v.get("home_commune") or ""))
        if v.get("home_commune") and commune is None:
            _add(problems, row, "Mã xã cư trú", "Không có xã, phường nào của bản đồ hiện hành có mã này.")
        number = str(v.get("admission_number") or "").strip()
        if number in numbers:
            _add(problems, row, "Số quyết định tiếp nhận", "Số quyết định này đã được ghi cho một đối tượng của cơ sở.")
        elif number in seen_numbers:
            _add(problems, row, "Số quyết định tiếp nhận", f"Cùng số quyết định với dòng {seen_numbers[number]}.")
        seen_numbers.setdefault(number, row.number)
        discharged_on: dt.date | None = v.get("discharged_on")
        reason = v.get("discharge_reason") or ""
        if discharged_on is not None:
            if admitted_on is not None and discharged_on < admitted_on:
                _add(problems, row, "Ngày dừng trợ giúp", "Ngày dừng trợ giúp trước ngày tiếp nhận.")
            if discharged_on > today:
                _add(problems, row, "Ngày dừng trợ giúp", "Ngày dừng trợ giúp sau ngày hôm nay.")
            if not reason:
                _add(problems, row, "Lý do dừng trợ giúp", "Chưa ghi lý do dừng trợ giúp.")
            if not str(v.get("discharge_number") or "").strip():
                _add(problems, row, "Số quyết định dừng trợ giúp", "Chưa ghi số quyết định dừng trợ giúp.")
        elif reason or v.get("discharge_number"):
            _add(problems, row, "Ngày dừng trợ giúp", "Chưa ghi ngày dừng trợ giúp.")
        if category is None or admitted_on is None or not v.get("full_name") or not v.get("sex"):
            continue
        data = Admission(admission_number=number, admitted_on=admitted_on,
                         admission_decided_by=str(v.get("admission_decided_by") or ""), category=category,
                         member=member, full_name=str(v.get("full_name") or ""), sex=str(v.get("sex") or ""),
                         birth_date=v.get("birth_date"), citizen_id=cid, home_commune=commune,
                         admission_reason=str(v.get("admission_reason") or ""), rehab_kind=v.get("rehab_kind") or "",
                         term_months=v.get("term_months"))
        for name, text in admission_problems(facility, data, today=today).items():
            if name not in ("admission_number",):
                _add(problems, row, HEADERS.get(name, "") or "Ngày tiếp nhận", text)
        person = member.citizen_id if member is not None and member.citizen_id else cid
        if person:
            for start, end, name in existing.get(person, []):
                if (end is None or end > admitted_on) and (discharged_on is None or start < discharged_on):
                    _add(problems, row, "Số định danh",
                         f"Người này đang ở {name} từ {start:%d/%m/%Y}: một người không thể ở hai cơ sở cùng lúc.")
            for start, end, other in in_file.get(person, []):
                if (end is None or end > admitted_on) and (discharged_on is None or start < discharged_on):
                    _add(problems, row, "Số định danh", f"Trùng thời gian với dòng {other} của cùng người này.")
            in_file.setdefault(person, []).append((admitted_on, discharged_on, row.number))
        resident = Resident(
            facility=facility, member=member, category=category,
            full_name=member.full_name if member else data.full_name.strip(), sex=member.sex if member else data.sex,
            birth_date=member.birth_date if member else data.birth_date, citizen_id=person,
            home_commune=member.household.commune if member else commune, admission_number=number,
            admitted_on=admitted_on, admission_decided_by=data.admission_decided_by.strip(),
            admission_reason=data.admission_reason.strip(), rehab_kind=data.rehab_kind if facility.is_rehab else "",
            term_months=data.term_months if facility.is_rehab else None,
            stage=RehabStage.INTAKE if facility.is_rehab else None)
        if discharged_on is not None and reason:
            resident.discharged_on, resident.discharge_reason = discharged_on, reason
            resident.discharge_number = str(v.get("discharge_number") or "").strip()
            if facility.is_rehab and reason in REINTEGRATED:
                resident.stage = RehabStage.REINTEGRATION
                resident.aftercare_commune = resident.home_commune
                resident.aftercare_until = add_months(discharged_on, AFTERCARE_MONTHS)
        resident.search_name = fold(resident.full_name)
        out.append(resident)
    still = sum(1 for r in out if r.discharged_on is None)
    present = facility.residents.filter(discharged_on__isnull=True).count()
    if still and present + still > facility.capacity:
        problems.add(SHEET, 0, "", f"{facility.name} có {present} đối tượng đang chăm sóc; thêm {still} đối tượng "
                                   f"chưa rời cơ sở thì vượt công suất {facility.capacity}.", order=(0, -1))
    return out


def import_residents(source: bytes | str | Path | IO[bytes], *, facility: Facility, actor: Actor, name: str = "",
                     check: bool = False) -> ImportResult:
    """Checks the whole file and, when it has no problem (and not `check`), writes it."""
    data, file_name = read_source(source)
    name = name or file_name
    rows, problems = _parse(data)
    planned = _check(facility, rows, problems) if not problems.broken else []
    if not rows and not problems:
        problems.add(SHEET, 0, "", "Tệp không có đối tượng nào.")
    if problems:
        record_refused(actor=actor, kind="care_residents", name=name, rows=len(rows), problems=problems.sorted(),
                       check=check)
        raise ImportProblems(problems.sorted())
    result = ImportResult(len(planned), sum(1 for r in planned if r.discharged_on),
                          sum(1 for r in planned if r.member is not None))
    if not check:
        _write(facility, planned, actor=actor, name=name)
    return result


@transaction.atomic
def _write(facility: Facility, planned: list[Resident], *, actor: Actor, name: str) -> None:
    Facility.objects.select_for_update().filter(pk=facility.pk).first()
    Resident.objects.bulk_create(planned, batch_size=1000)
    audit.record(actor=actor, action=AuditAction.CARE_RESIDENT_IMPORT, obj=facility, unit=facility.unit,
                 after={"file": name, "rows": len(planned), "discharged": sum(1 for r in planned if r.discharged_on)})


__all__ = ["COLUMNS", "ImportResult", "import_residents"]
