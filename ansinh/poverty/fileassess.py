"""Assessing a spreadsheet of households against a poverty standard, without the register.

`ansinh poverty assess INPUT --standard CODE -o OUTPUT` reads a .csv or .xlsx file, classifies
every household with the same engine the review rounds use, and writes the file back with the
count of deprivations, the status and the reason. Nothing is stored in the database: the
standard (its lines, indicators and thresholds) is read from it, that is all.

Two layouts are accepted (docs/poverty-assess.md gives them column by column):

- households: one row per household with its income and one 0/1 column per indicator of the
  standard (the result of a paper form B2);
- members (.xlsx only): a sheet `households` with the living conditions and a sheet `members`
  with one row per member and the facts the indicators need; the flags are then computed by
  `facts.compute_flags` and, where income is not declared, income is estimated with the
  region's scoring table (form B1, Circular 07/2021/TT-BLĐTBXH).

The whole file is validated before anything is written: every bad cell is reported with the
row number a spreadsheet user sees (header = row 1) and the column name, and the output is
written to a temporary file beside OUTPUT that replaces it only on success.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import ValidationError
from django.db.models import Choices, Field
from django.utils import translation

from ansinh.households.models import (
    EDUCATION_RANK,
    HYGIENIC_LATRINES,
    SAFE_WATER,
    SCHOOLING_RANK,
    Disability,
    Education,
    Employment,
    Housing,
    Latrine,
    Member,
    Schooling,
    Sex,
    WaterSource,
)
from ansinh.lib import parsing
from ansinh.lib.parsing import CellError, parse_date, parse_decimal, parse_yes_no
from ansinh.lib.spreadsheets import Reader, SpreadsheetError, Writer, safe_text
from ansinh.lib.tabular import Problems
from ansinh.lib.vietnamese import fold

from . import engine, facts
from .models import IncomeScoringTable, PovertyStandard
from .standards_data import PROVINCE_REGION, REGIONS

Cell = Any
FORMATS = (".csv", ".xlsx")
ADDED_COLUMNS = ["deprivation_count", "status", "reason"]
CONDITION_COLUMNS = ["housing", "floor_area", "water_source", "latrine", "waste_treated", "has_tv", "has_radio",
                     "has_computer", "has_phone", "hears_loudspeaker"]
# Member facts and how each is read; the defaults of a missing column or an empty cell are the
# model's own (Member field defaults), so the file and the register agree.
MEMBER_CHOICE_FACTS: dict[str, type[Choices]] = {
    "schooling": Schooling, "education": Education, "employment": Employment, "disability": Disability,
}
MEMBER_FACTS = ["health_insurance", "schooling", "education", "in_training", "employment", "can_work", "disability",
                "pension", "social_allowance", "meritorious", "stunted", "underweight", "uses_internet",
                "sick_untreated"]
MAX_NAMES = 5  # members named per indicator in a reason; more are counted


# --- Errors -----------------------------------------------------------------------------------


def _note(problems: Problems, text: str, *, sheet: int = 0, row: int = 0, column: int = 0) -> None:
    """A problem of the file as a whole or of its header (its text says where), kept in sheet,
    row and column order among the cells' problems."""
    problems.add("", 0, "", text, order=(sheet, row, column))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _column_letter(position: int) -> str:
    """0 -> "A", 26 -> "AA"."""
    letters, number = "", position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- Reading and writing tables -----------------------------------------------------------------


@dataclass
class Sheet:
    """One table of the file: the header row and the data rows (blank rows left out)."""

    title: str
    headers: list[str]
    rows: list[list[Cell]]
    numbers: list[int]  # the spreadsheet row number of each data row (the header is row 1)
    rank: int = 0  # the sheet's place in the workbook, to sort the error messages
    label: str = ""  # "Trang tính members, " in a workbook read as several sheets
    delimiter: str = ","
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {}
        for position, header in enumerate(self.headers):
            self.index.setdefault(header.strip().lower(), position)

    def has(self, name: str) -> bool:
        return name in self.index

    def cells(self, name: str) -> list[Cell]:
        position = self.index[name]
        return [row[position] for row in self.rows]

    def bad(self, problems: Problems, row: int, name: str, text: str) -> None:
        """A bad cell, shown as "Dòng 5, cột area (B): …" ("Trang tính members, dòng 5, …")."""
        position = self.index.get(name)
        letter = f" ({_column_letter(position)})" if position is not None else ""
        problems.add(self.label.rstrip(", "), self.numbers[row], f"{name}{letter}", text,
                     order=(self.rank, self.numbers[row], position or 0))

    def missing(self, problems: Problems, names: Sequence[str], source: str) -> None:
        for name in names:
            _note(problems, f"{_cap(self.label + 'thiếu')} cột {name} ở dòng tiêu đề (dòng 1) của {source}.",
                  sheet=self.rank, row=1)


