"""Personal data in the register (Decree 13/2023/NĐ-CP): a citizen ID registered in another
province is never tied to its household for someone outside it (member form, import), such checks
are audited with their count, and each reading of full citizen IDs leaves an audit row."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.accounts.audit import Actor
from django.urls import reverse
from django.utils import translation

from ansinh.accounts.models import AuditEvent
from ansinh.households import services
from ansinh.households.access import register_change_check
from ansinh.households.importer import HouseholdImportError, household_import
from ansinh.households.models import Member
from ansinh.households.tests.test_import import head, household, member, xlsx
from conftest import login

pytestmark = pytest.mark.django_db

HEAD_ID = "084080000001"
BA_DINH_ID = "001075000003"  # male, born 1975, registered in Phường Ba Đình (Hà Nội)
BA_DINH_WIFE_ID = "001178000004"  # female, born 1978
ELSEWHERE = "citizen_id.checked_elsewhere"


@pytest.fixture
def ba_dinh(people, units):  # type: ignore[no-untyped-def]
    found = services.household_create(actor=people.binh, commune=units.ba_dinh, code="00466-00001")
    services.member_add(actor=people.binh, household=found, full_name="Nguyễn Văn Bình", citizen_id=BA_DINH_ID,
                        sex="male", birth_date=dt.date(1975, 1, 1), relation="head")
    services.member_add(actor=people.binh, household=found, full_name="Trần Thị Hoa", citizen_id=BA_DINH_WIFE_ID,
                        sex="female", birth_date=dt.date(1978, 2, 2), relation="spouse")
    return found


@pytest.fixture
def tra_cu(people, units):  # type: ignore[no-untyped-def]
    found = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-1", address="Ấp Chợ")
    services.member_add(actor=people.lan, household=found, full_name="Thạch Văn Sóc", citizen_id=HEAD_ID,
                        sex="male", birth_date=dt.date(1980, 3, 1), relation="head", ethnicity="05")
    return found


def _vi(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


NEW_MEMBER = {"full_name": "Nguyễn Văn Bình", "citizen_id": BA_DINH_ID, "sex": "male", "birth_date": "01/01/1975",
              "relation": "other", "ethnicity": "01", "schooling": "none", "education": "none",
              "employment": "inactive", "disability": "none"}


def test_it_routes_an_id_of_another_province_to_that_province_without_naming_the_household(
        client, people, units, ba_dinh, tra_cu):
    login(client, people.lan)
    response = client.post(reverse("member-add", args=[tra_cu.pk]), NEW_MEMBER, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 400
    html = response.content.decode()
    assert "00466-00001" not in html and "Nguyễn Văn Bình" in html  # what she typed stays, the household does not leak
    assert "địa phương khác" in html and "Thành phố Hà Nội" in html and "Sở Nội vụ" in html
    assert not Member.objects.filter(household=tra_cu, citizen_id=BA_DINH_ID).exists()
    event = AuditEvent.objects.get(action=ELSEWHERE)
    assert event.actor == people.lan and event.ip == "10.1.2.3" and event.unit == units.tra_cu
    assert event.after == {"count": 1, "source": "form"} and BA_DINH_ID not in str(event.after)


def test_it_still_names_the_household_inside_the_users_units(people, units, tra_cu):
    with translation.override("vi"), pytest.raises(services.ValidationError) as error:
        services.member_add(actor=people.minh, household=tra_cu, full_name="Lâm Văn Tư", citizen_id=HEAD_ID,
                            sex="male", birth_date=dt.date(1980, 3, 1), relation="other")
    assert "HH-1" in " ".join(error.value.messages)
    assert not isinstance(error.value, services.CitizenIdElsewhere)
    assert not AuditEvent.objects.filter(action=ELSEWHERE).exists()


def test_it_answers_the_same_for_an_edit(client, people, units, ba_dinh, tra_cu):
    sol = tra_cu.members.get()
    login(client, people.lan)
    response = client.post(reverse("member-edit", args=[sol.pk]), {
        **NEW_MEMBER, "full_name": "Thạch Văn Sóc", "relation": "head", "version": sol.version})
    assert response.status_code == 400
    assert "00466-00001" not in response.content.decode()
    assert AuditEvent.objects.filter(action=ELSEWHERE, actor=people.lan).count() == 1
    sol.refresh_from_db()
    assert sol.citizen_id == HEAD_ID


def test_it_does_not_confirm_in_an_import_which_ids_exist_elsewhere(people, units, ba_dinh):
    data = xlsx([household("H1")], [head("H1", cid=BA_DINH_ID, name="A", born=dt.date(1975, 1, 1)),
                                    member("H1", cid=BA_DINH_WIFE_ID, name="B", born=dt.date(1978, 2, 2)),
                                    member("H1", cid="084085004567", name="C", born=dt.date(1985, 1, 30),
                                           sex="Nam", relation="Con")])
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=Actor(user=people.lan, ip="10.9.9.9"), data=data,
                         allowed=register_change_check(people.lan))
    messages = [p.message for p in error.value.problems]
    assert len(messages) == 2
    for message in messages:
        assert "00466-00001" not in message and BA_DINH_ID not in message
        assert "địa phương khác" in message and "Thành phố Hà Nội" in message
    event = AuditEvent.objects.get(action=ELSEWHERE)
    assert event.actor == people.lan and event.ip == "10.9.9.9"
    assert event.after == {"count": 2, "source": "import"}  # how many, never which
    # The operator's own import (every commune) keeps the plain duplicate message, unaudited.
    with pytest.raises(HouseholdImportError) as error:
        household_import(actor=None, data=data)
    assert all("đã có trong sổ hộ" in p.message for p in error.value.problems)
    assert AuditEvent.objects.filter(action=ELSEWHERE).count() == 1


def test_it_audits_each_reading_of_full_citizen_ids_once_per_page(client, people, units, tra_cu):
    services.member_add(actor=people.lan, household=tra_cu, full_name="Kim Thị Sa Ri", citizen_id="084182000002",
                        sex="female", birth_date=dt.date(1982, 5, 2), relation="spouse", ethnicity="05")
    login(client, people.lan)
    page = client.get(reverse("household-detail", args=[tra_cu.pk]), REMOTE_ADDR="10.4.4.4").content.decode()
    assert HEAD_ID in page
    reads = AuditEvent.objects.filter(action="personal_data.read")
    assert reads.count() == 1  # one per page view, not one per member
    event = reads.get()
    assert event.actor == people.lan and event.ip == "10.4.4.4" and event.object_id == str(tra_cu.pk)
    assert event.after == {"citizen_ids": 2, "via": "page"}
    # A leader sees the IDs masked: nothing read, nothing audited.
    login(client, people.bao)
    assert HEAD_ID not in client.get(reverse("household-detail", args=[tra_cu.pk])).content.decode()
    assert reads.count() == 1


def test_it_audits_the_api_detail_with_full_ids_and_not_the_masked_one(client, people, units, tra_cu):
    login(client, people.minh)
    body = client.get(f"/api/v1/households/{tra_cu.pk}").json()
    assert body["members"][0]["citizen_id"] == HEAD_ID and body["version"] == tra_cu.version
    assert AuditEvent.objects.filter(action="personal_data.read", actor=people.minh,
                                     after={"citizen_ids": 1, "via": "api"}).count() == 1
    login(client, people.bao)
    body = client.get(f"/api/v1/households/{tra_cu.pk}").json()
    assert body["members"][0]["citizen_id"] != HEAD_ID
    assert AuditEvent.objects.filter(action="personal_data.read").count() == 1


def test_it_answers_the_api_alike(client, people, units, ba_dinh, tra_cu):
    from ansinh.accounts.services import token_create

    sol = tra_cu.members.get()
    response = client.patch(f"/api/v1/members/{sol.pk}", {"citizen_id": BA_DINH_ID, "birth_date": "1975-01-01",
                                                          "version": sol.version},
                            content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {token_create(user=people.lan)}")
    assert response.status_code == 400
    text = response.content.decode()
    assert "00466-00001" not in text and "Hà Nội" in text
    assert AuditEvent.objects.filter(action=ELSEWHERE, actor=people.lan, after__count=1).count() == 1
