"""The tabular import framework: every import of a spreadsheet declares its columns here and
reuses the reading, the parsing, the problem list and the all-or-nothing commit.

An import is four steps (the household register's, the plan workbook's, the periodic forms' and
the file assessment's all follow them):

1. Declare the table once: a `Column` per column, with its Vietnamese header as the template
   shows it (and other spellings accepted), a note (the template's header comment), its kind
   (text, code, integer, decimal, money, date, yes/no, choice, citizen ID, ethnicity, year) and
   whether it is required. The template writes its headers, notes and drop-downs from it.
2. Read the sheet as a stream (`ansinh.lib.spreadsheets`, which refuses a workbook over the row
   and size limits before it loads) and parse every cell by its column's kind with
   `ansinh.lib.parsing`; each bad cell is a `Problem` (sheet, Excel row, Vietnamese header,
   message) and the row is kept, so every problem of the file is reported at once.
3. Check the rows against each other and the database in a few set-based queries; scope is
   checked by default (`Scope`: a row for a unit outside the importer's scope is a problem).
4. Only when there is no problem, write everything in one transaction (`commit`, set-based:
   `ansinh.lib.bulk`); a dry run (the CLI's `--check`, the pages' "check only") does every
   check and writes nothing. A refused file leaves an audit row (`record_refused`).

Messages are lazily translated (English msgids, Vietnamese in the catalogue): a page shown in
English shows English problems; the headers stay as the file has them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from ansinh.lib.ethnicity import ethnicity_code
from ansinh.lib.parsing import (
    EXCEL_EPOCH,
    CellError,
    cell_text,
    is_blank,
    message,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_money,
    parse_number,
    parse_yes_no,
)
from ansinh.lib.spreadsheets import LimitError, Reader, SpreadsheetError, csv_rows, header_key
from ansinh.lib.vietnamese import fold, format_number

__all__ = ["CellError", "Column", "ImportProblems", "Problem", "Problems", "Row", "ColumnParser", "read_table",
           "read_upload", "record_refused", "scope_of", "upload_limit_error", "upload_max_bytes", "YES", "NO", "message"]

Kind = Literal["raw", "text", "code", "citizen_id", "integer", "decimal", "money", "date", "yes_no", "choice",
               "ethnicity", "year"]
YES, NO = "Có", "Không"  # as the templates write yes/no cells (the files are Vietnamese)
HEADER_SEARCH_ROWS = 10  # the header row is the first of these rows that has the first column's header


# --- Problems -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (as Excel shows it) and why. `message` is translated
    when shown; `sheet` and `column` are the file's own (Vietnamese) names."""

    sheet: str
    row: int  # the Excel row number; 0 for the sheet or the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = [part for part in (
            self.sheet,
            gettext("row %(row)s") % {"row": self.row} if self.row else "",
            gettext("column %(column)s") % {"column": self.column} if self.column else "") if part]
        text = f"{', '.join(where)}: {self.message}" if where else str(self.message)
        return text[:1].upper() + text[1:]


class ImportProblems(ValidationError):
    """The file was not imported; `problems` lists every reason, in sheet and row order."""

    def __init__(self, problems: list[Problem], elsewhere: int = 0) -> None:
        self.problems = problems
        # Citizen IDs met that are registered outside the importer's units: audited as a count,
        # never named (the household import).
        self.elsewhere = elsewhere
        super().__init__([str(problem) for problem in problems])


@dataclass
class Problems:
    """The problems of one file as they are found. `broken` says a sheet, a header or a required
    column is missing, so the checks across rows are skipped (they would only add noise)."""

    problems: list[Problem] = field(default_factory=list)
    broken: bool = False
    _keys: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, sheet: str, row: int, column: str, text: str, *, order: tuple[Any, ...] = ()) -> None:
        """`order` (e.g. the sheet's and column's places) sorts the problems; else as added."""
        self.problems.append(Problem(sheet, row, column, text))
        self._keys.append(order)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def sorted(self) -> list[Problem]:
        if not any(self._keys):
            return list(self.problems)
        pairs = sorted(zip(self._keys, range(len(self.problems)), self.problems, strict=True),
                       key=lambda item: (item[0], item[1]))
        return [problem for *_, problem in pairs]

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportProblems(self.sorted())


