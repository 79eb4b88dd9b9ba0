import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import include, path
from django.utils import translation

import ansinh.urls
from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.geo.services import hamlet_create
from ansinh.households import importer
from ansinh.households.importer import (
    CONDITION_COLUMNS,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    SHEET_CONDITIONS,
    SHEET_HOUSEHOLDS,
    SHEET_MEMBERS,
    HouseholdImportError,
    household_import,
    template_xlsx,
)
from ansinh.households.models import (
    Area,
    Disability,
    Education,
    Employment,
    Household,
    HouseholdEvent,
    Housing,
    Latrine,
    LivingConditions,
    Member,
    Relation,
    Schooling,
    Sex,
    WaterSource,
)
from conftest import login

pytestmark = pytest.mark.django_db

# The project's URLs (the register's and the poverty review's, both under /households/), named here
# so the tests that use them say so.
urlpatterns = [*ansinh.urls.urlpatterns]
with_urls = pytest.mark.urls(__name__)


def xlsx(households=(), members=(), conditions=(), *, sheets=None) -> bytes:
    """A workbook with the template's headers and the given rows (dicts by header)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    spec = {SHEET_HOUSEHOLDS: (HOUSEHOLD_COLUMNS, households), SHEET_MEMBERS: (MEMBER_COLUMNS, members),
            SHEET_CONDITIONS: (CONDITION_COLUMNS, conditions)}
    for title in sheets or spec:
        columns, rows = spec[title]
        sheet = book.create_sheet(title)
        sheet.append([column.header for column in columns])
        for row in rows:
            sheet.append([row.get(column.header) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def household(code="H1", commune="29461", **more):
    return {"Mã hộ": code, "Mã xã": commune, **more}


def head(code="H1", cid="084078001234", name="Thạch Sol", born=dt.date(1978, 4, 12), sex="Nam", **more):
    return {"Mã hộ": code, "Họ và tên": name, "Số định danh cá nhân": cid, "Giới tính": sex, "Ngày sinh": born,
            "Quan hệ với chủ hộ": "Chủ hộ", **more}


def member(code="H1", name="Kim Thị Sa Phol", cid=None, born=dt.date(1980, 9, 3), sex="Nữ", relation="Vợ/Chồng",
           **more):
    return {"Mã hộ": code, "Họ và tên": name, "Số định danh cá nhân": cid, "Giới tính": sex, "Ngày sinh": born,
            "Quan hệ với chủ hộ": relation, **more}


def conditions(code="H1", year=2025, **more):
    return {"Mã hộ": code, "Năm rà soát": year, "Loại nhà": "Bán kiên cố", "Diện tích ở (m²)": 40,
            "Nguồn nước": "Nước máy", "Nhà tiêu": "Tự hoại, bán tự hoại", **more}


def problems_of(error):
    return {(p.sheet, p.row, p.column) : p.message for p in error.value.problems}


def test_it_the_labels_cover_every_choice():
    for labels, choices in [(importer.AREA_LABELS, Area), (importer.SEX_LABELS, Sex),
                            (importer.RELATION_LABELS, Relation), (importer.SCHOOLING_LABELS, Schooling),
                            (importer.EDUCATION_LABELS, Education), (importer.EMPLOYMENT_LABELS, Employment),
                            (importer.DISABILITY_LABELS, Disability), (importer.HOUSING_LABELS, Housing),
                            (importer.WATER_LABELS, WaterSource), (importer.LATRINE_LABELS, Latrine)]:
        assert set(labels) == set(choices.values)
    every_value = {v for c in (Area, Sex, Relation, Schooling, Education, Employment, Disability, Housing,
                               WaterSource, Latrine) for v in c.values}
    for alias_set in importer.ALIASES.values():
        assert set(alias_set.values()) <= every_value


def test_it_imports_the_sample_with_derived_fields_events_and_one_audit_row(people, units):
    result = household_import(actor=Actor(user=people.lan, ip="10.0.0.1"), data=template_xlsx(sample=True), name="mau.xlsx",
                              allowed=get_scope(people.lan).can_change)
    assert (result.households, result.members, result.conditions) == (5, 15, 5)
    assert Household.objects.filter(commune=units.tra_cu).count() == 5
    first = Household.objects.get(code="TC-0001")
    assert (first.head_name, first.head_ethnicity, first.area, first.area_overridden) == ("Thạch Sol", "05", "rural",
                                                                                          False)
    assert first.legacy_commune == units.legacy_thi_tran_tra_cu
    for saved in Household.objects.all():
        expected = Household(code=saved.code, head_name=saved.head_name, address=saved.address)
        expected.set_derived_fields()
        assert (saved.search_text, saved.sort_key) == (expected.search_text, expected.sort_key)
    for saved in Member.objects.all():
        expected = Member(full_name=saved.full_name)
        expected.set_derived_fields()
        assert (saved.search_name, saved.sort_key) == (expected.search_name, expected.sort_key)
    wife = Member.objects.get(full_name="Kim Thị Sa Phol")
    assert (wife.sex, wife.relation, wife.health_insurance, wife.employment, wife.ethnicity, wife.citizen_id) == (
        "female", "spouse", False, "no_contract", "05", "084180002345")
    son = Member.objects.get(full_name="Thạch Minh Tâm")
    assert (son.birth_date, son.schooling, son.uses_internet, son.can_work) == (dt.date(2010, 6, 15),
                                                                                "lower_secondary", True, True)
    poor = LivingConditions.objects.get(household__code="TC-0004")
    assert (poor.floor_area, poor.income_per_capita, poor.needs_job, poor.b1_answers) == (
        Decimal("45.5"), Decimal("1800000"), True, {})
    assert LivingConditions.objects.get(household__code="TC-0005").income_per_capita is None
    assert HouseholdEvent.objects.filter(kind="created", actor=people.lan).count() == 5
    event = AuditEvent.objects.get(action="households.import")
    assert event.after == {"file": "mau.xlsx", "households": 5, "members": 15, "conditions": 5}
    assert (event.actor, event.unit, event.ip, event.object_type) == (people.lan, units.tra_cu, "10.0.0.1",
                                                                      "households.household")
    assert Household.objects.search("thach sol").get() == first


def test_it_a_file_with_one_bad_row_commits_nothing_and_names_the_row(people):
    data = xlsx([household("H1"), household("H2")],
                [head("H1"), head("H2", cid="084085004567", name="Nguyễn Văn An", born=dt.date(1985, 1, 30)),
                 member("H2", cid="084185005678")])  # born 1980, but the ID says 1985
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=people.lan, data=data, allowed=get_scope(people.lan).can_change)
    assert [str(p) for p in error.value.problems] == [
        "Thành viên, dòng 4, cột Số định danh cá nhân: Số định danh ứng với năm sinh 1985, không khớp với năm sinh "
        "đã khai (1980)."]
    assert not Household.objects.exists() and not Member.objects.exists() and not HouseholdEvent.objects.exists()
    assert not AuditEvent.objects.filter(action="households.import").exists()


def test_it_reports_every_problem_by_sheet_row_and_column(people):
    future = dt.date.today() + dt.timedelta(days=3)
    data = xlsx(
        [household("H1", **{"Khu vực": "Miền núi"}), household("H1"), household("H3", commune="99999"),
         household("H4"), household("H5")],
        [head("H1", **{"Có thẻ BHYT": "Chắc có"}),
         member("H1", cid="084078001234", sex="Nam", born=dt.date(1978, 1, 1)),  # the head's ID again
         member("H1", name="Bé Ba", born=future, relation="Con"),
         member("H1", name="Người Lạ", relation="Hàng xóm", **{"Dân tộc": "Sao Hỏa"}),
         member("H9", name="Ai Đó"),
         head("H4", cid="084178002345", name="Lê Thị Hoa"),  # 4th digit 1 = female, declared male
         head("H4", cid=None, name="Lê Văn Hai", born="31/02/1970"),
         member("H4", cid="12345", name="Lê Văn Ba", sex="Nam", relation="Con")],
        [conditions("H1"), conditions("H1", **{"Diện tích ở (m²)": "nhiều"}), conditions("H8"),
         conditions("H4", year=1999)],
    )
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=data)
    found = problems_of(error)
    assert found == {
        (SHEET_HOUSEHOLDS, 2, "Khu vực"): "Giá trị «Miền núi» không có trong danh mục. Chọn một trong: Thành thị; "
                                          "Nông thôn.",
        (SHEET_HOUSEHOLDS, 3, "Mã hộ"): "Mã hộ H1 trùng với dòng 2.",
        (SHEET_HOUSEHOLDS, 4, "Mã xã"): "Không có xã/phường/đặc khu mang mã 99999 trong bản đồ hành chính từ "
                                        "01/07/2025.",
        (SHEET_HOUSEHOLDS, 4, "Mã hộ"): "Hộ H3 chưa có chủ hộ: sheet Thành viên cần đúng một người có Quan hệ với "
                                        "chủ hộ là «Chủ hộ».",
        (SHEET_HOUSEHOLDS, 6, "Mã hộ"): "Hộ H5 chưa có chủ hộ: sheet Thành viên cần đúng một người có Quan hệ với "
                                        "chủ hộ là «Chủ hộ».",
        (SHEET_MEMBERS, 2, "Có thẻ BHYT"): "Giá trị «Chắc có» không hợp lệ: ghi Có hoặc Không.",
        (SHEET_MEMBERS, 3, "Số định danh cá nhân"): "Số định danh 084078001234 trùng với dòng 2.",
        (SHEET_MEMBERS, 4, "Ngày sinh"): f"Ngày {future:%d/%m/%Y} ở sau ngày hôm nay.",
        (SHEET_MEMBERS, 5, "Quan hệ với chủ hộ"): "Giá trị «Hàng xóm» không có trong danh mục. Chọn một trong: Chủ hộ; "
                                                  "Vợ/Chồng; Con; Cha/Mẹ; Cháu; Ông/Bà; Anh/Chị/Em; Khác.",
        (SHEET_MEMBERS, 5, "Dân tộc"): "Không rõ dân tộc «Sao Hỏa»: ghi tên dân tộc (ví dụ Kinh, Khmer) hoặc mã "
                                       "01–55.",
        (SHEET_MEMBERS, 6, "Mã hộ"): "Mã hộ H9 không có trong sheet Hộ gia đình.",
        (SHEET_MEMBERS, 7, "Số định danh cá nhân"): "Chữ số thứ tư của số định danh ứng với giới tính nữ, không khớp "
                                                    "với giới tính đã khai.",
        # The message names the day that does not exist (it said "write dd/mm/yyyy" before).
        (SHEET_MEMBERS, 8, "Ngày sinh"): "Ngày «31/02/1970» không hợp lệ: tháng 2 năm 1970 không có ngày 31.",
        (SHEET_MEMBERS, 8, "Quan hệ với chủ hộ"): "Hộ H4 đã có chủ hộ ở dòng 7: mỗi hộ chỉ có một chủ hộ.",
        (SHEET_MEMBERS, 9, "Số định danh cá nhân"): "Số định danh cá nhân phải gồm đúng 12 chữ số.",
        (SHEET_CONDITIONS, 3, "Diện tích ở (m²)"): "«nhiều» không phải là số (ghi 1.200 hoặc 1200; 0,5 hoặc 36,5).",
        (SHEET_CONDITIONS, 3, "Năm rà soát"): "Hộ H1 đã có điều kiện sống năm 2025 ở dòng 2.",
        (SHEET_CONDITIONS, 4, "Mã hộ"): "Mã hộ H8 không có trong sheet Hộ gia đình và cũng chưa có trong sổ hộ.",
        (SHEET_CONDITIONS, 5, "Năm rà soát"): f"Năm «1999» không hợp lệ: cần một năm từ 2016 đến "
                                              f"{dt.date.today().year + 1}.",
    }
    # In sheet, row and column order, each as "Sheet, dòng N, cột X: message".
    assert str(error.value.problems[0]) == ("Hộ gia đình, dòng 2, cột Khu vực: Giá trị «Miền núi» không có trong danh "
                                            "mục. Chọn một trong: Thành thị; Nông thôn.")
    assert [p.sheet for p in error.value.problems][-1] == SHEET_CONDITIONS
    assert not Household.objects.exists()


def test_it_required_cells_and_columns_are_reported(people):
    data = xlsx([household("H1", commune=None)], [head("H1", name="  ")])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=data)
    assert problems_of(error) == {(SHEET_HOUSEHOLDS, 2, "Mã xã"): "Chưa điền (cột bắt buộc).",
                                  (SHEET_MEMBERS, 2, "Họ và tên"): "Chưa điền (cột bắt buộc)."}

    book = openpyxl.Workbook()
    book.active.title = SHEET_HOUSEHOLDS
    book.active.append(["Mã hộ", "Địa chỉ"])
    book.active.append(["H1", "Ấp Chợ"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=out.getvalue())
    assert [str(p) for p in error.value.problems] == [
        "Hộ gia đình, dòng 1, cột Mã xã: Thiếu cột bắt buộc này ở dòng tiêu đề.",
        "Thành viên: Tệp không có sheet «Thành viên» (dùng tệp mẫu tải từ hệ thống)."]


def test_it_rejects_a_file_that_is_not_a_workbook_and_an_empty_one(people):
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=b"Ma ho;Ma xa\nH1;29461\n")
    assert str(error.value.problems[0]).startswith("Không đọc được tệp")
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=xlsx())
    assert [str(p) for p in error.value.problems] == ["Tệp không có dòng dữ liệu nào."]


def test_it_a_commune_officer_cannot_import_another_communes_household(people, units):
    data = xlsx([household("H1"), household("BD-1", commune="00004")],
                [head("H1"), head("BD-1", cid="001085004567", name="Nguyễn Văn An", born=dt.date(1985, 1, 30))])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=people.lan, data=data, allowed=get_scope(people.lan).can_change)
    assert [str(p) for p in error.value.problems] == [
        "Hộ gia đình, dòng 3, cột Mã xã: Bạn không được nhập hộ của Phường Ba Đình (mã 00004): xã này ngoài phạm vi "
        "bạn phụ trách."]
    assert not Household.objects.exists()
    # The provincial officer of Vĩnh Long may not either; the administrator may.
    with pytest.raises(HouseholdImportError):
        household_import(actor=people.minh, data=data, allowed=get_scope(people.minh).can_change)
    result = household_import(actor=people.tung, data=data, allowed=get_scope(people.tung).can_change)
    assert result.households == 2
    event = AuditEvent.objects.get(action="households.import")
    assert event.unit.level == 0  # the country: the smallest unit holding both communes


def test_it_checks_against_the_registry(people, units):
    household_import(actor=None, data=xlsx([household("H1")], [head("H1")], [conditions("H1", year=2024)]))
    data = xlsx([household("H1"), household("H2")],
                [head("H2", name="Thạch Sol"), head("H1", cid="084085004567", name="Nguyễn Văn An",
                                                      born=dt.date(1985, 1, 30))])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=data)
    assert problems_of(error) == {
        (SHEET_HOUSEHOLDS, 2, "Mã hộ"): "Mã hộ H1 đã có trong sổ hộ.",
        (SHEET_MEMBERS, 2, "Số định danh cá nhân"): "Số định danh 084078001234 đã có trong sổ hộ (một thành viên đã "
                                                    "đăng ký).",
    }
    # Members cannot be added to a registered household by file; living conditions can.
    data = xlsx([], [member("H1")], [conditions("H1", year=2024), conditions("H1", year=2025)])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=data)
    assert problems_of(error) == {
        (SHEET_MEMBERS, 2, "Mã hộ"): "Hộ H1 đã có trong sổ: thêm thành viên trên trang của hộ, không nhập qua tệp.",
        (SHEET_CONDITIONS, 2, "Năm rà soát"): "Hộ H1 đã có điều kiện sống năm 2024 trong sổ; sửa trên trang của hộ.",
    }
    result = household_import(actor=people.lan, data=xlsx([], [], [conditions("H1", year=2025)]),
                              allowed=get_scope(people.lan).can_change)
    assert (result.households, result.conditions) == (0, 1)
    assert sorted(LivingConditions.objects.values_list("year", flat=True)) == [2024, 2025]
    assert AuditEvent.objects.get(actor=people.lan, action="households.import").unit == units.tra_cu
    # Outside the importer's scope, even adding living conditions is refused.
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=people.binh, data=xlsx([], [], [conditions("H1", year=2026)]),
                         allowed=get_scope(people.binh).can_change)
    assert "ngoài phạm vi" in str(error.value.problems[0])


def test_it_checks_hamlets_and_legacy_communes(people, units):
    hamlet = hamlet_create(actor=None, commune=units.tra_cu, name="Ấp Chợ", kind="ap")
    data = xlsx([household("H1", **{"Thôn/ấp": "ap cho", "Mã xã cũ": 29479}),
                 household("H2", **{"Thôn/ấp": "Ấp Không Có", "Mã xã cũ": "00004"})],
                [head("H1"), head("H2", cid="084085004567", name="Nguyễn Văn An", born=dt.date(1985, 1, 30))])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=data)
    assert problems_of(error) == {
        (SHEET_HOUSEHOLDS, 3, "Thôn/ấp"): "Xã Trà Cú chưa có thôn/ấp «Ấp Không Có». Thêm thôn/ấp trên trang của xã "
                                          "(Bản đồ hành chính) rồi nhập lại.",
        (SHEET_HOUSEHOLDS, 3, "Mã xã cũ"): "Mã xã cũ 00004 không phải là xã cũ đã hợp thành Xã Trà Cú (các mã hợp "
                                           "lệ: 29461, 29479, 29485).",
    }
    household_import(actor=None, data=xlsx([household("H1", **{"Thôn/ấp": "ap cho", "Mã xã cũ": 29479})], [head()]))
    saved = Household.objects.get(code="H1")
    assert (saved.hamlet, saved.legacy_commune) == (hamlet, units.legacy_ngai_xuyen)


def test_it_reads_what_excel_does_to_numbers_and_dates(people, units):
    # A citizen ID typed as a number loses its leading zero; codes come as numbers; Vietnamese number format.
    data = xlsx([household(7, commune=29461, **{"Khu vực": "thanh thi", "Dân tộc chủ hộ": 5})],
                [head("7", cid=84078001234, born="12/04/1978", **{"Dân tộc": "khơ-me", "Việc làm": "tu lam"}),
                 member(7.0, name="Thạch  Thị   Bé", sex="nu", born=dt.datetime(2019, 2, 20), relation="con gái",
                        **{"Đang đi học (cấp)": "mau giao", "Có thẻ BHYT": "x", "Khuyết tật": "Đặc biệt nặng"})],
                [conditions(7, year="2025", **{"Diện tích ở (m²)": "36,5",
                                               "Thu nhập bình quân (đồng/người/tháng)": "1.200.000 đ",
                                               "Loại nhà": "ban kien co", "Ti vi": 1})])
    household_import(actor=None, data=data)
    saved = Household.objects.get(code="7")
    assert (saved.area, saved.area_overridden, saved.head_ethnicity) == ("urban", True, "05")
    head_member, child = Member.objects.filter(household=saved).order_by("birth_date")
    assert (head_member.citizen_id, head_member.birth_date, head_member.employment) == (
        "084078001234", dt.date(1978, 4, 12), "self_employed")
    assert (child.full_name, child.sex, child.relation, child.schooling, child.ethnicity, child.disability) == (
        "Thạch Thị Bé", "female", "child", "preschool", "05", "especially_severe")
    found = LivingConditions.objects.get(household=saved)
    assert (found.floor_area, found.income_per_capita, found.housing, found.has_tv, found.waste_treated) == (
        Decimal("36.5"), Decimal("1200000"), "semi_durable", True, True)


def test_it_also_takes_the_labels_the_web_pages_show(people):
    data = xlsx([household("H1")], [head("H1", **{"Việc làm": "waged, with a labour contract",
                                                  "Quan hệ với chủ hộ": "head of household"})],
                [conditions("H1", **{"Loại nhà": "durable (kiên cố)", "Nguồn nước": "piped_water"})])
    with pytest.raises(HouseholdImportError) as error:  # "piped_water" is neither a value nor a label
        household_import(actor=None, data=data)
    assert list(problems_of(error)) == [(SHEET_CONDITIONS, 2, "Nguồn nước")]
    household_import(actor=None, data=xlsx([household("H1")], [head("H1", **{"Việc làm": "self_employed"})],
                                           [conditions("H1", **{"Loại nhà": "durable (kiên cố)"})]))
    assert Member.objects.get().employment == "self_employed"
    assert LivingConditions.objects.get().housing == "durable"


def test_it_the_head_ethnicity_must_agree_with_the_households(people):
    data = xlsx([household("H1", **{"Dân tộc chủ hộ": "Kinh"})], [head("H1", **{"Dân tộc": "Khmer"})])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=data)
    assert [str(p) for p in error.value.problems] == [
        "Thành viên, dòng 2, cột Dân tộc: Dân tộc của chủ hộ (Khmer) khác với cột Dân tộc chủ hộ của hộ H1 (Kinh)."]


def test_it_a_dry_run_writes_nothing(people):
    result = household_import(actor=None, data=template_xlsx(sample=True), dry_run=True)
    assert (result.households, result.members, result.written) == (5, 15, False)
    assert not Household.objects.exists()


def test_it_the_template_has_notes_drop_downs_frozen_headers_and_a_guide():
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == ["Hướng dẫn", SHEET_HOUSEHOLDS, SHEET_MEMBERS, SHEET_CONDITIONS, "Danh mục"]
    members = book[SHEET_MEMBERS]
    assert [cell.value for cell in members[1]] == [column.header for column in MEMBER_COLUMNS]
    assert members.max_row == 1 and members.freeze_panes == "B2"
    assert members["A1"].comment.text.startswith("Bắt buộc.")
    assert "Để trống: Có." in members["H1"].comment.text  # Có thẻ BHYT
    ranges = {str(v.sqref): v.formula1 for v in members.data_validations.dataValidation}
    assert ranges["F2:F1048576"] == "'Danh mục'!$D$2:$D$9"  # Quan hệ với chủ hộ
    lists = book["Danh mục"]
    assert [lists.cell(row=r, column=4).value for r in range(1, 10)] == ["Quan hệ với chủ hộ",
                                                                          *importer.RELATION_LABELS.values()]
    guide = [row for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert ("Thành viên", "Giới tính", "Có", "Nam; Nữ", None) == guide[next(
        i for i, r in enumerate(guide) if r[1] == "Giới tính")][:5]
    assert sum(1 for r in guide if r[0] in importer.SHEETS) == sum(len(c) for c in importer.SHEETS.values())


def test_it_the_sample_in_examples_is_current(people):
    """examples/households-import-sample.xlsx is `ansinh households template --sample`: it imports cleanly."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[3] / "examples" / "households-import-sample.xlsx"
    result = household_import(actor=None, data=sample, dry_run=True)
    assert (result.households, result.members, result.conditions) == (5, 15, 5)