def _is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _make_sheet(title: str, records: list[list[Cell]], problems: Problems, source: str, *, rank: int = 0,
                label: str = "", delimiter: str = ",") -> Sheet | None:
    """Header and data rows from raw records; reports untitled columns that hold data."""
    if not records or all(_is_blank(cell) for cell in records[0]):
        _note(problems, f"{_cap(label + 'tệp')} {source} không có dòng tiêu đề ở dòng 1 "
                     f"(cần household_id, area, income_per_capita …).", sheet=rank)
        return None
    headers = ["" if cell is None else str(cell).strip() for cell in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    sheet = Sheet(title=title, headers=headers, rows=[], numbers=[], rank=rank, label=label, delimiter=delimiter)
    seen: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = header.lower()
        if key and key in seen:
            _note(problems, f"{_cap(label + 'cột')} {header} xuất hiện hai lần ở dòng tiêu đề (cột "
                         f"{_column_letter(seen[key])} và {_column_letter(position)}).", sheet=rank, row=1,
                         column=position)
        seen.setdefault(key, position)
    untitled = [position for position, header in enumerate(headers) if not header]
    for number, record in enumerate(records[1:], start=2):
        if (not record or _is_blank(record[0])) and all(_is_blank(cell) for cell in record):
            continue
        row = list(record[:width]) + [None] * (width - len(record)) if len(record) != width else list(record)
        for position in [*untitled, *range(width, len(record))]:
            if position < len(record) and not _is_blank(record[position]):
                _note(problems, f"{_cap(label + 'dòng')} {number}, cột {_column_letter(position)}: có dữ liệu "
                             f"nhưng cột không có tiêu đề ở dòng 1.", sheet=rank, row=number, column=position)
        sheet.rows.append(row)
        sheet.numbers.append(number)
    return sheet


def _check_format(path: Path, role: str) -> str:
    extension = path.suffix.lower()
    if extension not in FORMATS:
        hint = " Hãy mở tệp trong Excel và lưu lại dạng .xlsx." if extension in (".xls", ".ods") else ""
        raise ValidationError(f"Không hỗ trợ định dạng “{path.suffix or '(không có đuôi)'}” của tệp {role} "
                              f"{path.name}: chỉ nhận .csv hoặc .xlsx.{hint}")
    return extension


def _delimiter(first_line: str) -> str:
    """Excel on a Vietnamese Windows (decimal comma) saves CSV with semicolons: follow the header."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_sheets(path: Path, problems: Problems) -> tuple[str, list[Sheet | None]]:
    """The layout ("households" or "members") and its sheets, raw cells kept as read (None for a
    sheet without a header row, reported in `problems`). A CSV file is one sheet."""
    extension = _check_format(path, "đầu vào")
    if not path.is_file():
        raise ValidationError(f"Không tìm thấy tệp {path}.")
    if extension == ".csv":
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(f"Tệp {path.name} không phải văn bản UTF-8: trong Excel, chọn Lưu thành → "
                                  "“CSV UTF-8 (Comma delimited)”, hoặc dùng tệp .xlsx.") from None
        if not text.strip():
            raise ValidationError(f"Tệp {path.name} trống: cần dòng tiêu đề và ít nhất một hộ.")
        delimiter = _delimiter(text.split("\n", 1)[0])
        records: list[list[Cell]] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        return "households", [_make_sheet(path.stem, records, problems, path.name, delimiter=delimiter)]
    try:
        with Reader(path) as workbook:
            names = workbook.sheetnames
            lowered = [name.strip().lower() for name in names]
            members_layout = "households" in lowered and "members" in lowered
            wanted = [names[lowered.index("households")], names[lowered.index("members")]] if members_layout \
                else [workbook.active]
            sheets = []
            for rank, name in enumerate(wanted):
                records = []
                for number, values in workbook.rows(name):
                    # Rows without cells are not in the file: keep their places, so that a record's
                    # index is its row number less one.
                    records.extend([] for _ in range(number - 1 - len(records)))
                    records.append(values)
                label = f"trang tính {name}, " if members_layout else ""
                sheets.append(_make_sheet(name, records, problems, path.name, rank=rank, label=label))
    except SpreadsheetError as exc:
        raise ValidationError(f"Không đọc được tệp Excel {path.name}: {exc}.") from None
    return ("members" if members_layout else "households"), sheets


def _csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def write_table(path: Path, *, title: str, headers: list[str], rows: list[list[Cell]], delimiter: str = ",") -> None:
    """Writes a temporary file beside `path` and renames it: a failed run leaves no half file.

    CSV is written in UTF-8 with a byte-order mark, which is how Excel recognises UTF-8 (without
    it, Excel shows Vietnamese letters as garbage).
    """
    extension = _check_format(path, "kết quả")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationError(f"Không có thư mục {folder} để ghi tệp kết quả.")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=extension)
    os.close(handle)
    try:
        if extension == ".csv":
            with open(temp, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out, delimiter=delimiter)
                # Text through safe_text: "=HYPERLINK(…)" from the input must not become a formula in
                # the spreadsheet that opens the result.
                writer.writerow([safe_text(header) for header in headers])
                writer.writerows([safe_text(cell) if type(cell) is str else _csv_text(cell) for cell in row]
                                 for row in rows)
        else:
            _write_xlsx(temp, title=title, headers=headers, rows=rows)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _write_xlsx(target: str, *, title: str, headers: list[str], rows: list[list[Cell]]) -> None:
    """Text stays text (a CSV cell "=1+1" is not a formula to run), numbers and dates keep their type."""
    workbook = Writer()
    sheet = workbook.sheet((title or "households")[:31])
    sheet.freeze(1)
    bold = workbook.format(bold=True)
    sheet.append([(header, bold) for header in headers])
    for row in rows:
        sheet.append(row)
    Path(target).write_bytes(workbook.save())


def _merge_columns(headers: list[str], rows: list[list[Cell]],
                   added: dict[str, list[Cell]]) -> tuple[list[str], list[list[Cell]]]:
    """Input columns kept as they are; result columns appended, or refilled if the file already has
    them (an earlier result assessed again)."""
    out_headers = list(headers)
    lowered = [header.strip().lower() for header in headers]
    positions = []
    for name in added:
        if name in lowered:
            positions.append(lowered.index(name))
        else:
            positions.append(len(out_headers))
            out_headers.append(name)
    width = len(out_headers)
    out_rows = []
    columns = list(added.values())
    for i, row in enumerate(rows):
        new = list(row) + [None] * (width - len(row))
        for position, column in zip(positions, columns, strict=True):
            new[position] = column[i]
        out_rows.append(new)
    return out_headers, out_rows


# --- Cells ------------------------------------------------------------------------------------

_AREAS = {"urban": True, "thanh thi": True, "do thi": True, "rural": False, "nong thon": False}


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _show(cell: Cell) -> str:
    return f"“{_text(cell)}”"


def parse_money(cell: Cell) -> tuple[int | None, str]:
    """Whole đồng (`ansinh.lib.parsing.parse_money`: 1.500.000 or 1500000; "1,500,000", decimals,
    negative amounts and words refused). Returns (value, error)."""
    if type(cell) is str and cell.isdigit() and cell.isascii():  # the usual case, first
        return int(cell), ""
    if _is_blank(cell):
        return None, "ô trống: cần thu nhập bình quân (đồng/người/tháng)."
    try:
        return parsing.parse_money(cell), ""
    except CellError as error:
        return None, f"{error}"


def _non_negative(cell: Cell) -> float:
    """A number of the file (`ansinh.lib.parsing`: "1.200" is 1200, "35,5" is 35.5), not negative."""
    value = parse_decimal(cell)
    if value < 0:
        raise CellError(f"{_show(cell)} âm")
    return float(value)


def _flag(cell: Cell) -> int | None:
    if isinstance(cell, bool):
        return int(cell)
    if isinstance(cell, (int, float)):
        return int(cell) if cell in (0, 1) else None
    text = _text(cell)
    return int(text) if text in ("0", "1") else None


def _yes_no(cell: Cell) -> bool | None:
    try:
        return parse_yes_no(cell)
    except CellError:
        return None


def _column(sheet: Sheet, problems: Problems, name: str, parse: Callable[[Cell], tuple[Any, str]], *,
            common: dict[Any, Any] | None = None) -> list[Any]:
    """Parses a column cell by cell; a bad cell is reported and stands as None.

    `common` maps the usual cells ("0", "1", 0, 1) straight to their value: a file of a province
    has millions of flag cells, and the full parse is only needed for the others.
    """
    cells = sheet.cells(name)
    values = [common.get(cell) for cell in cells] if common else [None] * len(cells)
    for row, cell in enumerate(cells):
        if values[row] is None:
            value, error = parse(cell)
            if error:
                sheet.bad(problems, row, name, error)
            values[row] = value
    return values


def _memo(parse: Callable[[Cell], tuple[Any, str]]) -> Callable[[Cell], tuple[Any, str]]:
    """For columns with few distinct values (area, region, choices): parse each value once."""
    seen: dict[Any, tuple[Any, str]] = {}

    def parse_once(cell: Cell) -> tuple[Any, str]:
        key = (type(cell), cell)
        if key not in seen:
            seen[key] = parse(cell)
        return seen[key]
    return parse_once


# The usual flag cells; True/False and 0.0/1.0 hash like 1 and 0, as Python's do.
COMMON_FLAGS: dict[Any, int] = {"0": 0, "1": 1, 0: 0, 1: 1}


def _area(cell: Cell) -> tuple[bool | None, str]:
    found = _AREAS.get(fold(_text(cell)))
    if found is None:
        what = "ô trống" if _is_blank(cell) else f"{_show(cell)} không phải khu vực hợp lệ"
        return None, f"{what}: cần urban hoặc rural (thành thị hoặc nông thôn)."
    return found, ""


def _flag_parse(cell: Cell) -> tuple[int | None, str]:
    value = _flag(cell)
    if value is None:
        what = "ô trống" if _is_blank(cell) else f"{_show(cell)} không hợp lệ"
        return None, f"{what}: cần 0 (không thiếu hụt) hoặc 1 (thiếu hụt)."
    return value, ""


def _ids(sheet: Sheet, problems: Problems) -> list[str]:
    ids: list[str] = []
    first: dict[str, int] = {}
    for row, cell in enumerate(sheet.cells("household_id")):
        key = _text(cell)
        if not key:
            sheet.bad(problems, row, "household_id", "ô trống: cần mã hộ.")
        elif key in first:
            sheet.bad(problems, row, "household_id", f"mã hộ “{key}” trùng với dòng {sheet.numbers[first[key]]}.")
        else:
            first[key] = row
        ids.append(key)
    return ids


# --- The standard -----------------------------------------------------------------------------


def standard_spec(code: str) -> engine.StandardSpec:
    try:
        return engine.spec_by_code(code)
    except PovertyStandard.DoesNotExist:
        known = ", ".join(PovertyStandard.objects.values_list("code", flat=True))
        raise ValidationError(f"Không có chuẩn nghèo mã “{code}” (hiện có: {known}).") from None


def default_reference_date(code: str, today: dt.date | None = None) -> dt.date:
    """The day ages are taken on when `--on` is not given, as a review applying the standard would:

    1. 14 December of this year, when this year's periodic review applies the standard (it is in
       force on 1 January next year; Decision 24/2021/QĐ-TTg: the review ends 14 Dec);
    2. otherwise today, when the standard is in force today (a regular review);
    3. otherwise 14 December of the year before the standard begins (its first periodic review),
       or the standard's last day if it has ended.
    """
    standard = PovertyStandard.objects.get(code=code)
    today = today or dt.date.today()
    if standard.in_force(dt.date(today.year + 1, 1, 1)):
        return dt.date(today.year, 12, 14)
    if standard.in_force(today):
        return today
    if today < standard.valid_from:
        return dt.date(standard.valid_from.year - 1, 12, 14)
    assert standard.valid_to is not None
    return standard.valid_to


# --- Households layout ------------------------------------------------------------------------


@dataclass
class Result:
    layout: str  # "households" or "members"
    households: int
    statuses: Counter[str]
    notices: list[str] = field(default_factory=list)


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    delimiter: str = ","


def _classify(spec: engine.StandardSpec, urban: npt.NDArray[np.bool_], income: npt.NDArray[np.float64],
              flags: npt.NDArray[np.uint8],
              details: list[dict[str, str]] | None = None) -> tuple[list[int], list[str], list[str]]:
    """One call of the engine for the whole file, then one sentence per household."""
    count, status = engine.classify(spec, urban=urban, income=income, flags=flags)
    mask = engine.masks(flags)
    reasons = [
        engine.reason(spec, urban=u, income=x, mask=m, status=s, details=details[i] if details else None)
        for i, (u, x, m, s) in enumerate(zip(urban.tolist(), income.tolist(), mask.tolist(), status.tolist(),
                                             strict=True))
    ]
    return count.tolist(), [engine.STATUS_VALUES[s] for s in status.tolist()], reasons


def assess_households(spec: engine.StandardSpec, sheet: Sheet, problems: Problems) -> Table | None:
    """Households layout: income and the indicator flags are in the file (form B2 results)."""
    required = ["household_id", "area", "income_per_capita", *spec.codes]
    missing = [name for name in required if not sheet.has(name)]
    if missing:
        sheet.missing(problems, missing, f"tệp theo chuẩn {spec.code}")
        return None
    if not sheet.rows:
        _note(problems, "Tệp chỉ có dòng tiêu đề, không có hộ nào để đánh giá.", sheet=sheet.rank)
        return None
    _ids(sheet, problems)
    areas = _column(sheet, problems, "area", _memo(_area))
    incomes = _column(sheet, problems, "income_per_capita", parse_money)
    flag_columns = [_column(sheet, problems, code, _flag_parse, common=COMMON_FLAGS) for code in spec.codes]
    if problems:
        return None
    urban = np.array(areas, dtype=bool)
    income = np.array(incomes, dtype=np.float64)
    flags = np.array(flag_columns, dtype=np.uint8).T.reshape(len(sheet.rows), len(spec.codes))
    count, status, reasons = _classify(spec, urban, income, flags)
    headers, rows = _merge_columns(sheet.headers, sheet.rows,
                                   {"deprivation_count": count, "status": status, "reason": reasons})
    return Table(title=sheet.title, headers=headers, rows=rows, delimiter=sheet.delimiter)


# --- Members layout ---------------------------------------------------------------------------


def _choice_lookup(choices: type[Choices]) -> dict[str, str]:
    """A choice by its value ("semi_durable"), written with spaces, or by its Vietnamese label."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[fold(str(value))] = str(value)
        lookup[fold(str(value).replace("_", " "))] = str(value)
        with translation.override("vi"):
            vietnamese = fold(str(label))
        lookup.setdefault(vietnamese, str(value))
        bracket = re.search(r"\(([^)]*)\)", vietnamese)  # "durable (kiên cố)" also as "kiên cố"
        if bracket:
            lookup.setdefault(bracket.group(1).strip(), str(value))
    return lookup


