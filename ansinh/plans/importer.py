"""Plans as a workbook: the .xlsx template and its import (`ansinh plans template|import`).

The workbook has three data sheets, a guide and two reference sheets (docs/plans-import.md):
  «Kế hoạch»   the document, one field a row (number and symbol, issuing body, unit and map,
               year, place, date, title, basis, situation, objectives, recipients, signer,
               reporting deadlines, the indicators of the periodic form);
  «Chỉ tiêu»   the targets: indicator × unit × period (× breakdown) → value, one a row, for the
               plan's own unit and for the units below it (the appendix split);
  «Nhiệm vụ»   the tasks: field, description, lead and partner agencies, due date, period or
               condition, status.

`plan_import` works like every import, on the tabular import framework (`ansinh.lib.tabular`):
1. Read the sheets (`ansinh.lib.spreadsheets.Reader`, after the row and size limits) and parse
   every cell with the one parser (`ansinh.lib.parsing`), collecting every problem as (sheet,
   Excel row, column, message translated when shown).
2. Check the rows against the catalogue and the map with a few set-based queries: indicator
   codes, breakdowns, unit codes under the plan's unit on the plan's map, periods in the
   plan's year, duplicates.
3. Only if nothing is wrong, write everything in one transaction through the plans services
   (agencies, the plan, its targets with their revision history, its tasks), each audited. A
   problem anywhere writes nothing. A check-only run does the same work and rolls it back, so
   it sees exactly what an import would.
4. Report the split check: a target of the plan's unit that its units' targets do not add up
   to is a warning with the difference (a plan may keep part of a target at its own level).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit, code_candidates, current_home
from ansinh.lib.parsing import is_blank as blank
from ansinh.lib.parsing import parse_date, parse_decimal, parse_integer
from ansinh.lib.spreadsheets import (LimitError, Reader, SpreadsheetError, Writer, cell_text, find_sheet, header_key,
                                     read_workbook)
from ansinh.lib.spreadsheets import file_name as source_name
from ansinh.lib.tabular import (CellError, Column, ImportProblems, Problem, Problems, Row, message, read_table,
                                record_refused, scope_of)
from ansinh.lib.vietnamese import fold, format_number

from . import services
from .models import (Aggregation, Agency, AgencyKind, Indicator, Plan, PlanStatus, Sector, Source, Task,
                     TaskStatus)
from .periods import KINDS, Period, check_rule

Source_ = bytes | str | Path | IO[bytes]

SHEET_GUIDE = "Hướng dẫn"
SHEET_PLAN = "Kế hoạch"
SHEET_TARGETS = "Chỉ tiêu"
SHEET_TASKS = "Nhiệm vụ"
SHEET_CATALOGUE = "Danh mục chỉ tiêu"
SHEET_LISTS = "Danh sách chọn"
SHEET_ORDER = [SHEET_PLAN, SHEET_TARGETS, SHEET_TASKS]
HEADER_SEARCH_ROWS = 10

# --- Vietnamese labels of the choices (the models' msgids are English) -----------------------

SECTOR_LABELS: dict[str, str] = {
    Sector.EMPLOYMENT: "Lao động - Việc làm và Giáo dục nghề nghiệp",
    Sector.MERITORIOUS: "Thương binh, liệt sỹ và người có công",
    Sector.POVERTY: "Giảm nghèo bền vững",
    Sector.SOCIAL_PROTECTION: "Bảo trợ xã hội",
    Sector.CHILDREN: "Trẻ em và bình đẳng giới",
    Sector.SOCIAL_EVILS: "Phòng, chống tệ nạn xã hội",
    Sector.INSPECTION: "Thanh tra",
    Sector.ADMINISTRATION: "Công tác khác",
}
TASK_STATUS_LABELS: dict[str, str] = {
    TaskStatus.OPEN: "Chưa thực hiện", TaskStatus.IN_PROGRESS: "Đang thực hiện", TaskStatus.DONE: "Hoàn thành",
    TaskStatus.CANCELLED: "Hủy",
}
PLAN_STATUS_LABELS: dict[str, str] = {PlanStatus.DRAFT: "Dự thảo", PlanStatus.ISSUED: "Đã ban hành"}
AGENCY_KIND_LABELS: dict[str, str] = {
    AgencyKind.PEOPLES_COMMITTEE: "Ủy ban nhân dân", AgencyKind.DEPARTMENT: "Sở", AgencyKind.DIVISION: "Phòng",
    AgencyKind.CENTRE: "Trung tâm, cơ sở", AgencyKind.SOCIAL_INSURANCE: "Bảo hiểm xã hội",
    AgencyKind.SOCIAL_POLICY_BANK: "Ngân hàng Chính sách xã hội", AgencyKind.STATISTICS: "Cơ quan thống kê",
    AgencyKind.MASS_ORGANISATION: "Mặt trận, đoàn thể", AgencyKind.OTHER: "Cơ quan khác",
}
EDITION_LABELS: dict[str, str] = {Edition.LEGACY: "legacy", Edition.CURRENT: "current"}
ALIASES: dict[str, dict[str, str]] = {
    "sector": {"lao dong": "employment", "viec lam": "employment", "giao duc nghe nghiep": "employment",
               "day nghe": "employment", "nguoi co cong": "meritorious", "thuong binh liet sy": "meritorious",
               "giam ngheo": "poverty", "tre em": "children", "binh dang gioi": "children",
               "te nan xa hoi": "social_evils", "khac": "administration", "van phong": "administration"},
    "task_status": {"chua bat dau": "open", "moi": "open", "dang lam": "in_progress", "xong": "done",
                    "da xong": "done", "da hoan thanh": "done", "huy bo": "cancelled", "da huy": "cancelled"},
    "plan_status": {"nhap": "draft", "ban nhap": "draft", "ban hanh": "issued", "da ky": "issued"},
    "agency_kind": {"ubnd": "ubnd", "uy ban": "ubnd", "trung tam": "trung_tam", "co so": "trung_tam",
                    "bhxh": "bhxh", "nhcsxh": "nhcsxh", "thong ke": "thong_ke", "doan the": "doan_the",
                    "mat tran": "doan_the", "khac": "khac"},
    "edition": {"cu": "legacy", "ban do cu": "legacy", "truoc 2025": "legacy", "truoc 01/07/2025": "legacy",
                "moi": "current", "ban do moi": "current", "hien hanh": "current", "tu 2025": "current",
                "tu 01/07/2025": "current"},
}
LISTS: dict[str, Mapping[str, str]] = {
    "sector": SECTOR_LABELS, "task_status": TASK_STATUS_LABELS, "plan_status": PLAN_STATUS_LABELS,
    "agency_kind": AGENCY_KIND_LABELS, "edition": EDITION_LABELS,
}


def choice_lookup(kind: str) -> dict[str, str]:
    """Folded spellings -> value: the Vietnamese label, the code, then common aliases."""
    lookup: dict[str, str] = {}
    for value, label in LISTS[kind].items():
        lookup[fold(label)] = str(value)
        lookup[fold(str(value)).replace("_", " ")] = str(value)
        lookup[fold(str(value))] = str(value)
    for alias, value in ALIASES.get(kind, {}).items():
        lookup.setdefault(alias, value)
    return lookup


def guess_agency_kind(name: str) -> str:
    """The kind of a body from its name, as imports name agencies by text."""
    text = fold(name)
    rules: list[tuple[tuple[str, ...], str, bool]] = [
        (("ngan hang chinh sach",), AgencyKind.SOCIAL_POLICY_BANK, False),
        (("bao hiem xa hoi",), AgencyKind.SOCIAL_INSURANCE, False),
        (("thong ke",), AgencyKind.STATISTICS, False),
        (("mat tran to quoc",), AgencyKind.MASS_ORGANISATION, False),
        (("hoi dong",), AgencyKind.OTHER, True),
        # "Ủy ban nhân dân các xã, thị trấn" names all the communes' committees, not one body
        (("uy ban nhan dan cac ", "ubnd cac "), AgencyKind.OTHER, True),
        (("hoi ", "doan ", "lien doan ", "cac hoi", "cac doan the"), AgencyKind.MASS_ORGANISATION, True),
        (("uy ban nhan dan", "ubnd"), AgencyKind.PEOPLES_COMMITTEE, True),
        (("so ",), AgencyKind.DEPARTMENT, True),
        (("phong ",), AgencyKind.DIVISION, True),
        (("trung tam", "co so", "truong ", "benh vien"), AgencyKind.CENTRE, True),
    ]
    for words, kind, prefix in rules:
        if any(text.startswith(w) if prefix else w in text for w in words):
            return str(kind)
    return str(AgencyKind.OTHER)


# --- The fields and columns -------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One row of the «Kế hoạch» sheet."""

    label: str
    key: str
    note: str
    kind: str = "text"  # text, lines, date, year, int, rule, codes, code, choice:<list>
    required: bool = False
    max_length: int | None = None
    aliases: tuple[str, ...] = ()


