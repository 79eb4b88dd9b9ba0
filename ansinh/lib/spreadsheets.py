"""Reading and writing .xlsx workbooks: the one way the project does it.

Writing is XlsxWriter (well kept, widely used, made for writing .xlsx): `Writer` wraps it with
what the project's workbooks need — cached cell formats, column widths, frozen panes, merged
cells, print titles and page setup for official lists, drop-down validations and notes for the
import template. In `constant_memory` mode (the default) rows go to a temporary file as they are
written, so memory stays flat for any number of rows; rows must then be written top to bottom.
Every text cell goes through `safe_text`, as every CSV the project writes does: a value that
starts like a formula (=, +, -, @, tab, CR) gets a leading apostrophe, so no spreadsheet runs it.

Reading is python-calamine (Rust; 5–10× faster than the hand-written expat reader it replaces on
Excel-made files), behind the interface the imports use: `read_rows`, `sheet_names`, `Reader`
(`rows(name)` yields (Excel row number, values)). Values are plain: str, int (a whole number),
float, bool, datetime (a date or date and time), time (a time-only cell), as openpyxl gives with
data_only=True; formula results as cached; the 1904 date system of old Mac workbooks is read as
such. calamine loads a whole sheet into memory, so before it opens anything the archive is
checked while streaming (`check_archive`): the decompressed size of every part and the number of
rows of every sheet, against `ANSINH_IMPORT_MAX_UNZIPPED_BYTES` and `ANSINH_IMPORT_MAX_ROWS`. A
zip bomb (2.000.000 rows in 644 KB) is refused in a fraction of a second, in bounded memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import numbers
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

import python_calamine
import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext_noop
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ansinh.lib.parsing import EXCEL_EPOCH, EXCEL_EPOCH_1904, cell_text, message
from ansinh.lib.vietnamese import fold, format_number

__all__ = ["Format", "Limits", "Reader", "SheetWriter", "SpreadsheetError", "Writer", "cell_text", "check_archive",
           "file_name", "find_header", "find_sheet", "header_key", "header_positions", "LimitError", "open_reader",
           "read_rows", "read_workbook", "safe_text", "sheet_names"]

Source = bytes | str | Path | IO[bytes]


# --- Reading ------------------------------------------------------------------------------------

CHUNK = 1 << 16
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


_FORMULA_CHARS = "=+-@\t\r"


class SpreadsheetError(ValueError):
    """The file is not a readable .xlsx workbook (or is over the import limits); the message is
    for the user."""


@dataclass(frozen=True)
class Limits:
    """How big a workbook the reader opens: rows per sheet, decompressed bytes per part."""

    rows: int
    unzipped_bytes: int
    # Cells of a sheet's range (last row × last column), which calamine allocates whole: two cells
    # far apart (A1 and ZZ900000) make a dense range of 630 million cells from a file of 1 KB.
    cells: int = 30_000_000

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(rows=int(getattr(settings, "ANSINH_IMPORT_MAX_ROWS", 1_000_000)),
                   unzipped_bytes=int(getattr(settings, "ANSINH_IMPORT_MAX_UNZIPPED_BYTES", 256 * 1024 * 1024)),
                   cells=int(getattr(settings, "ANSINH_IMPORT_MAX_CELLS", 30_000_000)))


class LimitError(SpreadsheetError):
    """The workbook is over the import limits (rows, decompressed size); the message says which."""


def _too_big(name: str, limits: Limits) -> SpreadsheetError:
    return LimitError(str(message(
        gettext_noop("the part %(part)s of the file is larger than %(limit)s MB once decompressed (the limit for "
                     "an import): split the file into several smaller ones"),
        part=name, limit=format_number(limits.unzipped_bytes // (1024 * 1024)))))


# How far a sheet's range reaches, found without a match per ordinary cell: a row or cell
# reference with as many digits as the row limit or more (rows beyond it), a cell reference of a
# column past Z (wide sheets are rare; only then are all the row numbers read, to bound the range).
_FAR_ROW = "\\sr=\"[A-Z]{{0,3}}(\\d{{{digits},}})\""
_WIDE_COLUMN = re.compile(rb"\sr=\"([A-Z]{2,3})\d+\"")
_ANY_ROW = re.compile(rb"\sr=\"[A-Z]{0,3}(\d+)\"")


def _last_row(archive: zipfile.ZipFile, item: zipfile.ZipInfo) -> int:
    last, tail = 0, b""
    with archive.open(item) as part:
        while chunk := part.read(CHUNK):
            window = tail + chunk
            found = _ANY_ROW.findall(window)
            if found:
                last = max(last, max(map(int, found)))
            tail = window[-64:]
    return last


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_range(name: str, last_row: int, last_column: int, limits: Limits) -> None:
    if last_row > limits.rows:
        raise LimitError(str(message(
            gettext_noop("a sheet of the file has more than %(limit)s rows (the limit for an import): split the file "
                         "into several smaller ones"), limit=format_number(limits.rows))))
    if last_row * max(last_column, 26) > limits.cells:
        raise LimitError(str(message(
            gettext_noop("a sheet of the file spans more than %(limit)s cells (up to row %(row)s and column "
                         "%(column)s): delete the cells far from the table, or split the file"),
            limit=format_number(limits.cells), row=format_number(last_row), column=last_column)))


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuses a workbook over the limits before anything loads it, reading each part as a stream
    (64 KB at a time): the declared sizes first (cheap), then the real ones, since a crafted zip
    may declare less than it holds. For each worksheet it counts the rows and finds how far the
    range reaches (last row, last column): calamine allocates the whole range."""
    members = archive.infolist()
    far_row = re.compile(_FAR_ROW.format(digits=len(str(limits.rows))).encode())
    for item in members:
        if item.file_size > limits.unzipped_bytes:
            raise _too_big(item.filename, limits)
    for item in members:
        if item.is_dir():
            continue
        is_sheet = bool(_SHEET_PART.match(item.filename))
        size = rows = last_row = last_column = 0
        tail = b""
        with archive.open(item) as part:
            while chunk := part.read(CHUNK):
                size += len(chunk)
                if size > limits.unzipped_bytes:
                    raise _too_big(item.filename, limits)
                if is_sheet:
                    # Rows are counted by their opening tag, with or without a namespace prefix
                    # (<row>, <x:row>); a <rowBreaks> counted too is harmless. bytes.count is fast.
                    window = tail + chunk
                    rows += window.count(b"<row") + window.count(b":row") - tail.count(b"<row") - tail.count(b":row")
                    # Maxima: a match seen twice in the overlap changes nothing.
                    wide = _WIDE_COLUMN.findall(window)
                    if wide:
                        last_column = max(last_column, max(map(_column_number, set(wide))))
                    found = far_row.findall(window)
                    if found:
                        last_row = max(last_row, max(map(int, found)))
                    tail = window[-64:]
                    _check_range(item.filename, max(rows, last_row), last_column, limits)
        if is_sheet and last_column > 26:
            # A wide sheet (rare): read every row number, in case one far below came before the
            # wide cells, so that the range (last row × last column) is bounded for certain.
            _check_range(item.filename, max(rows, _last_row(archive, item)), last_column, limits)