def _choice_parse(choices: type[Choices], *, default: str | None = None) -> Callable[[Cell], tuple[Any, str]]:
    lookup = _choice_lookup(choices)
    allowed = ", ".join(str(value) for value in choices.values)

    def parse(cell: Cell) -> tuple[Any, str]:
        if _is_blank(cell):
            return (default, "") if default is not None else (None, f"ô trống: cần một trong {allowed}.")
        found = lookup.get(fold(_text(cell)))
        return (found, "") if found else (None, f"{_show(cell)} không hợp lệ: cần một trong {allowed}.")
    return parse


def _bool_parse(*, default: bool | None = None) -> Callable[[Cell], tuple[Any, str]]:
    def parse(cell: Cell) -> tuple[Any, str]:
        if _is_blank(cell):
            return (default, "") if default is not None else (None, "ô trống: cần 1 (có) hoặc 0 (không).")
        value = _yes_no(cell)
        return (value, "") if value is not None else (None, f"{_show(cell)} không hợp lệ: cần 1 (có) hoặc 0 (không).")
    return parse


def _area_m2(cell: Cell) -> tuple[float | None, str]:
    """Floor area in m², in Vietnamese writing ("35,5"; "1.200" is 1200 m²) or "35.5"."""
    if _is_blank(cell):
        return None, "ô trống: cần diện tích nhà ở (m²)."
    try:
        return _non_negative(cell), ""
    except CellError:
        return None, f"{_show(cell)} không phải diện tích hợp lệ (m², ví dụ 35,5)."


