"""The review queue in headless Chromium: the register's provincial officer opens "Người trùng" from
the menu, confirms one pair (the same woman in two communes: linked), is taken to the next pair and
dismisses it; after a new search writes its pairs again, the dismissed pair is not back in the
queue, and the tables fit a 1366 px screen.

Drives Debian's Chromium through Playwright as the other browser tests do; skipped when Chromium
is missing, except in CI (CI=true)."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def queue(live_server):  # type: ignore[no-untyped-def]
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    from .setup import pair_of, twins

    if not Unit.objects.exists():
        load_official_map()
    t = twins()
    t.same = pair_of(t.hoa, t.hoa2, probability=0.97)
    t.other = pair_of(t.hoa, t.khac, probability=0.62)
    return t


def fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width


def test_it_confirms_one_pair_dismisses_another_and_a_new_search_does_not_bring_it_back(queue, page):  # type: ignore[no-untyped-def]
    from ansinh.dedup import linkage
    from ansinh.dedup.models import DedupRun, DuplicatePair, PairStatus

    t = queue
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_log_in(page, "po")
    expect(page.get_by_test_id("who")).to_have_text("po")
    page.get_by_test_id("nav-duplicates").click()
    expect(page).to_have_url(re.compile(r"/duplicates/$"))
    pairs = page.get_by_test_id("pairs")
    expect(pairs.get_by_test_id("pair")).to_have_count(2)
    expect(page.get_by_test_id("status-open")).to_contain_text("2")
    fits(page)

    # The most likely pair first: side by side, the differences highlighted, evidence in words.
    pairs.get_by_test_id("pair").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/duplicates/{t.same.pk}/$"))
    expect(page.get_by_test_id("side-by-side")).to_contain_text("Huỳnh Thị Hoa")
    expect(page.get_by_test_id("side-by-side")).to_contain_text("Hoang Thi Hoa")
    expect(page.get_by_test_id("differs").first).to_be_visible()
    expect(page.get_by_test_id("evidence")).to_contain_text("ngày sinh")
    fits(page)
    page.get_by_test_id("link").check()
    page.fill("#note", "Cùng một người: đã gọi điện cho hai xã")
    page.get_by_test_id("decide").click()

    # Taken to the next open pair: different people, dismissed.
    expect(page).to_have_url(re.compile(rf"/duplicates/{t.other.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("Đã liên kết")
    page.get_by_test_id("dismiss").check()
    page.get_by_test_id("decide").click()
    expect(page).to_have_url(re.compile(r"/duplicates/$"))
    expect(page.get_by_test_id("pairs").get_by_test_id("pair")).to_have_count(0)
    assert DuplicatePair.objects.get(pk=t.same.pk).status == PairStatus.LINKED
    assert DuplicatePair.objects.get(pk=t.other.pk).status == PairStatus.DISMISSED

    # A new search finds both pairs again (and one new pair): only the new one joins the queue.
    run = DedupRun.objects.create(unit=t.hoa.household.commune.parent)
    found = [linkage.Pair(t.same.left_id, t.same.right_id, 0.97, "linkage"),
             linkage.Pair(t.other.left_id, t.other.right_id, 0.62, "linkage"),
             linkage.Pair(min(t.hoa2.pk, t.khac.pk), max(t.hoa2.pk, t.khac.pk), 0.55, "linkage")]
    assert linkage._write_pairs(run, found) == 1
    page.reload()
    rows = page.get_by_test_id("pairs").get_by_test_id("pair")
    expect(rows).to_have_count(1)
    expect(rows.first).not_to_have_attribute("data-pair", str(t.other.pk))
    page.get_by_test_id("status-dismissed").click()
    expect(page.get_by_test_id("pairs").get_by_test_id("pair")).to_have_count(1)
    expect(page.get_by_test_id("pairs")).to_contain_text("Trần Văn Khắc")
    assert DuplicatePair.objects.filter(left_id=t.other.left_id, right_id=t.other.right_id).count() == 1
