"""The API against its own OpenAPI schema, with schemathesis: generated requests (valid ones, and
invalid ones such as empty enums and integers) for every operation, made as a provincial officer
with a token; no answer may be a 5xx, every answer must be documented and match its schema, and
an invalid request must be refused. Bounded and deterministic (a fixed number of examples per
operation, derandomised) so that it runs in the suite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, PositiveDataAcceptanceConfig

from ansinh.accounts.services import token_create

MAX_EXAMPLES = 12


def _schema() -> dict[str, Any]:
    return SchemaGenerator(api_version="1").get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_schema())
schema.app = WSGIHandler()
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
# A unit code, period or indicator that is well-formed for the schema but names nothing known is a
# documented 400 ("names nothing known"): the schema cannot list which codes exist.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=[*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "400"])


@pytest.fixture
def api_headers(people: Any) -> Iterator[dict[str, str]]:
    """A provincial officer's token; the WSGI app shares the test's transaction, so it must not
    close the connection after each request (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {token_create(user=people.minh)}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_it_conforms_to_its_openapi_schema(case: Any, api_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=api_headers)
