import re
from pathlib import Path

import pytest

from ansinh.accounts.models import AuditEvent
from conftest import login

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_it_home_shows_scope_and_real_figures(client, people):
    login(client, people.minh)
    page = client.get("/").content.decode()
    assert "Vĩnh Long" in page and "Giảm nghèo" in page
    figures = re.findall(r'figure-value">([\d.]+)<', page)
    from ansinh.geo.models import Edition, Level, Unit

    communes = Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, parent__code="86").count()
    assert figures[0] == "1" and figures[1] == f"{communes:,}".replace(",", ".")


def test_it_national_figures_use_vietnamese_number_format(client, people):
    login(client, people.duc)
    page = client.get("/").content.decode()
    assert "3.321" in page


def test_it_vietnamese_is_the_default_even_for_an_english_browser(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page and 'lang="vi"' in page


def test_it_english_is_available(client, people):
    login(client, people.lan)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Overview" in page and "Administrative map" in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Tổng quan" in client.get("/").content.decode()


def test_it_audit_page_is_for_leaders_within_their_scope(client, people, units):
    from ansinh.geo.services import hamlet_create

    hamlet_create(actor=people.lan, commune=units.tra_cu, name="Ấp Chợ", kind="ap")
    hamlet_create(actor=people.binh, commune=units.ba_dinh, name="Tổ dân phố 1", kind="to_dan_pho")
    login(client, people.lan)
    assert client.get("/audit/").status_code == 403
    login(client, people.bao)
    page = client.get("/audit/").content.decode()
    assert "Ấp Chợ" in page and "Tổ dân phố 1" not in page
    login(client, people.hoa)
    page = client.get("/audit/?action=geo.hamlet").content.decode()
    assert "Tổ dân phố 1" in page and "Ấp Chợ" not in page
    assert AuditEvent.objects.count() >= 2


def test_it_no_page_loads_anything_from_a_cdn():
    pattern = re.compile(r"https?://(cdn\.|unpkg|cdnjs|fonts\.googleapis|code\.jquery)")
    for path in (ROOT / "ansinh").rglob("*"):
        if path.suffix in {".html", ".css", ".js", ".py"} and "vendor" not in path.parts:
            assert not pattern.search(path.read_text(errors="ignore")), path
    assert (ROOT / "ansinh/web/static/vendor/htmx/LICENSE").exists()


def test_it_refuses_a_nul_character_in_a_query_or_a_form(client, people):
    login(client, people.minh)
    assert client.get("/households/?q=a%00b").status_code == 400
    assert client.get("/audit/?user=%00").status_code in (400, 403)
    response = client.post("/accounts/password/", {"old_password": "x\x00", "new_password1": "a", "new_password2": "a"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert client.get("/households/?q=abc").status_code == 200
