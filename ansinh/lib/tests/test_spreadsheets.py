import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from ansinh.lib.spreadsheets import (
    Reader,
    SpreadsheetError,
    Writer,
    from_excel,
    is_date_format,
    read_rows,
    sheet_names,
)


def test_the_writer_escapes_text_and_drops_control_characters():
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
    assert values[:5] == ["=1+1", "http://example.org", dt.datetime(2025, 3, 5), dt.datetime(2025, 3, 5, 7, 30), 1.5]
    assert found["A1"].data_type == "s" and found["B1"].hyperlink is None
    assert found["C1"].number_format == "dd/mm/yyyy"


def test_the_template_helpers_write_notes_drop_downs_and_activate_a_sheet():
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


def test_a_workbook_needs_a_sheet():
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


@pytest.mark.parametrize(("code", "date"), [
    ("dd/mm/yyyy", True), ("[$-42A]d mmmm yyyy", True), ("[h]:mm", True), ("h:mm AM/PM", True),
    ("General", False), ("#,##0", False), ("0.0%", False), ("[Red]0.00", False), ('"d"0', False),
    ("0;[Red]-0;\"m\"", False), ("@", False),
])
def test_it_tells_date_formats(code, date):
    assert is_date_format(code) is date


def test_it_converts_excel_serial_dates():
    assert from_excel(45658.5) == dt.datetime(2025, 1, 1, 12)
    assert from_excel(59) == dt.datetime(1900, 2, 28) and from_excel(61) == dt.datetime(1900, 3, 1)
    assert from_excel(0.25) == dt.time(6)
    assert from_excel(0, dt.datetime(1904, 1, 1)) == dt.time(0)
