"""API tokens expire; expired and revoked tokens are refused with a clear 401; the last use is
written at most once a minute."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone

from ansinh.accounts.models import ApiToken, TokenState, hash_token
from ansinh.accounts.services import token_create, token_revoke

pytestmark = pytest.mark.django_db


def me(client, secret):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_it_new_tokens_expire_after_the_configured_days(people, settings):
    settings.API_TOKEN_DAYS = 90
    token_create(user=people.lan)
    token = ApiToken.objects.get(user=people.lan)
    assert (token.expires_at - token.created_at).days in (89, 90)
    settings.API_TOKEN_DAYS = 0
    token_create(user=people.minh)
    assert ApiToken.objects.get(user=people.minh).expires_at is None


def test_it_the_cli_chooses_the_lifetime(people):
    out = StringIO()
    call_command("users", "token", "lan", "--days", "7", stdout=out)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(key_hash=hash_token(secret))
    assert (token.expires_at - token.created_at).days in (6, 7)
    call_command("users", "token", "lan", "--days", "0", stdout=StringIO())
    assert ApiToken.objects.filter(user=people.lan, expires_at__isnull=True).count() == 1


def test_it_an_expired_token_is_refused_with_a_clear_401(client, people):
    secret = token_create(user=people.lan, days=1)
    assert me(client, secret).status_code == 200
    ApiToken.objects.filter(user=people.lan).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = me(client, secret)
    assert response.status_code == 401
    assert "đã hết hạn" in response.json()["detail"]
    assert ApiToken.objects.get(user=people.lan).state() == TokenState.EXPIRED


def test_it_a_revoked_token_is_refused_with_a_clear_401(client, people):
    secret = token_create(user=people.lan)
    token_revoke(token=ApiToken.objects.get(user=people.lan), actor=people.tung)
    response = me(client, secret)
    assert response.status_code == 401 and "đã bị thu hồi" in response.json()["detail"]


def test_it_a_deactivated_users_token_is_refused(client, people):
    from ansinh.accounts.services import user_deactivate

    secret = token_create(user=people.lan)
    user_deactivate(user=people.lan, actor=people.tung)
    assert me(client, secret).status_code == 401


def test_it_the_last_use_is_written_at_most_once_a_minute(client, people):
    secret = token_create(user=people.lan)
    assert me(client, secret).status_code == 200
    first = ApiToken.objects.get(user=people.lan).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        assert me(client, secret).status_code == 200
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE") and "apitoken" in q["sql"]]
    assert ApiToken.objects.get(user=people.lan).last_used_at == first
    ApiToken.objects.filter(user=people.lan).update(last_used_at=first - dt.timedelta(minutes=2))
    me(client, secret)
    assert ApiToken.objects.get(user=people.lan).last_used_at > first - dt.timedelta(seconds=1)