RULE_NOTE = ("Quy tắc hạn nộp: last:15 là ngày 15 của tháng cuối kỳ; next:05 là ngày 5 của tháng sau kỳ; "
             "12-05 (tháng-ngày) hoặc 05/12 (ngày/tháng) là một ngày cố định trong năm. Để trống: theo mặc định "
             "của hệ thống (ngày 20).")
PLAN_FIELDS: list[Field] = [
    Field("Loại văn bản", "doc_type", "Chữ viết tắt loại văn bản (Nghị định 30/2020/NĐ-CP): KH là kế hoạch. "
          "Để trống: KH.", max_length=8),
    Field("Số ký hiệu", "number", "Số và ký hiệu văn bản, ví dụ 12/KH-UBND.", required=True, max_length=60,
          aliases=("Số", "Số và ký hiệu")),
    Field("Cơ quan ban hành", "agency", "Tên đầy đủ của cơ quan ban hành, ví dụ Ủy ban nhân dân huyện Trà Cú, Sở "
          "Lao động - Thương binh và Xã hội. Được tạo mới nếu đơn vị chưa có cơ quan này.", required=True,
          max_length=200),
    Field("Ký hiệu cơ quan ban hành", "agency_symbol", "Ký hiệu dùng trong số văn bản, ví dụ UBND, SLĐTBXH.",
          max_length=30),
    Field("Loại cơ quan ban hành", "agency_kind", "Ủy ban nhân dân, Sở, Phòng, … Để trống: đoán theo tên.",
          kind="choice:agency_kind"),
    Field("Cơ quan chủ quản", "parent", "Cơ quan cấp trên, ghi trên tên cơ quan ban hành ở đầu văn bản (ví dụ Ủy "
          "ban nhân dân tỉnh Trà Vinh → «UBND TỈNH TRÀ VINH» trên «SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI»). Để trống "
          "khi cơ quan ban hành là Ủy ban nhân dân.", max_length=200, aliases=("Cơ quan cấp trên",)),
    Field("Ký hiệu cơ quan chủ quản", "parent_symbol", "Ví dụ UBND.", max_length=30),
    Field("Mã đơn vị", "unit", "Mã đơn vị hành chính của kế hoạch (tỉnh, huyện hoặc xã), ví dụ 84 là tỉnh Trà Vinh "
          "trên bản đồ cũ, 849 là huyện Trà Cú.", kind="code", required=True, aliases=("Đơn vị",)),
    Field("Bản đồ hành chính", "edition", "legacy: bản đồ trước 01/07/2025 (63 tỉnh, có cấp huyện); current: bản đồ "
          "từ 01/07/2025 (34 tỉnh, không có cấp huyện). Mã đơn vị được dùng lại giữa hai bản đồ nên phải ghi rõ.",
          kind="choice:edition", required=True, aliases=("Bản đồ",)),
    Field("Năm", "year", "Năm của kế hoạch, ví dụ 2023.", kind="year", required=True, aliases=("Năm kế hoạch",)),
    Field("Địa danh", "place", "Địa danh ghi trước ngày tháng, ví dụ Trà Cú.", required=True, max_length=100),
    Field("Ngày ban hành", "issued_on", "dd/mm/yyyy, trong năm kế hoạch hoặc năm trước đó.", kind="date"),
    Field("Trích yếu", "title", "Tên kế hoạch, ví dụ Thực hiện công tác việc làm - dạy nghề và giảm nghèo bền "
          "vững năm 2023.", kind="lines", required=True, aliases=("Tên kế hoạch", "Tiêu đề")),
    Field("Căn cứ", "basis", "Mỗi văn bản căn cứ một dòng (Alt+Enter để xuống dòng trong ô).", kind="lines"),
    Field("Thực trạng", "situation", "Đoạn đánh giá thực trạng (không bắt buộc); mỗi đoạn một dòng.", kind="lines"),
    Field("Mục tiêu", "objectives", "Mục tiêu chung và cụ thể; mỗi đoạn một dòng. Các chỉ tiêu số ghi ở sheet "
          "Chỉ tiêu.", kind="lines"),
    Field("Nhiệm vụ, giải pháp", "solutions", "Mỗi đoạn một dòng; dòng như «1. Hỗ trợ tín dụng» là tiêu đề mục. "
          "Để trống thì văn bản liệt kê các nhiệm vụ ở sheet Nhiệm vụ theo lĩnh vực.", kind="lines",
          aliases=("Giải pháp",)),
    Field("Nơi nhận", "recipients", "Mỗi nơi nhận một dòng, ví dụ Sở LĐTBXH;", kind="lines"),
    Field("Thẩm quyền ký", "signer_authority", "Ví dụ KT. CHỦ TỊCH; để trống khi người đứng đầu ký.",
          max_length=60),
    Field("Chức vụ người ký", "signer_title", "Ví dụ PHÓ CHỦ TỊCH, GIÁM ĐỐC.", max_length=80, aliases=("Chức vụ",)),
    Field("Người ký", "signer_name", "Họ và tên người ký.", max_length=100),
    Field("Hạn báo cáo tháng", "deadline_month", RULE_NOTE, kind="rule"),
    Field("Hạn báo cáo quý", "deadline_quarter", RULE_NOTE + " Ví dụ last:15: trước ngày 15 tháng cuối quý.",
          kind="rule"),
    Field("Hạn báo cáo 6 tháng", "deadline_half", RULE_NOTE + " Ví dụ 05-30: trước ngày 30/5.", kind="rule"),
    Field("Hạn báo cáo năm", "deadline_year", RULE_NOTE + " Ví dụ 12-05: trước ngày 05/12.", kind="rule"),
    Field("Chỉ tiêu trong biểu báo cáo", "form_codes", "Mã các chỉ tiêu đơn vị báo cáo mỗi kỳ, cách nhau bởi dấu ; "
          "(xem sheet Danh mục chỉ tiêu). Để trống: các chỉ tiêu do đơn vị báo cáo có giao chỉ tiêu.", kind="codes"),
    Field("Số chữ số thập phân của tỷ lệ", "percent_decimals", "Số chữ số thập phân khi ghi tỷ lệ % đạt so với kế "
          "hoạch (0–4). Để trống: 1.", kind="int"),
    Field("Trạng thái", "status", "Dự thảo hoặc Đã ban hành. Để trống: Dự thảo.", kind="choice:plan_status"),
]
FIELDS_BY_KEY = {f.key: f for f in PLAN_FIELDS}
DEADLINE_KEYS = {f"deadline_{kind}": kind for kind in KINDS}


def _column(header: str, key: str, note: str, **options: Any) -> Column:
    """A column of the targets or tasks sheet: its cells are read as they are (raw) and checked
    by `_targets` and `_tasks`, which know the catalogue and the map."""
    return Column(header, key, "raw", note, **options)