def _workbook_view(archive: zipfile.ZipFile) -> tuple[int, bool]:
    """The active sheet's index and whether the workbook counts dates from 1904 (xl/workbook.xml)."""
    try:
        with archive.open("xl/workbook.xml") as part:
            root = ElementTree.parse(part).getroot()
    except KeyError:
        return 0, False  # an OpenDocument spreadsheet: calamine reads it, the first sheet is shown
    except ElementTree.ParseError as error:
        raise SpreadsheetError(str(error)) from None
    active, date1904 = 0, False
    for child in root:
        if child.tag.endswith("}workbookPr") and child.get("date1904") in ("1", "true"):
            date1904 = True
        elif child.tag.endswith("}bookViews"):
            for view in child:
                active = int(view.get("activeTab") or 0)
                break
    return active, date1904


def _value(value: Any) -> Any:
    """A calamine value as the imports take it: "" as None, whole floats as int, dates as datetime."""
    if isinstance(value, str):
        if value[:1] == "'" and value[1:2] and value[1] in _FORMULA_CHARS:
            return value[1:]  # what `safe_text` wrote: an export read back (a plan workbook) round-trips
        return value if value else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


class Reader:
    """An open workbook; `rows(name)` streams a sheet. Use as a context manager, or `close()`."""

    def __init__(self, source: Source, *, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_settings()
        data = self._bytes(source)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                check_archive(archive, self.limits)
                self.active_index, date1904 = _workbook_view(archive)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            if isinstance(error, SpreadsheetError):
                raise
            raise SpreadsheetError(str(error) or "not a zip archive") from None
        self.epoch = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
        try:
            self.book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.sheets = list(self.book.sheet_names)
        except Exception as error:  # calamine's errors (CalamineError, XmlError, ZipError …) and panics
            raise SpreadsheetError(str(error) or type(error).__name__) from None
        if not self.sheets:
            raise SpreadsheetError("the workbook has no sheet")

    @staticmethod
    def _bytes(source: Source) -> bytes:
        if isinstance(source, bytes):
            return source
        if isinstance(source, (str, Path)):
            try:
                return Path(source).read_bytes()
            except OSError as error:
                raise SpreadsheetError(str(error)) from None
        return source.read()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.book.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    @property
    def active(self) -> str:
        """The sheet Excel shows when it opens the file."""
        names = self.sheetnames
        return names[self.active_index] if 0 <= self.active_index < len(names) else names[0]

    def rows(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        """(Excel row number, values) of every row that has a value, in order; missing cells are
        None, trailing ones left out. The row numbers are Excel's: calamine's range starts at the
        first used cell, so its offsets are added back."""
        if name not in self.sheets:
            raise SpreadsheetError(f"no sheet {name}")
        try:
            sheet = self.book.get_sheet_by_name(name)
            start_row, start_column = sheet.start or (0, 0)
            iterator = iter(sheet.iter_rows())
            first = next(iterator, None)
        except Exception as error:  # calamine's errors, as above
            raise SpreadsheetError(str(error) or type(error).__name__) from None
        if first is None:
            return
        # calamine (0.9) pads the rows above the range but not the columns left of it; whether it
        # pads is told by the first row (the range's first row is never empty, a padding row is)
        # and by the rows' length, so another version's choice is read right too.
        padded_rows = start_row > 0 and not any(cell not in ("", None) for cell in first)
        row_offset = 0 if padded_rows or start_row == 0 else start_row
        end_column = (sheet.end or (0, 0))[1]
        column_pad: list[Any] = [None] * start_column if start_column and len(first) < end_column + 1 else []
        for index, raw in enumerate(chain((first,), iterator)):
            values = [None if cell == "" else _value(cell) for cell in raw]
            while values and values[-1] is None:
                values.pop()
            if values:
                yield index + row_offset + 1, column_pad + values if column_pad else values


def sheet_names(source: Source) -> list[str]:
    with Reader(source) as reader:
        return reader.sheetnames


def read_rows(source: Source, sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(Excel row number, values) of each row of `sheet` (the active sheet when None) that has
    values. Raises SpreadsheetError for a file that is not a readable workbook."""
    with Reader(source) as reader:
        yield from reader.rows(reader.active if sheet is None else sheet)


# --- Reading filled-in templates (the imports) ---------------------------------------------------


def file_name(source: Source) -> str:
    """The file's name ("" for bytes or a stream without a name)."""
    if isinstance(source, (str, Path)):
        return os.path.basename(str(source))
    if not isinstance(source, bytes):
        return os.path.basename(str(getattr(source, "name", "") or ""))
    return ""


def open_reader(source: Source) -> tuple[Reader, str]:
    """The open workbook and the file's name ("" for bytes or a stream without a name)."""
    return Reader(source), file_name(source)


def read_workbook[T](source: Source, read: Callable[[Reader], T]) -> tuple[T, str]:
    """What `read` makes of the workbook (closed afterwards), and the file's name. Raises
    SpreadsheetError when the file, or a sheet `read` reads, is not a readable workbook."""
    workbook, name = open_reader(source)
    with workbook:
        return read(workbook), name


def header_key(text: Any) -> str:
    """A label compared without accents, case, spaces or punctuation: "Mã chỉ tiêu *" and
    "ma chi tieu", "Diện tích ở (m²)" and "dien tich o m2" give the same key."""
    folded = unicodedata.normalize("NFKD", fold(str(text or "")))
    return "".join(ch for ch in folded if ch.isalnum() and ch.isascii())


def find_sheet(workbook: Reader, wanted: str) -> str | None:
    """The workbook's name for a sheet, matched by `header_key` ("ho gia dinh" for «Hộ gia đình»)."""
    wanted_key = header_key(wanted)
    return next((title for title in workbook.sheetnames if header_key(title) == wanted_key), None)


def header_positions(cells: Sequence[Any], headers: Sequence[str]) -> list[int | None]:
    """The column of each header in a header row (the first cell that matches it by `header_key`),
    None for a header the row does not have."""
    keys = [header_key(cell) for cell in cells]
    found = {k: i for i, k in reversed(list(enumerate(keys))) if k}
    return [found.get(header_key(header)) for header in headers]


def find_header(rows: Iterator[tuple[int, list[Any]]], headers: Sequence[str], *,
                search_rows: int) -> tuple[int, list[int | None]] | None:
    """The header row of a table: the first row, up to Excel row `search_rows`, that has a cell
    matching headers[0]. Returns its row number and `header_positions`, None when there is no such
    row; `rows` is left at the row after the header."""
    first = header_key(headers[0])
    for number, cells in rows:
        if first in (header_key(cell) for cell in cells):
            return number, header_positions(cells, headers)
        if number >= search_rows:
            break
    return None


# --- Writing ------------------------------------------------------------------------------------

SHEET_NAME_LIMIT = 31
# XML 1.0 forbids most control characters; a stray one from a pasted name must not reach the file
# (XlsxWriter would keep it as an _xHHHH_ escape, which other readers show as such).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm:ss"
# Cell: None (left empty), a value, or (value, format).
Cell = Any


# What a spreadsheet may take for a formula at the start of a cell (OWASP "CSV injection"):
# =, +, -, @, and a tab or carriage return before them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*")


def safe_text(text: str) -> str:
    """A text cell no spreadsheet runs as a formula: one that starts with =, +, -, @, a tab or a
    carriage return gets a leading apostrophe ("=HYPERLINK(…)" → "'=HYPERLINK(…)"), as OWASP
    advises against CSV injection. A plain signed number ("-5", "-1.200,5": a CSV has only text)
    is no formula and stays as it is; numbers in a workbook are written as numbers anyway."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


def clean_text(text: str) -> str:
    """A text cell as written to a workbook: control characters dropped, formulas neutralised."""
    return safe_text(_CONTROL.sub("", text) if _CONTROL.search(text) else text)


class SheetWriter:
    """One worksheet. Rows are appended top to bottom; `cell` writes anywhere (not in constant_memory)."""

    def __init__(self, writer: Writer, sheet: Worksheet) -> None:
        self.writer = writer
        self.sheet = sheet
        self.next_row = 0  # 0-based: the row `append` writes next

    def widths(self, widths: Sequence[float], *, first: int = 1, formats: Sequence[Format | None] = ()) -> None:
        """Column widths from column `first` (1-based), as the file stores them: what openpyxl reads
        back and what the project's layouts were drawn in. XlsxWriter's `set_column` takes the width
        Excel shows (5 pixels less), so the width goes in as pixels (7 a character in Calibri 11)."""
        for index, width in enumerate(widths):
            fmt = formats[index] if index < len(formats) else None
            self.sheet.set_column_pixels(first - 1 + index, first - 1 + index, round(width * 7), fmt)

    def freeze(self, rows: int, columns: int = 0) -> None:
        """Keeps the top `rows` rows and left `columns` columns in view."""
        self.sheet.freeze_panes(rows, columns)

    def print_titles(self, row: int) -> None:
        """Repeats row `row` (1-based) at the top of every printed page."""
        self.sheet.repeat_rows(row - 1)

    def page(self, *, landscape: bool) -> None:
        """A4, fitted to the page width, with narrow margins: how official lists are printed."""
        if landscape:
            self.sheet.set_landscape()
        else:
            self.sheet.set_portrait()
        self.sheet.set_paper(9)
        self.sheet.fit_to_pages(1, 0)
        self.sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)

    def cell(self, row: int, column: int, value: Any, fmt: Format | None = None) -> None:
        """Writes one cell (1-based row and column): str always as text (never a formula or a
        link), bool, numbers, dates and datetimes (with a date format unless `fmt` is given)."""
        sheet, r, c = self.sheet, row - 1, column - 1
        if value is None or value == "":
            if fmt is not None:
                sheet.write_blank(r, c, None, fmt)
        elif isinstance(value, str):
            sheet.write_string(r, c, clean_text(value), fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value, fmt)
        elif isinstance(value, (int, float)):
            sheet.write_number(r, c, value, fmt)
        elif isinstance(value, (dt.datetime, dt.date, dt.time)):
            if fmt is None:
                fmt = self.writer.date_format(value)
            sheet.write_datetime(r, c, value, fmt)
        elif isinstance(value, (numbers.Real, Decimal)):  # Decimal is not a numbers.Real; NumPy numbers are
            sheet.write_number(r, c, float(value), fmt)
        else:
            sheet.write_string(r, c, clean_text(str(value)), fmt)

    def append(self, cells: Sequence[Cell], *, height: float | None = None,
               merge: Sequence[tuple[int, int]] = ()) -> int:
        """Writes the next row and returns its number (1-based). Each cell is None (left empty),
        a value, or (value, format); `merge` lists (first, last) column spans (1-based) merged
        with their first cell's value and format."""
        number = self.next_row + 1
        if height is not None:
            self.sheet.set_row(self.next_row, height)
        write = self.cell
        for column, item in enumerate(cells, start=1):
            if item is None:
                continue
            if isinstance(item, tuple):
                write(number, column, item[0], item[1])
            else:
                write(number, column, item)
        for first, last in merge:
            if last > first:
                item = cells[first - 1] if first - 1 < len(cells) else None
                value, fmt = item if isinstance(item, tuple) else (item, None)
                self.sheet.merge_range(self.next_row, first - 1, self.next_row, last - 1, None, fmt)
                write(number, first, value, fmt)
        self.next_row += 1
        return number

    def comment(self, row: int, column: int, text: str, *, author: str = "", width: int = 128,
                height: int = 74) -> None:
        """A note on a cell (1-based), `width` × `height` pixels."""
        self.sheet.write_comment(row - 1, column - 1, _CONTROL.sub("", text),
                                 {"author": author, "width": width, "height": height})

    def drop_down(self, column: int, *, source: str, first_row: int = 2, error: str = "", error_title: str = "",
                  show_error: bool = True) -> None:
        """A drop-down list on column `column` from `first_row` down (1-based); `source` is a
        range like 'Danh mục'!$A$2:$A$9. Excel refuses a file whose error message passes 255
        characters or its title 32: both are cut."""
        options: dict[str, Any] = {"validate": "list", "source": f"={source}", "ignore_blank": True,
                                   "show_error": show_error}
        if error:
            options["error_message"] = error[:255]
        if error_title:
            options["error_title"] = error_title[:32]
        self.sheet.data_validation(first_row - 1, column - 1, 1_048_575, column - 1, options)

    def activate(self) -> None:
        """Makes this the sheet Excel shows when it opens the file."""
        self.sheet.activate()


class Writer:
    """A workbook written with XlsxWriter; `save()` returns the .xlsx bytes.

    With `constant_memory` (the default, for long lists) each row is written out when the next
    begins: write rows top to bottom. Turn it off to write cells in any order (small workbooks).
    """

    def __init__(self, *, font: str = "Calibri", size: float = 11, constant_memory: bool = True) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {
            "constant_memory": constant_memory,
            "default_format_properties": {"font_name": font, "font_size": size},
            # A NaN from a computation shows as #NUM! rather than stopping the export.
            "nan_inf_to_errors": True,
        })
        self.sheets: list[SheetWriter] = []
        self._formats: dict[tuple[tuple[str, Any], ...], Format] = {}

    def format(self, **properties: Any) -> Format:
        """A cell format from XlsxWriter's properties (bold=True, num_format="#,##0", border=1 …), cached."""
        key = tuple(sorted(properties.items()))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.book.add_format(properties)
        return found

    def date_format(self, value: dt.date | dt.time) -> Format:
        if isinstance(value, dt.datetime) and value.time() != dt.time():
            return self.format(num_format=DATETIME)
        if isinstance(value, dt.time):
            return self.format(num_format="hh:mm:ss")
        return self.format(num_format=DATE)

    def sheet(self, name: str) -> SheetWriter:
        """A new sheet; raises ValueError for a name Excel refuses (over 31 characters, any of
        []:*?/\\, or the name of another sheet in any case)."""
        try:
            found = SheetWriter(self, self.book.add_worksheet(name))
        except XlsxWriterException as error:
            raise ValueError(f"invalid sheet name {name!r}: {error}") from None
        self.sheets.append(found)
        return found

    def save(self) -> bytes:
        if not self.sheets:
            raise ValueError("a workbook needs a sheet")
        self.book.close()
        return self.buffer.getvalue()


def csv_rows(data: bytes, limit_rows: int | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of a CSV file: UTF-8 (with or without BOM), comma or semicolon (the
    delimiter of the header line), at most `limit_rows` rows (default `ANSINH_IMPORT_MAX_ROWS`);
    blank cells are None and empty rows are skipped. Raises SpreadsheetError for a file that is
    not UTF-8 or not CSV, LimitError past the limit."""
    if limit_rows is None:
        limit_rows = int(getattr(settings, "ANSINH_IMPORT_MAX_ROWS", 1_000_000))
    try:
        text = codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError("not UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > limit_rows:
                raise LimitError(str(message(gettext_noop(
                    "a sheet of the file has more than %(limit)s rows (the limit for an import): split the file into "
                    "several smaller ones"), limit=format_number(limit_rows))))
            values: list[Any] = [cell.strip() or None for cell in cells]
            while values and values[-1] is None:
                values.pop()
            if values:
                yield number, values
    except csv.Error as error:
        raise SpreadsheetError(str(error)) from None
