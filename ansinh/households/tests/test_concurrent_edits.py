"""Two people edit one household or member at once: the second save, made from the version both
forms were opened on, is refused with a clear message; the page shows what the first saved next
to what the second typed (kept in the form); nothing of the first is lost."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.accounts.models import AuditEvent
from ansinh.households import services
from ansinh.households.models import Household, Member
from conftest import login

pytestmark = pytest.mark.django_db

STALE = "Người khác đã lưu hồ sơ này sau khi bạn mở biểu mẫu"


@pytest.fixture
def household(people, units):  # type: ignore[no-untyped-def]
    found = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-1", address="Ấp Chợ")
    services.member_add(actor=people.lan, household=found, full_name="Thạch Văn Sóc", citizen_id="084080000001",
                        sex="male", birth_date=dt.date(1980, 3, 1), relation="head", ethnicity="05")
    found.refresh_from_db()
    return found


def _version_in(html: str) -> str:
    found = re.search(r'<input type="hidden" name="version" value="(\d+)"', html)
    assert found is not None, "the form carries the version it was made from"
    return found.group(1)


def test_it_refuses_the_second_of_two_household_edits_and_shows_the_first(people, household):
    lan, minh = login(Client(), people.lan), login(Client(), people.minh)
    url = reverse("household-edit", args=[household.pk])
    version_lan = _version_in(lan.get(url).content.decode())
    version_minh = _version_in(minh.get(url).content.decode())
    assert version_lan == version_minh == "1"

    assert lan.post(url, {"address": "Ấp Trà Sất", "area": "", "version": version_lan}).status_code == 302
    response = minh.post(url, {"address": "Ấp Giữa", "area": "urban", "version": version_minh})
    assert response.status_code == 400
    html = response.content.decode()
    assert STALE in html and 'data-testid="stale"' in html
    assert "lan" in html  # who saved meanwhile
    rows = re.findall(r'<tr data-testid="stale-change"><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>',
                      html)
    assert ("Địa chỉ", "Ấp Trà Sất", "Ấp Giữa") in rows  # hers now in the register, what he typed
    assert 'value="Ấp Giữa"' in html  # what he typed is kept in the box
    assert _version_in(html) == "2"  # saving again now overwrites knowingly
    household.refresh_from_db()
    assert household.address == "Ấp Trà Sất" and household.area == "rural" and household.version == 2
    assert AuditEvent.objects.filter(action="household.update", object_id=str(household.pk)).count() == 1

    # He checks and saves again from the version he was shown: accepted.
    assert minh.post(url, {"address": "Ấp Giữa", "area": "urban", "version": "2"}).status_code == 302
    household.refresh_from_db()
    assert household.address == "Ấp Giữa" and household.version == 3


def test_it_refuses_the_second_of_two_member_edits(people, household):
    sol = household.members.get()
    lan, minh = login(Client(), people.lan), login(Client(), people.minh)
    url = reverse("member-edit", args=[sol.pk])
    version = _version_in(lan.get(url).content.decode())
    assert _version_in(minh.get(url).content.decode()) == version
    data = {"full_name": "Thạch Văn Sóc", "citizen_id": "084080000001", "sex": "male", "birth_date": "01/03/1980",
            "relation": "head", "ethnicity": "05", "schooling": "none", "education": "primary",
            "employment": "no_contract", "disability": "none", "version": version}
    assert lan.post(url, {**data, "health_insurance": "on"}).status_code == 302
    response = minh.post(url, {**data, "education": "lower_secondary"})
    assert response.status_code == 400
    html = response.content.decode()
    assert STALE in html
    assert "<th scope=\"row\">Có thẻ BHYT</th><td>Có</td><td>Không</td>" in html  # her change, his typing
    sol.refresh_from_db()
    assert sol.health_insurance is True and sol.education == "primary" and sol.version == 2


def test_it_uses_a_conditional_update_in_the_service(people, household):
    """Two copies read at the same version: the first save wins, the second is refused, even
    without a version from a form (the version each copy was read at counts)."""
    first, second = Household.objects.get(pk=household.pk), Household.objects.get(pk=household.pk)
    services.household_update(actor=people.lan, household=first, address="Ấp Một")
    with pytest.raises(services.StaleEdit):
        services.household_update(actor=people.minh, household=second, address="Ấp Hai")
    assert Household.objects.get(pk=household.pk).address == "Ấp Một"
    sol = household.members.get()
    a, b = Member.objects.get(pk=sol.pk), Member.objects.get(pk=sol.pk)
    services.member_update(actor=people.lan, member=a, pension=True)
    with pytest.raises(services.StaleEdit):
        services.member_died(actor=people.minh, member=b, on=dt.date(2025, 1, 1))
    sol.refresh_from_db()
    assert sol.pension is True and sol.died_on is None and sol.version == 2


def test_it_honours_the_version_in_the_api(client, people, household):
    from ansinh.accounts.services import token_create

    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=people.lan)}"}
    url = f"/api/v1/households/{household.pk}"
    read = client.get(url, **headers)
    etag = read["ETag"]
    assert etag == '"1"' and read.json()["version"] == 1
    first = client.patch(url, {"address": "Ấp Một"}, content_type="application/json", HTTP_IF_MATCH=etag, **headers)
    assert first.status_code == 200 and first["ETag"] == '"2"'
    second = client.patch(url, {"address": "Ấp Hai"}, content_type="application/json", HTTP_IF_MATCH=etag, **headers)
    assert second.status_code == 409
    assert STALE in second.json()["detail"] and second.json()["version"] == 2
    missing = client.patch(url, {"address": "Ấp Hai"}, content_type="application/json", **headers)
    assert missing.status_code == 428 and missing.json()["detail"]
    bad = client.patch(url, {"address": "Ấp Hai"}, content_type="application/json", HTTP_IF_MATCH='"x"', **headers)
    assert bad.status_code == 400
    household.refresh_from_db()
    assert household.address == "Ấp Một" and household.version == 2
    # The body's version works as well as If-Match; a member likewise.
    sol = household.members.get()
    member_url = f"/api/v1/members/{sol.pk}"
    assert client.patch(member_url, {"pension": True, "version": 1}, content_type="application/json",
                        **headers).status_code == 200
    stale = client.patch(member_url, {"pension": False, "version": 1}, content_type="application/json", **headers)
    assert stale.status_code == 409
    sol.refresh_from_db()
    assert sol.pension is True and sol.version == 2
