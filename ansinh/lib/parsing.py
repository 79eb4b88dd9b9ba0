"""Reading Vietnamese numbers, dates and yes/no out of spreadsheet cells: the one parser every
import uses (`ansinh.lib.tabular` calls it per column kind).

A cell arrives as the reader gives it (`ansinh.lib.spreadsheets`): str, int, float, bool,
datetime, date or time. Each function returns the value or raises `CellError`, whose message is
a lazily translated string (English msgid, Vietnamese in the catalogue), so the page shows it in
the reader's language.

Numbers typed as text follow Vietnamese writing (TCVN and the State's documents):

1. The comma is the decimal mark: "0,5" is one half, "36,5" is thirty-six and a half.
2. The dot groups thousands: "1.200" is one thousand two hundred, "1.200.000" is a million two
   hundred thousand, and "0.500" is five hundred (a dot followed by exactly three digits, in
   every group, is a thousands separator, whatever stands before it). "1.200,5" has both.
3. A dot followed by other than three digits ("21.3", "0.5", "36.25") can only be a decimal
   point typed the English way, and is read as one.
4. Spaces (also non-breaking and thin ones) between digit groups are dropped: "1 200" is 1200.
5. A leading minus is a negative number; a trailing unit (đồng, đ, VNĐ, m², m2) is dropped.
6. Anything else is refused with a message saying how to write it: exponents ("2.5e3" is not
   25.000 nor 2.500: refused), several commas ("1,200,000", ambiguous), words, "inf", "nan".

Cells Excel stored as numbers are taken as they are (a float as its shortest decimal).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

from ansinh.lib.vietnamese import fold, format_number

__all__ = ["CellError", "message", "parse_date", "parse_decimal", "parse_integer", "parse_money", "parse_yes_no",
           "cell_text", "is_blank", "excel_date", "EXCEL_EPOCH", "EXCEL_EPOCH_1904"]

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.datetime(1904, 1, 1)
MAX_EXCEL_SERIAL = 2_958_465  # 31/12/9999


def _render(msgid: str, params: dict[str, Any]) -> str:
    text = gettext(msgid)
    return text % {key: str(value) for key, value in params.items()} if params else text


_lazy_render = lazy(_render, str)


def message(msgid: str, **params: Any) -> str:
    """A message translated when shown (in the language active then). Pass the msgid through
    `gettext_noop` so the catalogue tools find it."""
    return _lazy_render(msgid, params)  # type: ignore[no-any-return]


class CellError(ValueError):
    """A cell's value cannot be used; `message` is for the user (lazily translated)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.message = text

    def __str__(self) -> str:
        return str(self.message)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as one line of text (numbers without a trailing .0, dates as dd/mm/yyyy)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


# --- Numbers ------------------------------------------------------------------------------------

_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u2009\u202f]+(?=\d)")
_UNITS = ("đồng", "vnđ", "vnd", "đ", "m²", "m2")
_PLAIN = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 1.200 · 1.200.000 · 1.200,5 · 0.500
_COMMA = re.compile(r"\d+,\d+")  # 0,5 · 36,5
_POINT = re.compile(r"\d+\.\d+")  # 21.3 · 0.5 (not three digits after the dot: see rule 3)
_EXPONENT = re.compile(r"[\d.,]+e[+-]?\d+")


def _number_text(text: str) -> Decimal:
    raw = _SPACES.sub("", text.strip()).lower()
    for unit in _UNITS:
        if raw.endswith(unit):
            raw = raw[: -len(unit)].rstrip()
            break
    sign = 1
    if raw[:1] in ("-", "\u2212"):
        sign, raw = -1, raw[1:].lstrip()
    if _PLAIN.fullmatch(raw):
        digits = raw
    elif _GROUPED.fullmatch(raw):
        digits = raw.replace(".", "").replace(",", ".")
    elif _COMMA.fullmatch(raw):
        digits = raw.replace(",", ".")
    elif _POINT.fullmatch(raw):
        digits = raw
    elif _EXPONENT.fullmatch(raw):
        raise CellError(message(gettext_noop("“%(value)s” is written with an exponent: write the number in full "
                                             "(for example 2.500 or 2,5)."), value=text.strip()))
    elif raw.count(",") > 1:
        raise CellError(message(gettext_noop("“%(value)s” is ambiguous: in Vietnamese the comma is the decimal mark; "
                                             "group thousands with dots (1.200.000)."), value=text.strip()))
    else:
        raise CellError(message(gettext_noop("“%(value)s” is not a number (write 1.200 or 1200; 0,5 or 36,5)."),
                                value=text.strip()))
    return sign * Decimal(digits)


def parse_decimal(value: Any) -> Decimal:
    """A number from a cell: see the module's rules. Refuses booleans, dates and non-finite values."""
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time)):
        raise CellError(message(gettext_noop("“%(value)s” is not a number."), value=cell_text(value)))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(message(gettext_noop("“%(value)s” is not a number."), value=value))
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError(message(gettext_noop("“%(value)s” is not a number."), value=value))
        return value
    try:
        return _number_text(str(value))
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        raise CellError(message(gettext_noop("“%(value)s” is not a number."), value=value)) from None