def _amount(cell: Cell) -> tuple[float | None, str]:
    """A form B1 answer: 0/1, a share (0,5) or a quantity (ha); empty means 0."""
    if _is_blank(cell):
        return 0.0, ""
    try:
        return _non_negative(cell), ""
    except CellError:
        return None, f"{_show(cell)} không hợp lệ: cần một số không âm (0, 1, 0,5 …)."


def _birth_date(on: dt.date) -> Callable[[Cell], tuple[Any, str]]:
    def parse(cell: Cell) -> tuple[Any, str]:
        if _is_blank(cell):
            return None, "ô trống: cần ngày sinh (dd/mm/yyyy)."
        try:
            value = parse_date(cell)
        except CellError as error:
            return None, f"{error}"
        if value > on:
            return None, f"ngày sinh {value:%d/%m/%Y} sau ngày tính tuổi {on:%d/%m/%Y}."
        return value, ""
    return parse


def _sex(cell: Cell) -> tuple[Any, str]:
    found = {"male": Sex.MALE, "nam": Sex.MALE, "female": Sex.FEMALE, "nu": Sex.FEMALE}.get(fold(_text(cell)))
    if found is None:
        what = "ô trống" if _is_blank(cell) else f"{_show(cell)} không hợp lệ"
        return None, f"{what}: cần male hoặc female (nam hoặc nữ)."
    return str(found), ""


