"""What schemathesis found in the OpenAPI schema and the API, as plain tests (fast)."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from ansinh.accounts.services import token_create

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator(api_version="1").get_schema(request=None, public=True)


def test_it_declares_parent_code_nullable(schema: dict[str, Any]) -> None:
    """The country has no parent: `parent_code` is null there, and the schema must say so."""
    unit = schema["components"]["schemas"]["Unit"]["properties"]["parent_code"]
    assert unit["type"] == "string" and unit["nullable"] is True


def test_it_documents_client_errors_on_every_operation(schema: dict[str, Any]) -> None:
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) > 20
    for path, method, operation in operations:
        for code in ("400", "401", "403", "404"):
            response = operation["responses"].get(code)
            assert response is not None, (method, path, code)
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


@pytest.mark.parametrize("url", [
    "/api/v1/rounds/?status=", "/api/v1/rounds/?year=", "/api/v1/plans/?year=", "/api/v1/submissions/?plan=",
    "/api/v1/submissions/?status=", "/api/v1/units/?level=", "/api/v1/units/?on=", "/api/v1/households/?round=",
    "/api/v1/households/?status=", "/api/v1/households/?include_ended=", "/api/v1/indicators/?sector=",
    "/api/v1/plans/?page=", "/api/v1/plans/?page=1&page=2", "/api/v1/plans/?year=2025&year=", "/api/v1/plans/?page=x",
])
def test_it_refuses_empty_or_repeated_typed_parameters(client: Any, people: Any, url: str) -> None:
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_create(user=people.minh)}")
    assert response.status_code == 400, url
    assert response["Content-Type"] == "application/json"


def test_it_still_reads_absent_and_valid_parameters(client: Any, people: Any) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=people.minh)}"}
    for url in ["/api/v1/rounds/", "/api/v1/rounds/?year=2025", "/api/v1/plans/?page=1", "/api/v1/units/?level=province",
                "/api/v1/plans/?page=last"]:
        assert client.get(url, **auth).status_code == 200, url
    assert client.get("/api/v1/plans/?page=99", **auth).status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/plans/null,null", "/api/v1/indicators/Tết", "/api/v1/nothing-here"])
def test_it_answers_json_404_under_the_api(client: Any, people: Any, url: str) -> None:
    assert client.get(url).status_code == 401  # authentication first, as for every operation
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_create(user=people.minh)}")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_it_refuses_a_nul_character_in_a_json_body(client, people, units):
    from ansinh.testing import bearer, make_household

    household = make_household(people.lan, units.tra_cu, "HH-1")
    response = client.patch(f"/api/v1/households/{household.pk}", data='{"address": "a\\u0000b", "version": 1}',
                            content_type="application/json", **bearer(people.lan))
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_it_refuses_a_nul_character_in_the_query_as_json(client, people):
    from ansinh.testing import bearer

    response = client.get("/api/v1/audit/?user=a%00b", **bearer(people.tung))
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "NUL" in response.json()["detail"]
