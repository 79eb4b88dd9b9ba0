"""Importing unemployment insurance dossiers from the employment service centre's spreadsheet.

One sheet (.xlsx, or .csv UTF-8), the contract's headers (CONTRACT13 "unemployment"):
`Họ và tên | Ngày sinh | Số CCCD | Ngày nộp hồ sơ | Đơn vị làm việc cuối cùng | Vùng | Loại hợp đồng |
Ngày chấm dứt hợp đồng | Số tháng đóng | Tiền lương bình quân | Lương theo chế độ Nhà nước |
Ngày quyết định | Số quyết định`.

1. Read the sheet with the tabular framework (`lib.tabular`): every bad cell a problem (row,
   Vietnamese header, message), every row kept so all problems are reported at once.
2. Check the rows set-based: people matched by citizen ID in the province's register
   (`labour.people.match_people`, the place lane's shared matcher), the importer's scope by commune (`access.may_change`), dates in
   order, the law in force on the contract's end, duplicates in the file (person + contract end)
   and against the registry ("đã có trong sổ").
3. Only if nothing is wrong, write every dossier in one transaction (bulk), decision due in
   working days on the province's calendar; a row with `Ngày quyết định` is decided by the law
   (`ui_law.compute`, one read of the law for the file): granted with the amounts and the monthly
   job-search reports due, or refused with the reason. One LABOUR_IMPORT audit row; a refused
   file leaves an audit row too (`record_refused`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Unit
from ansinh.lib.spreadsheets import LimitError, Reader, SpreadsheetError, Writer, csv_rows
from ansinh.lib.tabular import NO, YES, Column, ImportProblems, Problem, Problems, Row, message, read_table, \
    record_refused
from ansinh.lib.vietnamese import fold
from ansinh.procedures.deadlines import DueDates, procedure_in_force
from ansinh.workdays.calendar import calendar_for

from . import access
from .models import ContractKind, DossierState, JobSearchReport, UnemploymentDossier
from .people import match_people
from .ui_law import UNEMPLOYMENT_USE, LawBook, LawMissing
from .unemployment import apply_decision, decide, reports_for

SHEET = "Hồ sơ thất nghiệp"
KIND = "unemployment"
H_NAME, H_BIRTH, H_ID = "Họ và tên", "Ngày sinh", "Số CCCD"
H_RECEIVED, H_EMPLOYER, H_REGION = "Ngày nộp hồ sơ", "Đơn vị làm việc cuối cùng", "Vùng"
H_CONTRACT, H_END, H_MONTHS = "Loại hợp đồng", "Ngày chấm dứt hợp đồng", "Số tháng đóng"
H_SALARY, H_STATE, H_DECIDED, H_NUMBER = ("Tiền lương bình quân", "Lương theo chế độ Nhà nước", "Ngày quyết định",
                                          "Số quyết định")
REGION_LABELS = {"1": "I", "2": "II", "3": "III", "4": "IV"}
CONTRACT_LABELS = {ContractKind.INDEFINITE.value: "Không xác định thời hạn",
                   ContractKind.FIXED.value: "Xác định thời hạn từ 12 tháng trở lên",
                   ContractKind.SHORT.value: "Mùa vụ, công việc dưới 12 tháng"}
CONTRACT_ALIASES = {fold("xác định thời hạn"): ContractKind.FIXED.value, fold("mùa vụ"): ContractKind.SHORT.value,
                    fold("dưới 12 tháng"): ContractKind.SHORT.value, fold("không thời hạn"): ContractKind.INDEFINITE.value}
REGION_ALIASES = {fold(f"vùng {label}"): value for value, label in REGION_LABELS.items()} | {
    fold(f"vùng {value}"): value for value in REGION_LABELS}

COLUMNS = [
    Column(H_NAME, "full_name", "text", "Họ và tên như trong sổ hộ.", required=True, max_length=150, width=24),
    Column(H_BIRTH, "birth_date", "date", "Ngày sinh, dd/mm/yyyy.", required=True, past=True, width=12),
    Column(H_ID, "citizen_id", "citizen_id", "Số căn cước công dân 12 chữ số của người đã có trong sổ hộ của tỉnh.",
           required=True, width=16),
    Column(H_RECEIVED, "received_on", "date", "Ngày nộp đủ hồ sơ, dd/mm/yyyy.", required=True, past=True, width=12),
    Column(H_EMPLOYER, "employer_name", "text", "Tên đơn vị làm việc cuối cùng.", required=True, max_length=255,
           width=28),
    Column(H_REGION, "region", "choice", "Vùng lương tối thiểu nơi đơn vị đóng trụ sở: I, II, III, IV (hoặc 1–4).",
           required=True, labels=REGION_LABELS, choice_aliases=REGION_ALIASES, width=8),
    Column(H_CONTRACT, "contract_kind", "choice", "Loại hợp đồng lao động. Để trống: không xác định thời hạn.",
           labels=CONTRACT_LABELS, choice_aliases=CONTRACT_ALIASES, default=ContractKind.INDEFINITE.value, width=24),
    Column(H_END, "contract_end", "date", "Ngày chấm dứt hợp đồng lao động, dd/mm/yyyy.", required=True, past=True,
           width=12),
    Column(H_MONTHS, "months", "integer", "Số tháng đóng bảo hiểm thất nghiệp chưa hưởng.", required=True,
           limits=(Decimal(0), Decimal(600)), width=9),
    Column(H_SALARY, "average_salary", "money", "Tiền lương bình quân 6 tháng liền kề trước khi thất nghiệp (đồng).",
           required=True, limits=(Decimal(1), Decimal(1_000_000_000)), width=14),
    Column(H_STATE, "state_pay_scale", "yes_no", "Có: hưởng lương theo chế độ tiền lương do Nhà nước quy định. Để "
           "trống: Không.", default=False, width=10),
    Column(H_DECIDED, "decided_on", "date", "Ngày quyết định (để trống nếu chưa quyết định: hồ sơ ở trạng thái đã "
           "tiếp nhận). Có ngày: hệ thống tính hưởng hoặc không hưởng theo luật.", past=True, width=12),
    Column(H_NUMBER, "decision_number", "text", "Số quyết định (không bắt buộc).", max_length=60, width=16),
]
PLACES = {column.header: i for i, column in enumerate(COLUMNS)}


@dataclass(frozen=True)
class ImportResult:
    created: int
    granted: int = 0
    refused: int = 0
    file: str = ""


def _read(data: bytes, problems: Problems) -> list[Row]:
    if data[:4] == b"PK\x03\x04":
        with Reader(data) as reader:
            sheet = next((name for name in reader.sheets if name == SHEET), reader.sheets[0])
            return read_table(reader.rows(sheet), SHEET, COLUMNS, problems, epoch=reader.epoch)
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("binary")
    return read_table(csv_rows(data), SHEET, COLUMNS, problems)


@dataclass
class _Plan:
    rows: list[Row]
    people: dict[int, Any]  # row number -> Match


def _check(rows: list[Row], problems: Problems, user: Any, province: Unit, book: LawBook) -> _Plan:
    def add(row: Row, column: str, text: str) -> None:
        problems.add(SHEET, row.number, column, text, order=(row.number, PLACES.get(column, -1)))

    today = timezone.localdate()
    usable = [r for r in rows if r.values["citizen_id"]]
    found, errors = match_people([(r.values["citizen_id"], r.values["full_name"] or "", r.values["birth_date"])
                                  for r in usable], province)
    people: dict[int, Any] = {}
    for index, row in enumerate(usable):
        if index in errors:
            add(row, H_ID, errors[index])
        elif index in found:
            people[row.number] = found[index]
    communes = {m.commune_id for m in people.values()}
    units = Unit.objects.in_bulk(communes)
    refused = {pk for pk, unit in units.items() if user is not None and not access.may_change(user, unit, KIND)}
    for row in rows:
        v = row.values
        match = people.get(row.number)
        if match is not None and match.commune_id in refused:
            add(row, H_ID, str(message(gettext_noop("You may not enter unemployment dossiers of %(unit)s."),
                                       unit=units[match.commune_id].name)))
            people.pop(row.number)
        end, received, decided = v["contract_end"], v["received_on"], v["decided_on"]
        if end and received and received <= end:
            add(row, H_RECEIVED, "Ngày nộp hồ sơ phải sau ngày chấm dứt hợp đồng.")
        if received and decided and decided < received:
            add(row, H_DECIDED, "Ngày quyết định không được trước ngày nộp hồ sơ.")
        if decided and decided > today:
            add(row, H_DECIDED, f"Ngày quyết định {decided:%d/%m/%Y} sau ngày hôm nay.")
        if v["decision_number"] and not decided:
            add(row, H_DECIDED, "Có số quyết định thì phải ghi ngày quyết định.")
        if end:
            try:
                book.rule(end)
            except LawMissing as error:
                add(row, H_END, str(error))
        if received:
            try:
                procedure_in_force(UNEMPLOYMENT_USE, received, rows=book.procedures)
            except ValidationError as error:
                add(row, H_RECEIVED, " ".join(error.messages))
    # Duplicates: in the file, and against the registry (same person, same contract end).
    seen: dict[tuple[int, dt.date], int] = {}
    keys: dict[tuple[int, dt.date], Row] = {}
    for row in rows:
        match, end = people.get(row.number), row.values["contract_end"]
        if match is None or end is None:
            continue
        key = (match.person_id, end)
        if key in seen:
            add(row, H_ID, f"Trùng với dòng {seen[key]} (cùng người, cùng ngày chấm dứt hợp đồng).")
        else:
            seen[key], keys[key] = row.number, row
    person_ids = sorted({pid for pid, _ in keys})
    for start in range(0, len(person_ids), 1000):
        for pid, end in (UnemploymentDossier.objects.filter(person_id__in=person_ids[start:start + 1000])
                         .values_list("person_id", "contract_end")):
            first = keys.get((pid, end))
            if first is not None:
                add(first, H_ID, f"Hồ sơ của người này với ngày chấm dứt hợp đồng {end:%d/%m/%Y} đã có trong sổ.")
    return _Plan(rows=rows, people=people)


def _write(plan: _Plan, *, actor: Actor, province: Unit, filename: str, book: LawBook, job: Any) -> ImportResult:
    calendar = calendar_for(province)
    due_dates = DueDates([UNEMPLOYMENT_USE], calendar, rows=book.procedures)  # the catalogue's deadline
    user = user_of(actor)
    dossiers: list[UnemploymentDossier] = []
    for row in plan.rows:
        v, match = row.values, plan.people[row.number]
        dossier = UnemploymentDossier(
            person_id=match.person_id, commune_id=match.commune_id, received_on=v["received_on"],
            employer_name=v["employer_name"], region=int(v["region"]), contract_kind=v["contract_kind"],
            contract_end=v["contract_end"], months_contributed=v["months"], average_salary=v["average_salary"],
            state_pay_scale=bool(v["state_pay_scale"]), created_by=user, import_job=job,
            decision_due=due_dates(UNEMPLOYMENT_USE, v["received_on"]).due_on)
        if v["decided_on"]:
            apply_decision(dossier, decide(dossier, book=book, calendar=calendar), decided_on=v["decided_on"],
                           number=v["decision_number"] or "")
        dossiers.append(dossier)
    with transaction.atomic():
        UnemploymentDossier.objects.bulk_create(dossiers, batch_size=2000)
        reports = [report for dossier in dossiers for report in reports_for(dossier, calendar)]
        JobSearchReport.objects.bulk_create(reports, batch_size=5000)
        granted = sum(1 for d in dossiers if d.state == DossierState.GRANTED)
        refused = sum(1 for d in dossiers if d.state == DossierState.REFUSED)
        audit.record(actor=actor, action=AuditAction.LABOUR_IMPORT, obj=UnemploymentDossier, unit=province,
                     after={"import": KIND, "file": filename, "created": len(dossiers), "granted": granted,
                            "refused": refused, "reports": len(reports)})
    return ImportResult(created=len(dossiers), granted=granted, refused=refused, file=filename)


def import_unemployment(*, actor: Actor, data: bytes, filename: str, province: Unit, progress: Any = None,
                        job: Any = None, dry_run: bool = False) -> ImportResult:
    """Checks the whole file, then writes every dossier in one transaction, or nothing (raises
    ImportProblems listing every problem); `dry_run` checks only."""
    user = user_of(actor)
    problems = Problems()
    rows: list[Row] = []
    try:
        try:
            rows = _read(data, problems)
        except LimitError as error:
            raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                             reason=error))]) from None
        except (SpreadsheetError, csv.Error, UnicodeDecodeError):
            raise ImportProblems([Problem("", 0, "", message(gettext_noop(
                "The file cannot be read: an Excel .xlsx file or a .csv file (UTF-8) with the template's columns "
                "is needed.")))]) from None
        if problems.broken:
            raise ImportProblems(problems.sorted())
        if not rows:
            raise ImportProblems([Problem(SHEET, 0, "", message(gettext_noop("The file has no data rows.")))])
        if progress is not None:
            progress.say("Đang kiểm tra hồ sơ…")
        book = LawBook.load()
        plan = _check(rows, problems, user, province, book)
        problems.raise_if_any()
        if dry_run:
            return ImportResult(created=len(rows), file=filename)
        return _write(plan, actor=actor, province=province, filename=filename, book=book, job=job)
    except ImportProblems as error:
        record_refused(actor=actor, kind=f"labour.{KIND}", name=filename, rows=len(rows), problems=error.problems,
                       unit=province)
        raise


# --- The template ---------------------------------------------------------------------------------

SAMPLE = [["Nguyễn Thị Lan", dt.date(1990, 5, 12), "086190001234", dt.date(2026, 2, 2), "Công ty TNHH May Vĩnh Long",
           "IV", CONTRACT_LABELS[ContractKind.INDEFINITE], dt.date(2026, 1, 15), 38, 7_200_000, NO,
           dt.date(2026, 2, 20), "125/QĐ-SNV"]]


def template_xlsx(*, sample: bool = True) -> bytes:
    """The import template: the data sheet with a note on every header (the allowed values)."""
    with translation.override("vi"):
        workbook = Writer(constant_memory=False)
        sheet = workbook.sheet(SHEET)
        head = workbook.format(bold=True, bg_color="#DDEBF7", text_wrap=True, valign="vcenter", border=1)
        required = workbook.format(bold=True, bg_color="#F8CBAD", text_wrap=True, valign="vcenter", border=1)
        date = workbook.format(num_format="DD/MM/YYYY")
        text = workbook.format(num_format="@")
        for index, column in enumerate(COLUMNS, start=1):
            note = f"{'Bắt buộc. ' if column.required else ''}{column.note}\nGiá trị: {column.allowed_text()}."
            sheet.comment(1, index, note, author="ansinh", width=300, height=120)
            sheet.widths([column.width], first=index,
                         formats=[text if column.kind == "citizen_id" else date if column.kind == "date" else None])
        sheet.append([(c.header, required if c.required else head) for c in COLUMNS], height=40)
        if sample:
            for values in SAMPLE:
                sheet.append([(v, date) if isinstance(v, dt.date) else v for v in values])
        sheet.freeze(1, 1)
        return workbook.save()


def template_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow([column.header for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


__all__ = ["COLUMNS", "ImportResult", "import_unemployment", "template_csv", "template_xlsx"]
