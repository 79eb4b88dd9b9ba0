"""The register of children in special circumstances in headless Chromium: the list, the search
without accents, the child's page and a support recorded there. Skipped when Chromium is missing,
except in CI (CI=true)."""

from __future__ import annotations

import datetime as dt

import pytest

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def officer(live_server):  # type: ignore[no-untyped-def]
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    if not Unit.objects.exists():
        load_official_map()
    tra_cu = unit_for_role(role="commune_officer", code="29461")
    user_create(username="lan", password=PASSWORD, role="commune_officer", unit=tra_cu)
    return tra_cu


def test_it_finds_a_child_and_records_support(officer, page, live_server):  # type: ignore[no-untyped-def]
    from ansinh.care.models_children import ChildSupport

    from .children_helpers import child

    made = child(officer, name="Thạch Thị Sà Rương", born=dt.date(2014, 9, 1))
    child(officer, name="Lê Văn Bình", born=dt.date(2016, 1, 1), groups=("disabled",))
    page.set_viewport_size({"width": 1366, "height": 800})
    browser_log_in(page, "lan", PASSWORD)
    page.goto(f"{live_server.url}/care/children/")
    expect(page.get_by_test_id("result-count")).to_contain_text("2")
    page.locator("#q").fill("sa ruong")
    page.get_by_test_id("filters").get_by_role("button").click()
    expect(page.get_by_test_id("children")).to_contain_text("Thạch Thị Sà Rương")
    expect(page.get_by_test_id("children")).not_to_contain_text("Lê Văn Bình")
    page.get_by_role("link", name="Thạch Thị Sà Rương").click()
    expect(page.get_by_test_id("groups")).to_contain_text("Trẻ em mồ côi cả cha và mẹ")
    page.get_by_test_id("support").locator("summary").click()
    page.locator("#id_support-kind").select_option("education")
    page.locator("#id_support-provided_on").fill("2025-02-03")
    page.locator("#id_support-provider").fill("Trường Tiểu học Trà Cú")
    page.get_by_test_id("support-form").get_by_role("button").click()
    expect(page.get_by_test_id("support")).to_contain_text("Trường Tiểu học Trà Cú")
    assert ChildSupport.objects.filter(child=made).count() == 1
    table = page.locator("table").first.bounding_box()
    assert table is None or table["width"] <= 1366
