import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from ansinh.lib.spreadsheets import (
    Reader,
    SpreadsheetError,
    Limits,
    Writer,
    read_rows,
    safe_text,
    sheet_names,
)


def test_it_the_writer_escapes_text_and_drops_control_characters():
    book = Writer()
    bold = book.format(bold=True, num_format="#,##0")
    sheet = book.sheet("Danh sách")
    sheet.widths([10, 10, 10])
    sheet.freeze(1)
    sheet.append([("A & <B> \"c\"", bold), "x\x01y\x0b", 1234567])
    sheet.append([None, " lề ", True])
    sheet.append(["gộp"], merge=[(1, 2)])
    sheet.print_titles(1)
    with pytest.raises(ValueError):
        book.sheet("danh sách")
    with pytest.raises(ValueError):
        book.sheet("a/b")
    loaded = openpyxl.load_workbook(io.BytesIO(book.save()))
    found = loaded["Danh sách"]
    assert [c.value for c in found[1]] == ['A & <B> "c"', "xy", 1234567]
    assert found["A1"].font.b and found["A1"].number_format == "#,##0" and found["C1"].number_format == "General"
    assert (found["B2"].value, found["C2"].value, found.freeze_panes) == (" lề ", True, "A2")
    assert {str(r) for r in found.merged_cells.ranges} == {"A3:B3"}
    assert loaded.defined_names.get("_xlnm.Print_Titles") is None  # print titles are sheet-scoped
    assert found.print_title_rows == "$1:$1"
    assert found.column_dimensions["A"].width == 10  # as given (A:C share it), not Excel's shown width


def test_it_writes_text_as_text_and_keeps_dates_and_numbers():
    book = Writer()
    sheet = book.sheet("a")
    sheet.append(["=1+1", "http://example.org", dt.date(2025, 3, 5), dt.datetime(2025, 3, 5, 7, 30), 1.5,
                  float("nan")])
    found = openpyxl.load_workbook(io.BytesIO(book.save()))["a"]
    values = [c.value for c in found[1]]
    assert values[:5] == ["'=1+1", "http://example.org", dt.datetime(2025, 3, 5), dt.datetime(2025, 3, 5, 7, 30), 1.5]
    assert found["A1"].data_type == "s" and found["B1"].hyperlink is None
    assert found["C1"].number_format == "dd/mm/yyyy"


def test_it_the_template_helpers_write_notes_drop_downs_and_activate_a_sheet():
    book = Writer(constant_memory=False)
    book.sheet("Hướng dẫn")
    data = book.sheet("Dữ liệu")
    data.cell(1, 1, "Giới tính")
    data.comment(1, 1, "Bắt buộc.", author="ansinh")
    data.drop_down(1, source="'Danh mục'!$A$2:$A$3", error="x" * 300, error_title="y" * 40)
    data.activate()
    lists = book.sheet("Danh mục")
    lists.cell(2, 1, "Nam")
    lists.cell(3, 1, "Nữ")
    loaded = openpyxl.load_workbook(io.BytesIO(book.save()))
    sheet = loaded["Dữ liệu"]
    assert loaded.active.title == "Dữ liệu" and sheet["A1"].comment.text == "Bắt buộc."
    validation = sheet.data_validations.dataValidation[0]
    assert (str(validation.sqref), validation.formula1) == ("A2:A1048576", "'Danh mục'!$A$2:$A$3")
    assert len(validation.error) == 255 and len(validation.errorTitle) == 32


def test_it_a_workbook_needs_a_sheet():
    with pytest.raises(ValueError):
        Writer().save()


def test_it_reads_back_what_it_writes_with_row_numbers_and_the_active_sheet():
    book = Writer()
    book.sheet("Một").append(["a"])
    two = book.sheet("Hai")
    two.append(["Mã hộ", "Ngày"])
    two.append([])
    two.append(["TC-1", dt.date(1980, 3, 5), None, 7])
    two.activate()
    data = book.save()
    assert sheet_names(data) == ["Một", "Hai"]
    assert list(read_rows(data)) == [(1, ["Mã hộ", "Ngày"]), (3, ["TC-1", dt.datetime(1980, 3, 5), None, 7])]
    assert list(read_rows(data, "Một")) == [(1, ["a"])]
    with Reader(data) as reader, pytest.raises(SpreadsheetError):
        list(reader.rows("Ba"))