# --- Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an import table, declared once: the reader, the parser and the template
    all read it."""

    header: str  # Vietnamese, as the template writes it
    key: str  # the field it fills
    kind: Kind = "raw"
    note: str = ""  # the template's header comment
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers accepted (compared by `header_key`)
    labels: Mapping[str, str] | None = None  # choice value -> Vietnamese label
    choice_aliases: Mapping[str, str] = field(default_factory=dict)  # folded spelling -> choice value
    max_length: int | None = None
    default: Any = None  # the value of a blank cell in an optional column
    width: float = 14
    limits: tuple[Decimal, Decimal] | None = None
    places: int = 0  # decimals kept (decimal columns)
    past: bool = False  # a date that cannot be after today nor 125 years back (a birth date)
    informative: bool = False  # written for the reader, not read back

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    def allowed_text(self) -> str:
        """What the column takes, for the template's notes and guide (Vietnamese, as the file)."""
        kind = self.kind
        if kind == "choice":
            return "; ".join((self.labels or {}).values())
        if kind == "yes_no":
            return f"{YES}; {NO}"
        if kind == "ethnicity":
            return "Tên dân tộc hoặc mã 01–55 (sheet Danh mục)"
        if kind == "date":
            return "dd/mm/yyyy"
        if kind == "citizen_id":
            return "12 chữ số"
        if kind == "year":
            low, high = self.year_range()
            return f"{low}–{high}"
        if kind in ("decimal", "money", "integer"):
            return "Số" + (", một chữ số thập phân" if self.places else ", không có phần lẻ")
        return f"Tối đa {self.max_length} ký tự" if self.max_length else "Văn bản"

    def default_text(self) -> str:
        """The value a blank cell takes, as the template writes it ("" when none)."""
        if self.required or self.default is None:
            return ""
        if self.kind == "yes_no":
            return YES if self.default else NO
        if self.labels is not None:
            return self.labels.get(self.default, "")
        return ""

    def year_range(self) -> tuple[int, int]:
        if self.limits is not None:
            return int(self.limits[0]), int(self.limits[1])
        return 2016, timezone.localdate().year + 1


def choice_lookup(labels: Mapping[str, str], aliases: Mapping[str, str] = {}) -> dict[str, str]:
    """Folded spellings -> choice value: the template's label, the value itself (also with spaces
    for underscores), the model's label as the pages show it (English and Vietnamese), aliases."""
    lookup: dict[str, str] = {}
    for value, label in labels.items():
        lookup[fold(label)] = str(value)
        lookup[header_key(label)] = str(value)
        lookup[fold(str(value)).replace("_", " ")] = str(value)
        lookup[fold(str(value))] = str(value)
        lookup[header_key(str(value))] = str(value)
    for value in labels:
        model_label = getattr(value, "label", None)
        if model_label is not None:
            for language in ("vi", "en"):
                with translation.override(language):
                    lookup.setdefault(fold(str(model_label)), str(value))
    for alias, value in aliases.items():
        lookup.setdefault(alias, value)
    return lookup


@dataclass(frozen=True)
class _Failed:
    message: str


