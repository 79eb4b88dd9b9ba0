"""A unit's periodic form as a workbook: the form to fill (`ansinh submissions template`) and its
import into the unit's submission (`ansinh submissions import`).

The sheet «Biểu báo cáo» has header cells that say whose form it is (the plan's number and
year, the issuing body, the unit's code and map, the period), then one row per figure: the
plan's form indicators (`services.form_indicators`) and each of their breakdowns, with the
value to fill. The import checks every cell first and saves nothing on any problem; it refuses
a form already submitted or approved (only the unit above can return it for changes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Level, Unit, code_candidates, current_home
from ansinh.lib.parsing import is_blank as blank
from ansinh.lib.spreadsheets import LimitError, Reader, SpreadsheetError, Writer, cell_text, find_sheet, header_key, \
    read_workbook
from ansinh.lib.spreadsheets import file_name as source_name
from ansinh.lib.tabular import Column, message, read_table, record_refused, scope_of
from ansinh.lib.vietnamese import fold, format_number

from . import services
from .importer import (CellError, Collector, ImportProblems, Problem, Source_, breakdown_code, choice_lookup,
                       parse_code, parse_int, parse_number, parse_period)
from .models import Indicator, Plan, Source, Submission, SubmissionStatus, SubmissionValue
from .periods import Period

SHEET_FORM = "Biểu báo cáo"


@dataclass(frozen=True)
class HeaderField:
    label: str
    key: str
    informative: bool = False


HEADER_FIELDS: list[HeaderField] = [
    HeaderField("Kế hoạch", "plan"),
    HeaderField("Năm kế hoạch", "year"),
    HeaderField("Cơ quan ban hành", "agency"),
    HeaderField("Mã đơn vị", "unit"),
    HeaderField("Bản đồ hành chính", "edition"),
    HeaderField("Tên đơn vị", "unit_name", informative=True),
    HeaderField("Kỳ báo cáo", "period"),
    HeaderField("Tên kỳ", "period_name", informative=True),
    HeaderField("Hạn nộp", "deadline", informative=True),
]
COLUMNS = ["Mã chỉ tiêu", "Tên chỉ tiêu", "Chi tiết", "Đơn vị tính", "Giá trị", "Ghi chú"]
COLUMN_KEYS = ["indicator", "name", "breakdown", "unit_of_measure", "value", "note"]
NOTES = [
    "Mã chỉ tiêu của kế hoạch; không sửa.",
    "Tên chỉ tiêu; các dòng «trong đó» là chi tiết của chỉ tiêu ở dòng trên.",
    "Mã chi tiết (để trống là tổng số); không sửa.",
    "Đơn vị tính của giá trị.",
    "Số liệu của kỳ: 7.645 hoặc 7645; 21,3 hoặc 21.3. Để trống nếu không có số liệu.",
    "Không bắt buộc; tối đa 300 ký tự.",
]
# The table of the form, declared once: read by `_read`, written by `form_workbook`.
FORM_COLUMNS = [Column(header, key, "raw", note, required=key in ("indicator", "value"),
                       informative=key in ("name", "unit_of_measure"))
                for header, key, note in zip(COLUMNS, COLUMN_KEYS, NOTES, strict=True)]


@dataclass(frozen=True)
class FormHeader:
    plan: str
    year: int
    agency: str
    unit_code: str
    edition: str
    unit_name: str
    period: str
    deadline: dt.date | None = None


@dataclass(frozen=True)
class FormLine:
    indicator: str
    name: str
    breakdown: str
    unit_of_measure: str
    value: Decimal | None = None
    note: str = ""


def form_workbook(header: FormHeader, lines: Sequence[FormLine], *, created: dt.datetime | None = None) -> bytes:
    """The form: header cells, then one row per figure. `created` fixes the file's creation date."""
    workbook = Writer(constant_memory=False)
    if created is not None:
        workbook.book.set_properties({"created": created, "author": "ansinh"})
    border = {"border": 1, "border_color": "#A0A8B4"}
    bold = workbook.format(bold=True)
    label = workbook.format(bold=True, bg_color="#DDEBF7", **border)
    cell_text = workbook.format(num_format="@", **border)
    cell_plain = workbook.format(**border)
    cell_info = workbook.format(italic=True, font_color="#595959", **border)
    cell_date = workbook.format(num_format="DD/MM/YYYY", align="left", italic=True, font_color="#595959", **border)
    head = workbook.format(bold=True, bg_color="#DDEBF7", text_wrap=True, valign="vcenter", align="center", **border)
    head_value = workbook.format(bold=True, bg_color="#F8CBAD", text_wrap=True, valign="vcenter", align="center",
                                 **border)
    name_total = workbook.format(bold=True, text_wrap=True, valign="top", **border)
    name_part = workbook.format(text_wrap=True, valign="top", indent=2, **border)
    code = workbook.format(num_format="@", valign="top", font_color="#595959", **border)
    value_cell = workbook.format(num_format="#,##0.####", bg_color="#FFF2CC", valign="top", **border)
    note_cell = workbook.format(text_wrap=True, valign="top", **border)

    sheet = workbook.sheet(SHEET_FORM)
    sheet.widths([26, 60, 18, 14, 14, 36])
    sheet.page(landscape=True)
    sheet.append([(f"BIỂU BÁO CÁO {Period.parse(header.period).label_vi().upper()}", workbook.format(
        bold=True, font_size=14))], height=24)
    sheet.append([(f"{header.unit_name}, kế hoạch {header.plan} của {header.agency}", workbook.format(italic=True))])
    sheet.append([("Điền cột Giá trị (ô màu vàng), giữ nguyên các ô khác, rồi nhập tệp ở trang «Nhập biểu báo cáo từ "
                   "Excel» hoặc bằng lệnh: ansinh submissions import TÊN_TỆP.xlsx [--submit]", bold)])
    values: dict[str, Any] = {
        "plan": (header.plan, cell_text), "year": (header.year, cell_plain), "agency": (header.agency, cell_text),
        "unit": (header.unit_code, cell_text), "edition": (header.edition, cell_text),
        "unit_name": (header.unit_name, cell_info), "period": (header.period, cell_text),
        "period_name": (Period.parse(header.period).label_vi(), cell_info),
        "deadline": (header.deadline, cell_date) if header.deadline else ("", cell_info),
    }
    for f in HEADER_FIELDS:
        sheet.append([(f.label, label), values[f.key]])
    sheet.append([])
    sheet.append([(title, head_value if title == "Giá trị" else head) for title in COLUMNS], height=30)
    header_row = sheet.next_row
    for index, note in enumerate(NOTES, start=1):
        sheet.comment(header_row, index, note, author="ansinh", width=280, height=80)
    sheet.freeze(header_row, 2)
    for line in lines:
        is_part = bool(line.breakdown)
        sheet.append([(line.indicator, code), (line.name, name_part if is_part else name_total),
                      (line.breakdown, code), (line.unit_of_measure, note_cell),
                      (_number(line.value), value_cell) if line.value is not None else ("", value_cell),
                      (line.note, note_cell)])
    return workbook.save()


