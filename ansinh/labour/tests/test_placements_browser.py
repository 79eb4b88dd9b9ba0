"""A commune officer enters a job placement in headless Chromium: opens the list from the menu,
finds the person in the register by typing part of her name without accents, chooses her, fills
in the form (a mistake first: the form keeps what was typed) and reads the placement's page."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def registered(live_server, people, units):  # type: ignore[no-untyped-def]
    from .place_setup import register

    return register(people, units)


def test_it_a_commune_officer_enters_a_placement_through_the_form(registered, page):  # type: ignore[no-untyped-def]
    from ansinh.labour.models import Placement

    page.set_viewport_size({"width": 1366, "height": 900})
    browser_log_in(page, "lan")
    page.get_by_role("link", name="Giải quyết việc làm").first.click()
    expect(page).to_have_url(re.compile(r"/labour/placements/$"))
    page.get_by_test_id("new-placement").click()
    page.get_by_label("Tìm người trong sổ hộ (họ tên hoặc số CCCD)").fill("sa ri")
    page.get_by_test_id("person-search").get_by_role("button").click()
    expect(page.get_by_test_id("candidates")).to_contain_text("Kim Thị Sa Ri")
    page.get_by_test_id("choose-person").first.click()
    expect(page.get_by_test_id("chosen-person")).to_contain_text("Kim Thị Sa Ri")
    page.locator("#id_placed_on").fill("01/01/2099")
    page.locator("#id_channel").select_option("employer")
    page.locator("#id_employer_name").fill("Công ty May Trà Cú")
    page.locator("#id_new_job").check()
    page.get_by_test_id("placement-form").get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("error-placed_on")).to_contain_text("trong tương lai")
    expect(page.locator("#id_employer_name")).to_have_value("Công ty May Trà Cú")
    page.locator("#id_placed_on").fill("02/03/2026")
    page.get_by_test_id("placement-form").get_by_role("button", name="Lưu").click()
    expect(page).to_have_url(re.compile(r"/labour/placements/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Kim Thị Sa Ri — 02/03/2026")
    placement = Placement.objects.get()
    assert placement.new_job and placement.employer_name == "Công ty May Trà Cú"
    page.goto(page.url.split("/labour/")[0] + "/labour/placements/?period=2026-Q1&breakdown=female")
    expect(page.get_by_test_id("placements")).to_contain_text("Kim Thị Sa Ri")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
