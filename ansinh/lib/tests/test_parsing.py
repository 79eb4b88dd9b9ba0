"""One table of inputs, one answer each: how every import reads Vietnamese numbers, dates and yes/no."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from ansinh.lib.parsing import (
    EXCEL_EPOCH_1904,
    CellError,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_money,
    parse_yes_no,
)

REFUSED = "refused"

# (kind, input, answer): REFUSED means a CellError; for "date" the answer may be the message's key phrase.
TABLE: list[tuple[str, Any, Any]] = [
    # numbers (decimal column)
    ("decimal", "1.200", Decimal(1200)),
    ("decimal", "1.200.000", Decimal(1200000)),
    ("decimal", "0,5", Decimal("0.5")),
    ("decimal", "0.500", Decimal(500)),  # a dot before three digits groups thousands
    ("decimal", "36,5", Decimal("36.5")),
    ("decimal", "1.200,5", Decimal("1200.5")),
    ("decimal", "21.3", Decimal("21.3")),  # not three digits after the dot: a decimal point
    ("decimal", "2.5e3", REFUSED),
    ("decimal", "1e5", REFUSED),
    ("decimal", "x", REFUSED),
    ("decimal", "1,200,000", REFUSED),
    ("decimal", "-5", Decimal(-5)),
    ("decimal", "-1.200,5", Decimal("-1200.5")),
    ("decimal", "  42  ", Decimal(42)),
    ("decimal", "1 200", Decimal(1200)),
    ("decimal", "1\u00a0200\u00a0000", Decimal(1200000)),
    ("decimal", "36,5 m²", Decimal("36.5")),
    ("decimal", "1.500.000 đồng", Decimal(1500000)),
    ("decimal", "inf", REFUSED),
    ("decimal", "nan", REFUSED),
    ("decimal", "", REFUSED),
    ("decimal", True, REFUSED),
    ("decimal", 1200, Decimal(1200)),
    ("decimal", 0.1, Decimal("0.1")),
    ("decimal", -3.5, Decimal("-3.5")),
    ("decimal", float("nan"), REFUSED),
    ("decimal", dt.date(2020, 1, 1), REFUSED),
    # whole numbers
    ("integer", "12,5", REFUSED),
    ("integer", "1.200", 1200),
    ("integer", 7.0, 7),
    ("integer", 7.5, REFUSED),
    ("integer", "-3", -3),
    # money: whole đồng, not negative
    ("money", "1.500.000", 1500000),
    ("money", "1500000", 1500000),
    ("money", "-5", REFUSED),
    ("money", "1.500,5", REFUSED),
    ("money", 2500000.0, 2500000),
    # yes / no
    ("yes_no", "x", True),
    ("yes_no", "X", True),
    ("yes_no", "có", True),
    ("yes_no", "Có", True),
    ("yes_no", "không", False),
    ("yes_no", "Không", False),
    ("yes_no", "1", True),
    ("yes_no", 0, False),
    ("yes_no", True, True),
    ("yes_no", "đúng", True),
    ("yes_no", "sai", False),
    ("yes_no", "có lẽ", REFUSED),
    ("yes_no", 2, REFUSED),
    # dates
    ("date", "05/03/1980", dt.date(1980, 3, 5)),
    ("date", "5/3/1980", dt.date(1980, 3, 5)),
    ("date", "05-03-1980", dt.date(1980, 3, 5)),
    ("date", "05.03.1980", dt.date(1980, 3, 5)),
    ("date", "1980-03-05", dt.date(1980, 3, 5)),
    ("date", "31/02/2020", REFUSED),
    ("date", "29/02/2020", dt.date(2020, 2, 29)),
    ("date", "12/13/2020", REFUSED),
    ("date", "tháng 3", REFUSED),
    ("date", 43831, dt.date(2020, 1, 1)),  # an Excel serial in a cell not formatted as a date
    ("date", 43831.75, dt.date(2020, 1, 1)),
    ("date", 60, dt.date(1900, 2, 28)),  # Lotus's 29/02/1900 (serial 60) is not a day: 59 and 61 are
    ("date", 61, dt.date(1900, 3, 1)),
    ("date", -1, REFUSED),
    ("date", dt.datetime(2020, 1, 1, 8, 30), dt.date(2020, 1, 1)),
    ("date", dt.date(2020, 1, 1), dt.date(2020, 1, 1)),
    ("date", dt.time(8, 30), REFUSED),
]

PARSERS = {"decimal": parse_decimal, "integer": parse_integer, "money": parse_money, "yes_no": parse_yes_no,
           "date": parse_date}


@pytest.mark.parametrize(("kind", "value", "answer"), TABLE, ids=[f"{k}:{v!r}" for k, v, _ in TABLE])
def test_it_reads_each_input_of_the_table_one_way(kind: str, value: Any, answer: Any) -> None:
    parse = PARSERS[kind]
    if answer == REFUSED:
        with pytest.raises(CellError) as raised:
            parse(value)
        assert str(raised.value)  # a message, never an empty one
    else:
        assert parse(value) == answer


def test_it_explains_a_day_that_does_not_exist() -> None:
    with pytest.raises(CellError) as raised:
        parse_date("31/02/2020")
    with translation.override("en"):
        assert str(raised.value) == "“31/02/2020” is not a date: month 2 of 2020 has no day 31."
    with translation.override("vi"):
        assert str(raised.value) == "Ngày «31/02/2020» không hợp lệ: tháng 2 năm 2020 không có ngày 31."


def test_it_refuses_an_exponent_with_a_clear_message_in_both_languages() -> None:
    with pytest.raises(CellError) as raised:
        parse_decimal("2.5e3")
    with translation.override("en"):
        assert "exponent" in str(raised.value)
    with translation.override("vi"):
        assert "lũy thừa" in str(raised.value)


def test_it_reads_serials_of_a_1904_workbook() -> None:
    assert parse_date(1, epoch=EXCEL_EPOCH_1904) == dt.date(1904, 1, 2)
    assert parse_date(42369, epoch=EXCEL_EPOCH_1904) == dt.date(2020, 1, 1)


def test_it_checks_ranges_of_whole_numbers() -> None:
    assert parse_integer("2025", 2016, 2030) == 2025
    with translation.override("en"), pytest.raises(CellError, match=r"out of range \(2016 to 2030\)"):
        parse_integer("2015", 2016, 2030)
