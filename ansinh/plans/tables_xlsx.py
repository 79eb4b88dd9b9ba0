"""The tables of the plan and the periodic report as .xlsx workbooks (XlsxWriter, through
`ansinh.lib.spreadsheets`).

- `plan_appendix_xlsx(plan)`: the appendix of the plan — the targets of its year split among the
  units below its unit (STT, unit, one column per indicator and part, units of measure in the
  header), the total row, and a note where a split does not add up.
- `report_xlsx(plan, period, unit)`: sheet "Tổng hợp" (one row per indicator for the unit:
  value, source, target, share of the target, same period last year, change), then sheet
  "Chi tiết" with a table per indicator: the unit and each unit below it.

Figures are numbers with number formats ("#,##0", "#,##0.00", "0.0%"): Excel shows them in the
reader's locale — 7.645 and 33,2% in Vietnamese. Headers are plain Vietnamese: the workbook is
a document, whatever the interface language.
"""

from __future__ import annotations

from typing import Any

from ansinh.geo.models import Unit
from ansinh.lib.spreadsheets import Format, Writer

from . import results as results_module
from .documents import SECTOR_TITLES, SOURCE_LABELS, Appendix, appendix, appendix_title, plan_reference
from .models import SECTOR_ORDER, Indicator, Plan
from .periods import Period
from .sentences import to_decimal

