"""The country's poverty figures by province: one row per province round of a year, the country
total, scoped by the access layer, in Vietnamese number format and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ansinh.households import services as household_services
from ansinh.poverty import engine, figures, services
from ansinh.poverty.models import Assessment, ReviewRound, RoundFigures
from conftest import login
from ansinh.testing import make_household

pytestmark = pytest.mark.django_db

YEAR = 2025
URL = "/households/figures/country/"




@pytest.fixture
def country(people, units):  # type: ignore[no-untyped-def]
    """Vĩnh Long: 2 households in Trà Cú (1 poor); Hà Nội: 3 in Ba Đình (2 poor). Both rounds run."""
    make_household(people.lan, units.tra_cu, "TC-1")
    make_household(people.lan, units.tra_cu, "TC-2", income=6_000_000)
    make_household(people.binh, units.ba_dinh, "BD-1")
    make_household(people.binh, units.ba_dinh, "BD-2")
    make_household(people.binh, units.ba_dinh, "BD-3", income=9_000_000)
    vinh_long = services.review_round_open(actor=people.minh, unit=units.vinh_long, year=YEAR)
    ha_noi = services.review_round_open(actor=people.tung, unit=units.ha_noi, year=YEAR)
    services.review_round_run(round=vinh_long, actor=people.minh)
    services.review_round_run(round=ha_noi, actor=people.tung)
    return {"vinh_long": vinh_long, "ha_noi": ha_noi}


def summary_table(page: str) -> str:
    start = page.index('data-testid="summary"')
    return page[start:page.index("</table>", start)]


def test_it_groups_a_years_province_rounds_by_province(people, units, country):
    spec = engine.spec_for(country["vinh_long"].standard)
    rows, total = figures.summary(Assessment.objects.filter(round__year=YEAR), spec, by="province")
    assert [(r.unit_id, r.households, r.poor) for r in rows] == [
        (units.ha_noi.pk, 3, 2), (units.vinh_long.pk, 2, 1)]  # Hà Nội before Vĩnh Long (Vietnamese order)
    assert (total.households, total.poor) == (5, 3)
    with pytest.raises(ValueError):
        figures.summary(Assessment.objects.all(), spec, by="district")


def test_it_shows_every_province_and_the_country_total_to_a_national_viewer(client, people, units, country,
                                                                           django_assert_max_num_queries):
    login(client, people.duc)
    client.get("/")  # the session and the user are loaded once
    RoundFigures.objects.all().delete()  # counted for the home page's headline
    # the first view also counts the rounds' figures and keeps them (a GROUP BY and an insert),
    # later views read them: a constant number of queries whatever the number of provinces
    with django_assert_max_num_queries(16):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(12):  # 6 for the page, whatever the number of provinces
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    table = summary_table(page)
    assert f'href="/households/rounds/{country["vinh_long"].pk}/figures/"' in table
    assert f'href="/households/rounds/{country["ha_noi"].pk}/figures/"' in table
    assert "Vĩnh Long" in table and "Hà Nội" in table
    assert "50,0%" in table and "66,7%" in table  # 1 of 2, 2 of 3: Vietnamese decimal comma
    total = table[table.index('data-testid="total"'):]
    assert "60,0%" in total and ">5<" in total and ">3<" in total  # 3 poor of 5 households add up
    assert 'data-testid="chart-rates-province"' in page and page.count("<svg") == 1
    assert 'data-testid="scope"' not in page
    assert 'style="' not in page.split("<main>")[1]  # the CSP allows no inline styles
    assert f'<option value="{YEAR}" selected>' in page


def test_it_a_provincial_leader_sees_only_her_province(client, people, units, country):
    login(client, people.bao)
    page = client.get(URL).content.decode()
    table = summary_table(page)
    assert "Vĩnh Long" in table and "Hà Nội" not in table
    assert f'/households/rounds/{country["ha_noi"].pk}/' not in page
    assert "50,0%" in table.split('data-testid="total"')[1]
    assert 'data-testid="scope"' in page


def test_it_a_commune_officer_sees_her_communes_households_labelled_as_her_scope(client, people, units, country):
    login(client, people.binh)
    page = client.get(URL).content.decode()
    table = summary_table(page)
    assert "Hà Nội" in table and "Vĩnh Long" not in table
    scope = page[page.index('data-testid="scope"'):]
    assert "Phường Ba Đình" in scope[:300]


def test_it_counts_only_periodic_province_rounds_of_the_year(client, people, units, country):
    commune_round = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=YEAR)
    services.review_round_run(round=commune_round, actor=people.lan)
    assert Assessment.objects.filter(round=commune_round).exists()
    login(client, people.duc)
    table = summary_table(client.get(URL).content.decode())
    total = table[table.index('data-testid="total"'):]
    assert ">5<" in total and "60,0%" in total  # Trà Cú's own round is not counted twice


def test_it_picks_the_year_from_the_select_and_defaults_to_the_latest(client, people, units, country):
    earlier = services.review_round_open(actor=people.minh, unit=units.vinh_long, year=2024)
    login(client, people.duc)
    page = client.get(URL).content.decode()
    assert f'<option value="{YEAR}" selected>' in page and '<option value="2024">' in page
    page = client.get(URL, {"year": "2024"}).content.decode()
    assert '<option value="2024" selected>' in page and 'data-testid="empty"' in page
    assert ReviewRound.objects.filter(pk=earlier.pk, classified_at__isnull=True).exists()
    assert 'data-testid="empty"' in client.get(URL, {"year": "2019"}).content.decode()
    response = client.get(URL, {"year": "20x5"})
    assert response.status_code == 400 and 'data-testid="summary"' in response.content.decode()


def test_it_says_so_when_no_province_round_exists(client, people):
    login(client, people.duc)
    response = client.get(URL)
    assert response.status_code == 200 and 'data-testid="empty"' in response.content.decode()
    assert client.get(URL.replace("/households", "/households/x")).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302  # login required


def test_it_the_round_figures_link_to_the_country_for_national_users_only(client, people, units, country):
    login(client, people.duc)
    page = client.get(f'/households/rounds/{country["vinh_long"].pk}/figures/').content.decode()
    assert f'href="{URL}?year={YEAR}"' in page
    assert f'href="{URL}"' in client.get("/").content.decode()  # the navigation
    login(client, people.minh)
    page = client.get(f'/households/rounds/{country["vinh_long"].pk}/figures/').content.decode()
    assert 'data-testid="country"' not in page


def test_it_names_the_year_field_on_a_bad_year(client, people, units, country):
    login(client, people.duc)
    response = client.get(URL, {"year": "20x5"})
    assert response.status_code == 400 and "Năm: nhập một năm, ví dụ" in response.content.decode()
