import pytest

from ansinh.accounts.models import AuditEvent
from ansinh.geo.models import Level, Unit
from conftest import login

pytestmark = pytest.mark.django_db


def test_it_search_is_accent_insensitive_and_scoped(client, people):
    login(client, people.minh)
    page = client.get("/units/?q=tra+cu").content.decode()
    assert "Xã Trà Cú" in page
    login(client, people.binh)
    page = client.get("/units/?q=tra+cu").content.decode()
    assert "Xã Trà Cú" not in page


def test_it_htmx_search_returns_only_the_results(client, people):
    login(client, people.duc)
    response = client.get("/units/?q=tra+cu", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Xã Trà Cú" in body and "<html" not in body


def test_it_the_legacy_map_is_browsable_by_date(client, people):
    login(client, people.duc)
    page = client.get("/units/?q=tra+cu&on=2025-01-01").content.decode()
    assert "Thị trấn Trà Cú" in page and "Xã Trà Cú" not in page


def test_it_a_unit_page_shows_both_maps(client, people, units):
    login(client, people.lan)
    page = client.get(f"/units/{units.tra_cu.pk}/").content.decode()
    assert "Thị trấn Trà Cú" in page and "Xã Ngãi Xuyên" in page
    page = client.get(f"/units/{units.legacy_ngai_xuyen.pk}/").content.decode()
    assert "Xã Trà Cú" in page and "Huyện Trà Cú" in page


def test_it_a_commune_officer_cannot_open_another_commune(client, people, units):
    login(client, people.lan)
    assert client.get(f"/units/{units.ba_dinh.pk}/").status_code == 404
    assert client.post(f"/units/{units.ba_dinh.pk}/hamlets/new", {"name": "X", "kind": "ap"}).status_code == 404
    assert not Unit.objects.filter(parent=units.ba_dinh).exists()


def test_it_a_commune_officer_adds_a_hamlet_and_it_is_audited(client, people, units):
    login(client, people.lan)
    response = client.post(f"/units/{units.tra_cu.pk}/hamlets/new", {"name": "  Ấp  Chợ ", "kind": "ap"},
                           REMOTE_ADDR="10.1.2.3")
    hamlet = Unit.objects.get(parent=units.tra_cu, level=Level.HAMLET)
    assert response.status_code == 302 and response["Location"] == f"/units/{hamlet.pk}/"
    assert (hamlet.name, hamlet.code, hamlet.path) == ("Ấp Chợ", "29461-01", f"{units.tra_cu.path}{hamlet.pk}/")
    event = AuditEvent.objects.get(action="geo.hamlet.create")
    assert (event.actor, event.unit, event.ip, event.after["name"]) == (people.lan, hamlet, "10.1.2.3", "Ấp Chợ")
    assert Unit.objects.search("ap cho").filter(pk=hamlet.pk).exists()


def test_it_a_bad_hamlet_form_keeps_the_input(client, people, units):
    login(client, people.lan)
    client.post(f"/units/{units.tra_cu.pk}/hamlets/new", {"name": "Ấp Chợ", "kind": "ap"})
    response = client.post(f"/units/{units.tra_cu.pk}/hamlets/new", {"name": "ấp chợ", "kind": "ap"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="ấp chợ"' in page and 'role="alert"' in page
    assert Unit.objects.filter(parent=units.tra_cu).count() == 1
    assert AuditEvent.objects.filter(action="geo.hamlet.create").count() == 1


def test_it_renaming_a_hamlet_records_before_and_after(client, people, units):
    login(client, people.lan)
    client.post(f"/units/{units.tra_cu.pk}/hamlets/new", {"name": "Ấp Chợ", "kind": "ap"})
    hamlet = Unit.objects.get(parent=units.tra_cu)
    client.post(f"/units/{hamlet.pk}/edit", {"name": "Ấp Chợ Mới", "kind": "khom"})
    event = AuditEvent.objects.get(action="geo.hamlet.update")
    assert (event.before["name"], event.after["name"], event.after["kind"]) == ("Ấp Chợ", "Ấp Chợ Mới", "khom")


def test_it_leaders_and_viewers_cannot_change_the_map(client, people, units):
    for user in (people.bao, people.duc):
        login(client, user)
        assert client.post(f"/units/{units.tra_cu.pk}/hamlets/new", {"name": "X", "kind": "ap"}).status_code == 403
    assert not Unit.objects.filter(parent=units.tra_cu).exists()


def test_it_official_units_cannot_be_renamed_here(client, people, units):
    login(client, people.tung)
    response = client.post(f"/units/{units.tra_cu.pk}/edit", {"name": "X", "kind": "ap"})
    assert response.status_code == 302
    units.tra_cu.refresh_from_db()
    assert units.tra_cu.name == "Xã Trà Cú"


def test_it_with_no_query_the_list_starts_at_the_users_units(client, people, units):
    login(client, people.lan)
    page = client.get("/units/").content.decode()
    assert f'href="/units/{units.tra_cu.pk}/"' in page and f'href="/units/{units.vinh_long.pk}/"' not in page
    page = client.get("/units/?on=2025-01-01").content.decode()  # the legacy province it came from
    assert f'href="/units/{units.legacy_tra_vinh.pk}/"' in page and "Thành phố Hà Nội" not in page
