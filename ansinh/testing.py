"""Helpers the test modules share (as healthchecks' `hc/test.py`): logging in, API tokens, the
Vietnamese text of a message, a command's output, and the household most tests start from.

Fixtures (the map, named people per role, units) stay in the root conftest.py; this module holds
plain functions, so a test module imports what it uses and nothing is copied between modules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import translation

from ansinh.accounts.models import User
from ansinh.geo.models import Unit
from ansinh.households.models import Household


def login(client: Client, user: User) -> Client:
    """The test client logged in as `user`, without a password round (the login page has its own tests).
    The session records the time as a real login does (`ansinh.accounts.sessions`), so that the
    first page view does not write it."""
    import time

    from ansinh.accounts.sessions import SEEN

    client.force_login(user, backend="ansinh.accounts.backends.ModelBackend")
    session = client.session
    session[SEEN] = int(time.time())
    session.save()
    return client


def bearer(user: User) -> dict[str, str]:
    """Request headers with a new API token of `user` (`client.get(url, **bearer(user))`)."""
    from ansinh.accounts.services import token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}


def vi(msgid: str) -> str:
    """A message as the Vietnamese page shows it, whether or not its translation is compiled yet."""
    with translation.override("vi"):
        return translation.gettext(msgid)


def command_output(*args: str) -> str:
    """What a management command prints (`command_output("geo", "stats")`)."""
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def make_household(actor: Any, commune: Unit, code: str, *, income: int | None = 1_200_000, head: str = "Thạch Văn Sóc",
                   ethnicity: str = "05", ids: tuple[str | None, str | None] = (None, None), hamlet: Unit | None = None,
                   year: int = 2025, address: str = "Ấp Chợ", **conditions: Any) -> Household:
    """A couple (a head with no labour contract, a spouse without health insurance) and the year's
    living conditions: a simple house of 30 m², piped water, a flush latrine, a phone. With 1,2 M
    đồng a month each they are poor under Decree 07/2021/NĐ-CP in town and country alike;
    `conditions` changes or adds living-condition fields."""
    from ansinh.households import services

    household = services.household_create(actor=actor, commune=commune, code=code, address=address, hamlet=hamlet)
    services.member_add(actor=actor, household=household, full_name=head, citizen_id=ids[0], sex="male",
                        birth_date=dt.date(1980, 3, 1), relation="head", ethnicity=ethnicity,
                        employment="no_contract", education="primary")
    services.member_add(actor=actor, household=household, full_name="Kim Thị Sa Ri", citizen_id=ids[1],
                        sex="female", birth_date=dt.date(1982, 5, 2), relation="spouse", ethnicity=ethnicity,
                        health_insurance=False, employment="self_employed")
    values: dict[str, Any] = {"housing": "simple", "floor_area": Decimal("30"), "water_source": "piped",
                              "latrine": "flush", "has_phone": True,
                              "income_per_capita": None if income is None else Decimal(income)}
    values.update(conditions)
    services.conditions_record(actor=actor, household=household, year=year, **values)
    household.refresh_from_db()
    return household