TARGET_COLUMNS: list[Column] = [
    _column("Mã chỉ tiêu", "indicator", "Mã chỉ tiêu trong sheet Danh mục chỉ tiêu, ví dụ jobs_created.",
           required=True, width=24),
    _column("Tên chỉ tiêu", "indicator_name", "Chỉ để đọc cho dễ; không được nhập.", width=40, informative=True),
    _column("Mã đơn vị", "unit", "Mã đơn vị được giao chỉ tiêu: đơn vị của kế hoạch hoặc một đơn vị cấp dưới, trên "
           "cùng bản đồ với kế hoạch. Để trống: đơn vị của kế hoạch.", width=10),
    _column("Tên đơn vị", "unit_name", "Chỉ để đọc cho dễ; không được nhập.", width=26, informative=True),
    _column("Kỳ", "period", "2023 (cả năm), 2023-H1 (6 tháng), 2023-Q2 (quý), 2023-03 (tháng); trong năm của kế "
           "hoạch. Để trống: cả năm.", width=10),
    _column("Chi tiết", "breakdown", "Để trống là tổng số; hoặc mã (hay tên) một chi tiết của chỉ tiêu, ví dụ female "
           "(nữ), non_farm (phi nông nghiệp). Xem sheet Danh mục chỉ tiêu.", width=16),
    _column("Giá trị", "value", "Số theo đơn vị tính của chỉ tiêu: 3.200 hoặc 3200; 67,67 hoặc 67.67 với tỷ lệ %.",
           required=True, width=12),
    _column("Ghi chú", "note", "Không bắt buộc; tối đa 300 ký tự.", width=36),
]
TASK_COLUMNS: list[Column] = [
    _column("Thứ tự", "order", "Số thứ tự nhiệm vụ trong kế hoạch; không trùng nhau. Để trống: theo thứ tự dòng. "
           "Khi nhập lại (cập nhật) kế hoạch, nhiệm vụ cùng số thứ tự được cập nhật.", width=8),
    _column("Lĩnh vực", "sector", "Một lĩnh vực trong danh sách (mục của báo cáo định kỳ). Không bắt buộc.", width=24),
    _column("Nội dung", "description", "Nội dung nhiệm vụ.", required=True, width=60),
    _column("Cơ quan chủ trì", "lead", "Tên cơ quan chủ trì; được tạo mới dưới đơn vị của kế hoạch nếu chưa có.",
           width=30),
    _column("Cơ quan phối hợp", "partners", "Tên các cơ quan phối hợp, cách nhau bởi dấu ;", width=36),
    _column("Hạn", "due_on", "Ngày hết hạn, dd/mm/yyyy. Không bắt buộc.", width=12),
    _column("Kỳ hạn", "due_period", "Hoặc kỳ phải xong: 2023-Q2, 2023-H1, 2023. Không bắt buộc.", width=10),
    _column("Điều kiện", "due_condition", "Hoặc điều kiện, ví dụ khi Trung ương ban hành; nếu có được phân bổ vốn.",
           width=24),
    _column("Trạng thái", "status", "Chưa thực hiện, Đang thực hiện, Hoàn thành hoặc Hủy. Để trống: Chưa thực hiện.",
           width=16),
]
TABLES: dict[str, list[Column]] = {SHEET_TARGETS: TARGET_COLUMNS, SHEET_TASKS: TASK_COLUMNS}


# --- Problems and results ---------------------------------------------------------------------


Collector = Problems  # the problems of one file (the periodic forms' import collects into it too)


def figure(value: Decimal | float | int) -> str:
    """A value in Vietnamese format with as many decimals as it has: 7645 → 7.645, 1.71 → 1,71."""
    number = Decimal(str(value)).normalize()
    exponent = number.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(number, decimals)


@dataclass
class PlanImportResult:
    file: str
    number: str
    year: int
    agency: str
    unit: str
    created: bool
    written: bool
    plan_id: int | None = None
    targets: int = 0
    targets_new: int = 0
    targets_revised: int = 0
    targets_removed: int = 0
    tasks_new: int = 0
    tasks_updated: int = 0
    agencies_new: list[str] = field(default_factory=list)
    split: list[services.SplitLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def split_warnings(self) -> list[str]:
        """The split lines that do not add up, with the difference."""
        out = []
        for line in self.split:
            if line.difference == 0:
                continue
            part = f", {line.indicator.breakdown_name(line.breakdown)}" if line.breakdown else ""
            out.append(f"Phân bổ chưa khớp: {line.indicator.name}{part} ({line.period}): kế hoạch "
                       f"{figure(line.total)} {line.indicator.unit_of_measure}, cộng {line.units} đơn vị cấp dưới "
                       f"{figure(line.split)}, chênh lệch {figure(line.difference)}.")
        return out

    def lines(self) -> list[str]:
        """What the import did, in Vietnamese; the plan's number and symbol last."""
        verb = ("Tệp hợp lệ, chưa ghi gì: sẽ tạo" if self.created else "Tệp hợp lệ, chưa ghi gì: sẽ cập nhật") \
            if not self.written else ("Đã tạo" if self.created else "Đã cập nhật")
        out = [f"{verb} kế hoạch {self.number} năm {self.year} của {self.agency} ({self.unit}).",
               f"Chỉ tiêu: {format_number(self.targets)} dòng ({format_number(self.targets_new)} mới, "
               f"{format_number(self.targets_revised)} điều chỉnh, {format_number(self.targets_removed)} bỏ).",
               f"Nhiệm vụ: {format_number(self.tasks_new)} mới, {format_number(self.tasks_updated)} cập nhật."]
        if self.agencies_new:
            out.append(f"Cơ quan mới: {'; '.join(self.agencies_new)}.")
        adding = [line for line in self.split if line.difference == 0]
        if adding:
            out.append(f"Phân bổ khớp: {len(adding)} chỉ tiêu cộng đủ theo các đơn vị cấp dưới.")
        out.extend(f"Cảnh báo: {text}" for text in self.split_warnings + self.warnings)
        out.append(self.number)
        return out


# --- Parsing cells ----------------------------------------------------------------------------


def lines(value: Any) -> list[str]:
    """A cell of several lines (Alt+Enter in Excel), each tidied; blank lines dropped."""
    if isinstance(value, (int, float, dt.date)):
        return [cell_text(value)]
    return [" ".join(line.split()) for line in str(value).splitlines() if line.strip()]


def parse_int(value: Any, low: int, high: int) -> int:
    return parse_integer(value, low, high)


def parse_number(value: Any) -> Decimal:
    """A figure (`ansinh.lib.parsing`), rounded to four decimals; refused over 16 digits."""
    number = parse_decimal(value)
    try:
        return services.check_size(number, label="", text=value)
    except ValidationError:
        raise CellError(message(gettext_noop("“%(value)s” is too large: at most %(digits)s digits before the "
                                             "decimal mark."), value=cell_text(value),
                                digits=services.MAX_INTEGER_DIGITS)) from None


def parse_period(value: Any) -> Period:
    if isinstance(value, (dt.datetime, dt.date)) and value.day == 1:
        return Period(value.year, "month", value.month)  # Excel turned "2023-03" into 1 March 2023
    raw = cell_text(value)
    try:
        return Period.parse(raw)
    except ValidationError:
        raise CellError(message(gettext_noop("“%(value)s” is not a period: write 2023 (the year), 2023-H1 (six "
                                             "months), 2023-Q2 (a quarter) or 2023-03 (a month)."),
                                value=raw)) from None


def parse_rule(value: Any) -> str:
    """A deadline rule; Excel may turn "05-30" into a date, and people write 30/05 (day/month)."""
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value.month:02d}-{value.day:02d}"
    raw = cell_text(value).lower().replace(" ", "")
    day_month = re.fullmatch(r"(\d{1,2})/(\d{1,2})", raw)
    if day_month:
        raw = f"{int(day_month.group(2)):02d}-{int(day_month.group(1)):02d}"
    try:
        rule = check_rule(raw)
        if rule[0].isdigit():
            month, day = (int(part) for part in rule.split("-"))
            dt.date(2024, month, day)  # a leap year: 02-29 is a day that exists
    except (ValidationError, ValueError):
        raise CellError(message(gettext_noop("“%(value)s” is not a deadline rule: write last:15 (the 15th of the "
                                             "period's last month), next:05 (the 5th of the month after the period) "
                                             "or 12-05 (a fixed day, 05/12)."), value=cell_text(value))) from None
    return rule


