"""The summary tables of a review round as one Excel workbook, the way a department files them.

Sheets: "Tổng hợp" (households, poor and near-poor with rates, Khmer and other minorities, poor
households without working capacity, with a meritorious member, under social protection),
"Chỉ số thiếu hụt" (households deprived in each indicator of the standard), "Biến động" (changes
against the previous round) and "Nhu cầu hỗ trợ" (the support needs counted in seed 000).
Each sheet has a title with the year, unit and standard, one header row (frozen), a total row,
number formats (Excel shows them in the reader's locale: 7.645 and 21,3% in Vietnamese) and
column widths. Written by `ansinh.lib.spreadsheets` in constant memory, so memory stays flat
for any number of rows. Headers are plain Vietnamese: the workbook is a document, whatever the UI language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from ansinh.lib.spreadsheets import SheetWriter, Writer

from .engine import StandardSpec
from .figures import Row
from .models import ReviewRound, RoundKind

INTEGER = "#,##0"
PERCENT = "0.0%"
TITLE_ROWS = 4  # title, unit and standard, reference date and status, blank
HEADER_ROW = TITLE_ROWS + 1

TRANSITION_HEADERS = {
    "escaped_poverty": "Thoát nghèo",
    "poor_to_near_poor": "Từ nghèo xuống cận nghèo",
    "escaped_near_poverty": "Thoát cận nghèo",
    "new_poor": "Nghèo phát sinh",
    "re_poor": "Tái nghèo",
    "near_poor_to_poor": "Từ cận nghèo thành nghèo",
    "new_near_poor": "Cận nghèo phát sinh",
    "still_poor": "Vẫn nghèo",
    "still_near_poor": "Vẫn cận nghèo",
    "unchanged": "Không nghèo, không cận nghèo",
}
NEED_HEADERS = {
    "needs_credit": "Cần vay vốn tín dụng ưu đãi",
    "needs_housing": "Cần hỗ trợ nhà ở",
    "needs_water": "Cần hỗ trợ nước sạch",
    "needs_latrine": "Cần hỗ trợ nhà tiêu hợp vệ sinh",
    "needs_training": "Cần hỗ trợ đào tạo nghề",
    "needs_job": "Cần hỗ trợ kết nối việc làm",
    "needs_monthly_support": "Cần trợ cấp, hỗ trợ hằng tháng",
}

_BORDER = {"border": 1, "border_color": "#B0B7C0"}  # thin


def round_title_vi(round_: ReviewRound) -> str:
    if round_.kind == RoundKind.REGULAR:
        return f"rà soát thường xuyên tháng {round_.month:02d}/{round_.year}"
    return f"rà soát định kỳ năm {round_.year}"


def _rate(part: int, whole: int) -> float:
    """A share as a fraction, for Excel's percent format (0,213 shows as 21,3%)."""
    return part / whole if whole else 0.0


# A column: header, width, number format, and how to read its value from a row.
Column = tuple[str, float, str | None, Callable[[Row], Any]]


def _deprived_count(i: int) -> Callable[[Row], Any]:
    return lambda r: r.deprived[i] if r.deprived else 0


def _deprived_rate(i: int) -> Callable[[Row], Any]:
    return lambda r: _rate(r.deprived[i], r.households) if r.deprived else 0.0


def _transition(key: str) -> Callable[[Row], Any]:
    return lambda r: r.transitions.get(key, 0)


def _need(key: str) -> Callable[[Row], Any]:
    return lambda r: r.needs.get(key, 0)


def _unit_header(by: str) -> str:
    return "Thôn, ấp, khu phố" if by == "hamlet" else "Xã, phường, đặc khu"


def _unit_name(row: Row, by: str) -> str:
    if row.unit_id is None and by == "hamlet":
        return "Chưa gắn thôn, ấp"
    return row.name


def _sheet(workbook: Writer, *, name: str, title: str, subtitle: list[str], columns: Sequence[Column],
           rows: list[Row], total: Row, by: str) -> SheetWriter:
    sheet = workbook.sheet(name)
    sheet.widths([6, 32, *[c[1] for c in columns]])
    sheet.freeze(HEADER_ROW, 2)  # headers and unit names stay in view
    sheet.append([(title.upper(), workbook.format(bold=True, font_size=13))])
    for note in subtitle:
        sheet.append([note])
    for _ in range(TITLE_ROWS - 1 - len(subtitle)):
        sheet.append([])
    header = workbook.format(bold=True, bg_color="#EEF2F6", **_BORDER, text_wrap=True, valign="vcenter",
                             align="center")
    sheet.append([(label, header) for label in ["STT", _unit_header(by), *[c[0] for c in columns]]], height=45)

    def formats(bold: bool) -> list[Any]:
        """The format of each cell of a body row (bold and shaded for the total)."""
        extra: dict[str, Any] = {"bold": True, "bg_color": "#F7F7F7"} if bold else {}
        return [workbook.format(**_BORDER, **extra), workbook.format(**_BORDER, **extra),
                *[workbook.format(**_BORDER, **extra, **({"num_format": fmt} if fmt else {}))
                  for _header, _width, fmt, _value in columns]]

    def body_row(number: Any, label: str, row: Row, cell_formats: list[Any]) -> list[Any]:
        values = [number, label, *[value(row) for _header, _width, _fmt, value in columns]]
        return list(zip(values, cell_formats, strict=True))

    plain = formats(bold=False)
    for number, row in enumerate(rows, start=1):
        sheet.append(body_row(number, _unit_name(row, by), row, plain))
    sheet.append(body_row(None, "Tổng cộng", total, formats(bold=True)))
    return sheet


