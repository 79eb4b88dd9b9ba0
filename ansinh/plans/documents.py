"""The plan and the periodic report as .docx, in the layout of Decree 30/2020/NĐ-CP.

- `plan_docx(plan)`: the plan as the seeds 003 and 004 read — the documents it is based on,
  the situation, the objectives (general, then one line per target of the plan's own unit with
  its parts), the tasks by field, the agencies and their tasks, the reporting regime, closing,
  recipients and signer; then, on a landscape page, the appendix: the targets split among the
  units below, with a note where a split does not add up.
- `report_docx(plan, period, unit)`: the periodic report as seed 001 reads — a section per
  field with each result as a sentence (figure, share of the target, parts; counted figures say
  which review they come from), then the next period's priorities drawn from the open tasks.

Documents are Vietnamese whatever the interface language: the texts here are Vietnamese, not
translated messages. Layout helpers: `ansinh/documents/layout.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone
from docx.document import Document
from docx.shared import Length, Mm

from ansinh.documents import layout
from ansinh.geo.models import Unit

from . import results as results_module
from .models import (OPEN_TASK_STATUSES, SECTOR_ORDER, Aggregation, Agency, AgencyKind, Indicator, Plan,
                     ReportText, Source, Task)
from .periods import DEFAULT_DEADLINES, Period
from .sentences import MISSING, Figures, breakdowns_text, number, render, sentence, templates_for
from .services import split_check

DOC_TYPES = {"KH": "Kế hoạch", "BC": "Báo cáo", "QĐ": "Quyết định", "TB": "Thông báo", "CTr": "Chương trình"}
# The report's section titles, in the order of SECTOR_ORDER (as the seed 001 report names them).
SECTOR_TITLES = {
    "employment": "Công tác Lao động - Việc làm và Giáo dục nghề nghiệp",
    "meritorious": "Công tác thương binh, liệt sỹ và người có công",
    "poverty": "Công tác giảm nghèo bền vững",
    "social_protection": "Công tác bảo trợ xã hội",
    "children": "Công tác trẻ em và bình đẳng giới",
    "social_evils": "Công tác phòng, chống tệ nạn xã hội",
    "inspection": "Công tác thanh tra",
    "administration": "Một số công tác khác của ngành",
}
OTHER_TASKS = "Nhiệm vụ khác"
SOLUTION_HEADING = re.compile(r"^\d+(\.\d+)*\.\s")  # "1. Hỗ trợ tín dụng", "2.1. …"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
# Unit kinds as the documents name them ("các xã, thị trấn"), in the order they are listed.
KIND_WORDS = {"huyen": "huyện", "quan": "quận", "thi_xa": "thị xã", "thanh_pho": "thành phố", "xa": "xã",
              "phuong": "phường", "thi_tran": "thị trấn", "dac_khu": "đặc khu", "ap": "ấp", "khom": "khóm",
              "thon": "thôn", "to_dan_pho": "tổ dân phố", "tinh": "tỉnh", "thanh_pho_tw": "thành phố"}
KIND_ORDER = list(KIND_WORDS)
NAME_PREFIXES = ("Thành phố", "Thị trấn", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã", "Đặc khu", "Ấp",
                 "Khóm", "Thôn", "Tổ dân phố")
# Who signs for a body when the plan names nobody (authority, title); the name is left blank.
HEADS: dict[str, tuple[str, str]] = {
    AgencyKind.PEOPLES_COMMITTEE.value: ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    AgencyKind.DEPARTMENT.value: ("", "GIÁM ĐỐC"),
    AgencyKind.DIVISION.value: ("", "TRƯỞNG PHÒNG"),
    AgencyKind.CENTRE.value: ("", "GIÁM ĐỐC"),
    AgencyKind.SOCIAL_INSURANCE.value: ("", "GIÁM ĐỐC"),
    AgencyKind.SOCIAL_POLICY_BANK.value: ("", "GIÁM ĐỐC"),
    AgencyKind.STATISTICS.value: ("", "CHI CỤC TRƯỞNG"),
}
SOURCE_LABELS: dict[str, str] = {Source.COUNTED.value: "đếm từ sổ", Source.DECLARED.value: "đơn vị báo cáo",
                                 Source.DERIVED.value: "tính theo công thức"}


# --- words ---------------------------------------------------------------------------------------


def lower_first(text: str) -> str:
    text = text.strip()
    return text[:1].lower() + text[1:] if text else text


def upper_first(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def short_date(date: dt.date) -> str:
    """ "24/02/2023", as documents cite each other."""
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


def place_name(unit: Unit) -> str:
    """ "Xã Ngãi Xuyên" → "Ngãi Xuyên" (the place in "Ngãi Xuyên, ngày …")."""
    for prefix in NAME_PREFIXES:
        if unit.name.startswith(prefix + " "):
            return unit.name[len(prefix) + 1:]
    return unit.name


def kinds_text(units: Iterable[Unit]) -> str:
    """ "xã, thị trấn" for the kinds of the given units."""
    kinds = sorted({u.kind for u in units if u.kind in KIND_WORDS}, key=KIND_ORDER.index)
    words: list[str] = []
    for kind in kinds:
        if KIND_WORDS[kind] not in words:
            words.append(KIND_WORDS[kind])
    return ", ".join(words)


def level_text(unit: Unit) -> str:
    """ "cấp huyện", "cấp thị xã", "cấp tỉnh"."""
    return f"cấp {KIND_WORDS.get(unit.kind, 'trên')}"


def _strip_unit(name: str, unit: Unit) -> str:
    if name.lower().endswith(" " + unit.name.lower()):
        return name[: -len(unit.name) - 1].strip()
    return name


def _abbreviate(name: str) -> str:
    for long in ("Ủy ban nhân dân", "Uỷ ban nhân dân"):
        if name.startswith(long):
            return "UBND" + name[len(long):]
    return name


def issuing_lines(agency: Agency) -> tuple[str, str]:
    """(The body above, the issuing body) of the heading: ("UBND TỈNH TRÀ VINH", "SỞ LAO ĐỘNG -
    THƯƠNG BINH VÀ XÃ HỘI"); a People's Committee has no body above in its heading."""
    parent = ""
    if agency.parent_id is not None and agency.parent is not None:
        parent = _abbreviate(agency.parent.short_name or agency.parent.name)
    elif agency.kind != AgencyKind.PEOPLES_COMMITTEE and agency.kind in (
            AgencyKind.DEPARTMENT, AgencyKind.DIVISION, AgencyKind.CENTRE):
        parent = f"UBND {agency.unit.name}"
    name = _strip_unit(agency.name, agency.unit) if parent else agency.name
    return parent.upper(), name.upper()


def plan_subject(plan: Plan) -> str:
    """The plan's title without a leading "Kế hoạch"/"Thực hiện" and without its year, lower case:
    "công tác việc làm - dạy nghề và giảm nghèo bền vững"."""
    text = " ".join(plan.title.split())
    text = re.sub(r"^(kế hoạch\s+)?((triển khai\s+)?thực hiện\s+)?", "", text, flags=re.IGNORECASE)
    text = re.sub(rf"\s*(năm\s+)?{plan.year}\s*$", "", text)
    return lower_first(text) or lower_first(plan.title)


def plan_reference(plan: Plan) -> str:
    """ "Kế hoạch số 12/KH-UBND ngày 24/02/2023 của Ủy ban nhân dân huyện Trà Cú"."""
    kind = DOC_TYPES.get(plan.doc_type, "Kế hoạch")
    date = f" ngày {short_date(plan.issued_on)}" if plan.issued_on else ""
    return f"{kind} số {plan.number}{date} của {plan.agency.name}"


def _due_text(task: Task, year: int | None = None) -> str:
    """ "trước ngày 30/6/2023", "trong quý II năm 2023", or a time by an event ("khi Trung ương
    ban hành"). A task due within the plan's own `year` says nothing of when: that is the plan's
    year already. A condition proper ("nếu …") is not a time: see `task_line`."""
    parts = []
    if task.due_on is not None:
        parts.append(f"trước ngày {short_date(task.due_on)}")
    elif task.due_period and task.due_period != str(year):
        parts.append(f"trong {Period.parse(task.due_period).label_vi()}")
    condition = task.due_condition.strip()
    if condition and not _is_proviso(condition):
        parts.append(condition)
    return ", ".join(parts)


def _is_proviso(condition: str) -> bool:
    """ "nếu có được phân bổ vốn" (seed 003) is a proviso, said as it is; "khi …" is a time."""
    return condition.lower().startswith("nếu")


def task_line(task: Task, *, with_lead: bool = False, year: int | None = None,
              overdue_on: dt.date | None = None) -> str:
    """ "- Description (chủ trì: …; phối hợp: …; thời hạn: …)."; with `overdue_on`, a task whose
    deadline was before that day says so ("thời hạn: trước ngày 31/01/2020, đã quá hạn")."""
    text = task.description.strip().rstrip(".;")
    details = []
    if with_lead and task.lead is not None:
        details.append(f"chủ trì: {task.lead.name}")
    partners = [p.short_name or p.name for p in task.partners.all()]
    if partners:
        details.append(f"phối hợp: {', '.join(partners)}")
    due = _due_text(task, year)
    if due:
        details.append(f"thời hạn: {due}")
    due_date = task.due_date()
    if overdue_on is not None and due_date is not None and due_date < overdue_on:
        if due:
            details[-1] += ", đã quá hạn"
        else:
            details.append("đã quá hạn")
    if _is_proviso(task.due_condition.strip()):
        details.append(task.due_condition.strip())
    return f"- {text}{' (' + '; '.join(details) + ')' if details else ''}."


def deadline_text(kind: str, rule: str) -> str:
    """A deadline rule as the seed 004 words it: "trước ngày 15 tháng cuối quý", "trước ngày 30/5"."""
    rule = rule.strip().lower()
    names = {"month": "tháng", "quarter": "quý", "half": "kỳ", "year": "năm"}
    if rule.startswith("last:"):
        day = int(rule[5:])
        if kind == "month":
            return f"trước ngày {day:02d} hằng tháng"
        if kind == "year":
            return f"trước ngày {day:02d}/12"
        return f"trước ngày {day:02d} tháng cuối {names[kind]}"
    if rule.startswith("next:"):
        day = int(rule[5:])
        if kind == "year":
            return f"trước ngày {day:02d}/01 năm sau"
        return f"trước ngày {day:02d} tháng đầu {names[kind]} sau" if kind != "month" else \
            f"trước ngày {day:02d} tháng sau"
    month, day = (int(part) for part in rule.split("-"))
    return f"trước ngày {day:02d}/{month}"


REPORT_NAMES = {"month": "báo cáo tháng", "quarter": "báo cáo quý", "half": "báo cáo 6 tháng", "year": "báo cáo năm"}


def reporting_regime(plan: Plan) -> str:
    """ "báo cáo quý gửi trước ngày 15 tháng cuối quý; báo cáo 6 tháng gửi trước ngày 30/5; …"."""
    rules = dict(plan.deadlines or {}) or {k: DEFAULT_DEADLINES[k] for k in ("quarter", "half", "year")}
    parts = [f"{REPORT_NAMES[kind]} gửi {deadline_text(kind, str(rules[kind]))}"
             for kind in ("month", "quarter", "half", "year") if kind in rules]
    return "; ".join(parts)


# --- targets and the appendix ----------------------------------------------------------------------


@dataclass
class Column:
    indicator: Indicator
    breakdown: str  # "" = the total

    @property
    def header(self) -> str:
        return "Tổng số" if not self.breakdown else upper_first(self.indicator.breakdown_name(self.breakdown))


@dataclass
class Appendix:
    """The targets of the plan's year split among the units below its unit."""

    plan: Plan
    units: list[Unit]
    columns: list[Column]
    cells: dict[tuple[int, str, str], Decimal]  # (unit id, indicator code, breakdown) → value
    totals: dict[tuple[str, str], Decimal]
    notes: list[str] = field(default_factory=list)

    @property
    def unit_header(self) -> str:
        return upper_first(kinds_text(self.units)) or "Đơn vị"

    def groups(self) -> list[tuple[Indicator, list[Column]]]:
        out: list[tuple[Indicator, list[Column]]] = []
        for column in self.columns:
            if out and out[-1][0].pk == column.indicator.pk:
                out[-1][1].append(column)
            else:
                out.append((column.indicator, [column]))
        return out

    def value(self, unit_id: int, column: Column) -> Decimal | None:
        return self.cells.get((unit_id, column.indicator.code, column.breakdown))

    def total(self, column: Column) -> Decimal | None:
        return self.totals.get((column.indicator.code, column.breakdown))


def appendix(plan: Plan) -> Appendix | None:
    """The appendix table, or None when no target is split among the units below. The total row
    is the plan unit's own target (else, for a summable indicator, the sum of the split)."""
    year = str(plan.year)
    units = list(Unit.objects.filter(parent=plan.unit).vietnamese_order())
    unit_ids = {u.pk for u in units}
    rows = list(plan.targets.filter(period=year).select_related("indicator"))
    split = [t for t in rows if t.unit_id in unit_ids]
    if not split:
        return None
    indicators = {t.indicator.code: t.indicator for t in split}
    used = {(t.indicator.code, t.breakdown) for t in split}
    used |= {(t.indicator.code, t.breakdown) for t in rows if t.unit_id == plan.unit_id and t.indicator.code in indicators}
    columns = []
    for indicator in sorted(indicators.values(), key=lambda i: (i.order, i.code)):
        for breakdown in ["", *indicator.breakdown_codes]:
            if (indicator.code, breakdown) in used:
                columns.append(Column(indicator, breakdown))
    cells = {(t.unit_id, t.indicator.code, t.breakdown): t.value for t in split}
    totals: dict[tuple[str, str], Decimal] = {}
    for t in rows:
        if t.unit_id == plan.unit_id and t.indicator.code in indicators:
            totals[(t.indicator.code, t.breakdown)] = t.value
    for column in columns:
        key = (column.indicator.code, column.breakdown)
        if key not in totals and column.indicator.aggregation == Aggregation.SUM:
            totals[key] = sum((v for (u, c, b), v in cells.items() if (c, b) == key), Decimal(0))
    return Appendix(plan=plan, units=units, columns=columns, cells=cells, totals=totals,
                    notes=split_notes(plan, units))


def split_notes(plan: Plan, units: Sequence[Unit]) -> list[str]:
    """One sentence per split that does not add up (services.split_check)."""
    kinds = kinds_text(units) or "đơn vị"
    out = []
    for line in split_check(plan):
        if line.period != str(plan.year) or line.difference == 0:
            continue
        indicator = line.indicator
        uom = indicator.unit_of_measure
        name = indicator.name + (f" ({indicator.breakdown_name(line.breakdown)})" if line.breakdown else "")
        total, given = number(line.total, indicator.decimals), number(line.split, indicator.decimals)
        difference = number(abs(line.difference), indicator.decimals)
        if line.difference > 0:
            out.append(f"{name}: chỉ tiêu {total} {uom}, phân giao cho các {kinds} {given} {uom}; chênh lệch "
                       f"{difference} {uom} do {level_text(plan.unit)} thực hiện.")
        else:
            out.append(f"{name}: chỉ tiêu {total} {uom}, phân giao cho các {kinds} {given} {uom}, vượt "
                       f"{difference} {uom} so với chỉ tiêu chung.")
    return out


def appendix_title(plan: Plan) -> str:
    subject = plan_subject(plan)
    return f"Phân giao chỉ tiêu {subject} năm {plan.year}"


def objective_lines(plan: Plan) -> list[str]:
    """One line per target of the plan's own unit for its year: the indicator's sentence with the
    target as its figure ("Giải quyết việc làm cho 3.200 lao động"), then its parts ("trong đó
    lĩnh vực phi nông nghiệp 150 người, lĩnh vực nông nghiệp 50 người")."""
    rows = list(plan.targets.filter(unit=plan.unit, period=str(plan.year)).select_related("indicator"))
    totals = {t.indicator.code: t for t in rows if not t.breakdown}
    parts: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for t in rows:
        if t.breakdown:
            parts[t.indicator.code].append((t.breakdown, t.value))
    templates = templates_for(plan.unit, plan, codes=list(totals))
    indicators = {i.code: i for i in Indicator.objects.all()}
    out = []
    for target in sorted(totals.values(), key=lambda t: (t.indicator.order, t.indicator.code)):
        indicator = target.indicator
        template = templates.get(indicator.code, "")
        text = render(template, indicator, Figures(value=target.value, period=Period(plan.year, "year"), as_set=True),
                      indicators=indicators) if template.strip() else ""
        if not text or MISSING in text:
            uom = indicator.unit_of_measure.strip()
            amount = number(target.value)  # as set: 80 → "80", 67.67 → "67,67"
            text = f"{indicator.name}: {amount}%" if uom == "%" else f"{indicator.name}: {amount} {uom}"
        order = indicator.breakdown_codes
        mine = sorted(parts.get(indicator.code, []), key=lambda p: order.index(p[0]) if p[0] in order else 99)
        detail = breakdowns_text(indicator, mine)
        if detail:
            text += f", trong đó {detail}"
        if target.note:
            text += f" ({target.note})"
        out.append(f"- {text.rstrip('.')}.")
    return out


def _appendix_section(doc: Document, plan: Plan, table: Appendix) -> None:
    layout.landscape_section(doc)
    width = layout.LANDSCAPE_TEXT_WIDTH
    layout.paragraph(doc, "PHỤ LỤC", size=14, bold=True, align="center")
    layout.paragraph(doc, appendix_title(plan), size=14, bold=True, align="center")
    layout.paragraph(doc, f"(Kèm theo {plan_reference(plan)})", size=13, italic=True, align="center")
    layout.short_line(doc, width=Mm(45), within=width, after=10)
    fixed: list[Length] = [Mm(12), Mm(48)]
    rest = width - sum(fixed)
    count = max(1, len(table.columns))
    widths = [*fixed, *[Length(rest // count) for _ in table.columns]]
    grid = layout.table(doc, 2 + len(table.units) + 1, widths, borders=True)
    header, sub = grid.rows[0], grid.rows[1]
    layout.repeat_header(header)
    layout.repeat_header(sub)
    for index, text in ((0, "STT"), (1, table.unit_header)):
        merged = header.cells[index].merge(sub.cells[index])
        layout.cell_text(merged, text, size=12, bold=True)
    column = 2
    for indicator, columns in table.groups():
        title = f"{indicator.name} ({indicator.unit_of_measure})"
        if len(columns) == 1 and not columns[0].breakdown:
            merged = header.cells[column].merge(sub.cells[column])
            layout.cell_text(merged, title, size=11, bold=True)
        else:
            top = header.cells[column].merge(header.cells[column + len(columns) - 1]) if len(columns) > 1 \
                else header.cells[column]
            layout.cell_text(top, title, size=11, bold=True)
            for offset, item in enumerate(columns):
                layout.cell_text(sub.cells[column + offset], item.header, size=11, bold=True)
        column += len(columns)
    for number_, unit in enumerate(table.units, start=1):
        cells = grid.rows[1 + number_].cells
        layout.cell_text(cells[0], str(number_), size=12)
        layout.cell_text(cells[1], unit.name, size=12, align="left")
        for offset, item in enumerate(table.columns):
            value = table.value(unit.pk, item)
            layout.cell_text(cells[2 + offset], number(value, item.indicator.decimals) if value is not None else "",
                             size=12, align="right")
    cells = grid.rows[-1].cells
    total = cells[0].merge(cells[1])
    layout.cell_text(total, "Tổng cộng", size=12, bold=True)
    for offset, item in enumerate(table.columns):
        value = table.total(item)
        layout.cell_text(cells[2 + offset], number(value, item.indicator.decimals) if value is not None else "",
                         size=12, bold=True, align="right")
    if table.notes:
        layout.paragraph(doc, "Ghi chú:", size=13, bold=True, italic=True, before=6)
        for note in table.notes:
            layout.paragraph(doc, f"- {note}", size=13, italic=True, align="justify")


# --- the plan -------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def plan_docx(plan: Plan) -> bytes:
    """The plan as a .docx ready to sign, with its appendix on a landscape page."""
    agency = plan.agency
    doc = layout.document()
    parent, issuer = issuing_lines(agency)
    layout.heading(doc, parent_body=parent, issuing_body=issuer, number=plan.number,
                   place_date=layout.place_and_date(plan.place, plan.issued_on, plan.year))
    kind = DOC_TYPES.get(plan.doc_type, "Kế hoạch")
    layout.title(doc, kind, " ".join(plan.title.split()))
    for line in _lines(plan.basis):
        layout.body(doc, line)
    layout.body(doc, f"{agency.name} xây dựng {kind} {lower_first(' '.join(plan.title.split()))}, cụ thể như sau:")
    part = 0

    def section(text: str) -> None:
        nonlocal part
        part += 1
        layout.body(doc, f"{ROMAN[part - 1]}. {text.upper()}", bold=True)

    if plan.situation.strip():
        section("Thực trạng")
        for line in _lines(plan.situation):
            layout.body(doc, line)
    table = appendix(plan)
    objectives = objective_lines(plan)
    if plan.objectives.strip() or objectives:
        section("Mục tiêu")
        sub = 0
        if plan.objectives.strip():
            sub += 1
            layout.body(doc, f"{sub}. Mục tiêu chung", bold=True)
            for line in _lines(plan.objectives):
                layout.body(doc, line)
        if objectives:
            sub += 1
            layout.body(doc, f"{sub}. Mục tiêu cụ thể", bold=True)
            for line in objectives:
                layout.body(doc, line)
        if table is not None:
            layout.body(doc, f"(Chỉ tiêu cụ thể của từng {kinds_text(table.units) or 'đơn vị'} theo phụ lục đính kèm)")
    tasks = list(plan.tasks.select_related("lead").prefetch_related("partners").order_by("order", "pk"))
    if plan.solutions.strip():  # the plan's own «Nhiệm vụ, giải pháp» (seed 003: eleven headed parts)
        section("Nhiệm vụ, giải pháp")
        for line in _lines(plan.solutions):
            layout.body(doc, line, bold=bool(SOLUTION_HEADING.match(line)))
    elif tasks:
        section("Nhiệm vụ, giải pháp")
        for sub, (title, group) in enumerate(_by_sector(tasks), start=1):
            layout.body(doc, f"{sub}. {title}", bold=True)
            for task in group:
                layout.body(doc, f"- {task.description.strip()}")
    section("Tổ chức thực hiện")
    sub = 0
    for lead, group in _by_lead(tasks):
        sub += 1
        layout.body(doc, f"{sub}. {lead}", bold=True)
        for task in group:
            layout.body(doc, task_line(task, year=plan.year))
    sub += 1
    layout.body(doc, f"{sub}. Chế độ báo cáo", bold=True)
    children = table.units if table is not None else list(Unit.objects.filter(parent=plan.unit))
    who = "Các cơ quan, đơn vị liên quan"
    if kinds_text(children):
        who += f" và Ủy ban nhân dân các {kinds_text(children)}"
    layout.body(doc, f"{who} báo cáo kết quả thực hiện Kế hoạch về {agency.name} định kỳ: "
                     f"{reporting_regime(plan)}.")
    layout.body(doc, f"Trên đây là {kind} {lower_first(' '.join(plan.title.split()))} của {agency.name}./.")
    layout.closing(doc, recipients=layout.recipient_lines(_lines(plan.recipients)),
                   authority=plan.signer_authority, signer_title=plan.signer_title, name=plan.signer_name)
    if table is not None:
        _appendix_section(doc, plan, table)
    return layout.save(doc)


def _by_sector(tasks: Sequence[Task]) -> list[tuple[str, list[Task]]]:
    groups: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        groups[task.sector or ""].append(task)
    keys = sorted(groups, key=lambda s: SECTOR_ORDER.get(s, len(SECTOR_ORDER)))
    return [(SECTOR_TITLES.get(key, OTHER_TASKS), groups[key]) for key in keys]


def _by_lead(tasks: Sequence[Task]) -> list[tuple[str, list[Task]]]:
    """Tasks by lead agency, in the order the agencies first appear; tasks without one last. The
    Fatherland Front and the mass organisations are not under the state bodies that issue plans:
    they are asked ("Đề nghị …", seeds 003 and 004), not assigned."""
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        if task.lead is not None:
            name = task.lead.name
            if task.lead.kind == AgencyKind.MASS_ORGANISATION and not name.lower().startswith("đề nghị"):
                name = f"Đề nghị {name}"
            groups.setdefault(name, []).append(task)
    others = [task for task in tasks if task.lead is None]
    out = list(groups.items())
    if others:
        out.append(("Các cơ quan, đơn vị liên quan", others))
    return out


# --- the periodic report ---------------------------------------------------------------------------


def _short_label(period: Period) -> str:
    """A period without its year: "quý I", "tháng 3", "6 tháng đầu năm"."""
    label = period.label_vi()
    return label[: -len(f" {period.year}")] if period.kind == "half" else label[: -len(f" năm {period.year}")]


def report_periods(period: Period) -> str:
    """What a report covers, as seed 001's title words it, the year said once: "quý I, chương
    trình công tác quý II năm 2020"; across a year: "quý IV năm 2025, chương trình công tác quý I
    năm 2026"."""
    nxt = period.next()
    if period.kind == "year" or nxt.year != period.year:
        return f"{period.label_vi()}, chương trình công tác {nxt.label_vi()}"
    return f"{_short_label(period)}, chương trình công tác {nxt.label_vi()}"


def _without_year(subject: str, year: int) -> str:
    """The plan's subject without "năm 2025" (the title says the year once, after the periods)."""
    return " ".join(re.sub(rf"\b(năm\s+)?{year}\b", " ", subject).split()).rstrip(" ,;")


def report_agency(plan: Plan, unit: Unit) -> Agency:
    """The body that reports for `unit`: the plan's agency for its own unit; else the unit's agency
    of the same kind, its People's Committee, or (unsaved) "Ủy ban nhân dân xã …"."""
    if unit.pk == plan.unit_id:
        return plan.agency
    found = list(Agency.objects.filter(unit=unit, active=True, kind__in=[plan.agency.kind,
                                                                        AgencyKind.PEOPLES_COMMITTEE]))
    for kind in (plan.agency.kind, AgencyKind.PEOPLES_COMMITTEE):
        for agency in found:
            if agency.kind == kind:
                return agency
    return Agency(name=f"Ủy ban nhân dân {lower_first(unit.name)}", kind=AgencyKind.PEOPLES_COMMITTEE,
                  symbol="UBND", unit=unit)


def priority_tasks(plan: Plan, period: Period) -> list[Task]:
    """Tasks still open at the end of the period (not started or in progress, or closed by a note
    dated after it: a report of 2020-Q1 written today lists what was open then), due by the end of
    the next period, due on a condition ("khi Trung ương ban hành"), or without a deadline."""
    nxt = period.next()
    tasks = (plan.tasks.annotate(closed_on=Max("notes__written_on"))
             .filter(Q(status__in=OPEN_TASK_STATUSES) | Q(closed_on__gt=period.end))
             .select_related("lead").prefetch_related("partners"))
    out: list[Task] = []
    for task in tasks.order_by("order", "pk"):
        due = task.due_date()
        if due is None or due <= nxt.end:
            out.append(task)
    return out


COUNTED_MARK = " (*)"
REGISTRY_NOTE = "sổ theo dõi "  # how a registry other than the poverty rounds names its counted figures


def report_lines(plan: Plan, period: Period, unit: Unit,
                 figures: results_module.Results | None = None) -> list[tuple[str, list[str], str]]:
    """(Section title, sentences, note on the sources) per field that has figures, in SECTOR_ORDER.
    A figure counted from a registry is marked (*), and the section's note names the registry data
    behind it; the other figures are those the units declared in their forms."""
    figures = figures or results_module.compute(unit, period, plan)
    templates = templates_for(unit, plan)
    decimals = plan.percent_decimals
    by_sector: dict[str, list[str]] = defaultdict(list)
    counted_from: dict[str, set[str]] = defaultdict(set)
    stood_in: set[str] = set()  # sectors with a counted figure adding units that have no registry data
    for indicator in sorted(figures.indicators.values(), key=lambda i: (i.order, i.code)):
        code = indicator.code
        if figures.value(unit.pk, code) is None:
            continue
        template = templates.get(code, "")
        if not template.strip():
            if figures.target(unit.pk, code) is None:
                continue  # a helper figure (households, rates quoted by other sentences)
            template = f"{indicator.name} {{value}}{'' if indicator.unit_of_measure == '%' else ' '}{{unit}}" \
                       "[[, đạt {percent} kế hoạch]]"
        text = sentence(figures, unit.pk, code, template, percent_decimals=decimals)
        if not text:
            continue
        text = text.rstrip(" .;")
        if figures.source(unit.pk, code) == Source.COUNTED and figures.notes.get(code):
            text += COUNTED_MARK
            counted_from[indicator.sector].add(figures.notes[code])
            if figures.stood_in(unit.pk, code):
                stood_in.add(indicator.sector)
        by_sector[indicator.sector].append(f"- {upper_first(text)}.")
    keys = sorted(by_sector, key=lambda s: SECTOR_ORDER.get(s, len(SECTOR_ORDER)))

    def note(sector: str) -> str:
        if not counted_from[sector]:
            return ""
        others = "; các số liệu khác do các đơn vị báo cáo" if any(
            not line.endswith(COUNTED_MARK + ".") for line in by_sector[sector]) else ""
        # A registry other than the poverty rounds names itself ("sổ theo dõi …": benefits.indicators).
        registries = sorted(n for n in counted_from[sector] if n.startswith(REGISTRY_NOTE))
        rounds = sorted(n for n in counted_from[sector] if not n.startswith(REGISTRY_NOTE))
        parts = ([f"cơ sở dữ liệu hộ gia đình, kết quả rà soát {', '.join(rounds)}"] if rounds else []) + registries
        standing = ("; đơn vị chưa có dữ liệu trong sổ thì lấy số liệu đơn vị báo cáo" if sector in stood_in
                    else "")
        return f"(*) Số liệu tổng hợp từ {'; '.join(parts)}{standing}{others}."

    return [(SECTOR_TITLES.get(key, OTHER_TASKS), by_sector[key], note(key)) for key in keys]


def signer_for(plan: Plan, agency: Agency) -> tuple[str, str, str]:
    if agency.pk is not None and agency.pk == plan.agency_id and (plan.signer_title or plan.signer_authority):
        return plan.signer_authority, plan.signer_title, plan.signer_name
    authority, title = HEADS.get(agency.kind, ("", "THỦ TRƯỞNG CƠ QUAN"))
    return authority, title, ""


def report_docx(plan: Plan, period: Period, unit: Unit | None = None,
                figures: results_module.Results | None = None) -> bytes:
    """The periodic report of `unit` (default: the plan's unit) for `period`."""
    unit = unit or plan.unit
    agency = report_agency(plan, unit)
    nxt = period.next()
    label, next_label = period.label_vi(), nxt.label_vi()
    doc = layout.document()
    parent, issuer = issuing_lines(agency)
    place = plan.place if unit.pk == plan.unit_id else place_name(unit)
    year = period.deadline(plan.deadlines).year
    words = ReportText.objects.filter(plan=plan, unit=unit, period=period.key).first() or ReportText()
    layout.heading(doc, parent_body=parent, issuing_body=issuer,
                   number=words.number or f"      /BC-{agency.symbol or 'UBND'}",
                   place_date=layout.place_and_date(place, words.issued_on, year))
    layout.title(doc, "Báo cáo", f"Kết quả thực hiện {_without_year(plan_subject(plan), period.year)} "
                                 f"{report_periods(period)}")
    layout.body(doc, f"Thực hiện {plan_reference(plan)} về {lower_first(' '.join(plan.title.split()))}; "
                     f"{agency.name} báo cáo kết quả thực hiện {label} và nhiệm vụ trọng tâm {next_label} "
                     "như sau:")
    layout.body(doc, "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", bold=True)
    figures = figures or results_module.compute(unit, period, plan)
    if figures.uncovered:
        layout.body(doc, f"(Số liệu {label} tổng hợp từ các kỳ đã có báo cáo; chưa có báo cáo "
                         f"{', '.join(p.label_vi() for p in figures.uncovered)}.)", italic=True)
    sections = report_lines(plan, period, unit, figures)
    if not sections:
        layout.body(doc, f"Chưa có số liệu {label}.", italic=True)
    for index, (title, lines, sources) in enumerate(sections, start=1):
        layout.body(doc, f"{index}. {title}", bold=True)
        for line in lines:
            layout.body(doc, line)
        if sources:
            layout.body(doc, sources, italic=True)
    heading_number = 2
    if words.strengths or words.difficulties:  # seed 001: «II. NHẬN XÉT, ĐÁNH GIÁ»
        layout.body(doc, "II. NHẬN XÉT, ĐÁNH GIÁ", bold=True)
        for index, (title, text) in enumerate(
                [(t, x) for t, x in (("Thuận lợi", words.strengths), ("Khó khăn, hạn chế", words.difficulties)) if x],
                start=1):
            layout.body(doc, f"{index}. {title}:", bold=True)
            for line in _lines(text):
                layout.body(doc, line if line.startswith(("-", "+")) else f"- {line}")
        heading_number = 3
    layout.body(doc, f"{ROMAN[heading_number - 1]}. MỘT SỐ NHIỆM VỤ TRỌNG TÂM {next_label.upper()}",
                bold=True)
    tasks = priority_tasks(plan, period)
    # Overdue as the report is dated, or as of its deadline (a past report made again today does
    # not call overdue what fell due after it was written).
    as_of = words.issued_on or min(timezone.localdate(), period.deadline(plan.deadlines))
    if not tasks:
        layout.body(doc, f"Tiếp tục triển khai thực hiện các nhiệm vụ theo {plan_reference(plan)}.")
    for index, (title, group) in enumerate(_by_sector(tasks), start=1):
        layout.body(doc, f"{index}. {title}", bold=True)
        for task in group:
            layout.body(doc, task_line(task, with_lead=True, overdue_on=as_of))
    layout.body(doc, f"Trên đây là báo cáo kết quả thực hiện {label} và một số nhiệm vụ trọng tâm {next_label} "
                     f"của {agency.name}./.")
    if words.recipients:
        recipients = layout.recipient_lines(_lines(words.recipients))
    elif unit.pk == plan.unit_id:
        recipients = layout.recipient_lines(_lines(plan.recipients))
    else:
        recipients = layout.recipient_lines([f"{plan.agency.name} (b/c)"])
    authority, title, name = signer_for(plan, agency)
    layout.closing(doc, recipients=recipients, authority=authority, signer_title=title, name=name)
    return layout.save(doc)