def _number(value: Decimal) -> int | float:
    """A figure as Excel stores numbers (a Decimal would be written as text)."""
    return int(value) if value == value.to_integral_value() else float(value)


def form_lines(indicators: Sequence[Indicator], values: dict[tuple[str, str], tuple[Decimal, str]] | None = None,
               ) -> list[FormLine]:
    """One line per indicator and per breakdown, with the form's current values if given."""
    values = values or {}
    out = []
    for indicator in indicators:
        for breakdown, name in [("", indicator.name),
                                *((str(b["code"]), f"trong đó: {b['name']}") for b in indicator.breakdowns)]:
            value, note = values.get((indicator.code, breakdown), (None, ""))
            out.append(FormLine(indicator.code, name, breakdown, indicator.unit_of_measure, value, note))
    return out


def submission_template_xlsx(plan: Plan, unit: Unit, period: Period) -> bytes:
    """The unit's form for the period, filled with what its submission already holds."""
    submission = Submission.objects.filter(plan=plan, unit=unit, period=period.key).first()
    values: dict[tuple[str, str], tuple[Decimal, str]] = {}
    if submission is not None:
        values = {(v.indicator.code, v.breakdown): (v.value.normalize(), v.note)
                  for v in submission.values.select_related("indicator")}
    header = FormHeader(plan=plan.number, year=plan.year, agency=plan.agency.name, unit_code=unit.code,
                        edition=unit.edition, unit_name=unit.name, period=period.key,
                        deadline=submission.deadline if submission and submission.deadline
                        else period.deadline(plan.deadlines))
    return form_workbook(header, form_lines(services.form_indicators(plan), values))


