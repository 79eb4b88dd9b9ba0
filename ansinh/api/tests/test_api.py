import pytest
from django.core.management import call_command

from ansinh.accounts.models import AuditEvent
from ansinh.accounts.services import token_create
from conftest import login
from ansinh.testing import bearer

pytestmark = pytest.mark.django_db




def test_it_answers_401_without_credentials(client):
    for url in ["/api/v1/units/", "/api/v1/units/1", "/api/v1/me", "/api/v1/audit/"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_rejects_a_wrong_token(client):
    response = client.get("/api/v1/units/", HTTP_AUTHORIZATION="Bearer ans_nope")
    assert response.status_code == 401


def test_it_serves_the_openapi_schema(client):
    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    assert b"/api/v1/units/" in response.content and b"bearer" in response.content


def test_it_a_bearer_token_from_the_cli_works(client, people):
    from io import StringIO

    out = StringIO()
    call_command("users", "token", "lan", stdout=out)
    token = out.getvalue().strip()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["roles"][0]["unit"]["code"] == "29461"
    assert AuditEvent.objects.filter(action="token.create", actor=None).exists()


def test_it_session_auth_works(client, people):
    login(client, people.minh)
    assert client.get("/api/v1/me").json()["username"] == "minh"


def test_it_units_filter_by_date_level_and_parent(client, people):
    headers = bearer(people.duc)
    legacy = client.get("/api/v1/units/?on=2025-01-01&level=province", **headers).json()
    assert legacy["count"] == 63
    current = client.get("/api/v1/units/?on=2026-01-01&level=1", **headers).json()
    assert current["count"] == 34
    communes = client.get("/api/v1/units/?on=2026-01-01&level=commune&parent=86", **headers).json()
    assert communes["count"] > 100
    assert all(u["parent_code"] == "86" for u in communes["results"])
    search = client.get("/api/v1/units/?q=tra%20cu&on=2026-01-01", **headers).json()
    assert "Xã Trà Cú" in [u["name"] for u in search["results"]]


def test_it_units_reject_bad_parameters(client, people):
    headers = bearer(people.duc)
    assert client.get("/api/v1/units/?on=yesterday", **headers).status_code == 400
    assert client.get("/api/v1/units/?level=galaxy", **headers).status_code == 400


def test_it_unit_detail_has_its_crosswalk(client, people, units):
    headers = bearer(people.duc)
    legacy = client.get(f"/api/v1/units/{units.legacy_ngai_xuyen.pk}", **headers).json()
    assert [(c["code"], c["edition"]) for c in legacy["crosswalk"]] == [("29461", "current")]
    current = client.get(f"/api/v1/units/{units.tra_cu.pk}", **headers).json()
    assert {"29461", "29479"} <= {c["code"] for c in current["crosswalk"]}
    assert [a["code"] for a in current["ancestors"]] == ["VN", "86"]


def test_it_a_commune_officer_sees_only_the_commune_and_its_context(client, people, units):
    headers = bearer(people.lan)
    listed = client.get("/api/v1/units/?on=2026-01-01", **headers).json()
    codes = {u["code"] for u in listed["results"]}
    assert codes == {"VN", "86", "29461"}
    communes = client.get("/api/v1/units/?on=2026-01-01&level=commune&parent=86", **headers).json()
    assert [u["code"] for u in communes["results"]] == ["29461"]
    assert client.get(f"/api/v1/units/{units.ba_dinh.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/units/{units.legacy_ngai_xuyen.pk}", **headers).status_code == 200
    other = client.get("/api/v1/units/?on=2026-01-01&q=ba%20dinh", **headers).json()
    assert other["count"] == 0


def test_it_audit_api_is_for_leaders_and_admins_within_scope(client, people, units):
    from ansinh.geo.services import hamlet_create

    hamlet_create(actor=people.lan, commune=units.tra_cu, name="Ấp Chợ", kind="ap")
    hamlet_create(actor=people.binh, commune=units.ba_dinh, name="Tổ dân phố 1", kind="to_dan_pho")
    assert client.get("/api/v1/audit/", **bearer(people.lan)).status_code == 403
    assert client.get("/api/v1/audit/", **bearer(people.duc)).status_code == 403
    seen_by_bao = {e["object_repr"] for e in client.get("/api/v1/audit/", **bearer(people.bao)).json()["results"]}
    assert "Ấp Chợ" in seen_by_bao and "Tổ dân phố 1" not in seen_by_bao
    seen_by_tung = {e["object_repr"] for e in client.get("/api/v1/audit/", **bearer(people.tung)).json()["results"]}
    assert {"Ấp Chợ", "Tổ dân phố 1"} <= seen_by_tung


def test_it_demo_users_cannot_use_the_api_outside_demo_mode(client, people, settings):
    people.lan.is_demo = True
    people.lan.save(update_fields=["is_demo"])
    headers = bearer(people.lan)
    settings.DEMO = False
    assert client.get("/api/v1/me", **headers).status_code == 401
    settings.DEMO = True
    assert client.get("/api/v1/me", **headers).status_code == 200