def parse_code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return cell_text(value)


def parse_choice(value: Any, kind: str) -> str:
    raw = cell_text(value)
    found = choice_lookup(kind).get(fold(raw))
    if found is None:
        allowed = "; ".join(LISTS[kind].values())
        raise CellError(message(gettext_noop("“%(value)s” is not in the list. Choose one of: %(allowed)s."),
                                value=raw, allowed=allowed))
    return found


def split_names(value: Any) -> list[str]:
    """Agency names separated by ; or new lines."""
    return [" ".join(part.split()) for part in re.split(r"[;\n]", str(value)) if part.strip()]


# --- Reading the workbook ---------------------------------------------------------------------


def read_fields(rows: Iterator[tuple[int, list[Any]]], collector: Collector) -> dict[str, tuple[int, Any]]:
    """The «Kế hoạch» sheet: field key → (Excel row, raw value), from the rows under «Mục | Nội dung»."""
    labels: dict[str, Field] = {}
    for f in PLAN_FIELDS:
        for label in (f.label, *f.aliases):
            labels[header_key(label)] = f
    header_at = None
    for number, cells in rows:
        if cells and header_key(cells[0]) == header_key("Mục"):
            header_at = number
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    out: dict[str, tuple[int, Any]] = {}
    if header_at is None:
        collector.add(SHEET_PLAN, 0, "", message(gettext_noop(
            "No header row “Mục | Nội dung” in the first %(rows)s rows."), rows=HEADER_SEARCH_ROWS))
        return out
    for number, cells in rows:
        raw_label = cells[0] if cells else None
        value = cells[1] if len(cells) > 1 else None
        if blank(raw_label):
            if not blank(value):
                collector.add(SHEET_PLAN, number, "Mục", message(gettext_noop("There is content but no item.")))
            continue
        found = labels.get(header_key(raw_label))
        if found is None:
            collector.add(SHEET_PLAN, number, "Mục", message(gettext_noop(
                "The item “%(item)s” is not in the template (see the sheet %(sheet)s)."), item=cell_text(raw_label),
                sheet=SHEET_GUIDE))
            continue
        if found.key in out:
            collector.add(SHEET_PLAN, number, "Mục", message(gettext_noop(
                "The item “%(item)s” is already on row %(row)s."), item=found.label, row=out[found.key][0]))
            continue
        out[found.key] = (number, value)
    return out


# --- Checking -------------------------------------------------------------------------------


@dataclass
class TaskRow:
    row: int
    order: int
    sector: str
    description: str
    lead: str
    partners: list[str]
    due_on: dt.date | None
    due_period: str
    due_condition: str
    status: str


@dataclass
class Parsed:
    """What the file will write once every check passes."""

    fields: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # field key → Excel row of «Kế hoạch»
    unit: Unit | None = None
    targets: list[services.TargetRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)


def _parse_field(f: Field, raw: Any) -> Any:
    kind = f.kind
    if kind == "lines":
        return lines(raw)
    if kind == "date":
        return parse_date(raw)
    if kind == "year":
        return parse_int(raw, 2000, 2100)
    if kind == "int":
        return parse_int(raw, 0, 4)
    if kind == "rule":
        return parse_rule(raw)
    if kind == "codes":
        return [code.lower() for code in re.split(r"[;,\s]+", cell_text(raw) if not isinstance(raw, str) else raw)
                if code.strip()]
    if kind == "code":
        return parse_code(raw)
    if kind.startswith("choice:"):
        return parse_choice(raw, kind.split(":", 1)[1])
    value = cell_text(raw)
    if f.max_length and len(value) > f.max_length:
        raise CellError(message(gettext_noop("Longer than %(limit)s characters."), limit=f.max_length))
    return value


def _fields(raw: dict[str, tuple[int, Any]], parsed: Parsed, collector: Collector) -> None:
    for f in PLAN_FIELDS:
        number, value = raw.get(f.key, (0, None))
        if number:
            parsed.rows[f.key] = number
        if blank(value):
            if f.required:
                collector.add(SHEET_PLAN, number, f.label,
                              message(gettext_noop("Empty (a required item).")) if number else
                              message(gettext_noop("The required item “%(item)s” is missing."), item=f.label))
            continue
        try:
            parsed.fields[f.key] = _parse_field(f, value)
        except CellError as error:
            collector.add(SHEET_PLAN, number, f.label, str(error))
    title = parsed.fields.get("title")
    if isinstance(title, list):
        parsed.fields["title"] = " ".join(title)


def _resolve_unit(parsed: Parsed, collector: Collector) -> None:
    code, edition = parsed.fields.get("unit"), parsed.fields.get("edition")
    if not code or not edition:
        return
    found = list(Unit.objects.filter(edition=edition, code__in=code_candidates(code), level__lte=Level.COMMUNE))
    exact = [unit for unit in found if unit.code == code]
    label = FIELDS_BY_KEY["unit"].label
    row = parsed.rows.get("unit", 0)
    if len(exact) == 1 or len(found) == 1:
        parsed.unit = exact[0] if len(exact) == 1 else found[0]
    elif not found:
        collector.add(SHEET_PLAN, row, label, message(
            gettext_noop("There is no administrative unit with code %(code)s on the former map (before 01/07/2025).")
            if edition == Edition.LEGACY else
            gettext_noop("There is no administrative unit with code %(code)s on the map in force."), code=code))
    else:
        names = "; ".join(f"{u.code} {u.name}" for u in found)
        collector.add(SHEET_PLAN, row, label, message(gettext_noop(
            "The code %(code)s matches several units (%(names)s): write its leading zeros."), code=code, names=names))


def _unit_lookup(plan_unit: Unit, codes: set[str]) -> dict[str, list[Unit]]:
    """Each code of the targets sheet → the units under the plan's unit (same map) it may mean."""
    candidates = {code: code_candidates(code) for code in codes}
    wanted = {c for cs in candidates.values() for c in cs}
    units = list(Unit.objects.filter(edition=plan_unit.edition, path__startswith=plan_unit.path,
                                     level__lte=Level.COMMUNE, code__in=wanted))
    by_code: dict[str, list[Unit]] = {}
    for unit in units:
        by_code.setdefault(unit.code, []).append(unit)
    out: dict[str, list[Unit]] = {}
    for code, cs in candidates.items():
        if code in by_code:
            out[code] = by_code[code]
        else:
            out[code] = [unit for c in cs for unit in by_code.get(c, [])]
    return out


def breakdown_code(indicator: Indicator, raw: str) -> str | None:
    """A breakdown given by its code or its name."""
    if raw in indicator.breakdown_codes:
        return raw
    folded = fold(raw)
    for item in indicator.breakdowns:
        if fold(str(item["code"])) == folded or fold(str(item["name"])) == folded:
            return str(item["code"])
    return None