def template_name(plan: Plan, unit: Unit, period: Period) -> str:
    return f"bieu-bao-cao-{unit.code}-{period.key}.xlsx"


# --- Finding the plan and the unit ---------------------------------------------------------


def find_plan_and_unit(*, number: str, year: int, unit_code: str, edition: str = "", agency: str = "",
                       plans: QuerySet[Plan] | None = None) -> tuple[Plan, Unit]:
    """The plan (number and year; the issuing body when several share them) and the unit with
    that code in its area, on the plan's map. Raises CellError with the reason."""
    candidates = list((plans if plans is not None else Plan.objects.all()).filter(
        number=" ".join(number.split()), year=year).select_related("agency", "unit"))
    if not candidates:
        raise CellError(message(gettext_noop("No plan %(number)s of %(year)s (or you may not see it)."),
                                number=number, year=year))
    codes = code_candidates(unit_code)
    pairs: list[tuple[Plan, Unit]] = []
    for plan in candidates:
        wanted_edition = edition or plan.unit.edition
        units = list(Unit.objects.filter(edition=wanted_edition, path__startswith=plan.unit.path,
                                         level__lte=Level.COMMUNE, code__in=codes))
        exact = [u for u in units if u.code == unit_code]
        if len(exact) == 1 or len(units) == 1:
            pairs.append((plan, exact[0] if len(exact) == 1 else units[0]))
    if len(pairs) > 1 and agency:
        pairs = [(p, u) for p, u in pairs if fold(p.agency.name) == fold(agency)] or pairs
    if not pairs:
        raise CellError(message(gettext_noop("No unit with code %(code)s in the area of plan %(number)s of "
                                             "%(year)s."), code=unit_code, number=number, year=year))
    if len(pairs) > 1:
        names = "; ".join(p.agency.name for p, _ in pairs)
        raise CellError(message(gettext_noop("Several plans %(number)s of %(year)s (%(agencies)s): name the "
                                             "issuing body."), number=number, year=year, agencies=names))
    return pairs[0]


# --- Import ---------------------------------------------------------------------------------


@dataclass
class SubmissionImportResult:
    file: str
    plan: str
    unit: str
    period: str
    values: int
    submitted: bool
    submission_id: int
    status: str
    warnings: list[str] = field(default_factory=list)
    written: bool = True

    def lines(self) -> list[str]:
        if not self.written:
            return [f"Biểu hợp lệ, chưa ghi gì: sẽ lưu {format_number(self.values)} số liệu vào biểu báo cáo "
                    f"{Period.parse(self.period).label_vi()} của {self.unit} (kế hoạch {self.plan})."]
        out = [f"Đã lưu {format_number(self.values)} số liệu vào biểu báo cáo {Period.parse(self.period).label_vi()}"
               f" của {self.unit} (kế hoạch {self.plan})."]
        out.append("Đã nộp biểu lên cấp trên." if self.submitted else
                   "Biểu đang ở trạng thái nháp: kiểm tra rồi nộp trên trang biểu báo cáo (hoặc nhập lại với "
                   "--submit).")
        out.extend(f"Cảnh báo: {w}" for w in self.warnings)
        return out


