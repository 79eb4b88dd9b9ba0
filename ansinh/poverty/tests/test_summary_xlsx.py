"""The round's summary workbook: sheets, Vietnamese headers, figures, the total row, the scope."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ansinh.poverty import services
from ansinh.poverty.tests.test_round_views import YEAR, make_household, other_commune
from conftest import login

pytestmark = pytest.mark.django_db

HEADER_ROW = 5


@pytest.fixture
def classified(people, units):  # type: ignore[no-untyped-def]
    make_household(people.lan, units.tra_cu, "TC-1")
    make_household(people.lan, units.tra_cu, "TC-2", income=3_500_000, khmer=False)
    make_household(people.minh, other_commune(units), "OT-1")
    round_ = services.review_round_open(actor=people.minh, unit=units.vinh_long, year=YEAR)
    services.review_round_run(round=round_, actor=people.minh)
    return round_


def workbook(client, round_, query=""):  # type: ignore[no-untyped-def]
    response = client.get(f"/households/rounds/{round_.pk}/figures.xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="tong-hop-ra-soat-2025-')
    return load_workbook(io.BytesIO(response.content))


def table(sheet):  # type: ignore[no-untyped-def]
    """Header, the unit rows by name, and the total row."""
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    header, body = rows[0], rows[1:]
    total = next(r for r in body if r[1] == "Tổng cộng")
    return header, {r[1]: r for r in body if r[1] != "Tổng cộng"}, total


def test_it_exports_the_summary_tables(client, people, units, classified):
    login(client, people.minh)
    book = workbook(client, classified)
    assert book.sheetnames == ["Tổng hợp", "Chỉ số thiếu hụt", "Biến động", "Nhu cầu hỗ trợ"]
    sheet = book["Tổng hợp"]
    assert "NĂM 2025" in sheet["A1"].value and "TỈNH VĨNH LONG" in sheet["A1"].value and sheet["A1"].font.bold
    assert "Tỉnh Vĩnh Long" in sheet["A2"].value and "Chuẩn nghèo đa chiều giai đoạn 2022–2025" in sheet["A2"].value
    assert "14/12/2025" in sheet["A3"].value
    assert sheet.freeze_panes == f"C{HEADER_ROW + 1}"
    assert sheet.column_dimensions["B"].width == 32
    header, rows, total = table(sheet)
    assert header[:7] == ("STT", "Xã, phường, đặc khu", "Tổng số hộ", "Số hộ nghèo", "Tỷ lệ hộ nghèo",
                          "Số hộ cận nghèo", "Tỷ lệ hộ cận nghèo")
    assert "Số hộ Khmer" in header and "Hộ nghèo không có khả năng lao động" in header
    tra_cu = rows["Xã Trà Cú"]
    assert tra_cu[2:5] == (2, 1, 0.5)
    assert total[2:4] == (3, 2) and total[4] == pytest.approx(2 / 3)
    rate = sheet.cell(row=HEADER_ROW + 1, column=5)
    assert rate.number_format == "0.0%" and sheet.cell(row=HEADER_ROW + 1, column=3).number_format == "#,##0"
    khmer = header.index("Hộ nghèo Khmer")
    assert total[khmer] == 2

    header, rows, total = table(book["Chỉ số thiếu hụt"])
    column = header.index("Bảo hiểm y tế: số hộ thiếu hụt")
    assert total[column] == 3 and total[column + 1] == pytest.approx(1.0)
    header, rows, total = table(book["Biến động"])
    assert total[header.index("Nghèo phát sinh")] == 2  # no previous round: every poor household is new
    header, rows, total = table(book["Nhu cầu hỗ trợ"])
    assert total[header.index("Cần vay vốn tín dụng ưu đãi")] == 2  # poor households needing credit
    assert total[header.index("Cần hỗ trợ nước sạch")] == 0


def test_it_a_commune_officer_exports_only_her_commune(client, people, units, classified):
    login(client, people.lan)
    header, rows, total = table(workbook(client, classified)["Tổng hợp"])
    assert list(rows) == ["Xã Trà Cú"] and total[2:4] == (2, 1)
    assert other_commune(units).name not in str(list(rows))
    other = other_commune(units)
    assert client.get(f"/households/rounds/{classified.pk}/figures.xlsx?unit={other.pk}").status_code == 404
    login(client, people.binh)
    assert client.get(f"/households/rounds/{classified.pk}/figures.xlsx").status_code == 404


def test_it_exports_a_commune_by_hamlet(client, people, units, classified):
    from ansinh.geo.services import hamlet_create

    hamlet = hamlet_create(actor=people.lan, commune=units.tra_cu, name="Ấp Chợ", kind="ap")
    make_household(people.lan, units.tra_cu, "TC-3", hamlet=hamlet)
    services.review_round_run(round=classified, actor=people.minh)
    login(client, people.minh)
    book = workbook(client, classified, f"?unit={units.tra_cu.pk}")
    sheet = book["Tổng hợp"]
    assert "Xã Trà Cú" in sheet["A2"].value
    header, rows, total = table(sheet)
    assert header[1] == "Thôn, ấp, khu phố"
    assert rows["Ấp Chợ"][2:4] == (1, 1) and rows["Chưa gắn thôn, ấp"][2:4] == (2, 1)
    assert total[2:4] == (3, 2)