def _targets(rows: list[Row], parsed: Parsed, indicators: dict[str, Indicator], collector: Collector) -> None:
    unit = parsed.unit
    year = parsed.fields.get("year")
    header = {c.key: c.header for c in TARGET_COLUMNS}
    codes = {parse_code(r.values["unit"]) for r in rows if not blank(r.values.get("unit"))}
    units = _unit_lookup(unit, codes) if unit is not None else {}
    seen: dict[tuple[int, int, str, str], int] = {}
    for row in rows:
        v = row.values

        def add(column: str, message: str, row: Row = row) -> None:
            collector.add(SHEET_TARGETS, row.number, header[column], message)

        indicator = None
        if blank(v.get("indicator")):
            add("indicator", message(gettext_noop("Empty (a required column).")))
        else:
            indicator = indicators.get(cell_text(v["indicator"]).lower())
            if indicator is None:
                add("indicator", message(gettext_noop("There is no indicator with code “%(code)s” (see the sheet "
                                                      "%(sheet)s)."), code=cell_text(v["indicator"]),
                                         sheet=SHEET_CATALOGUE))
        target_unit = unit
        if not blank(v.get("unit")) and unit is not None:
            code = parse_code(v["unit"])
            found = units.get(code, [])
            if not found:
                add("unit", message(
                    gettext_noop("There is no unit with code %(code)s under %(unit)s on the former map.")
                    if unit.edition == Edition.LEGACY else
                    gettext_noop("There is no unit with code %(code)s under %(unit)s on the map in force."),
                    code=code, unit=unit.name))
                target_unit = None
            elif len(found) > 1:
                add("unit", message(gettext_noop("The code %(code)s matches several units: write its leading zeros."),
                                    code=code))
                target_unit = None
            else:
                target_unit = found[0]
        period = str(year) if year else ""
        if not blank(v.get("period")):
            try:
                parsed_period = parse_period(v["period"])
                period = parsed_period.key
                if year and parsed_period.year != year:
                    add("period", message(gettext_noop("The period %(period)s is not in the plan's year %(year)s."),
                                          period=period, year=year))
                    period = ""
            except CellError as error:
                add("period", str(error))
                period = ""
        breakdown = ""
        if not blank(v.get("breakdown")) and indicator is not None:
            raw = cell_text(v["breakdown"])
            found_code = breakdown_code(indicator, raw)
            if indicator.source == Source.DERIVED and indicator.aggregation == Aggregation.FORMULA:
                add("breakdown", message(gettext_noop("%(indicator)s is a rate computed by a formula: it has no "
                                                      "breakdown."), indicator=indicator.name))
            elif found_code is None:
                allowed = "; ".join(f"{b['code']} ({b['name']})" for b in indicator.breakdowns) or "không có"
                add("breakdown", message(gettext_noop("“%(value)s” is not a breakdown of %(indicator)s. The "
                                                      "breakdowns: %(allowed)s."), value=raw, indicator=indicator.name,
                                         allowed=allowed))
            else:
                breakdown = found_code
        value = None
        if blank(v.get("value")):
            add("value", message(gettext_noop("Empty (a required column).")))
        else:
            try:
                value = parse_number(v["value"])
                if value < 0 and indicator is not None and indicator.unit_of_measure != "%":
                    add("value", message(gettext_noop("A target cannot be negative.")))
                    value = None
            except CellError as error:
                add("value", str(error))
        note = "" if blank(v.get("note")) else cell_text(v["note"])
        if len(note) > 300:
            add("note", message(gettext_noop("Longer than %(limit)s characters."), limit=300))
        if indicator is None or target_unit is None or value is None or not period:
            continue
        target_key = (indicator.pk, target_unit.pk, period, breakdown)
        if target_key in seen:
            add("indicator", f"Chỉ tiêu này của {target_unit.name}, kỳ {period}"
                             f"{', chi tiết ' + breakdown if breakdown else ''} đã ghi ở dòng {seen[target_key]}.")
            continue
        seen[target_key] = row.number
        parsed.targets.append(services.TargetRow(indicator, target_unit, period, breakdown, value, note[:300]))


def _tasks(rows: list[Row], parsed: Parsed, collector: Collector) -> None:
    header = {c.key: c.header for c in TASK_COLUMNS}
    orders: dict[int, int] = {}
    for position, row in enumerate(rows, start=1):
        v = row.values

        def add(column: str, message: str, row: Row = row) -> None:
            collector.add(SHEET_TASKS, row.number, header[column], message)

        order = position
        if not blank(v.get("order")):
            try:
                order = parse_int(v["order"], 1, 100_000)
            except CellError as error:
                add("order", str(error))
        if order in orders:
            add("order", message(gettext_noop("The number %(order)s is already used on row %(row)s."), order=order,
                                 row=orders[order]))
        orders.setdefault(order, row.number)
        sector = ""
        if not blank(v.get("sector")):
            try:
                sector = parse_choice(v["sector"], "sector")
            except CellError as error:
                add("sector", str(error))
        description = "" if blank(v.get("description")) else "\n".join(lines(v["description"]))
        if not description:
            add("description", message(gettext_noop("Empty (a required column).")))
        lead = "" if blank(v.get("lead")) else cell_text(v["lead"])
        partners = [] if blank(v.get("partners")) else split_names(v["partners"])
        for name in [lead, *partners]:
            if len(name) > 200:
                add("lead" if name == lead else "partners", message(gettext_noop(
                    "An agency's name is longer than 200 characters: “%(name)s…”."), name=name[:40]))
        due_on = None
        if not blank(v.get("due_on")):
            try:
                due_on = parse_date(v["due_on"])
            except CellError as error:
                add("due_on", str(error))
        due_period = ""
        if not blank(v.get("due_period")):
            try:
                due_period = parse_period(v["due_period"]).key
            except CellError as error:
                add("due_period", str(error))
        condition = "" if blank(v.get("due_condition")) else cell_text(v["due_condition"])
        if len(condition) > 200:
            add("due_condition", message(gettext_noop("Longer than %(limit)s characters."), limit=200))
        status = str(TaskStatus.OPEN)
        if not blank(v.get("status")):
            try:
                status = parse_choice(v["status"], "task_status")
            except CellError as error:
                add("status", str(error))
        parsed.tasks.append(TaskRow(row.number, order, sector, description, lead, partners, due_on, due_period,
                                    condition, status))


def _check_fields(parsed: Parsed, indicators: dict[str, Indicator], collector: Collector) -> None:
    f = parsed.fields
    codes = f.get("form_codes") or []
    unknown = [code for code in codes if code not in indicators]
    if unknown:
        collector.add(SHEET_PLAN, parsed.rows.get("form_codes", 0), FIELDS_BY_KEY["form_codes"].label,
                      message(gettext_noop("There is no indicator with the codes: %(codes)s (see the sheet "
                                           "%(sheet)s)."), codes=", ".join(unknown), sheet=SHEET_CATALOGUE))
    derived = [code for code in codes if code in indicators and indicators[code].source == Source.DERIVED]
    if derived:
        collector.add(SHEET_PLAN, parsed.rows.get("form_codes", 0), FIELDS_BY_KEY["form_codes"].label,
                      message(gettext_noop("Indicators computed by a formula cannot be reported in the form: "
                                           "%(codes)s."), codes=", ".join(derived)))
    issued, year = f.get("issued_on"), f.get("year")
    if issued is not None and year and issued.year not in (year - 1, year):
        collector.add(SHEET_PLAN, parsed.rows.get("issued_on", 0), FIELDS_BY_KEY["issued_on"].label,
                      message(gettext_noop("A plan for %(year)s is issued in %(year)s or %(previous)s."), year=year,
                              previous=year - 1))


def _sort(problems: list[Problem]) -> list[Problem]:
    sheets = {sheet: i for i, sheet in enumerate(SHEET_ORDER)}
    columns = {SHEET_PLAN: {f.label: i for i, f in enumerate(PLAN_FIELDS)},
               **{sheet: {c.header: i for i, c in enumerate(cs)} for sheet, cs in TABLES.items()}}
    return sorted(problems, key=lambda p: (sheets.get(p.sheet, -1), p.row, columns.get(p.sheet, {}).get(p.column, -1)))