@dataclass
class _Parsed:
    header: dict[str, tuple[int, Any]] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _read(workbook: Reader, collector: Collector) -> _Parsed:
    parsed = _Parsed()
    sheet = find_sheet(workbook, SHEET_FORM)
    if sheet is None:
        collector.add(SHEET_FORM, 0, "", message(gettext_noop(
            "The file has no sheet “%(sheet)s” (use the form downloaded from the system)."), sheet=SHEET_FORM))
        return parsed
    labels = {header_key(f.label): f for f in HEADER_FIELDS}
    rows = workbook.rows(sheet)
    for number, cells in rows:
        first = header_key(cells[0]) if cells else ""
        if first == header_key(COLUMNS[0]):
            table = read_table(chain([(number, cells)], rows), SHEET_FORM, FORM_COLUMNS, collector,
                               epoch=workbook.epoch)
            parsed.rows = [(row.number, row.values) for row in table]
            return parsed
        f = labels.get(first)
        if f is not None and not f.informative:
            parsed.header[f.key] = (number, cells[1] if len(cells) > 1 else None)
    if not collector.problems:
        collector.add(SHEET_FORM, 0, "", message(gettext_noop("No header row of the table (column “%(column)s”)."),
                                                 column=COLUMNS[0]))
    return parsed


def _header_value(parsed: _Parsed, k: str, collector: Collector, *, required: bool = True) -> tuple[int, Any]:
    number, value = parsed.header.get(k, (0, None))
    if blank(value) and required:
        label = next(f.label for f in HEADER_FIELDS if f.key == k)
        collector.add(SHEET_FORM, number, label,
                      message(gettext_noop("“%(label)s” is empty."), label=label) if number else
                      message(gettext_noop("The cell “%(label)s” is missing from the top of the form."), label=label))
    return number, value


def submission_import(*, actor: Actor, data: Source_, name: str = "",
                      allowed: Callable[[Unit], bool] | None = None, plans: QuerySet[Plan] | None = None,
                      submit: bool = False, dry_run: bool = False) -> SubmissionImportResult:
    """Checks the whole form, then saves its figures into the unit's submission (made as a draft
    the first time) in one transaction, or saves nothing.

    `plans` limits the plans the file may name (the web passes `plans_for_user`); `allowed(home)`
    says whether the importer may edit the unit's forms (else PermissionDenied). With `submit`, the
    form is also submitted. With `dry_run`, everything is done and rolled back. Raises
    ImportProblems listing every problem (and audits the refusal).
    """
    counted: list[int] = []
    try:
        return _submission_import(actor=actor, data=data, name=name, allowed=scope_of(actor, allowed), plans=plans,
                                  submit=submit, dry_run=dry_run, counted=counted)
    except ImportProblems as refused:
        record_refused(actor=actor, kind="submissions", name=name or source_name(data), rows=sum(counted),
                       problems=refused.problems, check=dry_run)
        raise