def region_code(text: str) -> str | None:
    """A region by its code (mekong_delta), its Vietnamese name, or a province code (86)."""
    key = fold(text)
    if not key:
        return None
    if key.replace(" ", "_") in REGIONS:
        return key.replace(" ", "_")
    for code, name in REGIONS.items():
        if fold(name) == key:
            return code
    if key.isdigit():
        return PROVINCE_REGION.get(key.zfill(2))
    return None


def _age_text(months: int) -> str:
    return f"{months} tháng tuổi" if months < 12 else f"{months // 12} tuổi"


def _details(spec: engine.StandardSpec, hits: dict[str, npt.NDArray[np.bool_]], members: facts.Members,
             n: int) -> list[dict[str, str]]:
    """Per household, per member-level indicator: "Nguyễn Văn An, 34 tuổi; …"."""
    out: list[dict[str, str]] = [{} for _ in range(n)]
    for code, hit in hits.items():
        named: dict[int, list[str]] = {}
        for member in np.flatnonzero(hit).tolist():
            named.setdefault(int(members.hh[member]), []).append(
                f"{members.names[member]}, {_age_text(int(members.age_months[member]))}")
        for household, names in named.items():
            more = len(names) - MAX_NAMES
            text = "; ".join(names[:MAX_NAMES]) + (f" và {more} người khác" if more > 0 else "")
            out[household][code] = text
    return out


