"""The tabular import framework: columns declared once, read from files as producers write them,
problems per row and field in the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

from ansinh.lib.spreadsheets import Reader, SpreadsheetError, read_rows
from ansinh.lib.tabular import (Column, ImportProblems, Problem, Problems, read_table, upload_limit_error,
                                upload_max_bytes)

FIXTURES = Path(__file__).parent / "fixtures"

COLUMNS = [
    Column("Mã hộ", "code", "code", "Mã hộ của xã.", required=True, aliases=("Mã số hộ",)),
    Column("Ngày sinh", "born", "date", "dd/mm/yyyy", required=True),
    Column("Diện tích", "area", "decimal", "m²", limits=(Decimal(-10), Decimal(1000)), places=1),
    Column("Có BHYT", "insured", "yes_no", "Có hoặc Không", default=False),
    Column("Ghi chú", "note", "text", "", max_length=5),
]


@pytest.mark.parametrize("name", ["libreoffice.xlsx", "libreoffice.ods"])
def test_it_reads_what_libreoffice_writes_with_excel_row_numbers(name):
    """Made by LibreOffice Calc 7.4 (from libreoffice-source.fods): the table starts at B3."""
    problems = Problems()
    with Reader(FIXTURES / name) as reader:
        rows = read_table(reader.rows(reader.active), "Hộ gia đình", COLUMNS, problems, epoch=reader.epoch)
    assert [(row.number, row.values) for row in rows] == [
        (4, {"code": "TC-0001", "born": dt.date(1978, 4, 12), "area": Decimal("36.5"), "insured": True,
             "note": None}),
        (5, {"code": "42", "born": None, "area": Decimal("-3.0"), "insured": True, "note": None}),
    ]
    with translation.override("vi"):
        assert [str(problem) for problem in problems.sorted()] == [
            "Hộ gia đình, dòng 5, cột Ngày sinh: Ngày «31/02/2020» không hợp lệ: tháng 2 năm 2020 không có ngày 31."]
    with translation.override("en"):
        assert [str(problem) for problem in problems.sorted()] == [
            "Hộ gia đình, row 5, column Ngày sinh: “31/02/2020” is not a date: month 2 of 2020 has no day 31."]


def test_it_reads_a_time_only_cell_as_a_time():
    rows = dict(read_rows(FIXTURES / "libreoffice.xlsx"))
    assert rows[4][3] == dt.time(8, 30)


def test_it_accepts_header_aliases_and_reports_missing_required_columns_once():
    rows = iter([(1, ["tiêu đề của tệp"]), (2, ["MÃ SỐ HỘ", "Diện tích", "Ghi chú"]),
                 (3, ["H1", "1.200", "dài quá giới hạn"]), (4, [None, None, None]), (5, ["H2", "2.5e3", None])])
    problems = Problems()
    found = read_table(rows, "Hộ", COLUMNS, problems)
    assert [row.number for row in found] == [3, 5] and problems.broken
    with translation.override("vi"):
        assert [str(problem) for problem in problems.sorted()] == [
            "Hộ, dòng 2, cột Ngày sinh: Thiếu cột bắt buộc này ở dòng tiêu đề.",
            "Hộ, dòng 3, cột Diện tích: Giá trị 1.200 nằm ngoài khoảng cho phép (-10,0 đến 1.000,0).",
            "Hộ, dòng 3, cột Ghi chú: Dài quá 5 ký tự.",
            "Hộ, dòng 5, cột Diện tích: «2.5e3» được viết dạng lũy thừa: ghi đầy đủ chữ số (ví dụ 2.500 hoặc 2,5).",
        ]


def test_it_reports_a_sheet_without_its_header_row():
    problems = Problems()
    assert read_table(iter([(n, ["?"]) for n in range(1, 20)]), "Hộ", COLUMNS, problems) == []
    with translation.override("en"):
        assert [str(p) for p in problems.problems] == ["Hộ: No header row (column “Mã hộ”) in the first 10 rows."]


def test_it_raises_every_problem_at_once_in_sheet_and_row_order():
    problems = Problems()
    problems.add("B", 3, "x", "ba", order=(1, 3))
    problems.add("A", 7, "y", "bảy", order=(0, 7))
    problems.add("", 0, "", "tệp", order=(0, 0))
    with pytest.raises(ImportProblems) as raised:
        problems.raise_if_any()
    assert [p.message for p in raised.value.problems] == ["tệp", "bảy", "ba"]
    assert raised.value.messages == ["Tệp", "A, dòng 7, cột y: bảy", "B, dòng 3, cột x: ba"]
    assert str(Problem("", 0, "", "chỉ có lời")) == "Chỉ có lời"


def test_it_keeps_one_upload_limit_in_settings():
    from django.conf import settings

    assert upload_max_bytes() == settings.ANSINH_UPLOAD_MAX_BYTES == settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    with override_settings(ANSINH_UPLOAD_MAX_BYTES=3 * 1024 * 1024), translation.override("vi"):
        assert upload_limit_error(3 * 1024 * 1024) == ""
        assert upload_limit_error(3 * 1024 * 1024 + 1) == "Tệp lớn hơn 3 MB: hãy chia thành nhiều tệp."


def test_it_refuses_what_calamine_cannot_read_as_a_spreadsheet_error(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    with pytest.raises(SpreadsheetError):
        Reader(path)
    with pytest.raises(SpreadsheetError):
        Reader(tmp_path / "missing.xlsx")
