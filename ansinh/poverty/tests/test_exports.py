import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest

from ansinh.accounts.models import AuditEvent
from ansinh.geo.models import Level, Unit
from ansinh.households.importer import household_import, template_xlsx
from ansinh.households.models import Household
from ansinh.households.tests.test_import import head, household, urlpatterns, xlsx  # noqa: F401
from ansinh.poverty import engine, exports
from ansinh.poverty.exports import _sheet_names, household_list_file, household_list_xlsx
from ansinh.poverty.models import Assessment, PovertyStandard, ReviewRound
from conftest import login

pytestmark = pytest.mark.django_db
with_urls = pytest.mark.urls("ansinh.households.tests.test_import")

HEADERS = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Số định danh", "Dân tộc", "Thôn/ấp", "Địa chỉ", "Khu vực",
           "Số nhân khẩu", "Thu nhập BQ/người/tháng", "Số chỉ số thiếu hụt", "Các chỉ số thiếu hụt", "Lý do"]


@pytest.fixture
def review(units):
    """A 2025 round of Vĩnh Long: the five sample households of Xã Trà Cú, one household of another
    commune of the province, one of Hà Nội (which the round does not cover)."""
    other = Unit.objects.filter(parent=units.vinh_long, level=Level.COMMUNE).exclude(pk=units.tra_cu.pk).order_by(
        "code").first()
    household_import(actor=None, data=template_xlsx(sample=True))
    household_import(actor=None, data=xlsx(
        [household("VL-1", commune=other.code), household("HN-1", commune="00004")],
        [head("VL-1", cid="084085004999", name="Nguyễn Văn Bé", born=dt.date(1985, 1, 30)),
         head("HN-1", cid="001085004567", name="Đỗ Văn Hà", born=dt.date(1985, 1, 30))]))
    standard = PovertyStandard.objects.get(code="2022-2025")
    round_ = ReviewRound.objects.create(year=2025, unit=units.vinh_long, standard=standard,
                                        reference_date=dt.date(2025, 11, 1))
    statuses = {"TC-0001": ("poor", 0b1011), "TC-0003": ("poor", 0b110000), "TC-0004": ("poor", 0b111),
                "TC-0002": ("not_poor", 0), "TC-0005": ("near_poor", 0b1), "VL-1": ("poor", 0b11),
                "HN-1": ("poor", 0b111)}
    for found in Household.objects.select_related("commune"):
        status, mask = statuses[found.code]
        Assessment.objects.create(
            round=round_, household=found, commune=found.commune, area=found.area, head_ethnicity=found.head_ethnicity,
            size=found.members.count(), income_per_capita=Decimal(1_234_000), income_method="declared",
            deprivations=mask, deprivation_count=bin(mask).count("1"), status=status)
    names = list(standard.indicators.order_by("position").values_list("name", flat=True))
    return SimpleNamespace(round=round_, other=other, standard=standard, names=names)


def rows_of(sheet):
    return [row for row in sheet.iter_rows(values_only=True)]


def data_rows(sheet):
    rows = rows_of(sheet)
    start = rows.index(tuple(HEADERS)) + 1
    end = next(i for i, row in enumerate(rows) if row[0] == "Tổng cộng")
    return rows[start:end], rows[end:]


def test_it_a_commune_list_has_the_title_headers_masked_ids_total_and_signers(review, units):
    content = household_list_xlsx(round=review.round, assessments=Assessment.objects.all(), status="poor",
                                  unit=units.tra_cu)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Xã Trà Cú"]
    sheet = book["Xã Trà Cú"]
    text = [cell for row in rows_of(sheet) for cell in row if isinstance(cell, str)]
    assert "UBND XÃ TRÀ CÚ" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "DANH SÁCH HỘ NGHÈO NĂM 2025" in text and "Xã Trà Cú, tỉnh Vĩnh Long" in text
    assert f"Chuẩn áp dụng: {review.standard.name} ({review.standard.basis})" in text
    rows, tail = data_rows(sheet)
    # Vietnamese order of the heads' names: Kim < Lê < Thạch.
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (1, "TC-0003", "Kim Thị Sa Rinh", "•••••••••789"),
        (2, "TC-0004", "Lê Thị Hoa", "•••••••••901"),
        (3, "TC-0001", "Thạch Sol", "•••••••••234"),
    ]
    assert not any("084" in str(cell) for row in rows for cell in row)  # no full citizen ID anywhere
    first = rows[2]
    assert first[4:11] == ("Khmer", None, "Ấp Chợ, Xã Trà Cú", "Nông thôn", 4, 1234000, 3)
    assert first[11] == "; ".join([review.names[0], review.names[1], review.names[3]])
    # The reason is not stored: derived from the row's figures, it is the engine's sentence for them.
    spec = engine.spec_for(review.standard)
    assert first[12] == engine.reason(spec, urban=False, income=1_234_000, mask=0b1011, status=engine.POOR)
    assert first[12].startswith("Thu nhập bình quân 1.234.000 đồng/người/tháng, không vượt chuẩn nông thôn")
    assert first[12].endswith(f"thiếu hụt 3 chỉ số (từ 03): {review.names[0].lower()}; {review.names[1].lower()}; "
                              f"{review.names[3].lower()} → hộ nghèo.")
    assert rows[0][12] == engine.reason(spec, urban=False, income=1_234_000, mask=0b110000, status=engine.POOR)
    assert tail[0][:3] == ("Tổng cộng", None, "3 hộ") and tail[0][8] == 2 + 4 + 4
    assert sheet.freeze_panes == f"A{rows_of(sheet).index(tuple(HEADERS)) + 2}"
    assert any("NGƯỜI LẬP BIỂU" in row and "CHỦ TỊCH UBND XÃ" in row for row in rows_of(sheet))
    assert sheet.cell(row=rows_of(sheet).index(tuple(HEADERS)) + 2, column=10).number_format == "#,##0"


