"""Sessions are written only when they change, and still end after the idle time
(`ansinh.accounts.sessions`). Time travels by editing the stored timestamp, not by sleeping."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.sessions import SEEN, idle_seconds, refresh_seconds
from ansinh.testing import bearer, login, vi

pytestmark = pytest.mark.django_db


def session_writes(client: Client, url: str = "/") -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    writes = [q["sql"] for q in captured.captured_queries
              if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    return response, writes


def travel(client: Client, seconds_ago: int) -> None:
    """The session was last seen `seconds_ago`."""
    session = client.session
    session[SEEN] = int(time.time()) - seconds_ago
    session.save()


def test_it_the_refresh_interval_is_a_tenth_of_the_idle_time_at_most_five_minutes(settings):
    assert idle_seconds() == settings.SESSION_COOKIE_AGE == 120 * 60
    assert refresh_seconds() == 300
    settings.SESSION_COOKIE_AGE = 20 * 60
    assert refresh_seconds() == 120


def test_it_page_views_in_a_row_do_not_write_the_session(client, people):
    login(client, people.lan)  # records the time, as the login page does
    for url in ("/", "/households/", "/", "/plans/dashboard"):
        response, writes = session_writes(client, url)
        assert response.status_code == 200 and writes == [], url


def test_it_writes_the_session_again_after_the_refresh_interval(client, people):
    login(client, people.lan)
    client.get("/")
    travel(client, refresh_seconds() - 5)
    assert session_writes(client)[1] == []  # not yet
    before = Session.objects.get(session_key=client.session.session_key).expire_date
    travel(client, refresh_seconds() + 1)
    response, writes = session_writes(client)
    assert response.status_code == 200 and len(writes) == 1
    assert abs(client.session[SEEN] - time.time()) < 5
    after = Session.objects.get(session_key=client.session.session_key).expire_date
    assert after >= before  # the row's expiry moved on with it


def test_it_logs_out_after_the_idle_time(client, people):
    login(client, people.lan)
    client.get("/")
    travel(client, idle_seconds() - refresh_seconds())
    assert client.get("/").status_code == 200  # still in (and the time refreshed)
    travel(client, idle_seconds() + 1)
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"], headers={"Accept-Language": "vi"}).content.decode()
    assert vi("Your session ended after %(minutes)d minutes without activity: please log in again.") % {
        "minutes": 120} in page
    assert client.get("/").status_code == 302  # and stays out


def test_it_a_session_from_before_keeps_going_and_gets_a_time(client, people):
    """A session written before this middleware (no time in it) is not logged out."""
    login(client, people.lan)
    session = client.session
    session.pop(SEEN, None)
    session.save()
    response, writes = session_writes(client)
    assert response.status_code == 200 and len(writes) == 1 and isinstance(client.session[SEEN], int)


def test_it_the_login_records_the_time_in_its_own_write(client, people):
    response = client.post("/accounts/login/", {"username": "lan", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert isinstance(client.session.get(SEEN), int)
    assert session_writes(client)[1] == []


def test_it_api_token_requests_make_no_session(client, people):
    before = Session.objects.count()
    response = client.get("/api/v1/households/", **bearer(people.lan))
    assert response.status_code == 200
    assert Session.objects.count() == before and not client.cookies.get("sessionid")