# --- The command ------------------------------------------------------------------------------


def test_it_the_command_prints_every_error_and_writes_nothing(people, tmp_path, capsys):
    path = tmp_path / "ho.xlsx"
    path.write_bytes(xlsx([household("H1")], [member("H1")]))
    with pytest.raises(CommandError) as error:
        call_command("households", "import", str(path))
    err = capsys.readouterr().err
    assert ("Hộ gia đình, dòng 2, cột Mã hộ: Hộ H1 chưa có chủ hộ: sheet Thành viên cần đúng một người có Quan hệ "
            "với chủ hộ là «Chủ hộ».") in err
    assert "1 lỗi" in str(error.value)
    assert not Household.objects.exists()


def test_it_the_command_imports_as_a_user_within_their_scope(people, tmp_path, capsys):
    path = tmp_path / "mau.xlsx"
    call_command("households", "template", "-o", str(path), "--sample")
    with pytest.raises(CommandError):
        call_command("households", "import", str(path), "--as", "binh")
    assert "ngoài phạm vi" in capsys.readouterr().err
    with pytest.raises(CommandError) as error:
        call_command("households", "import", str(path), "--as", "bao")  # a leader does not edit
    assert "bao" in str(error.value)
    call_command("households", "import", str(path), "--as", "lan")
    assert "5 hộ, 15 thành viên, 5 dòng điều kiện sống" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="households.import")
    assert (event.actor, event.after["file"]) == (people.lan, "mau.xlsx")