def check_workbook(workbook: Reader, counted: list[int] | None = None) -> Parsed:
    """Steps 1 and 2: every cell parsed and checked; raises ImportProblems listing every problem."""
    collector = Collector()
    parsed = Parsed()
    sheets = {title: find_sheet(workbook, title) for title in SHEET_ORDER}
    if sheets[SHEET_PLAN] is None:
        collector.add(SHEET_PLAN, 0, "", message(gettext_noop(
            "The file has no sheet “%(sheet)s” (use the template downloaded from the system)."), sheet=SHEET_PLAN))
        raise ImportProblems(collector.problems)
    raw = read_fields(workbook.rows(str(sheets[SHEET_PLAN])), collector)
    targets = read_table(workbook.rows(str(sheets[SHEET_TARGETS])), SHEET_TARGETS, TARGET_COLUMNS, collector) \
        if sheets[SHEET_TARGETS] else []
    tasks = read_table(workbook.rows(str(sheets[SHEET_TASKS])), SHEET_TASKS, TASK_COLUMNS, collector) \
        if sheets[SHEET_TASKS] else []
    if counted is not None:
        counted.append(len(raw) + len(targets) + len(tasks))
    _fields(raw, parsed, collector)
    indicators = {i.code: i for i in Indicator.objects.all()}
    _resolve_unit(parsed, collector)
    _check_fields(parsed, indicators, collector)
    _targets(targets, parsed, indicators, collector)
    _tasks(tasks, parsed, collector)
    if collector.problems:
        raise ImportProblems(_sort(collector.problems))
    return parsed


# --- Writing ----------------------------------------------------------------------------------


FIELD_OF_SERVICE_ERROR = {"number": "number", "title": "title", "place": "place", "issued_on": "issued_on",
                          "unit": "unit", "form_codes": "form_codes", "name": "agency"}


def _service_problems(error: ValidationError, parsed: Parsed) -> list[Problem]:
    """A service's refusal, placed on the row of the «Kế hoạch» sheet it is about."""
    if not hasattr(error, "error_dict"):
        return [Problem(SHEET_PLAN, 0, "", message) for message in error.messages]
    out: list[Problem] = []
    for name, messages in error.message_dict.items():
        key_ = FIELD_OF_SERVICE_ERROR.get(name)
        if name == "deadlines":
            key_ = next((k for k in DEADLINE_KEYS if k in parsed.rows), None)
        label = FIELDS_BY_KEY[key_].label if key_ else ""
        row = parsed.rows.get(key_, 0) if key_ else 0
        out.extend(Problem(SHEET_PLAN, row, label, message) for message in messages)
    return out


def _plan_values(parsed: Parsed) -> dict[str, Any]:
    f = parsed.fields
    deadlines = {kind: f[k] for k, kind in DEADLINE_KEYS.items() if k in f}
    return {
        "doc_type": f.get("doc_type") or "KH",
        "issued_on": f.get("issued_on"),
        "basis": "\n".join(f.get("basis", [])),
        "situation": "\n".join(f.get("situation", [])),
        "objectives": "\n".join(f.get("objectives", [])),
        "solutions": "\n".join(f.get("solutions", [])),
        "recipients": "\n".join(f.get("recipients", [])),
        "signer_authority": f.get("signer_authority", ""),
        "signer_title": f.get("signer_title", ""),
        "signer_name": f.get("signer_name", ""),
        "deadlines": deadlines,
        "form_codes": list(f.get("form_codes", [])),
        "percent_decimals": f.get("percent_decimals", 1),
        "status": f.get("status", PlanStatus.DRAFT),
    }


class _Agencies:
    """The agencies of the plan's unit by name, made through the audited service when missing."""

    def __init__(self, unit: Unit, actor: Actor) -> None:
        self.unit, self.actor = unit, actor
        self.known = {a.name: a for a in Agency.objects.filter(unit=unit)}
        self.created: list[str] = []

    def get(self, name: str, *, kind: str | None = None, symbol: str = "", parent: Agency | None = None) -> Agency:
        name = " ".join(name.split())
        found = self.known.get(name)
        if found is None:
            found = services.agency_create(actor=self.actor, unit=self.unit, name=name,
                                           kind=kind or guess_agency_kind(name), symbol=symbol, parent=parent)
            self.known[name] = found
            self.created.append(name)
        return found


def _commit(parsed: Parsed, *, actor: Actor, replace: bool, name: str) -> PlanImportResult:
    f = parsed.fields
    unit = parsed.unit
    assert unit is not None
    agencies = _Agencies(unit, actor)
    parent = None
    if f.get("parent"):
        parent = agencies.get(f["parent"], symbol=f.get("parent_symbol", ""))
    existed = " ".join(f["agency"].split()) in agencies.known
    agency = agencies.get(f["agency"], kind=f.get("agency_kind"), symbol=f.get("agency_symbol", ""), parent=parent)
    plan = Plan.objects.filter(agency=agency, number=" ".join(f["number"].split()), year=f["year"]).first() \
        if existed else None
    if plan is not None and not replace:
        raise ImportProblems([Problem(SHEET_PLAN, parsed.rows.get("number", 0), FIELDS_BY_KEY["number"].label,
                                      message(gettext_noop(
                                          "%(agency)s already has plan %(number)s of %(year)s. To update that plan "
                                          "from the file, import it again with the update option (--replace)."),
                                          agency=agency.name, number=plan.number, year=plan.year))])
    values = _plan_values(parsed)
    created = plan is None
    if plan is None:
        plan = services.plan_create(actor=actor, agency=agency, unit=unit, year=f["year"], number=f["number"],
                                    title=f["title"], place=f["place"], **values)
    else:
        plan = services.plan_update(actor=actor, plan=plan, agency=agency, unit=unit, year=f["year"],
                                    number=f["number"], title=f["title"], place=f["place"], **values)
    result = PlanImportResult(file=name, number=plan.number, year=plan.year, agency=agency.name, unit=unit.name,
                              created=created, written=True, plan_id=plan.pk)

    # Targets: counted before the service replaces them, for the report.
    existing = {(t.indicator_id, t.unit_id, t.period, t.breakdown): (t.value, t.note) for t in plan.targets.all()}
    wanted = {(r.indicator.pk, r.unit.pk, r.period, r.breakdown): (r.value, r.note) for r in parsed.targets}
    result.targets = len(wanted)
    result.targets_new = len(wanted.keys() - existing.keys())
    result.targets_removed = len(existing.keys() - wanted.keys())
    result.targets_revised = sum(1 for k in wanted.keys() & existing.keys() if wanted[k] != existing[k])
    services.targets_replace(actor=actor, plan=plan, rows=parsed.targets,
                             reason=f"Nhập từ tệp {name}" if name else "Nhập từ tệp Excel")

    # Tasks: the same order number updates a task of the plan; others are added.
    tasks = {t.order: t for t in plan.tasks.all()} if not created else {}
    for row in parsed.tasks:
        lead = agencies.get(row.lead) if row.lead else None
        partners = [agencies.get(partner) for partner in row.partners]
        values_ = {"order": row.order, "sector": row.sector, "lead": lead, "due_on": row.due_on,
                   "due_period": row.due_period, "due_condition": row.due_condition, "status": row.status}
        task = tasks.pop(row.order, None)
        if task is None:
            services.task_create(actor=actor, plan=plan, description=row.description, partners=partners, **values_)
            result.tasks_new += 1
        else:
            services.task_update(actor=actor, task=task, partners=partners, description=row.description, **values_)
            result.tasks_updated += 1
    for task in sorted(tasks.values(), key=lambda t: t.order):
        result.warnings.append(f"Nhiệm vụ thứ tự {task.order} («{task.description[:60]}») có trong hệ thống nhưng "
                               f"không có trong tệp: giữ nguyên.")
    if parent is not None and agency.parent_id not in (None, parent.pk):
        result.warnings.append(f"{agency.name} đã có cơ quan chủ quản khác trong hệ thống: giữ nguyên.")
    elif parent is not None and agency.parent_id is None:
        result.warnings.append(f"{agency.name} đã có trong hệ thống, chưa ghi cơ quan chủ quản: sửa ở trang Cơ quan.")
    result.agencies_new = agencies.created
    result.split = services.split_check(plan)
    return result


