"""Signed payment lists of payrolls and packages, per commune and per hamlet, as .xlsx and .docx.

The layout is that of the lists the offices sign (docs/payments-dedup-sources.md §3.2): the
heading of Decree 30/2020/NĐ-CP (the issuing body | "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", the
motto), the title ("DANH SÁCH CHI TRẢ TRỢ CẤP … THÁNG mm/yyyy"), one row per line (STT, the line
code the paying agent returns in its result file, name, birth year, citizen ID, hamlet, what is
paid and why, amount, a signature column), the totals in figures and in words ("Bằng chữ: …",
Law on Accounting 88/2015/QH13 Art. 16(1)), and the three signers of the Treasury's payment
table (Decree 11/2020/NĐ-CP, form 09): Người lập bảng, Kế toán trưởng, Thủ trưởng đơn vị.

Citizen IDs are printed in full only for those who pay the lines (`access.may_see_personal`),
masked for the others. Every export is audited (PAYROLL_EXPORT, PACKAGE_EXPORT). The workbook is
written in constant memory, row by row from a streamed query.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Length, Mm
from docx.table import Table, _Cell

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.benefits.models import Scheme
from ansinh.documents import layout
from ansinh.documents.national import MOTTO, NATIONAL_TITLE
from ansinh.geo.models import Kind, Level, Unit
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.spreadsheets import Writer
from ansinh.lib.vietnamese import format_number
from ansinh.lib.vn_words import amount_in_words

from . import access
from .models import Funding, Package, PackageLine, PayField, PayLineKind, Payroll, PayrollLine
from .results import line_code

SIGNERS = (("NGƯỜI LẬP BẢNG", "(Ký, ghi rõ họ tên)"), ("KẾ TOÁN TRƯỞNG", "(Ký, ghi rõ họ tên)"),
           ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)"))
COUNCIL = {Kind.XA: "XÃ", Kind.PHUONG: "PHƯỜNG", Kind.THI_TRAN: "THỊ TRẤN", Kind.DAC_KHU: "ĐẶC KHU"}
SCHEME_NAMES: dict[str, str] = {Scheme.SOCIAL_ASSISTANCE: "Trợ cấp xã hội", Scheme.SOCIAL_PENSION: "Trợ cấp hưu trí xã hội",
                Scheme.MERITORIOUS: "Trợ cấp ưu đãi người có công"}
KIND_NAMES: dict[str, str] = {PayLineKind.MONTH: "", PayLineKind.ARREARS: "Truy lĩnh", PayLineKind.CARRIED: "Chưa nhận kỳ trước",
              PayLineKind.RECOVERY: "Thu hồi"}
FIELD_TITLES: dict[str, str] = {PayField.SOCIAL_ASSISTANCE: "TRỢ CẤP XÃ HỘI, TRỢ CẤP HƯU TRÍ XÃ HỘI HẰNG THÁNG",
                PayField.MERITORIOUS: "TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG HẰNG THÁNG"}
FUNDING_SHORT: dict[str, str] = {Funding.CENTRAL: "Trung ương", Funding.LOCAL: "Địa phương", Funding.SOCIALISED: "Xã hội hóa"}
NUMBER = "#,##0"
BORDER = {"border": 1, "border_color": "#808080"}
CHUNK = 2_000


@dataclass
class ListData:
    """What both formats print."""

    issuing_body: str
    parent_body: str
    title: str
    lines: list[str]
    place: str
    year: int
    headers: list[tuple[str, float]]  # (header, width in characters)
    amount_column: int  # 0-based
    rows: Iterator[list[Any]]
    totals: dict[str, int] = field(default_factory=dict)  # filled while rows are read
    extra_totals: list[tuple[str, int]] = field(default_factory=list)  # filled while rows are read


# --- What both lists share ---------------------------------------------------------------------


def _short_name(unit: Unit) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "Tỉnh ", "Thành phố "):
        if unit.name.startswith(prefix):
            return unit.name[len(prefix):]
    return unit.name


def _bodies(unit: Unit) -> tuple[str, str]:
    """(parent body, issuing body): "UBND TỈNH VĨNH LONG", "UBND XÃ TRÀ CÚ"."""
    issuing = f"UBND {unit.name.upper()}"
    parent = unit.parent if unit.level >= Level.COMMUNE else None
    return (f"UBND {parent.name.upper()}" if parent is not None else "", issuing)


def _id_text(number: str | None, full: bool) -> str:
    if not number:
        return ""
    return number if full else mask_citizen_id(number)


def _money(value: int) -> str:
    return f"{format_number(value)} đồng"


# --- Payrolls ------------------------------------------------------------------------------------

PAYROLL_HEADERS: list[tuple[str, float]] = [("STT", 5), ("Mã dòng", 10), ("Họ và tên", 24), ("Năm sinh", 7), ("Số định danh", 14),
                   ("Thôn, ấp", 14), ("Chế độ, căn cứ", 38), ("Số tiền (đồng)", 13), ("Ký nhận", 16)]


def _payroll_lines(payroll: Payroll, hamlet: Unit | None) -> QuerySet[PayrollLine]:
    lines = PayrollLine.objects.filter(payroll=payroll)
    if hamlet is not None:
        lines = lines.filter(hamlet=hamlet)
    return lines.order_by("hamlet__name", "person__search_name", "person_id", "scheme", "for_month", "kind")


def _payroll_data(payroll: Payroll, hamlet: Unit | None, user: Any) -> ListData:
    commune = payroll.commune
    full = access.may_see_personal(user, commune, payroll.field)
    parent, issuing = _bodies(commune)
    month = f"{payroll.month.month:02d}/{payroll.month.year}"
    title = f"DANH SÁCH CHI TRẢ {FIELD_TITLES.get(payroll.field, 'TRỢ CẤP')} THÁNG {month}"
    if payroll.sequence > 1:
        title += f" (BỔ SUNG LẦN {payroll.sequence - 1})"
    lines = [commune.name + (f" – {hamlet.name}" if hamlet is not None else "")]
    data = ListData(issuing_body=issuing, parent_body=parent, title=title, lines=lines, place=_short_name(commune),
                    year=payroll.month.year, headers=PAYROLL_HEADERS, amount_column=7, rows=iter(()))

    def rows() -> Iterator[list[Any]]:
        pay = recover = count = 0
        people: set[int] = set()
        query = _payroll_lines(payroll, hamlet).values_list(
            "pk", "person_id", "person__full_name", "person__birth_date", "person__citizen_id", "hamlet__name",
            "scheme", "kind", "for_month", "basis__rule", "amount")
        for index, (pk, person, name, born, citizen_id, hamlet_name, scheme, kind, for_month, rule,
                    amount) in enumerate(query.iterator(chunk_size=CHUNK), start=1):
            what = [SCHEME_NAMES.get(scheme, scheme)]
            if KIND_NAMES.get(kind):
                what.append(f"{KIND_NAMES[kind]} tháng {for_month.month:02d}/{for_month.year}")
            if rule:
                what.append(rule)
            people.add(person)
            count += 1
            if amount < 0:
                recover += amount
            else:
                pay += amount
            yield [index, f"L{pk}", name, born.year if born else "", _id_text(citizen_id, full), hamlet_name or "",
                   "; ".join(what), amount, ""]
        data.totals.update({"lines": count, "people": len(people), "pay": pay, "recover": recover})
        if recover:
            data.extra_totals.append(("Thu hồi (không trừ vào số tiền chi trả)", recover))

    data.rows = rows()
    return data


def _audit_export(*, user: Any, action: str, obj: Payroll | Package, unit: Unit, fmt: str, hamlet: Unit | None,
                  commune: Unit | None, data: ListData, full: bool) -> None:
    with transaction.atomic():
        audit.record(actor=Actor(user=user) if not isinstance(user, Actor) else user, action=action, obj=obj,
                     unit=unit, after={"format": fmt, "hamlet": hamlet.pk if hamlet else None,
                                       "commune": commune.pk if commune else None,
                                       "rows": data.totals.get("lines", 0), "citizen_ids": "full" if full else
                                       "masked"})


def payroll_xlsx(payroll: Payroll, *, hamlet: Unit | None = None, user: Any) -> bytes:
    """The signed list of a payroll (or of one of its hamlets) as a workbook."""
    data = _payroll_data(payroll, hamlet, user)
    content = _xlsx(data)
    _audit_export(user=user, action=AuditAction.PAYROLL_EXPORT, obj=payroll, unit=payroll.commune, fmt="xlsx",
                  hamlet=hamlet, commune=None, data=data,
                  full=access.may_see_personal(user, payroll.commune, payroll.field))
    return content


def payroll_docx(payroll: Payroll, *, hamlet: Unit | None = None, user: Any) -> bytes:
    """The signed list of a payroll (or of one of its hamlets) as a Word document."""
    data = _payroll_data(payroll, hamlet, user)
    content = _docx(data)
    _audit_export(user=user, action=AuditAction.PAYROLL_EXPORT, obj=payroll, unit=payroll.commune, fmt="docx",
                  hamlet=hamlet, commune=None, data=data,
                  full=access.may_see_personal(user, payroll.commune, payroll.field))
    return content


# --- Packages ------------------------------------------------------------------------------------

PACKAGE_HEADERS: list[tuple[str, float]] = [("STT", 5), ("Mã dòng", 10), ("Họ và tên", 24), ("Năm sinh", 7), ("Số định danh", 14),
                   ("Hộ, người", 14), ("Thôn, ấp", 14), ("Mức hỗ trợ", 22), ("Nguồn kinh phí", 20),
                   ("Số tiền (đồng)", 13), ("Ký nhận", 16)]


def _package_lines(package: Package, commune: Unit | None, hamlet: Unit | None, user: Any) -> QuerySet[PackageLine]:
    lines = PackageLine.objects.filter(package=package)
    if commune is not None:
        lines = lines.filter(commune=commune)
    if hamlet is not None:
        lines = lines.filter(hamlet=hamlet)
    if user is not None and not isinstance(user, Actor):
        lines = lines.filter(pk__in=access.package_lines_for_user(user).filter(package=package).values("pk"))
    return lines.order_by("commune__sort_key", "hamlet__name", "pk")


def _package_data(package: Package, commune: Unit | None, hamlet: Unit | None, user: Any) -> ListData:
    unit = commune or (hamlet.parent if hamlet is not None and hamlet.parent else None) or package.unit
    full = access.may_see_personal(user, unit, package.field)
    parent, issuing = _bodies(unit)
    title = f"DANH SÁCH CHI TRẢ {package.name.upper()}"
    lines = [unit.name + (f" – {hamlet.name}" if hamlet is not None else "")]
    if package.legal_basis:
        lines.append(f"(Căn cứ {package.legal_basis})")
    data = ListData(issuing_body=issuing, parent_body=parent, title=title, lines=lines, place=_short_name(unit),
                    year=package.on.year, headers=PACKAGE_HEADERS, amount_column=9, rows=iter(()))

    def rows() -> Iterator[list[Any]]:
        total = count = 0
        funds = {Funding.CENTRAL: 0, Funding.LOCAL: 0, Funding.SOCIALISED: 0}
        query = _package_lines(package, commune, hamlet, user).values_list(
            "pk", "per", "person__full_name", "person__birth_date", "person__citizen_id", "household__code",
            "household__head_name", "hamlet__name", "tier__name", "central", "local", "socialised", "amount")
        for index, (pk, per, name, born, citizen_id, household, head, hamlet_name, tier, central, local, socialised,
                    amount) in enumerate(query.iterator(chunk_size=CHUNK), start=1):
            count += 1
            total += amount
            funds[Funding.CENTRAL] += central
            funds[Funding.LOCAL] += local
            funds[Funding.SOCIALISED] += socialised
            sources = "; ".join(f"{FUNDING_SHORT[key]} {format_number(value)}" for key, value in
                                ((Funding.CENTRAL, central), (Funding.LOCAL, local), (Funding.SOCIALISED, socialised))
                                if value)
            who = f"Hộ {household}" if per == "household" and household else "Cá nhân"
            yield [index, f"G{pk}", name or head or "", born.year if born else "", _id_text(citizen_id, full), who,
                   hamlet_name or "", tier, sources, amount, ""]
        data.totals.update({"lines": count, "pay": total, "recover": 0})
        for key, value in funds.items():
            if value:
                data.extra_totals.append((f"Trong đó: {FUNDING_SHORT[key]}", value))

    data.rows = rows()
    return data


def package_xlsx(package: Package, *, commune: Unit | None = None, hamlet: Unit | None = None, user: Any) -> bytes:
    """The signed list of a package (of a commune, or a hamlet) as a workbook."""
    data = _package_data(package, commune, hamlet, user)
    content = _xlsx(data)
    _audit_export(user=user, action=AuditAction.PACKAGE_EXPORT, obj=package, unit=commune or package.unit,
                  fmt="xlsx", hamlet=hamlet, commune=commune, data=data,
                  full=access.may_see_personal(user, commune or package.unit, package.field))
    return content


def package_docx(package: Package, *, commune: Unit | None = None, hamlet: Unit | None = None, user: Any) -> bytes:
    """The signed list of a package (of a commune, or a hamlet) as a Word document."""
    data = _package_data(package, commune, hamlet, user)
    content = _docx(data)
    _audit_export(user=user, action=AuditAction.PACKAGE_EXPORT, obj=package, unit=commune or package.unit,
                  fmt="docx", hamlet=hamlet, commune=commune, data=data,
                  full=access.may_see_personal(user, commune or package.unit, package.field))
    return content


# --- The workbook --------------------------------------------------------------------------------


def _xlsx(data: ListData) -> bytes:
    with translation.override("vi"):
        book = Writer()
        add = book.format
        bold_centre = add(bold=True, align="center", valign="vcenter", text_wrap=True)
        centre = add(align="center", text_wrap=True)
        italic_centre = add(italic=True, align="center")
        title_style = add(bold=True, font_size=14, align="center", text_wrap=True)
        header = add(bold=True, bg_color="#DDEBF7", **BORDER, align="center", valign="vcenter", text_wrap=True)
        box = add(**BORDER, valign="top")
        wrap = add(**BORDER, valign="top", text_wrap=True)
        number = add(**BORDER, valign="top", num_format=NUMBER)
        total = add(bold=True, **BORDER)
        total_number = add(bold=True, **BORDER, num_format=NUMBER)
        words = add(italic=True)
        sheet = book.sheet("Danh sách")
        width = len(data.headers)
        half = width // 2
        sheet.widths([w for _, w in data.headers])
        sheet.page(landscape=True)

        def line(text: str, style: Any, first: int = 1, last: int = width) -> None:
            sheet.append([None] * (first - 1) + [(text, style)], merge=[(first, last)])

        sheet.append([(data.parent_body, centre)] + [None] * (half - 1) + [(NATIONAL_TITLE, bold_centre)],
                     merge=[(1, half), (half + 1, width)])
        sheet.append([(data.issuing_body, bold_centre)] + [None] * (half - 1) + [(MOTTO, bold_centre)],
                     merge=[(1, half), (half + 1, width)])
        sheet.append([])
        line(data.title, title_style)
        for text in data.lines:
            line(text, centre)
        sheet.append([])
        row = sheet.append([(h, header) for h, _ in data.headers], height=30)
        sheet.print_titles(row)
        sheet.freeze(row)
        amount_at = data.amount_column
        for values in data.rows:
            cells: list[Any] = []
            for index, value in enumerate(values):
                if index == amount_at:
                    cells.append((value, number))
                elif index in (2, 6) or (index == 7 and width > 9) or (index == 8 and width > 9):
                    cells.append((value, wrap))
                else:
                    cells.append((value, box))
            sheet.append(cells, height=30)
        pay = data.totals.get("pay", 0)
        if not data.totals.get("lines"):
            line("Không có dòng nào.", centre)
        label = f"Tổng cộng: {format_number(data.totals.get('lines', 0))} dòng"
        sheet.append([(label, total)] + [("", total)] * (amount_at - 1) + [(pay, total_number)]
                     + [("", total)] * (width - amount_at - 1), merge=[(1, amount_at)])
        for text, value in data.extra_totals:
            sheet.append([(text, box)] + [("", box)] * (amount_at - 1) + [(value, number)]
                         + [("", box)] * (width - amount_at - 1), merge=[(1, amount_at)])
        sheet.append([])
        line(f"Số tiền bằng số: {_money(pay)}.", add(bold=True))
        line(f"Bằng chữ: {amount_in_words(pay)}.", words)
        sheet.append([])
        line(layout.place_and_date(data.place, None, data.year), italic_centre, width - 3, width)
        thirds = [(1, 3), (4, width - 4), (width - 3, width)]
        sheet.append([(SIGNERS[0][0], bold_centre), None, None, (SIGNERS[1][0], bold_centre)]
                     + [None] * (width - 8) + [(SIGNERS[2][0], bold_centre)], merge=thirds)
        sheet.append([(SIGNERS[0][1], italic_centre), None, None, (SIGNERS[1][1], italic_centre)]
                     + [None] * (width - 8) + [(SIGNERS[2][1], italic_centre)], merge=thirds)
        return book.save()


# --- The document --------------------------------------------------------------------------------


def _row_cells(grid: Table) -> list[_Cell]:
    """A new row's cells. python-docx's `row.cells` walks every cell of the table (quadratic over a
    list of a thousand people: 30 s); the new row's own cells are enough."""
    row = grid.add_row()
    return [_Cell(tc, grid) for tc in row._tr.tc_lst]


