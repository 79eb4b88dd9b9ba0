"""The API's lists honour `page_size` (1 to 500) and refuse a bad one with a clear 400."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from ansinh.api.pagination import MAX_PAGE_SIZE
from ansinh.testing import bearer, make_household, vi

pytestmark = pytest.mark.django_db

URL = "/api/v1/households/"


@pytest.fixture
def three(people: Any, units: Any) -> None:
    for code in ("TC-1", "TC-2", "TC-3"):
        make_household(people.lan, units.tra_cu, code)


def test_it_gives_the_page_size_asked_for(client, people, three):
    headers = bearer(people.lan)
    body = client.get(URL, {"page_size": 2}, **headers).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and "page_size=2" in body["next"]
    second = client.get(body["next"], **headers).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert len(client.get(URL, {"page_size": MAX_PAGE_SIZE}, **headers).json()["results"]) == 3
    assert len(client.get(URL, **headers).json()["results"]) == 3  # 100 when left out


@pytest.mark.parametrize("value", ["0", "-1", str(MAX_PAGE_SIZE + 1), "99999999999999999999999", "abc", "2.5", "",
                                   " "])
def test_it_refuses_a_bad_page_size_with_a_400_in_vietnamese(client, people, three, value):
    response = client.get(URL, {"page_size": value}, headers={"Accept-Language": "vi"}, **bearer(people.lan))
    assert response.status_code == 400, value
    message = response.json()["page_size"][0]
    if value.strip():
        assert message == vi("Give a whole number of rows per page from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}
        assert "500" in message


def test_it_refuses_a_repeated_page_size(client, people, three):
    response = client.get(URL + "?page_size=2&page_size=3", **bearer(people.lan))
    assert response.status_code == 400 and "page_size" in response.json()


def test_it_documents_page_size_with_its_maximum():
    schema = SchemaGenerator(api_version="1").get_schema(request=None, public=True)
    parameters = {p["name"]: p for p in schema["paths"][URL]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
    assert "500" in parameters["page_size"]["description"]
