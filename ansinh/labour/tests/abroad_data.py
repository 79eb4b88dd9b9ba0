"""Small fixtures of the abroad lane's tests: a provincial labour officer of Vĩnh Long, a household
in Xã Trà Cú with two working-age members, an employer and a foreign worker."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from ansinh.accounts.audit import Actor
from ansinh.accounts.services import unit_for_role, user_create
from ansinh.testing import make_household

D = dt.date


@pytest.fixture
def labour(people: Any, units: Any) -> SimpleNamespace:
    """`officer`: provincial officer (labour) of Vĩnh Long; `commune_officer`: lan (Trà Cú);
    `household` with `head` (born 1980, male) and `spouse` (born 1982, female), IDs given."""
    officer = user_create(username="thu", password="correct-horse-battery", role="provincial_officer",
                          unit=unit_for_role(role="provincial_officer", code="86"), field="labour")
    actor = Actor(user=officer)
    household = make_household(Actor(user=people.lan), units.tra_cu, "HH-ABR-1",
                               ids=("086080000001", "086182000002"))
    head, spouse = household.members.order_by("pk")
    return SimpleNamespace(officer=officer, actor=actor, household=household, head=head, spouse=spouse,
                           commune_officer=people.lan, outsider=people.binh, admin=people.tung)


@pytest.fixture
def employer(labour: SimpleNamespace, units: Any) -> Any:
    from ansinh.labour.employers import employer_save

    return employer_save(actor=labour.actor, name="Công ty TNHH Giày Da Hòa Phát", tax_code="2100123456",
                         kind="foreign_invested", unit=units.tra_cu, in_industrial_zone=True)


@pytest.fixture
def worker(labour: SimpleNamespace, employer: Any, units: Any) -> Any:
    from ansinh.labour.services_foreign import foreign_worker_save

    return foreign_worker_save(actor=labour.actor, full_name="Wang Wei", passport_number="E12345678",
                               nationality="CN", sex="male", employer=employer, position="expert",
                               workplace=units.tra_cu, birth_date=D(1985, 6, 1), job_title="Kỹ sư")
