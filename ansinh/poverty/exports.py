"""Excel lists of a review round: the poor and near-poor households of a commune or a province.

The lists a commune posts and sends up after the review (Decision 24/2021/QĐ-TTg;
Circular 07/2021/TT-BLĐTBXH, Appendix III: danh sách hộ nghèo, hộ cận nghèo), with Vietnamese
headers, one sheet per commune, a total row and the signer block. Citizen IDs are masked
(Decree 13/2023/NĐ-CP: a list only needs the last digits to tell people apart).

Set-based: one query reads every row (the head's citizen ID by a correlated subquery), one reads
the communes; the reasons are derived from the stored figures a chunk of rows at a time (they are
not stored); the workbook is written by `ansinh.lib.spreadsheets` (XlsxWriter, constant memory).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched, groupby
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from ansinh.documents.national import MOTTO, NATIONAL_TITLE
from ansinh.geo.models import Kind, Level, Unit
from ansinh.households.models import Member, Relation
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.ethnicity import ethnicity_name
from ansinh.lib.spreadsheets import SHEET_NAME_LIMIT, Format, SheetWriter, Writer

from . import engine
from .models import Assessment, PovertyStatus, ReviewRound, RoundKind

TITLES = {PovertyStatus.POOR: "DANH SÁCH HỘ NGHÈO", PovertyStatus.NEAR_POOR: "DANH SÁCH HỘ CẬN NGHÈO"}
SLUGS = {PovertyStatus.POOR: "ho-ngheo", PovertyStatus.NEAR_POOR: "ho-can-ngheo"}
COLUMNS = [
    ("STT", 6), ("Mã hộ", 14), ("Họ và tên chủ hộ", 24), ("Số định danh", 15), ("Dân tộc", 10), ("Thôn/ấp", 16),
    ("Địa chỉ", 28), ("Khu vực", 11), ("Số nhân khẩu", 10), ("Thu nhập BQ/người/tháng", 15),
    ("Số chỉ số thiếu hụt", 11), ("Các chỉ số thiếu hụt", 40), ("Lý do", 60),
]
SUMMARY_COLUMNS = [("STT", 6), ("Mã xã", 10), ("Xã, phường, đặc khu", 30), ("Số hộ", 12), ("Số nhân khẩu", 14)]
AREA_NAMES = {"urban": "Thành thị", "rural": "Nông thôn"}
COUNCIL = {Kind.XA: "XÃ", Kind.PHUONG: "PHƯỜNG", Kind.THI_TRAN: "THỊ TRẤN", Kind.DAC_KHU: "ĐẶC KHU"}
NUMBER = "#,##0"
BORDER = {"border": 1, "border_color": "#808080"}  # thin, grey


@dataclass(frozen=True)
class ListFile:
    content: bytes
    rows: int
    filename: str


class _Styles:
    def __init__(self, workbook: Writer) -> None:
        add = workbook.format
        self.title = add(bold=True, font_size=14, align="center")
        self.bold_centre = add(bold=True, align="center", valign="vcenter", text_wrap=True)
        self.centre = add(align="center", text_wrap=True)
        self.italic_centre = add(italic=True, align="center")
        self.header = add(bold=True, bg_color="#DDEBF7", **BORDER, align="center", valign="vcenter", text_wrap=True)
        self.box = add(**BORDER, valign="top")
        self.box_wrap = add(**BORDER, valign="top", text_wrap=True)
        self.box_number = add(**BORDER, valign="top", num_format=NUMBER)
        self.total = add(bold=True, **BORDER)
        self.total_number = add(bold=True, **BORDER, num_format=NUMBER)


class Sheet:
    """A sheet of a list and its number of columns (the lines above the table span them)."""

    def __init__(self, workbook: Writer, name: str, widths: list[float], *, freeze_below: int,
                 landscape: bool = True) -> None:
        self.out: SheetWriter = workbook.sheet(name)
        self.width = len(widths)
        self.out.widths(widths)
        self.out.freeze(freeze_below)
        self.out.page(landscape=landscape)


def _line(sheet: Sheet, value: str, style: Format, first: int, last: int) -> None:
    """A line of text across columns first..last (1-based)."""
    sheet.out.append([None] * (first - 1) + [(value, style)], merge=[(first, last)])


def _pair(sheet: Sheet, left: str, right: str, style: Format) -> None:
    half = sheet.width // 2
    sheet.out.append([(left, style)] + [None] * (half - 1) + [(right, style)],
                     merge=[(1, half), (half + 1, sheet.width)])


def _heading(sheet: Sheet, styles: _Styles, council: str, title: str, lines: list[str]) -> None:
    """Council and national motto, title, `lines`, a blank row, then the column headers (frozen)."""
    width = sheet.width
    _pair(sheet, council, NATIONAL_TITLE, styles.bold_centre)
    _line(sheet, MOTTO, styles.bold_centre, width // 2 + 1, width)
    sheet.out.append([])
    _line(sheet, title, styles.title, 1, width)
    for line in lines:
        _line(sheet, line, styles.centre, 1, width)
    sheet.out.append([])


def _header(sheet: Sheet, styles: _Styles, titles: list[str]) -> None:
    row = sheet.out.append([(title, styles.header) for title in titles], height=32)
    sheet.out.print_titles(row)


def _signers(sheet: Sheet, styles: _Styles, place: str, left: str, right: str, year: int) -> None:
    """The place and date line, then who prepared the list and who signs it."""
    width = sheet.width
    sheet.out.append([])
    _line(sheet, f"{place}, ngày …… tháng …… năm {year}", styles.italic_centre, width // 2 + 1, width)
    _pair(sheet, left, right, styles.bold_centre)
    _pair(sheet, "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)", styles.italic_centre)


def _sheet_names(communes: list[Unit]) -> dict[int, str]:
    """Sheet names from the communes' names: at most 31 characters, no []:*?/\\, unique."""
    names: dict[int, str] = {}
    used: set[str] = set()
    for commune in communes:
        base = re.sub(r"[\[\]:*?/\\]", " ", commune.name).strip()[:SHEET_NAME_LIMIT] or commune.code
        name, number = base, 2
        while name.casefold() in used:
            suffix = f" ({number})"
            name = base[:SHEET_NAME_LIMIT - len(suffix)] + suffix
            number += 1
        used.add(name.casefold())
        names[commune.pk] = name
    return names