BORDER = {"border": 1}
HEADER = {**BORDER, "bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "bg_color": "#EEF1F4"}


def number_format(decimals: int) -> str:
    return "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals


def percent_format(decimals: int) -> str:
    return "0%" if decimals <= 0 else "0." + "0" * decimals + "%"


class _Formats:
    def __init__(self, book: Writer) -> None:
        self.book = book
        self.title = book.format(bold=True, font_size=13, align="center")
        self.subtitle = book.format(bold=True, font_size=12, align="center", text_wrap=True)
        self.italic = book.format(italic=True, align="center")
        self.note = book.format(italic=True, text_wrap=True, valign="top")
        self.header = book.format(**HEADER)
        self.text = book.format(**BORDER, valign="vcenter", text_wrap=True)
        self.part = book.format(**BORDER, valign="vcenter", text_wrap=True, italic=True, indent=1)
        self.centre = book.format(**BORDER, align="center", valign="vcenter")
        self.total_text = book.format(**BORDER, bold=True, align="center", valign="vcenter")
        self.section = book.format(bold=True, font_size=12)

    def number(self, decimals: int, *, bold: bool = False) -> Format:
        return self.book.format(**BORDER, num_format=number_format(decimals), valign="vcenter",
                                **({"bold": True} if bold else {}))

    def percent(self, decimals: int, *, bold: bool = False) -> Format:
        return self.book.format(**BORDER, num_format=percent_format(decimals), valign="vcenter",
                                **({"bold": True} if bold else {}))


def _value(value: Any) -> float | None:
    return None if value is None else float(to_decimal(value))


# --- the plan's appendix ---------------------------------------------------------------------------


def _appendix_sheet(book: Writer, formats: _Formats, plan: Plan, table: Appendix) -> None:
    sheet = book.sheet("Phụ lục")
    sheet.page(landscape=True)
    width = 2 + len(table.columns)
    span = [(1, max(width, 2))]
    sheet.append([("PHỤ LỤC", formats.title)], merge=span)
    sheet.append([(appendix_title(plan), formats.subtitle)], merge=span, height=32)
    sheet.append([(f"(Kèm theo {plan_reference(plan)})", formats.italic)], merge=span)
    sheet.append([])
    top: list[Any] = [("STT", formats.header), (table.unit_header, formats.header)]
    sub: list[Any] = [("", formats.header), ("", formats.header)]
    merges: list[tuple[int, int, int, int]] = [(0, 0, 1, 0), (0, 1, 1, 1)]  # (row, col, last row, last col)
    column = 2
    for indicator, columns in table.groups():
        title = f"{indicator.name} ({indicator.unit_of_measure})"
        if len(columns) == 1 and not columns[0].breakdown:
            top.append((title, formats.header))
            sub.append(("", formats.header))
            merges.append((0, column, 1, column))
        else:
            top += [(title, formats.header)] + [("", formats.header)] * (len(columns) - 1)
            sub += [(item.header, formats.header) for item in columns]
            if len(columns) > 1:
                merges.append((0, column, 0, column + len(columns) - 1))
        column += len(columns)
    first = sheet.append(top, height=48)
    sheet.append(sub, height=32)
    for row, col, last_row, last_col in merges:
        value = top[col][0] if row == 0 else sub[col][0]
        sheet.sheet.merge_range(first - 1 + row, col, first - 1 + last_row, last_col, value, formats.header)
    for number, unit in enumerate(table.units, start=1):
        cells: list[Any] = [(number, formats.centre), (unit.name, formats.text)]
        for item in table.columns:
            cells.append((_value(table.value(unit.pk, item)), formats.number(item.indicator.decimals)))
        sheet.append(cells)
    totals: list[Any] = [("Tổng cộng", formats.total_text), ("", formats.total_text)]
    for item in table.columns:
        totals.append((_value(table.total(item)), formats.number(item.indicator.decimals, bold=True)))
    sheet.append(totals, merge=[(1, 2)])
    if table.notes:
        sheet.append([])
        sheet.append([("Ghi chú:", formats.note)])
        for note in table.notes:
            sheet.append([(f"- {note}", formats.note)], merge=[(1, max(width, 2))], height=32)
    sheet.widths([6, 28, *[16 for _ in table.columns]])
    sheet.freeze(first + 1, 2)
    sheet.print_titles(first)


def plan_appendix_xlsx(plan: Plan) -> bytes:
    """The plan's appendix; a sheet that says so when no target is split among the units below."""
    book = Writer(font="Times New Roman", size=12, constant_memory=False)
    formats = _Formats(book)
    table = appendix(plan)
    if table is None:
        sheet = book.sheet("Phụ lục")
        sheet.append([(appendix_title(plan), formats.subtitle)])
        sheet.append([(f"Kế hoạch {plan.number} chưa phân giao chỉ tiêu cho các đơn vị cấp dưới.", formats.note)])
        sheet.widths([100])
        return book.save()
    _appendix_sheet(book, formats, plan, table)
    return book.save()


# --- the report's tables ---------------------------------------------------------------------------


REPORT_HEADERS = ["Giá trị", "Nguồn số liệu", "Chỉ tiêu kế hoạch", "Tỷ lệ so với kế hoạch", "Cùng kỳ năm trước",
                  "Tăng (+), giảm (-) so với cùng kỳ"]


def _row_cells(figures: results_module.Results, unit_id: int, indicator: Indicator, formats: _Formats,
               percent_decimals: int, breakdown: str = "") -> list[Any]:
    code = indicator.code
    value, target = figures.value(unit_id, code, breakdown), figures.target(unit_id, code, breakdown)
    share = figures.percent(unit_id, code, breakdown)
    previous, change = figures.previous_value(unit_id, code, breakdown), figures.change(unit_id, code, breakdown)
    source = figures.source(unit_id, code)
    number = formats.number(indicator.decimals)
    return [(value, number), (SOURCE_LABELS.get(source, "") if value is not None else "", formats.centre),
            (target, number), (share / 100 if share is not None else None, formats.percent(percent_decimals)),
            (previous, number), (change, number)]


def _reported(figures: results_module.Results, unit: Unit) -> list[Indicator]:
    """Indicators with a figure or a target for the unit or a unit below it, by field and order."""
    ids = [unit.pk, *[node.id for node in figures.child_nodes(unit.pk)]]
    found = [i for i in figures.indicators.values()
             if any(figures.value(n, i.code) is not None or figures.target(n, i.code) is not None for n in ids)]
    return sorted(found, key=lambda i: (SECTOR_ORDER.get(i.sector, 99), i.order, i.code))


def report_xlsx(plan: Plan, period: Period, unit: Unit | None = None,
                figures: results_module.Results | None = None) -> bytes:
    unit = unit or plan.unit
    figures = figures or results_module.compute(unit, period, plan)
    decimals = plan.percent_decimals
    book = Writer(font="Times New Roman", size=12, constant_memory=False)
    formats = _Formats(book)
    indicators = _reported(figures, unit)
    title = f"KẾT QUẢ THỰC HIỆN {period.label_vi().upper()} — {unit.name.upper()}"
    reference = f"Theo {plan_reference(plan)}"
    headers = ["STT", "Chỉ tiêu", "Đơn vị tính", *REPORT_HEADERS]

    summary = book.sheet("Tổng hợp")
    summary.page(landscape=True)
    summary.append([(title, formats.title)], merge=[(1, len(headers))])
    summary.append([(reference, formats.italic)], merge=[(1, len(headers))])
    summary.append([])
    header_row = summary.append([(h, formats.header) for h in headers], height=32)
    number = 0
    sector = None
    for indicator in indicators:
        if indicator.sector != sector:
            sector = indicator.sector
            summary.append([(SECTOR_TITLES.get(sector, sector), formats.section)])
        number += 1
        summary.append([(number, formats.centre), (indicator.name, formats.text),
                        (indicator.unit_of_measure, formats.centre),
                        *_row_cells(figures, unit.pk, indicator, formats, decimals)])
        for breakdown, _value in figures.breakdowns_of(unit.pk, indicator.code):  # "trong đó: nữ 3.899"
            summary.append([("", formats.centre), (f"Trong đó: {indicator.breakdown_name(breakdown)}", formats.part),
                            (indicator.unit_of_measure, formats.centre),
                            *_row_cells(figures, unit.pk, indicator, formats, decimals, breakdown)])
    if not indicators:
        summary.append([(f"Chưa có số liệu {period.label_vi()}.", formats.note)])
    summary.widths([6, 48, 12, 14, 16, 14, 14, 14, 16])
    summary.freeze(header_row, 3)
    summary.print_titles(header_row)

    detail = book.sheet("Chi tiết")
    detail.page(landscape=True)
    unit_headers = ["STT", "Đơn vị", *REPORT_HEADERS]
    detail.append([(title, formats.title)], merge=[(1, len(unit_headers))])
    detail.append([(reference, formats.italic)], merge=[(1, len(unit_headers))])
    children = figures.child_nodes(unit.pk)
    for indicator in indicators:
        detail.append([])
        detail.append([(f"{indicator.name} ({indicator.unit_of_measure})", formats.section)],
                      merge=[(1, len(unit_headers))])
        detail.append([(h, formats.header) for h in unit_headers], height=32)
        detail.append([("", formats.total_text), (unit.name, formats.total_text),
                       *_row_cells(figures, unit.pk, indicator, formats, decimals)])
        for index, node in enumerate(children, start=1):
            detail.append([(index, formats.centre), (node.name, formats.text),
                           *_row_cells(figures, node.id, indicator, formats, decimals)])
    detail.widths([6, 36, 14, 16, 14, 14, 14, 16])
    return book.save()