def test_it_each_rows_reason_is_derived_across_chunks(review, units, monkeypatch):
    """Reasons are computed a chunk of rows at a time: with chunks of 2, every row still gets its own."""
    monkeypatch.setattr(exports, "CHUNK", 2)
    book = openpyxl.load_workbook(io.BytesIO(household_list_xlsx(
        round=review.round, assessments=Assessment.objects.all(), status="poor", unit=units.tra_cu)))
    rows, _ = data_rows(book.active)
    spec = engine.spec_for(review.standard)
    masks = {"TC-0001": 0b1011, "TC-0003": 0b110000, "TC-0004": 0b111}
    assert [r[1] for r in rows] == ["TC-0003", "TC-0004", "TC-0001"]
    assert [r[12] for r in rows] == [engine.reason(spec, urban=False, income=1_234_000, mask=masks[r[1]],
                                                   status=engine.POOR) for r in rows]
    assert len({r[12] for r in rows}) == 3


def test_it_the_near_poor_list_and_an_empty_list(review, units):
    book = openpyxl.load_workbook(io.BytesIO(household_list_xlsx(
        round=review.round, assessments=Assessment.objects.all(), status="near_poor", unit=units.tra_cu)))
    rows, _ = data_rows(book.active)
    assert [r[1] for r in rows] == ["TC-0005"]
    assert "DANH SÁCH HỘ CẬN NGHÈO NĂM 2025" in [row[0] for row in rows_of(book.active)]
    empty = household_list_file(round=review.round, assessments=Assessment.objects.none(), status="poor",
                                unit=units.tra_cu)
    book = openpyxl.load_workbook(io.BytesIO(empty.content))
    assert empty.rows == 0 and "Không có hộ nào." in [row[0] for row in rows_of(book.active)]
    with pytest.raises(ValueError):
        household_list_xlsx(round=review.round, assessments=Assessment.objects.all(), status="average",
                            unit=units.tra_cu)


def test_it_a_province_list_has_a_summary_and_a_sheet_per_commune(review, units):
    found = household_list_file(round=review.round, assessments=Assessment.objects.all(), status="poor",
                                unit=units.vinh_long)
    book = openpyxl.load_workbook(io.BytesIO(found.content))
    assert found.rows == 4 and found.filename == "danh-sach-ho-ngheo-2025-86.xlsx"
    assert book.sheetnames[0] == "Tổng hợp" and set(book.sheetnames[1:]) == {"Xã Trà Cú", review.other.name}
    assert len(data_rows(book["Xã Trà Cú"])[0]) == 3 and len(data_rows(book[review.other.name])[0]) == 1
    summary = rows_of(book["Tổng hợp"])
    assert ("Tổng cộng", None, None, 4, 11) in summary
    assert "Đỗ Văn Hà" not in str(rows_of(book[review.other.name]))  # Hà Nội is not in Vĩnh Long's list


def test_it_sheet_names_are_short_valid_and_unique():
    communes = [SimpleNamespace(pk=i, code=f"0000{i}", name=name) for i, name in enumerate(
        ["Xã Trà Cú", "xã trà cú", "Phường Một Tên Rất Dài Hơn Ba Mươi Mốt Ký Tự", "Phường Một Tên Rất Dài Hơn Ba "
         "Mươi Mốt Ký Tự Nữa", "A/B:C"])]
    names = _sheet_names(communes)
    assert all(len(name) <= 31 for name in names.values())
    assert len({name.casefold() for name in names.values()}) == 5
    assert names[1] == "xã trà cú (2)" and names[4] == "A B C"


def test_it_the_list_is_read_in_a_fixed_number_of_queries(review, units, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        household_list_xlsx(round=review.round, assessments=Assessment.objects.all(), status="poor",
                            unit=units.vinh_long)


# --- The web ----------------------------------------------------------------------------------


@with_urls
def test_it_a_commune_officer_gets_only_the_communes_rows_even_for_the_province(client, people, units, review):
    login(client, people.lan)
    url = f"/households/rounds/{review.round.pk}/list.xlsx"
    response = client.get(url, {"status": "poor", "unit": units.vinh_long.pk})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Xã Trà Cú"]
    assert len(data_rows(book["Xã Trà Cú"])[0]) == 3
    event = AuditEvent.objects.get(action="households.list_export")
    assert (event.actor, event.after) == (people.lan, {"status": "poor", "unit": "86", "households": 3})
    # The provincial officer gets the whole province.
    login(client, people.minh)
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"status": "poor"}).content))
    assert len(book.sheetnames) == 3


@with_urls
def test_it_the_list_is_not_found_outside_the_users_scope(client, people, units, review):
    url = f"/households/rounds/{review.round.pk}/list.xlsx"
    login(client, people.binh)  # Hà Nội: cannot see Vĩnh Long's round
    assert client.get(url, {"status": "poor"}).status_code == 404
    login(client, people.lan)
    assert client.get(url, {"status": "poor", "unit": review.other.pk}).status_code == 404  # a neighbouring commune
    assert client.get(url, {"status": "poor", "unit": units.ba_dinh.pk}).status_code == 404
    assert client.get(url, {"status": "poor", "unit": "x"}).status_code == 404
    assert client.get(url, {"status": "rich"}).status_code == 400
    login(client, people.hoa)
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="households.list_export").exists()
    login(client, people.duc)  # a national viewer may read it
    response = client.get(url, {"status": "near_poor", "unit": units.tra_cu.pk})
    assert response.status_code == 200 and 'filename="danh-sach-ho-can-ngheo-2025-29461.xlsx"' in response[
        "Content-Disposition"]