def parse_integer(value: Any, low: int | None = None, high: int | None = None) -> int:
    """A whole number ("12,5" refused), optionally within [low, high]."""
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise CellError(message(gettext_noop("“%(value)s” is not a whole number."), value=cell_text(value)))
    _check_range(value, number, low, high)
    return int(number)


def _check_range(value: Any, number: Decimal, low: int | Decimal | None, high: int | Decimal | None) -> None:
    def show(limit: int | Decimal) -> str:
        number = Decimal(limit)
        if number == number.to_integral_value() and abs(number) < 10_000:
            return str(int(number))  # a year, an age: 2016, not 2.016
        exponent = number.normalize().as_tuple().exponent
        return format_number(number, max(0, -exponent) if isinstance(exponent, int) else 0)

    if low is not None and high is not None and not low <= number <= high:
        raise CellError(message(gettext_noop("%(value)s is out of range (%(low)s to %(high)s)."),
                                value=cell_text(value), low=show(low), high=show(high)))
    if low is not None and number < low:
        raise CellError(message(gettext_noop("%(value)s is below the minimum (%(low)s)."), value=cell_text(value),
                                low=show(low)))
    if high is not None and number > high:
        raise CellError(message(gettext_noop("%(value)s is above the maximum (%(high)s)."), value=cell_text(value),
                                high=show(high)))


def parse_number(value: Any, low: int | Decimal | None = None, high: int | Decimal | None = None) -> Decimal:
    """A decimal number, optionally within [low, high]."""
    number = parse_decimal(value)
    _check_range(value, number, low, high)
    return number


def parse_money(value: Any) -> int:
    """Whole đồng, not negative: "1.500.000", 1500000; "1.500.000,5", "-5" and "1,500,000" refused."""
    number = parse_decimal(value)
    if number < 0:
        raise CellError(message(gettext_noop("“%(value)s” is a negative amount."), value=cell_text(value)))
    if number != number.to_integral_value():
        raise CellError(message(gettext_noop("“%(value)s” has a fraction of a đồng: write whole đồng."),
                                value=cell_text(value)))
    return int(number)


# --- Dates --------------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def excel_date(serial: float, epoch: dt.datetime = EXCEL_EPOCH) -> dt.datetime:
    """An Excel serial day number as a datetime, in the 1900 system (`EXCEL_EPOCH`, counting
    Lotus's 29/02/1900) or the 1904 system (`EXCEL_EPOCH_1904`, old Mac workbooks)."""
    day, fraction = divmod(serial, 1)
    if 0 < serial < 60 and epoch == EXCEL_EPOCH:
        day += 1  # Excel counts a 29 February 1900 that never was
    return epoch + dt.timedelta(days=day, milliseconds=round(fraction * 86_400_000))


def parse_date(value: Any, *, epoch: dt.datetime = EXCEL_EPOCH) -> dt.date:
    """A date: a date cell, an Excel serial number (a cell not formatted as a date), or text as
    dd/mm/yyyy (also with - or .) or yyyy-mm-dd. A day that does not exist is refused by name."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        raise CellError(message(gettext_noop("%(value)s is a time of day, not a date: write the date as dd/mm/yyyy."),
                                value=value.strftime("%H:%M")))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= MAX_EXCEL_SERIAL:
            return excel_date(float(value), epoch).date()
        raise CellError(message(gettext_noop("“%(value)s” is not a date: write it as dd/mm/yyyy (for example "
                                             "05/03/1980)."), value=cell_text(value)))
    text = cell_text(value)
    found = _DATE.fullmatch(text)
    parts = (found.group(3), found.group(2), found.group(1)) if found else None
    if parts is None and (iso := _ISO.fullmatch(text)):
        parts = (iso.group(1), iso.group(2), iso.group(3))
    if parts is None:
        raise CellError(message(gettext_noop("“%(value)s” is not a date: write it as dd/mm/yyyy (for example "
                                             "05/03/1980)."), value=text))
    year, month, day = (int(part) for part in parts)
    try:
        return dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:
            raise CellError(message(gettext_noop("“%(value)s” is not a date: month %(month)s of %(year)s has no day "
                                                 "%(day)s."), value=text, month=month, year=year, day=day)) from None
        raise CellError(message(gettext_noop("“%(value)s” is not a date: there is no month %(month)s."),
                                value=text, month=month)) from None


# --- Yes / no -----------------------------------------------------------------------------------

YES_WORDS = frozenset({"co", "c", "x", "1", "yes", "y", "true", "dung", "✓", "✔", "v"})
NO_WORDS = frozenset({"khong", "k", "ko", "0", "no", "n", "false", "sai"})


def parse_yes_no(value: Any) -> bool:
    """Yes for có, x, 1, True (a ticked box); no for không, 0, False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = fold(cell_text(value))
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise CellError(message(gettext_noop("“%(value)s” is not yes or no: write Có or Không."), value=cell_text(value)))


def command_date(value: str) -> dt.date:
    """A date typed on the command line (YYYY-MM-DD), or the command's refusal in Vietnamese."""
    from django.core.management.base import CommandError

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: {value!r} (cần dạng YYYY-MM-DD)") from None
