"""Importing workers abroad (`import_departures`) and foreign workers with their permits
(`import_foreign_workers`) from the employment service centre's spreadsheets (.xlsx or UTF-8
.csv), with the columns of the contract between the labour registries.

1. Read the sheet with the tabular framework (`ansinh.lib.tabular.read_table`): every bad cell
   is a problem (Excel row, Vietnamese header, message), the row is kept.
2. Check the rows against each other and the registers in a few set-based queries: the person by
   citizen ID in the province's register (`labour.people.match_people`), the country
   by its Vietnamese name, the commune by its name, the importer's scope, the law's rules (the same
   checks as the services), duplicates within the file and against the registry ("đã có trong
   sổ").
3. Only when nothing is wrong, write every row in one transaction (bulk: a departure's placement
   with it; new employers, workers and permits, permits' due dates by the decree in force on the
   province's working-day calendar), with one audit row `labour.import`. A refused file writes
   nothing and leaves an audit row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member
from ansinh.jobs.models import Job
from ansinh.lib.spreadsheets import LimitError, Reader, SpreadsheetError, Writer, csv_rows
from ansinh.lib.tabular import Column, ImportProblems, Problem, Problems, Row, message, read_table, record_refused
from ansinh.lib.vietnamese import fold
from ansinh.workdays.calendar import calendar_for

from . import access, people
from .countries import country_code, names_text
from .employers import check_tax_code, normal_tax_code
from .models import (
    AbroadStatus,
    Departure,
    Employer,
    EmployerKind,
    ForeignWorker,
    PermitKind,
    PermitState,
    Placement,
    PlacementChannel,
    Position,
    SenderKind,
    WorkPermit,
)
from .services_abroad import check_departure
from .services_foreign import due_date, normal_passport, permit_due_dates, term_error

CHUNK = 2_000
SHEET_DEPARTURES = "Người lao động đi nước ngoài"
SHEET_FOREIGN = "Người lao động nước ngoài"
H_NAME, H_BIRTH, H_ID = "Họ và tên", "Ngày sinh", "Số CCCD"

SENDER_LABELS: dict[str, str] = {
    SenderKind.PUBLIC_UNIT: "Đơn vị sự nghiệp (theo điều ước quốc tế)",
    SenderKind.SERVICE: "Doanh nghiệp dịch vụ",
    SenderKind.CONTRACTOR: "Doanh nghiệp trúng thầu, nhận thầu",
    SenderKind.TRAINING: "Doanh nghiệp đưa đi đào tạo, nâng cao trình độ",
    SenderKind.INVESTOR: "Tổ chức, cá nhân đầu tư ra nước ngoài",
    SenderKind.INDIVIDUAL: "Hợp đồng cá nhân",
}
STATUS_LABELS: dict[str, str] = {
    AbroadStatus.PREPARING: "Chuẩn bị xuất cảnh",
    AbroadStatus.ABROAD: "Đang làm việc ở nước ngoài",
    AbroadStatus.RETURNED: "Về nước đúng hạn",
    AbroadStatus.RETURNED_EARLY: "Về nước trước hạn",
    AbroadStatus.OVERSTAYED: "Ở lại bất hợp pháp",
}
SEX_LABELS = {"male": "Nam", "female": "Nữ"}
POSITION_LABELS: dict[str, str] = {Position.MANAGER: "Nhà quản lý", Position.EXECUTIVE: "Giám đốc điều hành",
                   Position.EXPERT: "Chuyên gia", Position.TECHNICAL: "Lao động kỹ thuật"}
PERMIT_LABELS: dict[str, str] = {PermitKind.ISSUE: "Cấp giấy phép", PermitKind.REISSUE: "Cấp lại giấy phép",
                 PermitKind.EXTEND: "Gia hạn giấy phép", PermitKind.EXEMPTION: "Xác nhận không thuộc diện cấp"}

DEPARTURE_COLUMNS = [
    Column(H_NAME, "full_name", "text", "Họ và tên đầy đủ, có dấu, như trong sổ hộ.", required=True, max_length=150,
           width=24),
    Column(H_BIRTH, "birth_date", "date", "dd/mm/yyyy, như trong sổ hộ.", required=True, width=12, past=True),
    Column(H_ID, "citizen_id", "citizen_id", "12 chữ số, người có trong sổ hộ của tỉnh.", required=True, width=15,
           aliases=("Số định danh cá nhân", "CCCD")),
    Column("Nước đến", "destination", "text", f"Tên nước bằng tiếng Việt, ví dụ {names_text()}.", required=True,
           max_length=80, width=16),
    Column("Hình thức đưa đi", "sender_kind", "choice", "Theo Điều 5 Luật 69/2020/QH14. Để trống: Doanh nghiệp dịch "
           "vụ.", labels=SENDER_LABELS, default=SenderKind.SERVICE, width=22,
           choice_aliases={"doanh nghiep": SenderKind.SERVICE, "dich vu": SenderKind.SERVICE,
                           "ca nhan": SenderKind.INDIVIDUAL, "tu ky hop dong": SenderKind.INDIVIDUAL,
                           "don vi su nghiep": SenderKind.PUBLIC_UNIT}),
    Column("Doanh nghiệp đưa đi", "enterprise", "text", "Tên doanh nghiệp hoặc đơn vị đưa đi.", max_length=255,
           default="", width=26),
    Column("Công việc", "job", "text", "Công việc ở nước ngoài.", max_length=200, default="", width=18),
    Column("Thời hạn hợp đồng (tháng)", "contract_months", "integer", "Số tháng, 1–120.", width=10,
           limits=(Decimal(1), Decimal(120))),
    Column("Ngày xuất cảnh", "departed_on", "date", "dd/mm/yyyy. Để trống khi đang chuẩn bị xuất cảnh.", width=12,
           past=True),
    Column("Ngày về nước", "returned_on", "date", "dd/mm/yyyy, khi đã về nước.", width=12, past=True),
    Column("Tình trạng", "status", "choice", "Để trống: đang làm việc ở nước ngoài (hoặc chuẩn bị xuất cảnh khi "
           "chưa có ngày xuất cảnh, về nước đúng hạn khi có ngày về nước).", labels=STATUS_LABELS, width=20,
           choice_aliases={"dang o nuoc ngoai": AbroadStatus.ABROAD, "da ve nuoc": AbroadStatus.RETURNED,
                           "ve nuoc": AbroadStatus.RETURNED, "chuan bi": AbroadStatus.PREPARING}),
    Column("Mã số lao động", "labour_code", "text", "Thông tư 20/2021/TT-BLĐTBXH, Điều 11.", max_length=30,
           default="", width=14),
]

FOREIGN_COLUMNS = [
    Column(H_NAME, "full_name", "text", "Họ và tên như trong hộ chiếu.", required=True, max_length=150, width=22),
    Column("Số hộ chiếu", "passport", "text", "Chữ và số, tối đa 20 ký tự.", required=True, max_length=20,
           width=14),
    Column("Quốc tịch", "nationality", "text", "Tên nước bằng tiếng Việt, ví dụ Trung Quốc, Hàn Quốc, Nhật Bản, "
           "Đài Loan (Trung Quốc).", required=True, max_length=80, width=16),
    Column("Giới tính", "sex", "choice", "Nam hoặc Nữ.", required=True, labels=SEX_LABELS, width=8),
    Column(H_BIRTH, "birth_date", "date", "dd/mm/yyyy.", width=12, past=True),
    Column("Người sử dụng lao động", "employer", "text", "Tên doanh nghiệp, tổ chức sử dụng lao động.",
           required=True, max_length=255, width=28),
    Column("Mã số thuế", "tax_code", "text", "10 chữ số (hoặc 10-3 với đơn vị phụ thuộc). Có mã số thuế thì tìm "
           "người sử dụng lao động theo mã, chưa có thì tạo mới.", max_length=20, default="", width=14),
    Column("Vị trí công việc", "position", "choice", "Nhà quản lý; Giám đốc điều hành; Chuyên gia; Lao động kỹ "
           "thuật.", required=True, labels=POSITION_LABELS, width=16,
           choice_aliases={"quan ly": Position.MANAGER, "giam doc": Position.EXECUTIVE,
                           "ky thuat": Position.TECHNICAL, "lao dong ky thuat": Position.TECHNICAL}),
    Column("Chức danh", "job_title", "text", "Chức danh công việc.", max_length=200, default="", width=16),
    Column("Nơi làm việc", "workplace", "text", "Tên xã, phường nơi làm việc (trong tỉnh).", required=True,
           max_length=120, width=18),
    Column("Loại thủ tục", "kind", "choice", "Cấp; Cấp lại; Gia hạn; Xác nhận không thuộc diện cấp. Để trống khi "
           "chưa nộp hồ sơ.", labels=PERMIT_LABELS, width=18,
           choice_aliases={"cap": PermitKind.ISSUE, "cap moi": PermitKind.ISSUE, "cap lai": PermitKind.REISSUE,
                           "gia han": PermitKind.EXTEND, "mien": PermitKind.EXEMPTION,
                           "xac nhan mien": PermitKind.EXEMPTION,
                           "xac nhan khong thuoc dien cap giay phep lao dong": PermitKind.EXEMPTION}),
    Column("Ngày tiếp nhận", "received_on", "date", "Ngày nhận hồ sơ đầy đủ, dd/mm/yyyy.", width=12, past=True),
    Column("Ngày cấp", "decided_on", "date", "Ngày cấp giấy phép (để trống khi đang giải quyết).", width=12,
           past=True),
    Column("Số giấy phép", "number", "text", "Số giấy phép hoặc văn bản xác nhận.", max_length=40, default="",
           width=14),
    Column("Hiệu lực từ", "valid_from", "date", "dd/mm/yyyy.", width=12),
    Column("Hiệu lực đến", "valid_to", "date", "dd/mm/yyyy; tối đa 02 năm.", width=12),
]


@dataclass(frozen=True)
class ImportResult:
    created: int
    file: str = ""
    placements: int = 0
    employers: int = 0
    permits: int = 0


# --- Shared steps ---------------------------------------------------------------------------------


def _read(data: bytes, filename: str, sheet: str, columns: Sequence[Column], problems: Problems) -> list[Row]:
    """The rows of the file (.csv by its name, else an .xlsx workbook: the sheet named `sheet`, or
    the first)."""
    if filename.lower().endswith(".csv"):
        try:
            return read_table(csv_rows(data), sheet, columns, problems)
        except LimitError as error:
            raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                             reason=error))]) from None
        except SpreadsheetError:
            raise ImportProblems([Problem("", 0, "", "Tệp CSV phải mã hóa UTF-8.")]) from None
    try:
        with Reader(data) as reader:
            from ansinh.lib.spreadsheets import find_sheet

            name = find_sheet(reader, sheet) or reader.sheetnames[0]
            return read_table(reader.rows(name), sheet, columns, problems)
    except LimitError as error:
        raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                         reason=error))]) from None
    except SpreadsheetError:
        raise ImportProblems([Problem("", 0, "", "Không đọc được tệp: cần tệp Excel .xlsx (theo mẫu tải về) hoặc "
                                                 ".csv mã hóa UTF-8.")]) from None


def _check_province(province: Unit) -> None:
    if province.level != Level.PROVINCE or province.edition != Edition.CURRENT:
        raise ImportProblems([Problem("", 0, "", f"{province.name} không phải là một tỉnh, thành phố theo bản đồ "
                                                 "hành chính hiện hành.")])


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def match_people(rows: Sequence[tuple[str, str, dt.date | None]], province: Unit) -> tuple[dict[int, int],
                                                                                           dict[int, str]]:
    """{row index: person id}, {row index: Vietnamese error}, by the shared matcher."""
    found, errors = people.match_people(rows, province)
    return {i: m.person_id for i, m in found.items()}, errors


def _refused(actor: Actor, kind: str, filename: str, rows: int, error: ImportProblems) -> None:
    record_refused(actor=actor, kind=f"labour.{kind}", name=filename, rows=rows, problems=error.problems)


def _say(progress: Any, text: str) -> None:
    if progress is not None and hasattr(progress, "say"):
        progress.say(text)


# --- Departures -----------------------------------------------------------------------------------


def import_departures(*, actor: Actor, data: bytes, filename: str, province: Unit, progress: Any = None,
                      job: Job | None = None) -> ImportResult:
    """Every departure of the file, or none (raises ImportProblems)."""
    problems = Problems()
    rows: list[Row] = []
    try:
        _check_province(province)
        rows = _read(data, filename, SHEET_DEPARTURES, DEPARTURE_COLUMNS, problems)
        if problems.broken:
            problems.raise_if_any()
        _say(progress, "Đang kiểm tra tệp…")
        plan = _check_departures(rows, problems, actor, province)
        problems.raise_if_any()
    except ImportProblems as error:
        _refused(actor, "departures", filename, len(rows), error)
        raise
    _say(progress, "Đang ghi…")
    user = user_of(actor)
    with transaction.atomic():
        made = Departure.objects.bulk_create([Departure(created_by=user, import_job=job, **values) for values in plan],
                                             batch_size=CHUNK)
        dated = [d for d in made if d.departed_on is not None]
        keys = {(d.person_id, d.departed_on) for d in dated}
        older: dict[tuple[int, dt.date], Placement] = {}
        for chunk in _chunks(sorted({p for p, _d in keys})):
            for p in Placement.objects.filter(person_id__in=chunk, channel=PlacementChannel.ABROAD,
                                              departure__isnull=True):
                if (p.person_id, p.placed_on) in keys:
                    older[(p.person_id, p.placed_on)] = p
        adopt, new = [], []
        for d in dated:
            assert d.departed_on is not None
            placement = older.get((d.person_id, d.departed_on))
            if placement is not None:
                placement.departure = d
                adopt.append(placement)
            else:
                new.append(Placement(person_id=d.person_id, commune_id=d.commune_id, placed_on=d.departed_on,
                                     channel=PlacementChannel.ABROAD, departure=d, new_job=False,
                                     employer_name=d.enterprise[:255], created_by=user, import_job=job))
        Placement.objects.bulk_update(adopt, ["departure"], batch_size=CHUNK)
        Placement.objects.bulk_create(new, batch_size=CHUNK)
        audit.record(actor=actor, action=AuditAction.LABOUR_IMPORT, obj=Departure, unit=province,
                     after={"import": "departures", "file": filename, "created": len(made),
                            "placements": len(dated)})
    return ImportResult(created=len(made), file=filename, placements=len(dated))


def _check_departures(rows: list[Row], problems: Problems, actor: Actor, province: Unit) -> list[dict[str, Any]]:
    places = {c.header: i for i, c in enumerate(DEPARTURE_COLUMNS)}

    def add(row: Row, header: str, text: str) -> None:
        problems.add(SHEET_DEPARTURES, row.number, header, text, order=(row.number, places.get(header, -1)))

    user = user_of(actor)
    # 1. People, set-based.
    wanted = [(r.values["citizen_id"] or "", r.values["full_name"] or "", r.values["birth_date"]) for r in rows]
    found, errors = match_people(wanted, province)
    for index, text in errors.items():
        add(rows[index], H_ID, text)
    members = {m.pk: m for chunk in _chunks(sorted(set(found.values())))
               for m in Member.objects.filter(pk__in=chunk).select_related("household__commune")}
    # 2. Existing departures of these people (duplicates against the registry).
    existing: set[tuple[int, str, dt.date | None]] = set()
    for chunk in _chunks(sorted(members)):
        existing.update(Departure.objects.filter(person_id__in=chunk).values_list("person_id", "destination",
                                                                                    "departed_on"))
    seen: dict[tuple[int, str, dt.date | None], int] = {}
    allowed: dict[int, bool] = {}
    plan: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        v = row.values
        code = country_code(v["destination"] or "") if v["destination"] else None
        if v["destination"] and code is None:
            add(row, "Nước đến", f"Không rõ nước “{v['destination']}”: ghi tên nước bằng tiếng Việt, ví dụ "
                                 f"{names_text()}.")
        person = members.get(found.get(index, -1))
        if person is None or code is None or any(v[k] is None and c.required for c in DEPARTURE_COLUMNS
                                                 for k in [c.key]):
            continue
        commune = person.household.commune
        if user is not None:
            if commune.pk not in allowed:
                allowed[commune.pk] = access.may_change(user, commune, "departure")
            if not allowed[commune.pk]:
                add(row, H_ID, f"Anh/chị không được ghi người lao động đi nước ngoài của {commune.name}.")
                continue
        status = v["status"] or (AbroadStatus.PREPARING if v["departed_on"] is None else
                                 AbroadStatus.RETURNED if v["returned_on"] else AbroadStatus.ABROAD)
        rules = check_departure(person=person, destination=code, sender_kind=v["sender_kind"] or SenderKind.SERVICE,
                                contract_months=v["contract_months"], departed_on=v["departed_on"],
                                returned_on=v["returned_on"], status=status)
        headers = {"departed_on": "Ngày xuất cảnh", "returned_on": "Ngày về nước", "status": "Tình trạng",
                   "contract_months": "Thời hạn hợp đồng (tháng)", "destination": "Nước đến",
                   "sender_kind": "Hình thức đưa đi"}
        for key, text in rules.items():
            add(row, headers.get(key, ""), text)
        if rules:
            continue
        dkey = (person.pk, code, v["departed_on"])
        if dkey in existing:
            when = f"ngày {v['departed_on']:%d/%m/%Y}" if v["departed_on"] else "chưa xuất cảnh"
            add(row, H_ID, f"{person.full_name} đi {v['destination']} ({when}) đã có trong sổ.")
            continue
        if dkey in seen:
            add(row, H_ID, f"Trùng với dòng {seen[dkey]} của tệp.")
            continue
        seen[dkey] = row.number
        plan.append({"person_id": person.pk, "commune_id": commune.pk, "destination": code,
                     "sender_kind": v["sender_kind"] or SenderKind.SERVICE, "enterprise": v["enterprise"] or "",
                     "job": v["job"] or "", "contract_months": v["contract_months"], "departed_on": v["departed_on"],
                     "returned_on": v["returned_on"], "status": status, "labour_code": v["labour_code"] or ""})
    return plan


# --- Foreign workers --------------------------------------------------------------------------------


def commune_lookup(province: Unit) -> dict[str, list[Unit]]:
    """Folded commune names of the province (with and without "xã", "phường", "thị trấn")."""
    out: dict[str, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(path__startswith=province.path, level=Level.COMMUNE, edition=Edition.CURRENT):
        name = fold(unit.name)
        out[name].append(unit)
        for prefix in ("xa ", "phuong ", "thi tran ", "dac khu "):
            if name.startswith(prefix):
                out[name[len(prefix):]].append(unit)
    return out


def import_foreign_workers(*, actor: Actor, data: bytes, filename: str, province: Unit, progress: Any = None,
                           job: Job | None = None) -> ImportResult:
    """Every foreign worker (and permit) of the file, or none (raises ImportProblems). A worker
    already in the registry (same nationality and passport) gets the row's permit when it is new;
    a row that brings nothing new is a problem ("đã có trong sổ")."""
    problems = Problems()
    rows: list[Row] = []
    try:
        _check_province(province)
        rows = _read(data, filename, SHEET_FOREIGN, FOREIGN_COLUMNS, problems)
        if problems.broken:
            problems.raise_if_any()
        _say(progress, "Đang kiểm tra tệp…")
        plan = _check_foreign(rows, problems, actor, province)
        problems.raise_if_any()
    except ImportProblems as error:
        _refused(actor, "foreign_workers", filename, len(rows), error)
        raise
    _say(progress, "Đang ghi…")
    return _write_foreign(plan, actor, province, filename, job)


@dataclass
class _ForeignPlan:
    employers: dict[str, dict[str, Any]]  # key -> new employer's values
    employer_ids: dict[str, int]  # key -> existing employer
    workers: dict[tuple[str, str], dict[str, Any]]  # (nationality, passport) -> new worker's values
    worker_ids: dict[tuple[str, str], int]  # existing workers
    permits: list[dict[str, Any]]  # with "worker_key"


def _check_foreign(rows: list[Row], problems: Problems, actor: Actor, province: Unit) -> _ForeignPlan:
    places = {c.header: i for i, c in enumerate(FOREIGN_COLUMNS)}

    def add(row: Row, header: str, text: str) -> None:
        problems.add(SHEET_FOREIGN, row.number, header, text, order=(row.number, places.get(header, -1)))

    user = user_of(actor)
    communes = commune_lookup(province)
    tax_codes = {normal_tax_code(r.values["tax_code"] or "") for r in rows} - {""}
    by_tax = {e.tax_code: e for chunk in _chunks(sorted(tax_codes))
              for e in Employer.objects.filter(tax_code__in=chunk)}
    names = {fold(r.values["employer"] or "") for r in rows if not r.values["tax_code"]} - {""}
    by_name: dict[str, Employer] = {}
    for chunk in _chunks(sorted(names)):
        for e in Employer.objects.filter(search_name__in=chunk, unit__path__startswith=province.path):
            by_name.setdefault(e.search_name, e)
    passports = {normal_passport(r.values["passport"] or "") for r in rows} - {""}
    workers = {(w.nationality, w.passport_number): w for chunk in _chunks(sorted(passports))
               for w in ForeignWorker.objects.filter(passport_number__in=chunk)}
    permits_of: dict[int, list[WorkPermit]] = defaultdict(list)
    for chunk in _chunks(sorted(w.pk for w in workers.values())):
        for p in WorkPermit.objects.filter(worker_id__in=chunk):
            permits_of[p.worker_id].append(p)
    calendar = calendar_for(province)
    due_dates = permit_due_dates(calendar)
    plan = _ForeignPlan({}, {}, {}, {}, [])
    allowed: dict[int, bool] = {}
    seen_permit: dict[tuple[str, str, str, dt.date | None], int] = {}
    extensions: Counter[tuple[str, str]] = Counter()
    for row in rows:
        v = row.values
        nationality = country_code(v["nationality"]) if v["nationality"] else None
        if v["nationality"] and nationality is None:
            add(row, "Quốc tịch", f"Không rõ quốc tịch “{v['nationality']}”: ghi tên nước bằng tiếng Việt, ví dụ "
                                  "Trung Quốc, Hàn Quốc.")
        passport = normal_passport(v["passport"] or "")
        if passport and not passport.isalnum():
            add(row, "Số hộ chiếu", "Số hộ chiếu chỉ gồm chữ và số.")
            passport = ""
        workplace: Unit | None = None
        if v["workplace"]:
            found = communes.get(fold(v["workplace"]), [])
            if not found:
                add(row, "Nơi làm việc", f"Không có xã, phường “{v['workplace']}” trong {province.name}.")
            elif len(found) > 1:
                add(row, "Nơi làm việc", f"Có nhiều xã, phường tên “{v['workplace']}”: ghi đủ “Xã …” hoặc "
                                         "“Phường …”.")
            else:
                workplace = found[0]
        if workplace is not None and user is not None:
            if workplace.pk not in allowed:
                allowed[workplace.pk] = access.may_change(user, workplace, "foreign_worker")
            if not allowed[workplace.pk]:
                add(row, "Nơi làm việc", f"Anh/chị không được ghi người lao động nước ngoài ở {workplace.name}.")
                workplace = None
        tax_code = normal_tax_code(v["tax_code"] or "")
        tax_problem = check_tax_code(tax_code)
        if tax_problem:
            add(row, "Mã số thuế", tax_problem)
        # The permit's facts.
        kind, received, decided = v["kind"], v["received_on"], v["decided_on"]
        permit_ok = True
        if kind is None and any(v[k] for k in ("received_on", "decided_on", "number", "valid_from", "valid_to")):
            add(row, "Loại thủ tục", "Ghi loại thủ tục của giấy phép.")
            permit_ok = False
        if kind is not None:
            if received is None:
                add(row, "Ngày tiếp nhận", "Ghi ngày tiếp nhận hồ sơ.")
                permit_ok = False
            if decided is not None:
                if received is not None and decided < received:
                    add(row, "Ngày cấp", "Ngày cấp phải từ ngày tiếp nhận trở đi.")
                    permit_ok = False
                if not v["number"]:
                    add(row, "Số giấy phép", "Ghi số giấy phép đã cấp.")
                    permit_ok = False
                term = term_error(v["valid_from"], v["valid_to"])
                if term:
                    add(row, "Hiệu lực đến", term)
                    permit_ok = False
            elif v["number"] or v["valid_from"] or v["valid_to"]:
                add(row, "Ngày cấp", "Ghi ngày cấp (giấy phép có số và thời hạn là giấy phép đã cấp).")
                permit_ok = False
        due = None
        if kind is not None and received is not None and permit_ok:
            try:
                due, _rule = due_date(kind, received, calendar=calendar, due_dates=due_dates)
            except Exception as error:  # a ValidationError: no rule for the day
                add(row, "Ngày tiếp nhận", " ".join(getattr(error, "messages", [str(error)])))
                permit_ok = False
        if nationality is None or not passport or workplace is None or tax_problem or not permit_ok \
                or v["full_name"] is None or v["sex"] is None or v["position"] is None or v["employer"] is None:
            continue
        wkey = (nationality, passport)
        old = workers.get(wkey)
        if kind is not None:
            pkey = (nationality, passport, kind, received)
            if pkey in seen_permit:
                add(row, "Số hộ chiếu", f"Trùng với dòng {seen_permit[pkey]} của tệp.")
                continue
            if old is not None and any(p.kind == kind and p.received_on == received for p in permits_of[old.pk]):
                add(row, "Số hộ chiếu", f"Hồ sơ {PERMIT_LABELS[kind].lower()} của {old.full_name} nhận ngày "
                                        f"{received:%d/%m/%Y} đã có trong sổ.")
                continue
            if kind == PermitKind.EXTEND:
                extensions[wkey] += 1
                done = 0 if old is None else sum(1 for p in permits_of[old.pk] if p.kind == PermitKind.EXTEND
                                                 and p.state in (PermitState.GRANTED, PermitState.PENDING))
                if extensions[wkey] + done > 1:
                    add(row, "Loại thủ tục", "Giấy phép lao động chỉ được gia hạn một lần (Nghị định 152/2020/NĐ-CP, "
                                             "Điều 16 khoản 1).")
                    continue
            seen_permit[pkey] = row.number
        elif old is not None or wkey in plan.workers:
            add(row, "Số hộ chiếu", f"Người lao động nước ngoài có hộ chiếu {passport} đã có trong sổ."
                if old is not None else "Trùng người lao động ở một dòng trên của tệp.")
            continue
        # The employer: by tax code, else by name in the province, else new.
        ekey = tax_code or f"name:{fold(v['employer'])}"
        employer = by_tax.get(tax_code) if tax_code else by_name.get(fold(v["employer"]))
        if employer is not None:
            plan.employer_ids[ekey] = employer.pk
        elif ekey not in plan.employers:
            plan.employers[ekey] = {"name": " ".join(v["employer"].split()), "tax_code": tax_code,
                                    "kind": EmployerKind.FOREIGN_INVESTED if nationality else EmployerKind.DOMESTIC,
                                    "unit_id": workplace.pk, "search_name": fold(v["employer"])}
        if old is not None:
            plan.worker_ids[wkey] = old.pk
        elif wkey not in plan.workers:
            plan.workers[wkey] = {"full_name": " ".join(v["full_name"].split()), "passport_number": passport,
                                  "nationality": nationality, "sex": v["sex"], "birth_date": v["birth_date"],
                                  "employer_key": ekey, "position": v["position"], "job_title": v["job_title"] or "",
                                  "workplace_id": workplace.pk, "search_name": fold(v["full_name"])}
        if kind is not None:
            plan.permits.append({"worker_key": wkey, "kind": kind, "received_on": received, "due_on": due,
                                 "state": PermitState.GRANTED if decided else PermitState.PENDING,
                                 "decided_on": decided, "number": v["number"] or "",
                                 "valid_from": v["valid_from"] if decided else None,
                                 "valid_to": v["valid_to"] if decided else None})
    return plan


def _write_foreign(plan: _ForeignPlan, actor: Actor, province: Unit, filename: str, job: Job | None) -> ImportResult:
    user = user_of(actor)
    with transaction.atomic():
        made_employers = Employer.objects.bulk_create([Employer(**values) for values in plan.employers.values()],
                                                      batch_size=CHUNK)
        employer_ids = dict(plan.employer_ids)
        employer_ids.update({key: e.pk for key, e in zip(plan.employers, made_employers, strict=True)})
        new_workers = []
        for values in plan.workers.values():
            values = dict(values)
            new_workers.append(ForeignWorker(employer_id=employer_ids[values.pop("employer_key")], created_by=user,
                                             import_job=job, **values))
        made = ForeignWorker.objects.bulk_create(new_workers, batch_size=CHUNK)
        worker_ids = dict(plan.worker_ids)
        worker_ids.update({key: w.pk for key, w in zip(plan.workers, made, strict=True)})
        permits = []
        for values in plan.permits:
            values = dict(values)
            permits.append(WorkPermit(worker_id=worker_ids[values.pop("worker_key")], created_by=user,
                                      import_job=job, **values))
        WorkPermit.objects.bulk_create(permits, batch_size=CHUNK)
        audit.record(actor=actor, action=AuditAction.LABOUR_IMPORT, obj=ForeignWorker, unit=province,
                     after={"import": "foreign_workers", "file": filename, "created": len(made),
                            "employers": len(made_employers), "permits": len(permits)})
    return ImportResult(created=len(made), file=filename, employers=len(made_employers), permits=len(permits))


# --- Templates ------------------------------------------------------------------------------------

KINDS: dict[str, tuple[str, list[Column], Callable[..., ImportResult]]] = {
    "departures": (SHEET_DEPARTURES, DEPARTURE_COLUMNS, import_departures),
    "foreign_workers": (SHEET_FOREIGN, FOREIGN_COLUMNS, import_foreign_workers),
}
SAMPLES: dict[str, list[list[Any]]] = {
    "departures": [["Nguyễn Thị Lan", "05/03/1999", "086199000123", "Nhật Bản", "Doanh nghiệp dịch vụ",
                    "Công ty CP Nhân lực Quốc tế", "Điều dưỡng", 36, "12/03/2025", "", "", "LD-2025-0001"]],
    "foreign_workers": [["Wang Wei", "E12345678", "Trung Quốc", "Nam", "01/06/1985", "Công ty TNHH Giày Da Hòa Phát",
                         "2100123456", "Chuyên gia", "Kỹ sư", "Xã Trà Cú", "Cấp giấy phép", "03/09/2025",
                         "15/09/2025", "86/2025/GPLĐ", "15/09/2025", "14/09/2027"]],
}


def template(kind: str) -> bytes:
    """The .xlsx template of an import kind: the header row with its notes, and one example row."""
    sheet, columns, _run = KINDS[kind]
    writer = Writer(constant_memory=False)
    ws = writer.sheet(sheet)
    ws.widths([c.width for c in columns])
    ws.append([c.header for c in columns])
    for i, column in enumerate(columns):
        note = column.note + (f" Giá trị: {column.allowed_text()}." if column.kind == "choice" else "")
        ws.comment(1, i + 1, note)
    for sample in SAMPLES[kind]:
        ws.append(sample)
    ws.freeze(1)
    return writer.save()


__all__ = ["DEPARTURE_COLUMNS", "FOREIGN_COLUMNS", "ImportResult", "import_departures", "import_foreign_workers",
           "template"]