def build(*, round_title: str, unit_label: str, standard: StandardSpec, reference_date: dt.date, locked: bool,
          decision: str, rows: list[Row], total: Row, by: str = "commune") -> bytes:
    """The workbook of a round's summary tables, as bytes (rows and total from figures.summary)."""
    workbook = Writer()
    status = f"đã quyết định ({decision}), số liệu đã khóa" if locked else "đang rà soát, số liệu chưa khóa"
    subtitle = [
        f"Đơn vị: {unit_label}. Chuẩn áp dụng: {standard.name} ({standard.basis})"
        + (" — tạm thời, chưa đối chiếu được văn bản gốc" if standard.provisional else ""),
        f"Thời điểm tính: {reference_date:%d/%m/%Y}. Tình trạng: {status}.",
    ]

    summary: list[Column] = [
        ("Tổng số hộ", 12, INTEGER, lambda r: r.households),
        ("Số hộ nghèo", 11, INTEGER, lambda r: r.poor),
        ("Tỷ lệ hộ nghèo", 10, PERCENT, lambda r: _rate(r.poor, r.households)),
        ("Số hộ cận nghèo", 11, INTEGER, lambda r: r.near_poor),
        ("Tỷ lệ hộ cận nghèo", 10, PERCENT, lambda r: _rate(r.near_poor, r.households)),
        ("Số hộ Khmer", 11, INTEGER, lambda r: r.khmer),
        ("Hộ nghèo Khmer", 11, INTEGER, lambda r: r.khmer_poor),
        ("Tỷ lệ hộ nghèo Khmer (trên số hộ Khmer)", 13, PERCENT, lambda r: _rate(r.khmer_poor, r.khmer)),
        ("Hộ cận nghèo Khmer", 11, INTEGER, lambda r: r.khmer_near_poor),
        ("Tỷ lệ hộ cận nghèo Khmer (trên số hộ Khmer)", 13, PERCENT,
         lambda r: _rate(r.khmer_near_poor, r.khmer)),
        ("Hộ nghèo dân tộc thiểu số khác", 12, INTEGER, lambda r: r.minority_poor - r.khmer_poor),
        ("Hộ cận nghèo dân tộc thiểu số khác", 12, INTEGER, lambda r: r.minority_near_poor - r.khmer_near_poor),
        ("Hộ nghèo không có khả năng lao động", 13, INTEGER, lambda r: r.poor_no_working_capacity),
        ("Hộ nghèo có thành viên là người có công", 13, INTEGER, lambda r: r.poor_meritorious),
        ("Hộ nghèo có thành viên hưởng trợ cấp xã hội hằng tháng", 14, INTEGER,
         lambda r: r.poor_social_protection),
    ]
    _sheet(workbook, name="Tổng hợp", title=f"Tổng hợp kết quả {round_title} — {unit_label}", subtitle=subtitle,
           columns=summary, rows=rows, total=total, by=by)

    deprived: list[Column] = [("Tổng số hộ", 12, INTEGER, lambda r: r.households)]
    for i, indicator in enumerate(standard.indicators):
        deprived.append((f"{indicator.name}: số hộ thiếu hụt", 14, INTEGER, _deprived_count(i)))
        deprived.append((f"{indicator.name}: tỷ lệ", 11, PERCENT, _deprived_rate(i)))
    _sheet(workbook, name="Chỉ số thiếu hụt", title=f"Hộ thiếu hụt các chỉ số dịch vụ xã hội cơ bản — {round_title} — {unit_label}",
           subtitle=subtitle, columns=deprived, rows=rows, total=total, by=by)

    changes: list[Column] = [(header, 12, INTEGER, _transition(key)) for key, header in TRANSITION_HEADERS.items()]
    _sheet(workbook, name="Biến động", title=f"Biến động hộ nghèo, hộ cận nghèo so với kỳ trước — {round_title} — {unit_label}",
           subtitle=subtitle, columns=changes, rows=rows, total=total, by=by)

    needs: list[Column] = [
        ("Số hộ nghèo", 11, INTEGER, lambda r: r.poor),
        ("Số hộ cận nghèo", 11, INTEGER, lambda r: r.near_poor),
        *[(header, 14, INTEGER, _need(key)) for key, header in NEED_HEADERS.items()],
    ]
    _sheet(workbook, name="Nhu cầu hỗ trợ",
           title=f"Nhu cầu hỗ trợ của hộ nghèo, hộ cận nghèo — {round_title} — {unit_label}",
           subtitle=[*subtitle[:1], "Số hộ nghèo và hộ cận nghèo có nhu cầu, theo phiếu rà soát."],
           columns=needs, rows=rows, total=total, by=by)

    return workbook.save()