def _member_defaults() -> dict[str, Any]:
    defaults = {}
    for name in MEMBER_FACTS:
        model_field = Member._meta.get_field(name)
        assert isinstance(model_field, Field)
        defaults[name] = model_field.get_default()
    return {name: str(value) if isinstance(value, Choices) else value for name, value in defaults.items()}


def assess_members(spec: engine.StandardSpec, households_sheet: Sheet, members_sheet: Sheet, problems: Problems, *,
                   on: dt.date, region: str | None, notices: list[str]) -> Table | None:
    """Members layout: the indicator flags are computed from the facts, as for the register.

    1. Households: identity, area, declared income (or none), region, living conditions,
       form B1 answers (`b1_<item>`) and form B2 answers (`b2_<indicator>`).
    2. Members: household, name, birth date, sex and the facts (missing column or empty cell:
       the default of the register's Member model).
    3. Frames `facts.Households` / `facts.Members` built straight from the arrays; flags by
       `facts.compute_flags`, income by `facts.estimate_income` with the standard's tables;
       one `engine.classify` for all.
    """
    hs, ms = households_sheet, members_sheet
    h_missing = [name for name in ["household_id", "area", *CONDITION_COLUMNS] if not hs.has(name)]
    m_missing = [name for name in ["household_id", "full_name", "birth_date", "sex"] if not ms.has(name)]
    hs.missing(problems, h_missing, "trang tính households")
    ms.missing(problems, m_missing, "trang tính members")
    if h_missing or m_missing:
        return None
    if not hs.rows:
        _note(problems, "Trang tính households không có hộ nào.", sheet=hs.rank)
        return None
    n = len(hs.rows)
    ids = _ids(hs, problems)
    row_of = {key: row for row, key in enumerate(ids) if key}
    areas = _column(hs, problems, "area", _memo(_area))
    # Household income: declared, or empty to estimate it from the region's scoring table.
    declared: list[float] = [math.nan] * n
    if hs.has("income_per_capita"):
        for row, cell in enumerate(hs.cells("income_per_capita")):
            if _is_blank(cell):
                continue
            value, error = parse_money(cell)
            if error:
                hs.bad(problems, row, "income_per_capita", error)
            else:
                declared[row] = float(value or 0)
    tables = {t.region: {"base": t.base, "items": t.items}
              for t in IncomeScoringTable.objects.filter(standard__code=spec.code)}
    default_region = region_code(region) if region else None
    if region and default_region is None:
        raise ValidationError(f"Vùng “{region}” không hợp lệ: dùng mã vùng ({', '.join(REGIONS)}), tên vùng "
                              "hoặc mã tỉnh.")
    regions: list[str] = []
    region_cells = hs.cells("region") if hs.has("region") else [None] * n
    for row, cell in enumerate(region_cells):
        code = region_code(_text(cell)) if not _is_blank(cell) else default_region
        if not _is_blank(cell) and code is None:
            hs.bad(problems, row, "region", f"{_show(cell)} không phải vùng hợp lệ: dùng mã vùng "
                                            f"({', '.join(REGIONS)}), tên vùng hoặc mã tỉnh.")
        elif math.isnan(declared[row]) and (code is None or code not in tables):
            name = "region" if hs.has("region") else "income_per_capita"
            why = "chuẩn này chưa có bảng chấm điểm cho vùng đó" if code else "cần cột region hoặc tùy chọn --region"
            hs.bad(problems, row, name, f"không có thu nhập khai báo nên phải ước tính theo phiếu B1: {why}.")
        regions.append(code or "")
    housing = _column(hs, problems, "housing", _choice_parse(Housing))
    floor_area = _column(hs, problems, "floor_area", _area_m2)
    water = _column(hs, problems, "water_source", _choice_parse(WaterSource))
    latrine = _column(hs, problems, "latrine", _choice_parse(Latrine))
    condition_bools = {name: _column(hs, problems, name, _bool_parse()) for name in CONDITION_COLUMNS[4:]}
    item_codes = sorted({str(item["code"]) for table in tables.values() for item in table["items"]})
    b1_columns = {code: _column(hs, problems, f"b1_{code}", _amount) for code in item_codes if hs.has(f"b1_{code}")}
    b2_columns = {}
    for code in spec.codes:
        if hs.has(f"b2_{code}"):
            b2_columns[code] = _column(hs, problems, f"b2_{code}",
                                       lambda c: (None, "") if _is_blank(c) else _flag_parse(c))
    # Members.
    defaults = _member_defaults()
    absent = [name for name in MEMBER_FACTS if not ms.has(name)]
    if absent:
        notices.append("Trang tính members không có cột " + ", ".join(absent) +
                       ": dùng giá trị mặc định của sổ hộ cho mọi thành viên.")
    hh: list[int] = []
    for row, cell in enumerate(ms.cells("household_id")):
        key = _text(cell)
        if not key:
            ms.bad(problems, row, "household_id", "ô trống: cần mã hộ.")
        elif key not in row_of:
            ms.bad(problems, row, "household_id", f"mã hộ “{key}” không có trong trang tính households.")
        hh.append(row_of.get(key, -1))
    names = [_text(cell) for cell in ms.cells("full_name")]
    for row, name in enumerate(names):
        if not name:
            ms.bad(problems, row, "full_name", "ô trống: cần họ và tên.")
    births = _column(ms, problems, "birth_date", _birth_date(on))
    sexes = _column(ms, problems, "sex", _sex)
    member_facts: dict[str, list[Any]] = {}
    for name in MEMBER_FACTS:
        if name not in absent:
            parse = _choice_parse(MEMBER_CHOICE_FACTS[name], default=defaults[name]) if name in MEMBER_CHOICE_FACTS \
                else _bool_parse(default=bool(defaults[name]))
            member_facts[name] = _column(ms, problems, name, parse)
        else:
            member_facts[name] = [defaults[name]] * len(ms.rows)
    size = np.bincount(np.array([i for i in hh if i >= 0], dtype=np.int64), minlength=n)
    for row in np.flatnonzero(size == 0).tolist():
        if ids[row]:
            hs.bad(problems, row, "household_id", f"hộ “{ids[row]}” không có thành viên nào trong trang tính members.")
    if problems:
        return None

    birth = np.array([b.year * 10000 + b.month * 100 + b.day for b in births], dtype=np.int64)
    by, bm, bd = birth // 10000, birth // 100 % 100, birth % 100
    age_months = (on.year - by) * 12 + (on.month - bm) - (on.day < bd).astype(np.int64)
    members = facts.Members(
        hh=np.array(hh, dtype=np.int64), age_months=age_months,
        female=np.array([s == Sex.FEMALE for s in sexes], dtype=bool),
        employment=np.array([facts.EMPLOYMENT_CODES[v] for v in member_facts["employment"]], dtype=np.int64),
        disability=np.array([facts.DISABILITY_CODES[v] for v in member_facts["disability"]], dtype=np.int64),
        schooling=np.array([SCHOOLING_RANK[v] for v in member_facts["schooling"]], dtype=np.int64),
        education=np.array([EDUCATION_RANK[v] for v in member_facts["education"]], dtype=np.int64),
        bools={name: np.array(member_facts[name], dtype=bool) for name in facts.MEMBER_BOOLS},
        ids=np.arange(len(hh), dtype=np.int64), names=names,
    )
    bools = {name: np.array(values, dtype=bool) for name, values in condition_bools.items()}
    for name in facts.CONDITION_BOOLS:
        bools.setdefault(name, np.zeros(n, dtype=bool))
    households = facts.Households(
        ids=np.arange(n, dtype=np.int64), urban=np.array(areas, dtype=bool), size=size.astype(np.int64),
        income=np.array(declared, dtype=np.float64), has_conditions=np.ones(n, dtype=bool),
        housing=np.array([facts.HOUSING_CODES[v] for v in housing], dtype=np.int64),
        floor_area=np.array(floor_area, dtype=np.float64),
        water_safe=np.isin(np.array(water, dtype=str), [str(v) for v in SAFE_WATER]),
        latrine_hygienic=np.isin(np.array(latrine, dtype=str), [str(v) for v in HYGIENIC_LATRINES]), bools=bools,
        b1=[{code: values[row] for code, values in b1_columns.items()} for row in range(n)],
        b2=[{code: values[row] for code, values in b2_columns.items() if values[row] is not None}
            for row in range(n)] if b2_columns else [],
        region=regions,
    )
    flags = facts.compute_flags(spec, members, households, on)
    income, estimated = facts.estimate_income(households, tables)
    income = np.round(income)
    details = _details(spec, flags.member_hits, members, n)
    count, status, reasons = _classify(spec, households.urban, income, flags.matrix, details)
    added: dict[str, list[Cell]] = {
        "member_count": size.tolist(),
        "income_used": [int(x) for x in income.tolist()],
        "income_method": ["estimated" if e else "declared" for e in estimated.tolist()],
    }
    for j, code in enumerate(spec.codes):  # prefixed: "latrine" is also a living-condition column
        added[f"deprived_{code}"] = flags.matrix[:, j].tolist()
    added.update({"deprivation_count": count, "status": status, "reason": reasons})
    headers, rows = _merge_columns(hs.headers, hs.rows, added)
    return Table(title=hs.title, headers=headers, rows=rows)