class ColumnParser:
    """Parses the cells of one column by its kind; caches results of the kinds whose values
    repeat down a column (choices, yes/no, ethnicity)."""

    def __init__(self, column: Column, *, epoch: dt.datetime = EXCEL_EPOCH) -> None:
        self.column = column
        self.epoch = epoch
        self.lookup = choice_lookup(column.labels or {}, column.choice_aliases) if column.kind == "choice" else {}
        self.cache: dict[tuple[type, Any], Any] = {}
        self.today = timezone.localdate()
        self.convert: Callable[[Any], Any] = getattr(self, f"_{column.kind}")
        cached = column.kind in ("choice", "yes_no", "ethnicity")
        self.parse: Callable[[Any], Any] = self._cached if cached else self.convert

    def _cached(self, value: Any) -> Any:
        key = (type(value), value)
        try:
            found = self.cache[key]
        except KeyError:
            try:
                found = self.convert(value)
            except CellError as error:
                found = _Failed(error.message)
            self.cache[key] = found
        except TypeError:  # an unhashable value; never from a workbook, but be safe
            return self.convert(value)
        if isinstance(found, _Failed):
            raise CellError(found.message)
        return found

    def _limit(self, text: str) -> str:
        if self.column.max_length and len(text) > self.column.max_length:
            raise CellError(message(gettext_noop("Longer than %(limit)s characters."), limit=self.column.max_length))
        return text

    def _raw(self, value: Any) -> Any:
        return value

    def _code(self, value: Any) -> str:
        return self._limit(cell_text(value))

    def _text(self, value: Any) -> str:
        return self._limit(cell_text(value))

    def _citizen_id(self, value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # Excel drops the leading zero of a number typed into a cell not formatted as text
            # (provinces 001–096 begin with 0): put it back.
            digits = str(int(value))
            return digits.zfill(12) if len(digits) < 12 else digits
        return "".join(str(value).split()).replace(".", "").replace("-", "")

    def _date(self, value: Any) -> dt.date:
        date = parse_date(value, epoch=self.epoch)
        if self.column.past:
            if date > self.today:
                raise CellError(message(gettext_noop("The date %(date)s is after today."),
                                        date=f"{date:%d/%m/%Y}"))
            if date.year < self.today.year - 125:
                raise CellError(message(gettext_noop("The date %(date)s is not plausible (more than 125 years ago)."),
                                        date=f"{date:%d/%m/%Y}"))
        return date

    def _yes_no(self, value: Any) -> bool:
        try:
            return parse_yes_no(value)
        except CellError:
            raise CellError(message(gettext_noop("The value “%(value)s” is not allowed: write %(yes)s or %(no)s."),
                                    value=cell_text(value), yes=YES, no=NO)) from None

    def _choice(self, value: Any) -> str:
        text = cell_text(value)
        found = self.lookup.get(fold(text)) or self.lookup.get(header_key(text))
        if found is None:
            allowed = "; ".join((self.column.labels or {}).values())
            raise CellError(message(gettext_noop("The value “%(value)s” is not in the list. Choose one of: "
                                                 "%(allowed)s."), value=text, allowed=allowed))
        return found

    def _ethnicity(self, value: Any) -> str:
        text = cell_text(value)
        code = ethnicity_code(text)
        if code is None:
            raise CellError(message(gettext_noop("Unknown ethnic group “%(value)s”: write its name (for example Kinh, "
                                                 "Khmer) or its code 01–55."), value=text))
        return code

    def _year(self, value: Any) -> int:
        low, high = self.column.year_range()
        try:
            return parse_integer(value, low, high)
        except CellError:
            raise CellError(message(gettext_noop("The year “%(value)s” is not valid: a year from %(low)s to %(high)s "
                                                 "is needed."), value=cell_text(value), low=low, high=high)) from None

    def _integer(self, value: Any) -> int:
        low, high = self.column.limits or (None, None)
        return parse_integer(value, None if low is None else int(low), None if high is None else int(high))

    def _money(self, value: Any) -> int:
        amount = parse_money(value)
        if self.column.limits is not None:
            parse_number(amount, *self.column.limits)
        return amount

    def _decimal(self, value: Any) -> Decimal:
        number = parse_decimal(value)
        low, high = self.column.limits or (Decimal(0), Decimal("1e12"))
        if not low <= number <= high:
            places = self.column.places
            raise CellError(message(gettext_noop("The value %(value)s is out of the allowed range (%(low)s to "
                                                 "%(high)s)."), value=cell_text(value),
                                    low=format_number(low, places), high=format_number(high, places)))
        return number.quantize(Decimal(1).scaleb(-self.column.places), rounding=ROUND_HALF_UP)


# --- Reading a table ----------------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int  # the Excel row number
    values: dict[str, Any]


def read_table(rows: Iterator[tuple[int, list[Any]]], sheet: str, columns: Sequence[Column], problems: Problems,
               *, search_rows: int = HEADER_SEARCH_ROWS, epoch: dt.datetime = EXCEL_EPOCH,
               order: int = 0) -> list[Row]:
    """Parses every non-empty row below the header row (the first of `search_rows` rows with the
    first column's header); a bad cell is a problem and the row is kept, with None in that field.
    A missing required column is reported once at the header (and marks `problems.broken`)."""
    places = {column.header: i for i, column in enumerate(columns)}

    def add(row: int, column: str, text: str) -> None:
        problems.add(sheet, row, column, text, order=(order, row, places.get(column, -1)))

    wanted = [column for column in columns if not column.informative]
    header = _find_header(rows, wanted, search_rows)
    if header is None:
        add(0, "", message(gettext_noop("No header row (column “%(column)s”) in the first %(rows)s rows."),
                           column=wanted[0].header, rows=search_rows))
        problems.broken = True
        return []
    number, positions = header
    index = list(zip(wanted, positions, strict=True))
    for column, position in index:
        if position is None and column.required:
            add(number, column.header, message(gettext_noop("This required column is missing from the header row.")))
            problems.broken = True
    parsers = [(position, column, ColumnParser(column, epoch=epoch).parse) for column, position in index]
    out: list[Row] = []
    for number, cells in rows:
        if all(is_blank(cells[position]) for position, _, _ in parsers
               if position is not None and position < len(cells)):
            continue  # blank in every column the table reads (other cells are the user's notes)
        values: dict[str, Any] = {}
        for position, column, parse in parsers:
            if position is None:  # a missing column: reported once at the header when required
                values[column.key] = None if column.required else column.default
                continue
            raw = cells[position] if position < len(cells) else None
            if is_blank(raw):
                if column.required and column.kind != "raw":
                    add(number, column.header, message(gettext_noop("Empty (a required column).")))
                    values[column.key] = None
                else:
                    values[column.key] = column.default if column.kind != "raw" else None
                continue
            try:
                values[column.key] = parse(raw)
            except CellError as error:
                add(number, column.header, error.message)
                values[column.key] = None
        out.append(Row(sheet, number, values))
    return out


def _find_header(rows: Iterator[tuple[int, list[Any]]], columns: Sequence[Column],
                 search_rows: int) -> tuple[int, list[int | None]] | None:
    """The header row: the first row, up to Excel row `search_rows`, with a cell matching the
    first column's header (or an alias); its number and each column's position. `rows` is left
    at the row after it."""
    first = {header_key(name) for name in columns[0].headers}
    for number, cells in rows:
        if any(header_key(cell) in first for cell in cells):
            return number, header_positions(cells, columns)
        if number >= search_rows:
            break
    return None


def header_positions(cells: Sequence[Any], columns: Sequence[Column]) -> list[int | None]:
    """The column of each declared column in a header row, by its header or an alias."""
    keys = [header_key(cell) for cell in cells]
    found = {k: i for i, k in reversed(list(enumerate(keys))) if k}
    out: list[int | None] = []
    for column in columns:
        out.append(next((found[header_key(name)] for name in column.headers if header_key(name) in found), None))
    return out


# --- Scope, limits and the audit of refusals ----------------------------------------------------


def scope_of(actor: Any, allowed: Callable[[Any], bool] | None) -> Callable[[Any], bool] | None:
    """Whom an import may change: `allowed` when the caller gives it, else the actor's own scope
    (scope is checked by default: a row of a unit outside it is a problem); every unit only for
    an operator's run without an actor (the CLI without --as)."""
    user = getattr(actor, "user", actor)  # an Actor, or a bare user
    if allowed is not None or user is None:
        return allowed
    from ansinh.accounts.access import get_scope

    scope: Callable[[Any], bool] = get_scope(user).can_change
    return scope


def upload_max_bytes() -> int:
    """The one upload size limit of every import page (settings.ANSINH_UPLOAD_MAX_BYTES)."""
    return int(getattr(settings, "ANSINH_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def size_text(size: int) -> str:
    """20971520 -> "20 MB", 1536 -> "1,5 KB" (Vietnamese number format, as the pages show sizes)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{format_number(value, 0 if value == int(value) else 1)} {unit}"
    return f"{format_number(size)} B"


def read_upload(data: bytes, sheet: str, columns: Sequence[Column], problems: Problems, *,
                unreadable: str = gettext_noop("The file cannot be read: an Excel .xlsx file or a .csv file (UTF-8) "
                                               "with the template's columns is needed.")) -> list[Row]:
    """The rows of an uploaded .xlsx (its sheet `sheet`, found without regard to accents or case,
    else the one Excel shows) or .csv file, parsed by `read_table`. Raises ImportProblems for a
    file over the size or row limits, or one that is neither (`unreadable`, an English msgid)."""
    if too_big := upload_limit_error(len(data)):
        raise ImportProblems([Problem("", 0, "", too_big)])
    limit_rows = int(getattr(settings, "ANSINH_IMPORT_MAX_ROWS", 1_000_000))
    try:
        if data[:4] == b"PK\x03\x04":
            with Reader(data) as reader:
                wanted = fold(sheet)
                name = next((n for n in reader.sheetnames if fold(n) == wanted), reader.active)
                return read_table(reader.rows(name), sheet, columns, problems, epoch=reader.epoch)
        if b"\x00" in data[:4096]:
            raise SpreadsheetError("binary")
        return read_table(csv_rows(data, limit_rows), sheet, columns, problems)
    except LimitError as error:
        raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                         reason=error))]) from None
    except SpreadsheetError:
        raise ImportProblems([Problem("", 0, "", message(unreadable))]) from None


def upload_limit_error(size: int | None) -> str:
    """The message for an upload over the limit ("" when within it)."""
    limit = upload_max_bytes()
    if (size or 0) <= limit:
        return ""
    return gettext("The file is larger than %(size)s: split it into several files.") % {"size": size_text(limit)}


def record_refused(*, actor: Any, kind: str, name: str, rows: int, problems: Sequence[Problem],
                   ip: str | None = None, unit: Any = None, check: bool = False) -> None:
    """One audit row for a refused file (who tried to import what, and why it was refused):
    `kind` names the import ("households", "plans", "submissions")."""
    from django.db import transaction

    from ansinh.accounts import audit

    from ansinh.accounts.models import User

    user = audit.user_of(actor)
    subject = unit if unit is not None else user if user is not None else User(username="system")
    with transaction.atomic():
        audit.record(actor=actor, action="import.refused", obj=subject, unit=unit, ip=ip,
                     after={"import": kind, "file": name, "rows": rows, "problems": len(problems), "check": check,
                            "first": [str(problem) for problem in problems[:5]]})
