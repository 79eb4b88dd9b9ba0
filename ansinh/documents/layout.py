"""The layout of administrative documents under Decree 30/2020/NĐ-CP (Appendix I), in python-docx.

- A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm (the Decree: 20–25, 20–25,
  30–35, 15–20 mm); Times New Roman (Unicode, TCVN 6909:2001), black, also for East Asian text.
- Page numbers in Arabic figures centred in the top margin, none on the first page.
- The heading: a borderless two-column table. Left: the body above (uppercase, not bold), the
  issuing body (uppercase, bold) with a short line under it, and "Số: 12/KH-UBND". Right: the
  national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (uppercase, bold, 12–13 pt), the motto
  "Độc lập - Tự do - Hạnh phúc" (bold, 13–14 pt) with a solid line as long as the motto, and
  the place and date in italics ("Trà Cú, ngày 24 tháng 02 năm 2023": a leading zero for days
  1–9 and for months 1 and 2).
- The type of document (KẾ HOẠCH, BÁO CÁO) and the title, bold and centred, a short line under
  the title. Body 14 pt, justified, first line indented 1.27 cm, 6 pt after each paragraph.
- The closing: a borderless two-column table. Left: "Nơi nhận:" (bold italic 12 pt) and the
  recipients (11 pt, "- Lưu: VT." last). Right: the signer's authority and title (uppercase,
  bold), room for the signature and seal, the name (bold).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Sequence

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .national import MOTTO, NATIONAL_TITLE

FONT = "Times New Roman"
BLACK = RGBColor(0, 0, 0)
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH = Mm(210 - 30 - 15)  # 165 mm between the margins (portrait)
LANDSCAPE_TEXT_WIDTH = Mm(297 - 30 - 15)
FIRST_LINE = Mm(12.7)
BODY_SIZE = 14
HEADING_LEFT = Mm(62)  # the heading table's columns: issuing body | national title
HEADING_RIGHT = Length(TEXT_WIDTH - HEADING_LEFT)
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}

Container = Document | _Cell


# --- the document and its sections -------------------------------------------------------------


def _fonts(r_pr: object) -> None:
    """Times New Roman for every script of a run-properties element, no theme fonts."""
    fonts = r_pr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)  # type: ignore[attr-defined]
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)


def document() -> Document:
    """A new document: A4 portrait, the Decree's margins, Times New Roman 14 pt black, Vietnamese,
    page numbers centred at the top from page 2."""
    doc = new_document()
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            _fonts(r_pr)
            lang = r_pr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                r_pr.append(lang)
            lang.set(qn("w:val"), "vi-VN")
            lang.set(qn("w:eastAsia"), "vi-VN")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.font.color.rgb = BLACK
    _fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section = doc.sections[0]
    page_setup(section, landscape=False)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    header = section.header
    header.is_linked_to_previous = False
    para = header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number(para, size=13)
    return doc


def page_setup(section: Section, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def landscape_section(doc: Document) -> Section:
    """A new section on a new page, A4 landscape, for an appendix table. Decree 30/2020/NĐ-CP
    (Appendix I, on appendices) numbers an appendix's pages on their own: they restart at 1 and,
    as in the document itself, the first page shows no number (its own empty first-page header;
    the numbered header is the document's, linked)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=True)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    numbering = section._sectPr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        # CT_SectPr's order: … pgMar, paperSrc, pgBorders, lnNumType, pgNumType, cols …
        following = section._sectPr.find(qn("w:cols"))
        if following is not None:
            following.addprevious(numbering)
        else:
            section._sectPr.append(numbering)
    numbering.set(qn("w:start"), "1")
    return section


def page_number(paragraph: Paragraph, *, size: int = 13) -> None:
    """A PAGE field (Word and LibreOffice fill it in)."""

    def run_with(element: object) -> None:
        run = paragraph.add_run()
        style(run, size=size)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(begin)
    run_with(instruction)
    run_with(separate)
    shown = paragraph.add_run("2")
    style(shown, size=size)
    run_with(end)


def save(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- paragraphs ------------------------------------------------------------------------------------


def style(run: object, *, size: float | None = None, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT  # type: ignore[attr-defined]
    if size is not None:
        run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold or None  # type: ignore[attr-defined]
    run.font.italic = italic or None  # type: ignore[attr-defined]
    run.font.color.rgb = BLACK  # type: ignore[attr-defined]
    _fonts(run._r.get_or_add_rPr())  # type: ignore[attr-defined]


def paragraph(where: Container, text: str = "", *, size: float = BODY_SIZE, bold: bool = False,
              italic: bool = False, align: str = "justify", first_line: Length | None = None,
              after: float = 0, before: float = 0, keep_with_next: bool = False,
              left: Length | None = None, right: Length | None = None) -> Paragraph:
    """A paragraph of one run. `where` is the document or a table cell (a cell's first, empty
    paragraph is used before adding more)."""
    para = _new_paragraph(where)
    para.alignment = ALIGN[align]
    fmt = para.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    if first_line is not None:
        fmt.first_line_indent = first_line
    if left is not None:
        fmt.left_indent = left
    if right is not None:
        fmt.right_indent = right
    if keep_with_next:
        fmt.keep_with_next = True
    _mark_size(para, size)
    if text:
        lines = text.split("\n")
        for index, line in enumerate(lines):
            run = para.add_run(line)
            style(run, size=size, bold=bold, italic=italic)
            if index < len(lines) - 1:
                run.add_break()
    return para


def _new_paragraph(where: Container) -> Paragraph:
    if isinstance(where, _Cell):
        first = where.paragraphs[0]
        if len(where.paragraphs) == 1 and not first.runs and first._p.pPr is None:  # the cell's own, unused
            return first
        return where.add_paragraph()
    return where.add_paragraph()


def _mark_size(para: Paragraph, size: float) -> None:
    """The paragraph mark's size, which sets the height of an empty paragraph."""
    p_pr = para._p.get_or_add_pPr()
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        p_pr.append(r_pr)
    for tag in ("w:sz", "w:szCs"):
        element = r_pr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            r_pr.append(element)
        element.set(qn("w:val"), str(int(size * 2)))


def bottom_line(para: Paragraph, *, size: int = 6) -> None:
    """A solid line under the paragraph, as wide as the paragraph between its indents."""
    p_pr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # pPr children have a fixed order; pBdr comes before shd, tabs, spacing, ind, jc and rPr.
    follower = next((child for child in p_pr if child.tag in {qn(t) for t in (
        "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr")}), None)
    if follower is not None:
        follower.addprevious(borders)
    else:
        p_pr.append(borders)


def short_line(where: Container, *, width: Length, within: Length, after: float = 6, before: float = 0) -> Paragraph:
    """A short centred line on its own (under the issuing body or the title): an empty paragraph
    with a bottom border, indented to leave `width` of `within`."""
    side = Length(max(0, (within - width) // 2))
    para = paragraph(where, "", size=2, align="center", left=side, right=side, after=after, before=before)
    para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    para.paragraph_format.line_spacing = Pt(3)
    bottom_line(para)
    return para


# --- tables --------------------------------------------------------------------------------------


def _borders(table: Table, value: str) -> None:
    tbl_pr = table._tbl.tblPr
    existing = tbl_pr.find(qn("w:tblBorders"))
    if existing is not None:
        tbl_pr.remove(existing)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def table(doc: Document, rows: int, widths: Sequence[Length], *, borders: bool) -> Table:
    """A table of fixed column widths, with or without a grid."""
    found = doc.add_table(rows=rows, cols=len(widths))
    found.alignment = WD_TABLE_ALIGNMENT.CENTER
    found.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    found._tbl.tblPr.append(layout)
    _borders(found, "single" if borders else "nil")
    for row in found.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for column, width in zip(found.columns, widths, strict=True):
        column.width = width
    return found


def cell_text(cell: _Cell, text: str, *, size: float = 12, bold: bool = False, italic: bool = False,
              align: str = "center") -> None:
    paragraph(cell, text, size=size, bold=bold, italic=italic, align=align)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def repeat_header(row: object) -> None:
    """Repeats a table row at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


# --- the blocks of Decree 30/2020 -------------------------------------------------------------------


def place_and_date(place: str, date: dt.date | None, year: int) -> str:
    """ "Trà Cú, ngày 24 tháng 02 năm 2023"; a blank day and month to fill in by hand when the
    document has no date yet: "Đông Hòa, ngày     tháng     năm 2022"."""
    if date is None:
        return f"{place}, ngày      tháng      năm {year}"
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"


# Two-syllable words found in the names of bodies: a line never breaks inside one.
COMPOUNDS = frozenset("""
LAO_ĐỘNG THƯƠNG_BINH XÃ_HỘI ỦY_BAN UỶ_BAN NHÂN_DÂN THÀNH_PHỐ THỊ_XÃ THỊ_TRẤN GIÁO_DỤC ĐÀO_TẠO Y_TẾ
TÀI_CHÍNH KẾ_HOẠCH ĐẦU_TƯ NỘI_VỤ DÂN_TỘC TÔN_GIÁO GIẢM_NGHÈO VIỆC_LÀM CHÍNH_SÁCH NGÂN_HÀNG BẢO_HIỂM
TRUNG_TÂM DỊCH_VỤ NÔNG_NGHIỆP MÔI_TRƯỜNG PHÁT_TRIỂN NÔNG_THÔN VĂN_HÓA VĂN_HOÁ THỂ_THAO DU_LỊCH VĂN_PHÒNG
CÔNG_AN QUÂN_SỰ MẶT_TRẬN TỔ_QUỐC VIỆT_NAM HỘI_ĐỒNG CHỦ_TỊCH KHOA_HỌC CÔNG_NGHỆ XÂY_DỰNG GIAO_THÔNG
VẬN_TẢI CÔNG_THƯƠNG TƯ_PHÁP THANH_TRA THÔNG_TIN TRUYỀN_THÔNG TÀI_NGUYÊN NGOẠI_VỤ CHÍNH_PHỦ BẢO_TRỢ
GIÁO_DỤC_NGHỀ_NGHIỆP NGƯỜI_CÓ_CÔNG PHÒNG_GIAO_DỊCH NGHỀ_NGHIỆP CÔNG_TÁC BÌNH_ĐẲNG TRẺ_EM
""".split())
# Words that open a unit's name ("TỈNH TRÀ VINH"): the place name after them stays on one line.
UNIT_WORDS = ("THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "ĐẶC KHU")
HEADING_LINE = 17.0  # what a line of the heading's left column holds, in bold capital letters at 13 pt


def _width(text: str) -> float:
    """A line's width in capital letters (a space or a hyphen is narrower)."""
    return sum(0.35 if char == " " else 0.5 if char in "-–," else 1.0 for char in text)


def _groups(text: str) -> list[tuple[str, bool]]:
    """The name cut where a line may break: (words, a natural place to break before them).
    Compound words stay whole, a hyphen stays at the end of its line, a place name stays whole."""
    words = text.split()
    groups: list[list[str]] = []
    natural: list[bool] = []
    i = 0
    while i < len(words):
        size = next((n for n in (4, 3, 2) if "_".join(words[i:i + n]) in COMPOUNDS), 1)
        unit = next((u for u in UNIT_WORDS if " ".join(words[i:i + len(u.split())]) == u
                     and i + len(u.split()) < len(words)), None)
        if unit is not None and len(unit.split()) >= size:
            groups.append(words[i:])  # the unit's word and its place name
            natural.append(True)
            break
        chunk = words[i:i + size]
        if chunk == ["-"] and groups:
            groups[-1].append("-")
            i += 1
            continue
        after_hyphen = bool(groups) and groups[-1][-1] in ("-", "–")
        groups.append(chunk)
        natural.append(after_hyphen or chunk[0] == "VÀ")
        i += size
    return [(" ".join(g), n) for g, n in zip(groups, natural, strict=True)]


def break_lines(text: str, *, width: float = HEADING_LINE) -> str:
    """A body's name in balanced lines that fit `width`, broken between words, never inside a
    compound word or a place name, preferably after a hyphen or before "VÀ": "SỞ LAO ĐỘNG -
    THƯƠNG BINH VÀ XÃ HỘI" → "SỞ LAO ĐỘNG -\nTHƯƠNG BINH\nVÀ XÃ HỘI". A name that fits stays whole."""
    text = " ".join(text.split())
    if _width(text) <= width:
        return text
    groups = _groups(text)
    best: tuple[float, list[str]] | None = None
    for lines_count in range(2, len(groups) + 1):
        for cuts in itertools.combinations(range(1, len(groups)), lines_count - 1):
            bounds = (0, *cuts, len(groups))
            lines = [" ".join(g for g, _ in groups[a:b]) for a, b in itertools.pairwise(bounds)]
            widths = [_width(line) for line in lines]
            over = sum(max(0.0, w - width) for w in widths)
            unnatural = sum(0 if groups[c][1] else 1 for c in cuts)
            cost = over * 100 + (max(widths) - min(widths)) + unnatural * 4
            if best is None or cost < best[0]:
                best = (cost, lines)
        if best is not None and best[0] < 100:  # the fewest lines that fit
            break
    return "\n".join(best[1]) if best is not None else text


def heading(doc: Document, *, parent_body: str, issuing_body: str, number: str, place_date: str) -> None:
    """The heading table: issuing body and number | national title, motto, place and date. The
    bodies' names are broken by `break_lines`, not wherever the column ends."""
    grid = table(doc, 1, [HEADING_LEFT, HEADING_RIGHT], borders=False)
    left, right = grid.rows[0].cells
    if parent_body:
        paragraph(left, break_lines(parent_body.upper(), width=HEADING_LINE + 1.5), size=13, align="center")
    paragraph(left, break_lines(issuing_body.upper()), size=13, bold=True, align="center")
    short_line(left, width=Mm(22), within=HEADING_LEFT, after=6)
    paragraph(left, f"Số: {number}", size=13, align="center")
    paragraph(right, NATIONAL_TITLE, size=12, bold=True, align="center")
    side = Mm(19)  # the motto (13 pt bold) is about 66 mm long in a 103 mm column
    motto = paragraph(right, MOTTO, size=13, bold=True, align="center", left=side, right=side, after=6)
    bottom_line(motto)
    paragraph(right, place_date, size=13, italic=True, align="center")


def title(doc: Document, kind: str, text: str) -> None:
    """ "KẾ HOẠCH" and the title, bold and centred, with a short line under the title."""
    paragraph(doc, kind.upper(), size=14, bold=True, align="center", before=18, keep_with_next=True)
    paragraph(doc, text, size=14, bold=True, align="center", keep_with_next=True)
    short_line(doc, width=Mm(45), within=TEXT_WIDTH, after=12, before=3)


def body(doc: Document, text: str, *, bold: bool = False, italic: bool = False, indent: bool = True) -> Paragraph:
    """A paragraph of the body: 14 pt, justified, first line indented 1.27 cm, 6 pt after."""
    return paragraph(doc, text, size=BODY_SIZE, bold=bold, italic=italic, align="justify",
                     first_line=FIRST_LINE if indent else None, after=6, keep_with_next=bold)


def closing(doc: Document, *, recipients: Sequence[str], authority: str, signer_title: str, name: str) -> None:
    """Recipients | signer block."""
    paragraph(doc, "", size=6)
    grid = table(doc, 1, [Mm(80), Length(TEXT_WIDTH - Mm(80))], borders=False)
    left, right = grid.rows[0].cells
    paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
    for line in recipients:
        paragraph(left, line, size=11, align="left")
    if authority:
        paragraph(right, authority.upper(), size=14, bold=True, align="center")
    if signer_title:
        paragraph(right, signer_title.upper(), size=14, bold=True, align="center")
    for _ in range(4):
        paragraph(right, "", size=14)
    paragraph(right, name, size=14, bold=True, align="center")


def recipient_lines(lines: Sequence[str]) -> list[str]:
    """ "- Sở LĐTBXH;" …, ending with "- Lưu: VT." (added when missing)."""
    out = []
    for raw in lines:
        line = " ".join(raw.split()).lstrip("-–• ").strip()
        if line:
            out.append(line)
    if not any(line.lower().startswith("lưu") for line in out):
        out.append("Lưu: VT.")
    result = []
    for index, line in enumerate(out):
        last = index == len(out) - 1
        line = line.rstrip(";.")
        result.append(f"- {line}{'.' if last else ';'}")
    return result