def _docx(data: ListData) -> bytes:
    doc = layout.document()
    section = doc.sections[0]
    layout.page_setup(section, landscape=True)
    section.orientation = WD_ORIENT.LANDSCAPE
    text_width = layout.LANDSCAPE_TEXT_WIDTH
    layout.heading(doc, parent_body=data.parent_body, issuing_body=data.issuing_body, number="……/DS-UBND",
                   place_date=layout.place_and_date(data.place, None, data.year))
    layout.paragraph(doc, data.title, size=14, bold=True, align="center", before=12, keep_with_next=True)
    for text in data.lines:
        layout.paragraph(doc, text, size=13, align="center", keep_with_next=True)
    layout.short_line(doc, width=Mm(45), within=text_width, after=12, before=3)
    weights = [w for _, w in data.headers]
    scale = text_width / sum(weights)
    widths = [Length(int(w * scale)) for w in weights]
    grid = layout.table(doc, 1, widths, borders=True)
    for cell, (name, _) in zip(grid.rows[0].cells, data.headers, strict=True):
        layout.cell_text(cell, name, size=11, bold=True)
    layout.repeat_header(grid.rows[0])
    amount_at = data.amount_column
    # One row is laid out with python-docx, then copied for every line with its texts set: laying
    # out each cell anew costs ~2 ms (a commune's thousand people took 20 s); a copy costs ~0,1 ms.
    prototype = _row_cells(grid)
    for index, cell in enumerate(prototype):
        layout.cell_text(cell, "x", size=11, align="right" if index == amount_at else
                         "left" if index in (2, 6, 7, 8) else "center")
    proto_tr = prototype[0]._tc.getparent()
    grid._tbl.remove(proto_tr)
    texts_of = [tc.find(f".//{qn('w:t')}") is not None for tc in proto_tr.iterchildren(qn("w:tc"))]
    assert all(texts_of)
    for values in data.rows:
        tr = copy.deepcopy(proto_tr)
        for index, (tc, value) in enumerate(zip(tr.iterchildren(qn("w:tc")), values, strict=True)):
            text = format_number(value) if index == amount_at else str(value)
            element = tc.find(f".//{qn('w:t')}")
            element.text = text
            if text != text.strip():
                element.set(qn("xml:space"), "preserve")
        grid._tbl.append(tr)
    pay = data.totals.get("pay", 0)
    for label, value, bold in [(f"Tổng cộng: {format_number(data.totals.get('lines', 0))} dòng", pay, True),
                               *[(text, v, False) for text, v in data.extra_totals]]:
        cells = _row_cells(grid)
        merged = cells[0].merge(cells[amount_at - 1])
        layout.cell_text(merged, label, size=11, bold=bold, align="left")
        layout.cell_text(cells[amount_at], format_number(value), size=11, bold=bold, align="right")
    layout.paragraph(doc, f"Số tiền bằng số: {_money(pay)}.", size=13, bold=True, before=6, align="left")
    layout.paragraph(doc, f"Bằng chữ: {amount_in_words(pay)}.", size=13, italic=True, align="left", after=6)
    signers = layout.table(doc, 1, [Length(text_width // 3)] * 3, borders=False)
    for cell, (title, hint) in zip(signers.rows[0].cells, SIGNERS, strict=True):
        layout.paragraph(cell, title, size=13, bold=True, align="center")
        layout.paragraph(cell, hint, size=12, italic=True, align="center")
        for _ in range(4):
            layout.paragraph(cell, "", size=13)
    return layout.save(doc)


def export_name(kind: str, subject: Payroll | Package, fmt: str, *, unit: Unit | None = None) -> str:
    """An ASCII file name: "danh-sach-chi-tra-29461-2025-10.xlsx"."""
    from ansinh.lib.vietnamese import fold

    if isinstance(subject, Payroll):
        base = f"danh-sach-chi-tra-{subject.commune.code}-{subject.month:%Y-%m}"
        if subject.sequence > 1:
            base += f"-bs{subject.sequence - 1}"
    else:
        base = f"danh-sach-{fold(subject.name).replace(' ', '-')[:40]}-{subject.pk}"
    if unit is not None:
        base += f"-{unit.code}"
    return f"{base}.{fmt}"


__all__ = ["export_name", "package_docx", "package_xlsx", "payroll_docx", "payroll_xlsx"]