# --- The command's entry point -------------------------------------------------------------------


def assess_file(*, source: Path, target: Path, standard: str, region: str | None = None,
                on: dt.date | None = None) -> Result:
    """Reads, validates and classifies the whole file, then writes OUTPUT; raises ValidationError
    with every problem found (and writes nothing) when a row is bad."""
    _check_format(target, "kết quả")
    spec = standard_spec(standard)
    problems = Problems()
    layout, sheets = read_sheets(source, problems)
    notices: list[str] = []
    table: Table | None = None
    if layout == "members" and sheets[0] is not None and sheets[1] is not None:
        table = assess_members(spec, sheets[0], sheets[1], problems, on=on or default_reference_date(standard),
                               region=region, notices=notices)
    elif layout == "households" and sheets[0] is not None:
        table = assess_households(spec, sheets[0], problems)
    problems.raise_if_any()
    assert table is not None
    delimiter = table.delimiter if source.suffix.lower() == ".csv" else ","
    write_table(target, title=table.title, headers=table.headers, rows=table.rows, delimiter=delimiter)
    status_at = [header.strip().lower() for header in table.headers].index("status")
    statuses = Counter(str(row[status_at]) for row in table.rows)
    return Result(layout=layout, households=len(table.rows), statuses=statuses, notices=notices)