def _period(round: ReviewRound) -> str:
    if round.kind == RoundKind.REGULAR and round.month:
        return f"THÁNG {round.month:02d} NĂM {round.year}"
    return f"NĂM {round.year}"


CHUNK = 5_000  # rows read per fetch, and given their reasons together


def _rows(round: ReviewRound, spec: engine.StandardSpec, assessments: QuerySet[Assessment], status: str,
          unit: Unit) -> Iterator[tuple[Any, ...]]:
    """The list's rows, the reason last: computed per chunk of rows from the stored figures
    (`engine.stored_reasons`, the sentence halves once per distinct case)."""
    head_id = Member.objects.filter(household=OuterRef("household_id"), relation=Relation.HEAD,
                                    died_on__isnull=True, left_on__isnull=True).order_by("pk").values("citizen_id")[:1]
    found = (assessments.filter(round=round, status=status, commune__in=Unit.objects.subtree(unit).values("pk"))
             .annotate(head_citizen_id=Subquery(head_id))
             .order_by("commune__sort_key", "commune__code", "household__sort_key", "household__code")
             .values_list("commune_id", "household__code", "household__head_name", "head_citizen_id",
                          "head_ethnicity", "hamlet__name", "household__address", "area", "size",
                          "income_per_capita", "deprivation_count", "deprivations"))
    for chunk in batched(found.iterator(chunk_size=CHUNK), CHUNK):
        why = engine.stored_reasons(spec, area=[row[7] for row in chunk], income=[row[9] for row in chunk],
                                    mask=[row[11] for row in chunk], status=[status] * len(chunk))
        for row, text in zip(chunk, why, strict=True):
            yield (*row, text)


def household_list_file(*, round: ReviewRound, assessments: QuerySet[Assessment], status: str,
                        unit: Unit) -> ListFile:
    """The list of `status` households of `unit` in `round`, from `assessments` (already scoped
    by `ansinh.poverty.access.assessments_for_user`). A province gets a summary sheet and one
    sheet per commune with households; a commune, its own sheet."""
    if status not in TITLES:
        raise ValueError(f"status must be one of {sorted(TITLES)}")
    standard = round.standard
    spec = engine.spec_for(standard)
    indicators = [indicator.name for indicator in spec.indicators]
    deprivation_names: dict[int, str] = {}

    def names(mask: int) -> str:
        if mask not in deprivation_names:
            deprivation_names[mask] = "; ".join(name for i, name in enumerate(indicators) if mask >> i & 1)
        return deprivation_names[mask]

    workbook = Writer(font="Times New Roman", size=12)
    styles = _Styles(workbook)
    title = f"{TITLES[PovertyStatus(status)]} {_period(round)}"
    standard_line = f"Chuẩn áp dụng: {standard.name} ({standard.basis})"
    groups = [(commune_id, list(rows)) for commune_id, rows in
              groupby(_rows(round, spec, assessments, status, unit), key=lambda row: row[0])]
    communes = Unit.objects.select_related("parent").in_bulk([commune_id for commune_id, _ in groups])
    sheet_names = _sheet_names([communes[commune_id] for commune_id, _ in groups])
    if unit.level != Level.COMMUNE:
        _summary(workbook, styles, title, standard_line, unit, [(communes[c], rows) for c, rows in groups], round.year)
    elif not groups:
        _commune_sheet(workbook, styles, _sheet_names([unit])[unit.pk], title, standard_line, unit, [], names,
                       round.year)
    for commune_id, rows in groups:
        _commune_sheet(workbook, styles, sheet_names[commune_id], title, standard_line, communes[commune_id], rows,
                       names, round.year)
    filename = f"danh-sach-{SLUGS[PovertyStatus(status)]}-{round.year}-{unit.code}.xlsx"
    return ListFile(content=workbook.save(), rows=sum(len(rows) for _, rows in groups), filename=filename)


