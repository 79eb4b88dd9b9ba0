"""Receiving a dossier for a person of the households register in headless Chromium: the search
without accents, the choice, the link on the dossier's page. Skipped when Chromium is missing,
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


def test_it_receives_a_dossier_for_a_person_of_the_register(officer, page):  # type: ignore[no-untyped-def]
    from ansinh.households.models import Household, Member
    from ansinh.procedures.models import Dossier, Procedure

    household = Household.objects.create(code="PR-B-1", commune=officer, area="rural", head_name="Thạch Thị Sa Rết")
    member = Member(household=household, full_name="Thạch Thị Sa Rết", citizen_id="086158000444", sex="female",
                    birth_date=dt.date(1950, 1, 2), relation="head")
    member.set_derived_fields()
    member.save()
    procedure = Procedure.objects.filter(code="1.001776", valid_to__isnull=True).get()
    page.set_viewport_size({"width": 1366, "height": 800})
    browser_log_in(page, "lan", PASSWORD)
    page.get_by_test_id("nav-procedures").click()
    page.get_by_test_id("receive").click()
    page.locator("#id_procedure").select_option(str(procedure.pk))
    page.locator("#id_unit").select_option(str(officer.pk))
    page.locator("#id_applicant_contact").fill("0909 111 222")
    page.get_by_test_id("person-who").fill("thach thi sa ret")
    page.get_by_test_id("person-find").click()
    expect(page.get_by_test_id("person-candidates")).to_contain_text("Thạch Thị Sa Rết")
    expect(page.locator("#id_applicant_contact")).to_have_value("0909 111 222")  # kept
    page.get_by_test_id("person-candidates").get_by_text("Thạch Thị Sa Rết").click()
    page.get_by_test_id("receive-submit").click()
    expect(page.get_by_test_id("dossier-person")).to_contain_text("Thạch Thị Sa Rết")
    dossier = Dossier.objects.get()
    assert dossier.person_id == member.pk and dossier.applicant_name == "Thạch Thị Sa Rết"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