def _submission_import(*, actor: Actor, data: Source_, name: str, allowed: Callable[[Unit], bool] | None,
                       plans: QuerySet[Plan] | None, submit: bool, dry_run: bool,
                       counted: list[int]) -> SubmissionImportResult:
    collector = Collector()
    try:
        parsed, file_name = read_workbook(data, lambda workbook: _read(workbook, collector))
    except LimitError as error:
        raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                         reason=error))]) from None
    except SpreadsheetError:
        raise ImportProblems([Problem("", 0, "", message(gettext_noop(
            "The file cannot be read: an Excel .xlsx file is needed (use the form downloaded from the "
            "system).")))]) from None
    counted.append(len(parsed.rows))
    name = name or file_name
    if collector.problems:
        raise ImportProblems(collector.problems)

    # The header: which plan, unit and period.
    plan_row, plan_raw = _header_value(parsed, "plan", collector)
    year_row, year_raw = _header_value(parsed, "year", collector, required=False)
    unit_row, unit_raw = _header_value(parsed, "unit", collector)
    period_row, period_raw = _header_value(parsed, "period", collector)
    _, agency_raw = _header_value(parsed, "agency", collector, required=False)
    edition_row, edition_raw = _header_value(parsed, "edition", collector, required=False)
    period = None
    if not blank(period_raw):
        try:
            period = parse_period(period_raw)
        except CellError as error:
            collector.add(SHEET_FORM, period_row, "Kỳ báo cáo", str(error))
    year = period.year if period is not None else None
    if not blank(year_raw):
        try:
            year = parse_int(year_raw, 2000, 2100)
        except CellError as error:
            collector.add(SHEET_FORM, year_row, "Năm kế hoạch", str(error))
    edition = ""
    if not blank(edition_raw):
        edition = choice_lookup("edition").get(fold(cell_text(edition_raw)), "")
        if not edition:
            collector.add(SHEET_FORM, edition_row, "Bản đồ hành chính",
                          message(gettext_noop("“%(value)s” is not valid: write legacy (the map before 01/07/2025) "
                                               "or current."), value=cell_text(edition_raw)))
    plan: Plan | None = None
    unit: Unit | None = None
    if not collector.problems and year is not None:
        try:
            plan, unit = find_plan_and_unit(number=cell_text(plan_raw), year=year, unit_code=parse_code(unit_raw),
                                            edition=edition, agency="" if blank(agency_raw) else cell_text(agency_raw),
                                            plans=plans)
        except CellError as error:
            about_unit = str(error).startswith("Không có đơn vị")
            collector.add(SHEET_FORM, unit_row if about_unit else plan_row, "Mã đơn vị" if about_unit else "Kế hoạch",
                          str(error))
    if plan is not None and period is not None and period.year != plan.year:
        collector.add(SHEET_FORM, period_row, "Kỳ báo cáo",
                      message(gettext_noop("The period %(period)s is not in the plan's year %(year)s."),
                              period=period.key, year=plan.year))
    if collector.problems or plan is None or unit is None or period is None:
        raise ImportProblems(collector.problems)

    # The figures.
    indicators = {i.code: i for i in services.form_indicators(plan)}
    others = {i.code: i for i in Indicator.objects.exclude(source=Source.DERIVED)}
    values: dict[tuple[str, str], Decimal | None] = {}
    notes: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, row in parsed.rows:
        column = dict(zip(COLUMN_KEYS, COLUMNS, strict=True))

        def add(k: str, message: str, number: int = number) -> None:
            collector.add(SHEET_FORM, number, column[k], message)

        if blank(row.get("indicator")):
            add("indicator", message(gettext_noop("The indicator code is empty.")))
            continue
        code = cell_text(row["indicator"]).lower()
        indicator = indicators.get(code) or others.get(code)
        if indicator is None:
            add("indicator", message(gettext_noop("The indicator “%(code)s” is not in the form of plan %(plan)s."),
                                     code=code, plan=plan.number))
            continue
        breakdown = ""
        if not blank(row.get("breakdown")):
            found = breakdown_code(indicator, cell_text(row["breakdown"]))
            if found is None:
                allowed_ = "; ".join(str(b["code"]) for b in indicator.breakdowns) or "không có"
                add("breakdown", message(gettext_noop("“%(value)s” is not a breakdown of %(indicator)s (the "
                                                      "breakdowns: %(allowed)s)."), value=cell_text(row["breakdown"]),
                                         indicator=indicator.name, allowed=allowed_))
                continue
            breakdown = found
        if (code, breakdown) in seen:
            add("indicator", message(gettext_noop("This figure is already on row %(row)s."),
                                     row=seen[(code, breakdown)]))
            continue
        seen[(code, breakdown)] = number
        value = None
        if not blank(row.get("value")):
            try:
                value = parse_number(row["value"])
            except CellError as error:
                add("value", str(error))
                continue
            if value < 0 and indicator.unit_of_measure != "%":
                add("value", message(gettext_noop("The figure cannot be negative.")))
                continue
        note = "" if blank(row.get("note")) else cell_text(row["note"])
        if len(note) > 300:
            add("note", message(gettext_noop("Longer than %(limit)s characters."), limit=300))
            continue
        values[(indicator.code, breakdown)] = value
        if note and value is not None:
            notes[(indicator.code, breakdown)] = note
    if not collector.problems and not any(v is not None for v in values.values()) and submit:
        collector.add(SHEET_FORM, 0, "", message(gettext_noop(
            "The form has no figures yet: fill in the Giá trị column before submitting it.")))
    if collector.problems:
        raise ImportProblems(collector.problems)

    home = current_home(unit)
    if allowed is not None and not allowed(home):
        raise PermissionDenied(f"Bạn không được nhập biểu báo cáo của {unit.name}.")
    existing = Submission.objects.filter(plan=plan, unit=unit, period=period.key).first()
    if existing is not None and existing.locked:
        raise ImportProblems([Problem("", 0, "", locked_message(existing))])
    try:
        with translation.override("vi"), transaction.atomic():
            submission = services.submission_open(actor=actor, plan=plan, unit=unit, period=period.key)
            if submission.locked:  # submitted meanwhile
                raise ImportProblems([Problem("", 0, "", locked_message(submission))])
            count = services.submission_save(actor=actor, submission=submission, values=values)
            _save_notes(submission, notes, actor=actor)
            if submit:
                services.submission_submit(actor=actor, submission=submission)
            if dry_run:
                transaction.set_rollback(True)
    except ImportProblems:
        raise
    except ValidationError as error:
        raise ImportProblems([Problem("", 0, "", message) for message in error.messages]) from None
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={code for code, _part in values})}
    return SubmissionImportResult(file=name, plan=plan.number, unit=unit.name, period=period.key, values=count,
                                  submitted=submit, submission_id=submission.pk, status=submission.status,
                                  warnings=services.parts_over_total(values, indicators), written=not dry_run)


