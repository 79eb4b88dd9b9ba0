"""The inspectorate's main page in headless Chromium: an inspector opens it from the menu, records
a check with a violation, sees it in the list with the totals, and the letters due. Skipped when
Chromium is missing, except in CI (CI=true)."""

from __future__ import annotations

import pytest

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def inspector(live_server):  # type: ignore[no-untyped-def]
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    if not Unit.objects.exists():
        load_official_map()
    province = unit_for_role(role="inspector", code="86")
    user_create(username="thanh", password=PASSWORD, role="inspector", unit=province)
    return province


def test_it_records_a_check_from_the_inspectorates_page(inspector, page):  # type: ignore[no-untyped-def]
    from ansinh.care.models_inspections import Inspection
    from ansinh.geo.models import Edition, Unit

    tra_cu = Unit.objects.get(edition=Edition.CURRENT, code="29461")
    page.set_viewport_size({"width": 1366, "height": 800})
    browser_log_in(page, "thanh", PASSWORD)
    page.get_by_test_id("nav-inspections").click()
    page.get_by_test_id("new-inspection").click()
    page.locator("#id_unit").select_option(str(tra_cu.pk))
    page.locator("#id_team").select_option("team_178")
    page.locator("#id_legal_area").select_option("social_evils")
    page.locator("#id_subject_name").fill("Quán karaoke Phương Nam")
    page.locator("#id_started_on").fill("2025-02-12")
    page.locator("#id_violations_count").fill("1")
    page.locator("#id_violation_kind").select_option("no_contract")
    page.locator("#id_violations").fill("Sử dụng nhân viên không ký kết hợp đồng lao động")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("violations")).to_contain_text("Sử dụng nhân viên không ký kết hợp đồng lao động")
    assert Inspection.objects.get().province_id == inspector.pk
    page.get_by_test_id("nav-inspections").click()
    expect(page.get_by_test_id("inspection-totals")).to_contain_text("1 cơ sở được kiểm tra, 1 cơ sở vi phạm")
    expect(page.get_by_test_id("inspections")).to_contain_text("Quán karaoke Phương Nam")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.get_by_test_id("inspections-nav").get_by_text("Khiếu nại, tố cáo").click()
    expect(page.get_by_test_id("petitions")).to_contain_text("Không có đơn nào.")


def test_it_imports_the_book_of_citizen_reception_from_its_page(inspector, page, tmp_path):  # type: ignore[no-untyped-def]
    from ansinh.care.models_inspections import Reception

    header = "Ngày tiếp,Mã đơn vị tiếp,Hình thức tiếp,Người tiếp,Công dân hoặc người đại diện,Số người,Nội dung,Lĩnh vực,Kết quả\n"
    good = header + "06/01/2025,86,,Chánh Thanh tra,Nguyễn Văn An,1,Hỏi chế độ BHXH một lần,,\"giải thích, trả lời\"\n"
    bad, right = tmp_path / "so-sai.csv", tmp_path / "so.csv"
    bad.write_text(good + "31/02/2025,86,,Cán bộ,Lê Thị Hai,1,Nợ lương,,\"giải thích, trả lời\"\n", encoding="utf-8")
    right.write_text(good, encoding="utf-8")
    page.set_viewport_size({"width": 1366, "height": 800})
    browser_log_in(page, "thanh", PASSWORD)
    page.get_by_test_id("nav-inspections").click()
    page.get_by_test_id("inspections-nav").get_by_text("Tiếp công dân").click()
    page.get_by_test_id("import-receptions").click()
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_test_id("import-problems")).to_contain_text("Ngày tiếp")
    assert not Reception.objects.exists()
    page.locator("#id_file").set_input_files(str(right))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_test_id("receptions")).to_contain_text("Nguyễn Văn An")
    assert Reception.objects.get().province_id == inspector.pk