def household_list_xlsx(*, round: ReviewRound, assessments: QuerySet[Assessment], status: str, unit: Unit) -> bytes:
    return household_list_file(round=round, assessments=assessments, status=status, unit=unit).content


def _place(unit: Unit) -> str:
    """"Xã Trà Cú, tỉnh Vĩnh Long" (the current map has no districts)."""
    parent = unit.parent if unit.level == Level.COMMUNE else None
    if parent is None:
        return unit.name
    return f"{unit.name}, {parent.name[0].lower()}{parent.name[1:]}"


def _short_name(unit: Unit) -> str:
    """"Xã Trà Cú" -> "Trà Cú", for the place-and-date line."""
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "Tỉnh ", "Thành phố "):
        if unit.name.startswith(prefix):
            return unit.name[len(prefix):]
    return unit.name


def _commune_sheet(workbook: Writer, styles: _Styles, name: str, title: str, standard_line: str, commune: Unit,
                   rows: list[tuple[Any, ...]], names: Callable[[int], str], year: int) -> None:
    lines = [_place(commune), standard_line]
    sheet = Sheet(workbook, name, [width for _, width in COLUMNS], freeze_below=len(lines) + 6)
    _heading(sheet, styles, f"UBND {commune.name.upper()}", title, lines)
    _header(sheet, styles, [header for header, _ in COLUMNS])
    box, wrap, number = styles.box, styles.box_wrap, styles.box_number
    people = 0
    append = sheet.out.append
    for index, (_, code, head, citizen_id, ethnicity, hamlet, address, area, size, income, count, mask,
                why) in enumerate(rows, start=1):
        people += size
        append([
            (index, box), (code, box), (head, wrap), (mask_citizen_id(citizen_id) if citizen_id else "", box),
            (ethnicity_name(ethnicity), box), (hamlet or "", wrap), (address, wrap),
            (AREA_NAMES.get(area, area), box), (size, box),
            (int(income) if isinstance(income, Decimal) else income, number), (count, box),
            (names(mask), wrap), (why, wrap),
        ])
    if not rows:
        _line(sheet, "Không có hộ nào.", styles.centre, 1, len(COLUMNS))
    sheet.out.append([("Tổng cộng", styles.total), ("", styles.total), (f"{len(rows):,} hộ".replace(",", "."),
                                                                       styles.total)]
                     + [("", box)] * 5 + [(people, styles.total_number)] + [("", box)] * 4, merge=[(1, 2)])
    council = COUNCIL.get(Kind(commune.kind), "XÃ") if commune.level == Level.COMMUNE else ""
    _signers(sheet, styles, _short_name(commune), "NGƯỜI LẬP BIỂU", f"CHỦ TỊCH UBND {council}".strip(), year)


def _summary(workbook: Writer, styles: _Styles, title: str, standard_line: str, unit: Unit,
             groups: list[tuple[Unit, list[tuple[Any, ...]]]], year: int) -> None:
    lines = [unit.name, standard_line]
    sheet = Sheet(workbook, "Tổng hợp", [width for _, width in SUMMARY_COLUMNS], freeze_below=len(lines) + 6,
                  landscape=False)
    _heading(sheet, styles, f"UBND {unit.name.upper()}", f"{title} — TỔNG HỢP", lines)
    _header(sheet, styles, [header for header, _ in SUMMARY_COLUMNS])
    box, number = styles.box, styles.box_number
    households = people = 0
    for index, (commune, rows) in enumerate(groups, start=1):
        size = sum(row[8] for row in rows)
        households += len(rows)
        people += size
        sheet.out.append([(index, box), (commune.code, box), (commune.name, box), (len(rows), number), (size, number)])
    if not groups:
        _line(sheet, "Không có hộ nào.", styles.centre, 1, len(SUMMARY_COLUMNS))
    sheet.out.append([("Tổng cộng", styles.total), ("", styles.total), ("", styles.total),
                      (households, styles.total_number), (people, styles.total_number)], merge=[(1, 2)])
    _signers(sheet, styles, _short_name(unit), "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", year)