def plan_import(*, actor: Actor, data: Source_, name: str = "", allowed: Callable[[Unit], bool] | None = None,
                replace: bool = False, dry_run: bool = False) -> PlanImportResult:
    """Checks the whole file, then writes all of it in one transaction, or nothing.

    `allowed(home)` says whether the importer may change plans of a current-map unit (the web
    passes `get_scope(user).can_change`); a plan outside it raises PermissionDenied. None means the
    actor's own scope, or every unit when there is no actor (the CLI run by an operator). With
    `replace`, a plan the issuing body already has under the same number and year is updated
    (targets revised, tasks matched by their order); without it, such a plan is a problem. With
    `dry_run`, everything is done and rolled back.
    Raises ImportProblems listing every problem.
    """
    counted: list[int] = []
    allowed = scope_of(actor, allowed)
    try:
        try:
            parsed, file_name = read_workbook(data, lambda workbook: check_workbook(workbook, counted))
        except LimitError as error:
            raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                             reason=error))]) from None
        except SpreadsheetError:
            raise ImportProblems([Problem("", 0, "", message(gettext_noop(
                "The file cannot be read: an Excel .xlsx file is needed (use the template downloaded from the "
                "system).")))]) from None
    except ImportProblems as refused:
        record_refused(actor=actor, kind="plans", name=name or source_name(data), rows=sum(counted),
                       problems=refused.problems,
                       check=dry_run)
        raise
    name = name or file_name
    assert parsed.unit is not None
    if allowed is not None and not allowed(current_home(parsed.unit)):
        raise PermissionDenied(f"Bạn không được lập kế hoạch của {parsed.unit.name}.")
    try:
        with translation.override("vi"), transaction.atomic():
            result = _commit(parsed, actor=actor, replace=replace, name=name)
            if dry_run:
                result.written, result.plan_id = False, None
                transaction.set_rollback(True)
    except ImportProblems:
        raise
    except ValidationError as error:
        raise ImportProblems(_service_problems(error, parsed)) from None
    return result


# --- The template -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name: str
    unit_of_measure: str
    sector: str
    source: str
    breakdowns: tuple[tuple[str, str], ...]


def catalogue_info() -> list[IndicatorInfo]:
    """The shipped catalogue (no database needed: the examples are written from it)."""
    from .catalogue_data import INDICATORS

    return [IndicatorInfo(row["code"], row["name"], row["unit_of_measure"], row["sector"], row["source"],
                          tuple((str(b["code"]), str(b["name"])) for b in row["breakdowns"])) for row in INDICATORS]


def database_info() -> list[IndicatorInfo]:
    """The catalogue as the department keeps it."""
    return [IndicatorInfo(i.code, i.name, i.unit_of_measure, i.sector, i.source,
                          tuple((str(b["code"]), str(b["name"])) for b in i.breakdowns))
            for i in Indicator.objects.order_by("order", "code")]


SOURCE_LABELS: dict[str, str] = {Source.COUNTED: "Đếm từ sổ dữ liệu", Source.DECLARED: "Đơn vị báo cáo",
                 Source.DERIVED: "Tính theo công thức"}

GUIDE_STEPS = [
    f"Sheet «{SHEET_PLAN}»: thông tin văn bản, mỗi mục một dòng (cột Nội dung). Mục tô màu cam là bắt buộc.",
    f"Sheet «{SHEET_TARGETS}»: mỗi chỉ tiêu một dòng: chỉ tiêu của đơn vị lập kế hoạch (để trống Mã đơn vị) và "
    "phần giao cho từng đơn vị cấp dưới (phụ lục phân bổ). Chi tiết (ví dụ nữ, phi nông nghiệp) ghi mỗi chi tiết "
    "một dòng.",
    f"Sheet «{SHEET_TASKS}»: mỗi nhiệm vụ một dòng, với cơ quan chủ trì, cơ quan phối hợp và hạn (ngày, kỳ hoặc "
    "điều kiện).",
    f"Mã chỉ tiêu và các chi tiết của từng chỉ tiêu: sheet «{SHEET_CATALOGUE}».",
    "Tải tệp lên trang «Nhập kế hoạch từ Excel» (có thể chọn Chỉ kiểm tra), hoặc chạy lệnh: "
    "ansinh plans import TÊN_TỆP.xlsx [--check] [--replace]",
    "Hệ thống kiểm tra toàn bộ tệp trước khi ghi: chỉ cần một ô sai là không ghi gì, và mỗi lỗi được báo theo "
    "sheet, dòng, cột để sửa rồi nhập lại.",
    "Sau khi nhập, hệ thống so tổng chỉ tiêu của đơn vị với tổng phân bổ cho các đơn vị cấp dưới và cảnh báo "
    "phần chênh lệch (ví dụ phần thị xã tự vận động).",
    "Nhập lại cùng số ký hiệu với tùy chọn cập nhật (--replace): chỉ tiêu đổi giá trị được ghi thành một lần "
    "điều chỉnh (giữ lịch sử), nhiệm vụ cùng thứ tự được cập nhật.",
]


@dataclass
class PlanBook:
    """A filled plan workbook: field key → value; target and task rows by column key."""

    fields: dict[str, Any]
    targets: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)


