"""Integer query parameters too large for a 64-bit column answer 400 or 404, never 500 (a
25-digit ?round= or ?plan= overflowed SQLite's and PostgreSQL's integers)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from ansinh.web.shortcuts import int_param

HUGE = "1" + "0" * 24
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/households/?round={n}", "/households/?round=12,{n}", "/households/?page={n}", "/households/?commune={n}",
    "/households/?hamlet={n}", "/households/?province={n}", "/households/figures/country/?year={n}",
    "/households/rounds/?year={n}", "/households/figures/?year={n}",
    "/plans/?page={n}", "/plans/?year={n}", "/plans/template.xlsx?plan={n}", "/plans/dashboard?plan={n}&unit={n}",
    "/plans/import?plan={n}", "/audit/?page={n}", "/units/?level={n}", "/calendar/?year={n}",
    "/calendar/?province={n}", "/api/v1/plans/?year={n}", "/api/v1/submissions/?plan={n}", "/api/v1/rounds/?year={n}",
    "/api/v1/households/?round={n}", "/api/v1/plans/?page={n}", "/api/v1/units/?level={n}",
])
def test_it_never_answers_500_to_a_huge_integer(people: Any, url: str) -> None:
    client = Client(raise_request_exception=False)
    for user in (people.minh, people.tung):
        client.force_login(user)
        for value in (HUGE, "-" + HUGE, "9223372036854775808"):
            response = client.get(url.format(n=value))
            assert response.status_code in (200, 302, 400, 403, 404), (url, value, response.status_code)


@pytest.mark.parametrize(("raw", "expected"), [
    ("", None), ("  ", None), ("42", 42), (" 7 ", 7), ("-3", -3), ("+5", 5), ("9223372036854775807", 2**63 - 1),
])
def test_it_reads_integers_in_range(raw: str, expected: int | None) -> None:
    assert int_param(RequestFactory().get("/", {"x": raw}), "x") == expected


@pytest.mark.parametrize("raw", ["abc", "1.5", "١٢", "9223372036854775808", HUGE, "--1", "1e3"])
def test_it_refuses_other_values_with_400_or_404(raw: str) -> None:
    from django.core.exceptions import BadRequest
    from django.http import Http404

    request = RequestFactory().get("/", {"x": raw})
    with pytest.raises(BadRequest):
        int_param(request, "x")
    with pytest.raises(Http404):
        int_param(request, "x", not_found=True)
    with pytest.raises(BadRequest):
        int_param(RequestFactory().get("/", {"x": "2200"}), "x", low=1901, high=2099)