def test_it_reads_a_file_openpyxl_wrote():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "hộ"
    sheet.append(["x", 1, 2.5, dt.datetime(2025, 10, 2), True])
    sheet["B3"] = "cuối"
    out = io.BytesIO()
    book.save(out)
    assert list(read_rows(out.getvalue())) == [(1, ["x", 1, 2.5, dt.datetime(2025, 10, 2), True]), (3, [None, "cuối"])]


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04garbage"])
def test_it_refuses_what_is_not_a_workbook(data):
    with pytest.raises(SpreadsheetError):
        sheet_names(data)


def test_it_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(SpreadsheetError):
        list(read_rows(out.getvalue()))


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook(sheet_xml: str, *, shared: list[str] = (), styles: str = "", workbook_pr: str = "",
              extra: dict[str, str] | None = None) -> bytes:
    """A workbook from its XML parts, as a producer writes them."""
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>'
                           '<sheet name="Trang 1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                                      'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                                      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
                                      'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                                      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/'
                                      'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                      '</Relationships>',
        "xl/styles.xml": styles or f'<styleSheet xmlns="{MAIN}"><cellXfs count="1"><xf numFmtId="0"/></cellXfs>'
                                   '</styleSheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">'
                                + "".join(f"<si><t>{text}</t></si>" for text in shared) + "</sst>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">{sheet_xml}</worksheet>',
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


DATE_STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/>'
               '<numFmt numFmtId="165" formatCode="h:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
               '<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs>'
               '</styleSheet>')


def test_it_keeps_excel_row_numbers_of_a_sheet_whose_data_starts_at_row_3():
    """As Excel writes it: <dimension>, shared strings, a custom date style, a time-only cell."""
    data = _workbook('<dimension ref="B3:E5"/><sheetData>'
                     '<row r="3" spans="2:5"><c r="B3" t="s"><v>0</v></c><c r="C3" t="s"><v>1</v></c></row>'
                     '<row r="5" spans="2:5"><c r="B5" t="s"><v>2</v></c><c r="C5" s="1"><v>28592</v></c>'
                     '<c r="D5" s="2"><v>0.354166666666667</v></c><c r="E5"><v>-12.5</v></c></row>'
                     '</sheetData>', shared=["Họ và tên", "Ngày sinh", "Thạch Sol"], styles=DATE_STYLES)
    assert list(read_rows(data)) == [
        (3, [None, "Họ và tên", "Ngày sinh"]),
        (5, [None, "Thạch Sol", dt.datetime(1978, 4, 12), dt.time(8, 30), -12.5]),
    ]


def test_it_reads_what_google_sheets_writes_without_r_attributes():
    """Google Sheets-like: no <dimension>, cells without r, inline strings, a custom date format."""
    data = _workbook('<sheetData><row><c t="inlineStr"><is><t>Mã hộ</t></is></c><c t="inlineStr"><is><t>Ngày</t>'
                     '</is></c></row><row><c t="inlineStr"><is><t>H1</t></is></c><c s="1"><v>45658</v></c>'
                     '<c t="b"><v>1</v></c></row></sheetData>', styles=DATE_STYLES)
    assert list(read_rows(data)) == [(1, ["Mã hộ", "Ngày"]), (2, ["H1", dt.datetime(2025, 1, 1), True])]


def test_it_reads_dates_of_a_1904_workbook():
    data = _workbook('<sheetData><row r="1"><c r="A1" s="1"><v>42369</v></c></row></sheetData>',
                     styles=DATE_STYLES, workbook_pr='<workbookPr date1904="1"/>')
    assert list(read_rows(data)) == [(1, [dt.datetime(2020, 1, 1)])]
    with Reader(data) as reader:
        assert reader.epoch == dt.datetime(1904, 1, 1)


