"""The audit page in headless Chromium at 1366 px: it was 147.768 px wide (issue 10, item 8), as
raw before/after dictionaries stretched a table cell; now long values wrap inside their cells.

Drives Debian's Chromium through Playwright, as the other browser tests do; skipped when Chromium
is missing, except in CI (CI=true).
"""

from __future__ import annotations

import datetime as dt

import pytest

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def trail(live_server):  # type: ignore[no-untyped-def]
    """Vĩnh Long's leader, and a trail of Trà Cú with long values: an address without spaces, a
    plan's long fields, a member's citizen ID."""
    from ansinh.accounts.audit import Actor
    from ansinh.accounts.models import AuditEvent
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit
    from ansinh.households import services

    if not Unit.objects.exists():
        load_official_map()
    tra_cu = unit_for_role(role="commune_officer", code="29461")
    province = unit_for_role(role="provincial_leader", code="86")
    lan = user_create(username="lan", password=PASSWORD, role="commune_officer", unit=tra_cu)
    user_create(username="bao", password=PASSWORD, role="provincial_leader", unit=province)
    actor = Actor(user=lan, ip="2001:db8:85a3::8a2e:370:7334")
    household = services.household_create(actor=actor, commune=tra_cu, code="HH-1", address="Ấp Chợ")
    services.household_update(actor=actor, household=household, address="Ấp" + "-Giồng-Lớn" * 25)  # 252 characters, within the column
    services.member_add(actor=actor, household=household, full_name="Thạch Văn Sóc", citizen_id="084080000001",
                        sex="male", birth_date=dt.date(1980, 3, 1), relation="head", ethnicity="05")
    long_text = " ".join(["Tổ chức triển khai thực hiện có hiệu quả các chương trình mục tiêu quốc gia"] * 12)
    AuditEvent.objects.create(
        actor=lan, actor_name="lan", action="plans.plan.update", object_type="plans.plan", object_id="1",
        object_repr=("Kế hoạch " + "rất dài " * 40)[:200], unit=tra_cu, unit_path=tra_cu.path,
        before={"objectives": "", "solutions": ["a" * 400], "deadlines": {"quarter": "last:15", "year": "12-05"}},
        after={"objectives": long_text, "solutions": ["b" * 400], "deadlines": {"quarter": "last:20"}})
    return household


def test_it_fits_a_1366_px_screen(trail, page):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1366, "height": 800})
    browser_log_in(page, "bao", PASSWORD)
    expect(page.get_by_test_id("who")).to_have_text("bao")
    page.goto("/audit/")
    expect(page.locator("h1")).to_have_text("Nhật ký thay đổi")
    expect(page.locator("tr[data-action='household.update'] table.audit-changes")).to_contain_text("Giồng-Lớn")
    expect(page.locator("tr[data-action='member.create']")).to_contain_text("•••••••••001")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    cell = page.locator("tr[data-action='plans.plan.update'] table.audit-changes").bounding_box()
    assert cell is not None and cell["x"] + cell["width"] <= 1366