def _save_notes(submission: Submission, notes: dict[tuple[str, str], str], *, actor: Actor) -> None:
    """The notes of the figures just saved (in the same transaction as submission_save; the
    service replaces values and does not take notes), with an audit row of their own."""
    if not notes:
        return
    rows = list(submission.values.select_related("indicator"))
    changed = []
    before: dict[str, str] = {}
    for row in rows:
        note = notes.get((row.indicator.code, row.breakdown), "")
        if note != row.note:
            before[".".join(filter(None, (row.indicator.code, row.breakdown)))] = row.note
            row.note = note
            changed.append(row)
    SubmissionValue.objects.bulk_update(changed, ["note"])
    if changed:
        audit.record(actor=actor, action="plans.submission.notes", obj=submission, unit=submission.home,
                     before=before, after={".".join(filter(None, (r.indicator.code, r.breakdown))): r.note
                                           for r in changed})


def locked_message(submission: Submission) -> str:
    """Why a form cannot be imported into: it has been submitted or approved."""
    when = submission.decided_at if submission.status == SubmissionStatus.APPROVED else submission.submitted_at
    on = f" ngày {timezone.localtime(when):%d/%m/%Y}" if when else ""
    state = "đã được duyệt" if submission.status == SubmissionStatus.APPROVED else "đã nộp"
    return (f"Biểu báo cáo {Period.parse(submission.period).label_vi()} của {submission.unit.name} {state}{on}: "
            f"không sửa được nữa. Nếu cần sửa, đề nghị cấp trên trả lại biểu.")