def plan_workbook(book: PlanBook | None, *, indicators: Sequence[IndicatorInfo],
                  created: dt.datetime | None = None) -> bytes:
    """The plan workbook: blank (the template) or filled (the examples). `created` fixes the
    file's creation date, so that the same content gives the same bytes."""
    workbook = Writer(constant_memory=False)
    if created is not None:
        workbook.book.set_properties({"created": created, "author": "ansinh"})
    border = {"border": 1, "border_color": "#A0A8B4"}
    centre = {"text_wrap": True, "valign": "vcenter", "align": "center"}
    title_format = workbook.format(bold=True, font_size=14)
    required = workbook.format(bold=True, bg_color="#F8CBAD", text_wrap=True, valign="top", **border)
    optional = workbook.format(bold=True, bg_color="#DDEBF7", text_wrap=True, valign="top", **border)
    head_required = workbook.format(bold=True, bg_color="#F8CBAD", **border, **centre)
    head_optional = workbook.format(bold=True, bg_color="#DDEBF7", **border, **centre)
    head_info = workbook.format(bold=True, bg_color="#E7E6E6", italic=True, **border, **centre)
    wrap = workbook.format(text_wrap=True, valign="top", **border)
    wrap_text = workbook.format(text_wrap=True, valign="top", num_format="@", **border)
    note = workbook.format(text_wrap=True, valign="top", font_color="#595959", font_size=9, **border)
    date = workbook.format(num_format="DD/MM/YYYY", valign="top", align="left", **border)
    text_cell = workbook.format(num_format="@")
    date_cell = workbook.format(num_format="DD/MM/YYYY")
    info_cell = workbook.format(font_color="#595959", italic=True)

    guide = workbook.sheet(SHEET_GUIDE)
    plan_sheet = workbook.sheet(SHEET_PLAN)
    targets = workbook.sheet(SHEET_TARGETS)
    tasks = workbook.sheet(SHEET_TASKS)
    catalogue = workbook.sheet(SHEET_CATALOGUE)
    lists = workbook.sheet(SHEET_LISTS)

    # Lists for the drop-downs.
    ranges: dict[str, str] = {}
    for index, (kind, title) in enumerate([("sector", "Lĩnh vực"), ("task_status", "Trạng thái nhiệm vụ"),
                                           ("plan_status", "Trạng thái kế hoạch"), ("agency_kind", "Loại cơ quan"),
                                           ("edition", "Bản đồ hành chính")], start=1):
        options = list(LISTS[kind].values())
        lists.cell(1, index, title, workbook.format(bold=True))
        for row_number, option in enumerate(options, start=2):
            lists.cell(row_number, index, option)
        letter = chr(64 + index)
        ranges[kind] = f"'{SHEET_LISTS}'!${letter}$2:${letter}${len(options) + 1}"
    lists.widths([40, 18, 20, 28, 18])

    # The catalogue: codes, names, breakdowns.
    catalogue.append([(h, head_optional) for h in ("Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Lĩnh vực",
                                                    "Nguồn số liệu", "Các chi tiết (mã: tên)")], height=32)
    for info in indicators:
        catalogue.append([info.code, info.name, info.unit_of_measure, SECTOR_LABELS.get(info.sector, info.sector),
                          SOURCE_LABELS.get(info.source, info.source),
                          "; ".join(f"{code}: {name}" for code, name in info.breakdowns)])
    catalogue.widths([30, 60, 14, 30, 20, 80])
    catalogue.freeze(1, 1)
    code_range = f"'{SHEET_CATALOGUE}'!$A$2:$A${len(indicators) + 1}"

    # «Kế hoạch»: one field a row.
    field_values = book.fields if book is not None else {}
    plan_sheet.append([("KẾ HOẠCH: THÔNG TIN VĂN BẢN", title_format)], height=24)
    plan_sheet.append([(h, head_optional) for h in ("Mục", "Nội dung", "Hướng dẫn")], height=20)
    plan_sheet.widths([30, 80, 60])
    plan_sheet.freeze(2, 1)
    plan_sheet.page(landscape=True)
    for f in PLAN_FIELDS:
        value = field_values.get(f.key)
        cell: Any
        count = 1
        if isinstance(value, dt.date):
            cell = (value, date)
        elif isinstance(value, (list, tuple)):
            joined = "; ".join(value) if f.kind == "codes" else "\n".join(value)
            count = 1 if f.kind == "codes" else max(1, len(value))
            cell = (joined, wrap_text)
        elif value is None:
            cell = ("", wrap_text)
        else:
            cell = (value, wrap_text if isinstance(value, str) else wrap)
        if isinstance(cell[0], str):
            count = max(count, sum(1 + len(part) // 95 for part in cell[0].splitlines()) if cell[0] else 1)
        number = plan_sheet.append([(f.label, required if f.required else optional), cell, (f.note, note)],
                                   height=min(400, max(30, 15 * count)))
        if f.kind.startswith("choice:"):
            kind = f.kind.split(":", 1)[1]
            allowed = "; ".join(LISTS[kind].values())
            plan_sheet.sheet.data_validation(number - 1, 1, number - 1, 1, {
                "validate": "list", "source": f"={ranges[kind]}", "ignore_blank": True,
                "error_message": f"Chọn một giá trị trong danh sách ({allowed})."[:255]})

    # The two tables.
    for sheet, columns, rows in ((targets, TARGET_COLUMNS, book.targets if book else []),
                                 (tasks, TASK_COLUMNS, book.tasks if book else [])):
        header = []
        for index, column in enumerate(columns, start=1):
            fmt = head_info if column.informative else head_required if column.required else head_optional
            header.append((column.header, fmt))
            sheet.comment(1, index, ("Bắt buộc. " if column.required else "") + column.note, author="ansinh",
                          width=300, height=120)
            typed = column.key in ("indicator", "unit", "period", "breakdown", "due_period")
            sheet.widths([column.width], first=index,
                         formats=[text_cell if typed else date_cell if column.key == "due_on" else None])
        sheet.append(header, height=36)
        sheet.freeze(1)
        sheet.page(landscape=True)
        sheet.print_titles(1)
        for item in rows:
            cells: list[Any] = []
            for column in columns:
                value = item.get(column.key)
                if isinstance(value, dt.date):
                    cells.append((value, date_cell))
                elif column.informative and value is not None:
                    cells.append((value, info_cell))
                elif isinstance(value, str) and column.key in ("indicator", "unit", "period", "breakdown",
                                                               "due_period"):
                    cells.append((value, text_cell))
                else:
                    cells.append(value)
            sheet.append(cells)
    targets.drop_down(1, source=code_range, error="Chọn một mã trong sheet Danh mục chỉ tiêu.",
                      error_title="Mã chỉ tiêu")
    tasks.drop_down(2, source=ranges["sector"], error="Chọn một lĩnh vực trong danh sách.", error_title="Lĩnh vực")
    tasks.drop_down(9, source=ranges["task_status"], error="Chọn một trạng thái trong danh sách.",
                    error_title="Trạng thái")

    # The guide.
    guide.append([("HƯỚNG DẪN NHẬP KẾ HOẠCH TỪ TỆP EXCEL", title_format)])
    guide.append([])
    for number, step in enumerate(GUIDE_STEPS, start=1):
        guide.append([f"{number}.", (step, workbook.format(text_wrap=True, valign="top"))], height=32,
                     merge=[(2, 4)])
    guide.append([])
    guide.append([(h, head_optional) for h in ("Sheet", "Mục / cột", "Bắt buộc", "Giải thích")])
    for f in PLAN_FIELDS:
        guide.append([(SHEET_PLAN, wrap), (f.label, wrap), ("Có" if f.required else "", wrap), (f.note, wrap)])
    for sheet_name, columns in TABLES.items():
        for column in columns:
            guide.append([(sheet_name, wrap), (column.header, wrap), ("Có" if column.required else "", wrap),
                          (column.note, wrap)])
    guide.widths([14, 30, 9, 100])
    guide.page(landscape=True)
    (plan_sheet if book is not None else guide).activate()
    return workbook.save()


def template_xlsx() -> bytes:
    """The blank plan template, with the department's catalogue."""
    return plan_workbook(None, indicators=database_info())


def _cell_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def plan_book(plan: Plan) -> PlanBook:
    """An existing plan as the workbook would hold it: export, edit, import again with --replace."""
    agency = plan.agency
    lines_of = {"basis": plan.basis, "situation": plan.situation, "objectives": plan.objectives,
                "solutions": plan.solutions, "recipients": plan.recipients}
    fields: dict[str, Any] = {
        "doc_type": plan.doc_type, "number": plan.number, "agency": agency.name, "agency_symbol": agency.symbol,
        "agency_kind": AGENCY_KIND_LABELS.get(agency.kind, ""),
        "parent": agency.parent.name if agency.parent else None,
        "parent_symbol": agency.parent.symbol if agency.parent else None,
        "unit": plan.unit.code, "edition": EDITION_LABELS.get(plan.unit.edition, plan.unit.edition),
        "year": plan.year, "place": plan.place, "issued_on": plan.issued_on, "title": plan.title,
        **{k: v.splitlines() for k, v in lines_of.items() if v},
        "signer_authority": plan.signer_authority, "signer_title": plan.signer_title,
        "signer_name": plan.signer_name,
        **{f"deadline_{kind}": rule for kind, rule in (plan.deadlines or {}).items()},
        "form_codes": list(plan.form_codes or []), "percent_decimals": plan.percent_decimals,
        "status": PLAN_STATUS_LABELS.get(plan.status, ""),
    }
    targets = [{"indicator": t.indicator.code, "indicator_name": t.indicator.name,
                "unit": None if t.unit_id == plan.unit_id else t.unit.code, "unit_name": t.unit.name,
                "period": None if t.period == str(plan.year) else t.period, "breakdown": t.breakdown or None,
                "value": _cell_number(t.value), "note": t.note or None}
               for t in plan.targets.select_related("indicator", "unit").order_by(
                   "indicator__order", "indicator__code", "period", "unit__level", "unit__code", "breakdown")]
    tasks = [{"order": t.order, "sector": SECTOR_LABELS.get(t.sector) if t.sector else None,
              "description": t.description, "lead": t.lead.name if t.lead else None,
              "partners": "; ".join(a.name for a in t.partners.all()) or None, "due_on": t.due_on,
              "due_period": t.due_period or None, "due_condition": t.due_condition or None,
              "status": TASK_STATUS_LABELS.get(t.status)}
             for t in plan.tasks.select_related("lead").prefetch_related("partners")]
    return PlanBook(fields, targets, tasks)


def plan_xlsx(plan: Plan) -> bytes:
    """The plan's workbook, filled with what it holds."""
    return plan_workbook(plan_book(plan), indicators=database_info())