def test_it_the_command_checks_without_writing(people, tmp_path, capsys):
    path = tmp_path / "mau.xlsx"
    call_command("households", "template", "-o", str(path), "--sample")
    call_command("households", "import", str(path), "--check")
    assert "không ghi gì" in capsys.readouterr().out
    assert not Household.objects.exists()


# --- The web ----------------------------------------------------------------------------------


@with_urls
def test_it_the_import_page_is_for_editing_roles(client, people):
    login(client, people.lan)
    page = client.get("/households/import/")
    assert page.status_code == 200 and 'href="/households/import/template.xlsx"' in page.content.decode()
    for user in (people.bao, people.duc):
        login(client, user)
        assert client.get("/households/import/").status_code == 403
        upload = io.BytesIO(template_xlsx(sample=True))
        upload.name = "mau.xlsx"
        assert client.post("/households/import/", {"file": upload}).status_code == 403
    assert not Household.objects.exists()


@with_urls
def test_it_the_template_downloads(client, people):
    login(client, people.lan)
    response = client.get("/households/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[1] == SHEET_HOUSEHOLDS
    sample = client.get("/households/import/template.xlsx?sample=1")
    assert openpyxl.load_workbook(io.BytesIO(sample.content))[SHEET_HOUSEHOLDS].max_row == 6


@with_urls
def test_it_a_bad_upload_shows_every_error_and_commits_nothing(client, people):
    login(client, people.lan)
    upload = io.BytesIO(xlsx([household("H1"), household("BD-1", commune="00004")],
                             [head("H1"), head("BD-1", cid="001085004567", name="Nguyễn Văn An",
                                               born=dt.date(1985, 1, 30))]))
    upload.name = "ho.xlsx"
    response = client.post("/households/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<td>Hộ gia đình</td>" in page and "<td>3</td>" in page and "Phường Ba Đình" in page
    assert not Household.objects.exists()
    assert client.post("/households/import/", {}).status_code == 400


@with_urls
def test_it_a_good_upload_redirects_to_the_household_list_with_a_message(client, people, units):
    login(client, people.lan)
    upload = io.BytesIO(template_xlsx(sample=True))
    upload.name = "mau.xlsx"
    response = client.post("/households/import/", {"file": upload}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302 and response["Location"].startswith("/households/")
    assert Household.objects.filter(commune=units.tra_cu).count() == 5
    event = AuditEvent.objects.get(action="households.import")
    assert (event.ip, event.after["file"], event.actor) == ("10.9.8.7", "mau.xlsx", people.lan)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert len(messages) == 1 and "5" in messages[0]


# --- The reader on files from other producers -------------------------------------------------


def excel_like_workbook() -> bytes:
    """What Excel writes: shared strings (one in rich text, with a phonetic hint), a custom date
    format, a formula with its cached value, booleans, gaps between cells and rows, and an `x:`
    namespace prefix."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<x:workbook xmlns:x="{main}" xmlns:r="{rel}"><x:sheets>'
                           '<x:sheet name="Hộ gia đình" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      'relationships"><Relationship Id="rId7" Target="/xl/worksheets/ho.xml" '
                                      'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                      'worksheet"/><Relationship Id="rId8" Target="styles.xml" Type="http://schemas.'
                                      'openxmlformats.org/officeDocument/2006/relationships/styles"/><Relationship '
                                      'Id="rId9" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
                                      'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
        "xl/sharedStrings.xml": f'<x:sst xmlns:x="{main}"><x:si><x:t>Mã hộ</x:t></x:si>'
                                '<x:si><x:r><x:t xml:space="preserve">Thạch </x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>Sol</x:t></x:r>'
                                '<x:rPh sb="0" eb="1"><x:t>PHONETIC</x:t></x:rPh></x:si>'
                                '<x:si><x:t>A &amp; B</x:t></x:si></x:sst>',
        "xl/styles.xml": f'<styleSheet xmlns="{main}"><numFmts count="1"><numFmt numFmtId="170" '
                         'formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
                         '<xf numFmtId="170"/><xf numFmtId="14"/></cellXfs></styleSheet>',
        "xl/worksheets/ho.xml": f'<x:worksheet xmlns:x="{main}"><x:sheetData>'
                                '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c>'
                                '</x:row><x:row r="4"><x:c r="A4" t="s"><x:v>1</x:v></x:c>'
                                '<x:c r="B4" s="1"><x:v>28592</x:v></x:c><x:c r="C4" s="2"><x:v>45658.5</x:v></x:c>'
                                '<x:c r="D4" t="b"><x:v>1</x:v></x:c><x:c r="F4"><x:f>1+1</x:f><x:v>2</x:v></x:c>'
                                '<x:c r="G4" t="str"><x:f>"a"</x:f><x:v>a</x:v></x:c><x:c r="H4" t="inlineStr">'
                                '<x:is><x:t xml:space="preserve"> x </x:t></x:is></x:c><x:c r="I4"><x:v>1.5E3</x:v></x:c></x:row>'
                                '</x:sheetData></x:worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_it_the_reader_reads_what_excel_writes():
    from ansinh.lib.spreadsheets import Reader

    reader = Reader(io.BytesIO(excel_like_workbook()))
    assert reader.sheetnames == ["Hộ gia đình"]
    rows = list(reader.rows("Hộ gia đình"))
    assert rows[0] == (1, ["Mã hộ", None, "A & B"])
    number, values = rows[1]
    assert number == 4
    assert values == ["Thạch Sol", dt.datetime(1978, 4, 12), dt.datetime(2025, 1, 1, 12, 0), True, None, 2, "a",
                      " x ", 1500.0]


def test_it_a_broken_sheet_is_reported_not_raised(people):
    import zipfile

    data = io.BytesIO(excel_like_workbook())
    broken = io.BytesIO()
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            text = source.read(item)
            target.writestr(item, text[:200] if item.filename.endswith("ho.xml") else text)
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=broken.getvalue())
    assert str(error.value.problems[0]).startswith("Không đọc được tệp")


# --- Limits, refusals and languages (the tabular import framework) ----------------------------


def test_it_refuses_a_zip_bomb_quickly_in_bounded_memory_and_audits_the_refusal(people):
    import time
    import tracemalloc

    from ansinh.lib.tests.test_spreadsheets import zip_bomb

    data = zip_bomb(2_000_000)  # about 650 KB: it took the import to 3-4,7 GB before the limits
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(HouseholdImportError) as error:
            household_import(actor=people.lan, data=data, name="bom.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 30 and peak < 50 * 1024 * 1024
    assert [str(p) for p in error.value.problems] == [
        "Không đọc được tệp: một sheet của tệp có hơn 1.000.000 dòng (giới hạn cho một lần nhập): hãy chia thành "
        "nhiều tệp nhỏ hơn."]
    event = AuditEvent.objects.get(action="import.refused")
    assert event.actor == people.lan
    assert event.after == {"import": "households", "file": "bom.xlsx", "rows": 0, "problems": 1, "check": False,
                           "first": [str(error.value.problems[0])]}
    assert not Household.objects.exists()


def test_it_a_refused_file_is_audited_with_its_row_and_problem_counts(people):
    data = xlsx([household("H1"), household("H2", **{"Khu vực": "Miền núi"})], [head("H1"), head("H2", cid=None)])
    with pytest.raises(HouseholdImportError):
        household_import(actor=Actor(user=people.lan, ip="10.1.2.3"), data=data, name="ho.xlsx")
    event = AuditEvent.objects.get(action="import.refused")
    assert (event.ip, event.after["file"], event.after["rows"], event.after["problems"]) == ("10.1.2.3", "ho.xlsx",
                                                                                           4, 1)


def test_it_the_problems_speak_the_language_of_the_page(people):
    data = xlsx([household("H1", **{"Khu vực": "Miền núi"})], [head("H1")])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=people.lan, data=data)
    problem = error.value.problems[0]
    with translation.override("en"):
        assert str(problem) == ("Hộ gia đình, row 2, column Khu vực: The value “Miền núi” is not in the list. "
                                "Choose one of: Thành thị; Nông thôn.")
    with translation.override("vi"):
        assert str(problem) == ("Hộ gia đình, dòng 2, cột Khu vực: Giá trị «Miền núi» không có trong danh mục. "
                                "Chọn một trong: Thành thị; Nông thôn.")


def test_it_checks_the_actors_scope_by_default(people):
    """Without `allowed`, the actor's own scope applies: Lan (Trà Cú) cannot import Ba Đình's households."""
    data = xlsx([household("BD-1", commune="00004")], [head("BD-1", cid="001085004567", born=dt.date(1985, 1, 30))])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=people.lan, data=data)
    assert "ngoài phạm vi" in str(error.value.problems[0])


def test_it_reads_one_thousand_two_hundred_square_metres_as_such(people, units):
    data = xlsx([household("H1")], [head("H1")],
                [conditions("H1", **{"Diện tích ở (m²)": "1.200", "Thu nhập bình quân (đồng/người/tháng)": "0.500"})])
    household_import(actor=people.lan, data=data)
    found = LivingConditions.objects.get()
    assert (found.floor_area, found.income_per_capita) == (Decimal(1200), Decimal(500))


@with_urls
def test_it_check_only_in_the_page_writes_nothing(client, people):
    login(client, people.lan)
    upload = io.BytesIO(template_xlsx(sample=True))
    upload.name = "mau.xlsx"
    response = client.post("/households/import/", {"file": upload, "check": "1"})
    assert response.status_code == 200
    assert 'data-testid="import-check"' in response.content.decode()
    assert not Household.objects.exists() and not AuditEvent.objects.filter(action="households.import").exists()


@with_urls
def test_it_the_page_refuses_an_upload_over_the_one_limit(client, people, settings):
    settings.ANSINH_UPLOAD_MAX_BYTES = 1024
    login(client, people.lan)
    upload = io.BytesIO(template_xlsx(sample=True))
    upload.name = "mau.xlsx"
    response = client.post("/households/import/", {"file": upload})
    assert response.status_code == 400 and "Tệp lớn hơn 1 KB: hãy chia thành nhiều tệp." in response.content.decode()
    assert not Household.objects.exists()