def test_it_reads_a_sheet_starting_at_row_3_written_by_xlsxwriter():
    book = Writer(constant_memory=False)
    sheet = book.sheet("a")
    sheet.cell(3, 2, "đầu")
    sheet.cell(4, 3, dt.time(7, 15))
    assert list(read_rows(book.save())) == [(3, [None, "đầu"]), (4, [None, None, dt.time(7, 15)])]


def zip_bomb(rows: int) -> bytes:
    """A workbook whose one sheet has `rows` rows: a few hundred KB compressed (the imports' tests
    use it too)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        source = zipfile.ZipFile(io.BytesIO(_workbook("<sheetData></sheetData>")))
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item.filename, source.read(item))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            row = b"<row><c><v>1</v></c></row>"
            for _ in range(rows // 10_000):
                part.write(row * 10_000)
            part.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_it_refuses_a_zip_bomb_quickly_in_bounded_memory():
    import time
    import tracemalloc

    data = zip_bomb(2_000_000)
    assert len(data) < 1_000_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(SpreadsheetError, match="1.000.000"):
            Reader(data, limits=Limits(rows=1_000_000, unzipped_bytes=256 * 1024 * 1024))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, peak
    assert time.monotonic() - started < 20


def test_it_refuses_a_part_larger_than_the_decompressed_limit():
    data = zip_bomb(100_000)
    with pytest.raises(SpreadsheetError, match="MB"):
        Reader(data, limits=Limits(rows=10_000_000, unzipped_bytes=1024 * 1024))
    assert sum(1 for _ in read_rows(data)) == 100_000  # within the default limits, read


@pytest.mark.parametrize(("text", "safe"), [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-5", "-5"), ("-1.200,5", "-1.200,5"), ("-1+2", "'-1+2"), ("-", "'-"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("Nguyễn Văn An", "Nguyễn Văn An"), ("", ""), ("a=b", "a=b"),
])
def test_it_neutralises_formula_leading_text(text, safe):
    assert safe_text(text) == safe


def test_it_writes_negative_numbers_as_numbers_and_reads_its_own_quoting_back():
    book = Writer()
    book.sheet("a").append([-5, "-5", "=1+1", "-A1"])
    data = book.save()
    found = openpyxl.load_workbook(io.BytesIO(data))["a"]
    assert [c.value for c in found[1]] == [-5, "-5", "'=1+1", "'-A1"]
    assert list(read_rows(data)) == [(1, [-5, "-5", "=1+1", "-A1"])]  # an export imported again is what it was


@pytest.mark.parametrize("sheet", [
    # Two cells far apart: a 1 KB file whose range calamine would allocate as 140 million cells.
    '<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="200000"><c r="ZZ200000"><v>1</v></c></row>'
    "</sheetData>",
    # A row far below, then 64 KB later the wide cell: the range is found by a second reading.
    '<sheetData><row r="900000"><c r="A900000"><v>1</v></c></row>' + "<row><c><v>2</v></c></row>" * 5000
    + '<row><c r="ZZ900001"><v>1</v></c></row></sheetData>',
    # A cell that claims a row far below its row element.
    '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B5000000"><v>1</v></c></row></sheetData>',
    # The same with a namespace prefix and the row number on the row only.
    '<x:sheetData xmlns:x="x"><x:row r="2000000"><x:c><x:v>1</x:v></x:c></x:row></x:sheetData>',
])
def test_it_refuses_a_sheet_whose_range_reaches_far_in_a_tiny_file(sheet):
    data = _workbook(sheet)
    assert len(data) < 4000
    with pytest.raises(SpreadsheetError, match="rows|cells|dòng|ô"):
        Reader(data, limits=Limits(rows=1_000_000, unzipped_bytes=256 * 1024 * 1024, cells=30_000_000))


def test_it_reads_a_sheet_wider_than_z_within_the_limits():
    data = _workbook('<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="AB1"><v>2</v></c></row></sheetData>')
    assert list(read_rows(data)) == [(1, [1] + [None] * 26 + [2])]
