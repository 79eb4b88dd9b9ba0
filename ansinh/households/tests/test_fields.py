"""Fields are enforced: a provincial officer changes only what belongs to her field.

The register of households and the poverty review belong to the poverty field; a labour officer
of the same province reads them but gets 403 on every change, and changes nothing; the poverty
officer (Minh) does the same actions with success. Plans are cross-field: any field's officer
keeps them. Commune officers are generalists of their commune.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent, Field, Role
from ansinh.accounts.services import user_create
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import services
from ansinh.households.access import communes_to_change
from ansinh.poverty.access import openable_units
from ansinh.households.importer import template_xlsx
from ansinh.households.models import Household, LivingConditions, Member
from ansinh.poverty import services as poverty_services
from ansinh.poverty.models import ReviewRound, RoundProgress, Step
from conftest import login

pytestmark = pytest.mark.django_db

HEAD_ID = "084080000001"


@pytest.fixture
def lam(units):  # type: ignore[no-untyped-def]
    """Lâm: provincial officer of Vĩnh Long, field labour."""
    return user_create(username="lam", password="correct-horse-battery", role=Role.PROVINCIAL_OFFICER,
                       unit=units.vinh_long, field=Field.LABOUR)


@dataclass
class World:
    household: Household
    other: Household
    head: Member
    wife: Member
    round: ReviewRound
    units: Any


@pytest.fixture
def world(people, units):  # type: ignore[no-untyped-def]
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-1", address="Ấp Chợ")
    head = services.member_add(actor=people.lan, household=household, full_name="Thạch Văn Sóc", citizen_id=HEAD_ID,
                               sex="male", birth_date=dt.date(1980, 3, 1), relation="head", ethnicity="05")
    wife = services.member_add(actor=people.lan, household=household, full_name="Kim Thị Sa Ri", sex="female",
                               birth_date=dt.date(1982, 5, 2), relation="spouse", ethnicity="05")
    services.conditions_record(actor=people.lan, household=household, year=2025, housing="simple",
                               floor_area=Decimal("30"), income_per_capita=Decimal(1_200_000))
    other = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-2")
    services.member_add(actor=people.lan, household=other, full_name="Lâm Văn Tư", sex="male",
                        birth_date=dt.date(1970, 1, 1), relation="head")
    round_ = poverty_services.review_round_open(actor=people.minh, unit=units.vinh_long, year=2025)
    household.refresh_from_db()
    return World(household=household, other=other, head=head, wife=wife, round=round_, units=units)


MEMBER = {"full_name": "Thạch Thị Mỹ Linh", "sex": "female", "birth_date": "15/06/2005", "relation": "child",
          "ethnicity": "05", "schooling": "upper_secondary", "education": "lower_secondary", "employment": "inactive",
          "disability": "none"}


def _ready_to_decide(w: World) -> dict[str, Any]:
    """The round classified and its commune's steps posted: what a decision needs."""
    poverty_services.review_round_run(round=w.round, actor=Actor.system())
    for step in (Step.LIST, Step.SURVEY, Step.MEETING, Step.POSTING):
        poverty_services.review_round_step(actor=Actor.system(), round=w.round, commune=w.units.tra_cu, step=step,
                                   on=dt.date(2025, 11, 1))
    return {"decision_number": "12/QĐ-UBND", "decided_on": "2025-12-15"}


def _import_file() -> dict[str, Any]:
    return {"file": SimpleUploadedFile("ho.xlsx", template_xlsx(sample=True))}


# (name, url, data): every poverty action that changes data through a page.
ACTIONS: list[tuple[str, Callable[[World], str], Callable[[World], dict[str, Any]]]] = [
    ("household-create", lambda w: reverse("household-create"),
     lambda w: {"commune": w.units.tra_cu.pk, "code": "HH-9", "address": "Ấp Mới"}),
    ("household-edit", lambda w: reverse("household-edit", args=[w.household.pk]),
     lambda w: {"address": "Ấp Trà Sất", "area": "rural", "version": w.household.version}),
    ("member-add", lambda w: reverse("member-add", args=[w.household.pk]), lambda w: MEMBER),
    ("member-edit", lambda w: reverse("member-edit", args=[w.wife.pk]),
     lambda w: {**MEMBER, "full_name": "Kim Thị Sa Ri", "birth_date": "02/05/1982", "relation": "spouse",
                "version": w.wife.version}),
    ("member-died", lambda w: reverse("member-died", args=[w.head.pk]), lambda w: {"died_on": "03/10/2025"}),
    ("member-move", lambda w: reverse("member-move", args=[w.wife.pk]),
     lambda w: {"to_code": "HH-2", "relation": "other", "on": "01/09/2025"}),
    ("household-split", lambda w: reverse("household-split", args=[w.household.pk]),
     lambda w: {"members": [w.wife.pk], "head": w.wife.pk, "new_code": "HH-5", "on": "01/08/2025"}),
    ("household-merge", lambda w: reverse("household-merge", args=[w.other.pk]),
     lambda w: {"into_code": "HH-1", "on": "01/09/2025"}),
    ("conditions-record", lambda w: reverse("conditions-record", args=[w.household.pk]),
     lambda w: {"year": "2025", "housing": "semi_durable", "floor_area": "45", "water_source": "piped",
                "latrine": "flush", "income_per_capita": "1.400.000"}),
    ("household-import", lambda w: reverse("household-import"), lambda w: _import_file()),
    ("round-open", lambda w: reverse("round-open"),
     lambda w: {"year": "2024", "kind": "periodic", "unit": str(w.units.vinh_long.pk)}),
    ("round-step", lambda w: reverse("round-step", args=[w.round.pk]),
     lambda w: {"commune": str(w.units.tra_cu.pk), "step": Step.LIST, "on": "2025-10-01"}),
    ("round-run", lambda w: reverse("round-run", args=[w.round.pk]), lambda w: {}),
    ("round-decide", lambda w: reverse("round-decide", args=[w.round.pk]), _ready_to_decide),
]


def _state() -> tuple[int, ...]:
    return (Household.objects.count(), Member.objects.count(), Member.objects.filter(died_on__isnull=False).count(),
            LivingConditions.objects.count(), ReviewRound.objects.count(), RoundProgress.objects.count(),
            AuditEvent.objects.count(), *Household.objects.order_by("pk").values_list("version", flat=True),
            *Member.objects.order_by("pk").values_list("version", flat=True))


@pytest.mark.parametrize("name,url,data", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_it_refuses_every_poverty_action_to_a_labour_officer(client, people, lam, world, name, url, data):
    login(client, lam)
    target, payload = url(world), data(world)
    before = _state()
    response = client.post(target, payload)
    assert response.status_code == 403, (name, response.status_code)
    assert _state() == before


@pytest.mark.parametrize("name,url,data", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_it_lets_the_poverty_officer_do_every_poverty_action(client, people, world, name, url, data):
    login(client, people.minh)
    target, payload = url(world), data(world)
    before = AuditEvent.objects.count()
    response = client.post(target, payload)
    assert response.status_code == 302, (name, response.status_code, response.content.decode()[:2000])
    assert AuditEvent.objects.count() > before, name  # the action was done (and audited)


def test_it_shows_a_labour_officer_the_register_read_only(client, people, lam, world):
    login(client, lam)
    page = client.get(reverse("household-detail", args=[world.household.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert HEAD_ID not in html and "•••••••••001" in html  # not her field: the citizen ID masked
    assert 'data-testid="household-actions"' not in html
    assert 'data-testid="register"' not in client.get(reverse("household-list")).content.decode()
    for url in (reverse("household-create"), reverse("household-edit", args=[world.household.pk]),
                reverse("member-add", args=[world.household.pk]), reverse("household-import")):
        assert client.get(url).status_code == 403, url
    round_page = client.get(reverse("round-detail", args=[world.round.pk])).content.decode()
    assert 'data-testid="run"' not in round_page and 'data-testid="decide"' not in round_page
    assert not openable_units(lam) and not communes_to_change(lam).exists()


def test_it_keeps_plans_open_to_every_field_and_the_commune_officer_a_generalist(people, lam, units):
    scope = get_scope(lam)
    assert scope.can_change(units.vinh_long)  # plans and forms: no field asked
    assert not scope.can_change(units.vinh_long, field=Field.POVERTY)
    assert scope.can_change(units.tra_cu, field=Field.LABOUR)
    lan = get_scope(people.lan)
    for field in Field.values:
        assert lan.can_change(units.tra_cu, field=field)
    assert not lan.can_change(units.vinh_long, field=Field.POVERTY)
    other = Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE).exclude(pk=units.tra_cu.pk).first()
    assert other is not None and not lan.can_change(other)


def test_it_shows_full_citizen_ids_only_to_those_who_keep_the_register(people, lam, units):
    assert get_scope(people.lan).may_see_citizen_ids(units.tra_cu)
    assert get_scope(people.minh).may_see_citizen_ids(units.tra_cu)
    assert get_scope(people.tung).may_see_citizen_ids(units.tra_cu)
    assert not get_scope(lam).may_see_citizen_ids(units.tra_cu)  # another field
    assert not get_scope(people.bao).may_see_citizen_ids(units.tra_cu)  # leader
    assert not get_scope(people.duc).may_see_citizen_ids(units.tra_cu)  # viewer
    assert not get_scope(people.binh).may_see_citizen_ids(units.tra_cu)  # another commune
    assert not get_scope(people.minh).may_see_citizen_ids(units.ba_dinh)  # another province


# The API's writes on the register: the same field rule.
API_WRITES: list[tuple[str, Callable[[World], str], Callable[[World], dict[str, Any]]]] = [
    ("api-household", lambda w: f"/api/v1/households/{w.household.pk}",
     lambda w: {"address": "Ấp Trà Sất", "version": w.household.version}),
    ("api-member", lambda w: f"/api/v1/members/{w.wife.pk}",
     lambda w: {"health_insurance": True, "version": w.wife.version}),
]


def _bearer(user: Any) -> dict[str, str]:
    from ansinh.accounts.services import token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}


@pytest.mark.parametrize("name,url,data", API_WRITES, ids=[a[0] for a in API_WRITES])
def test_it_refuses_the_apis_register_writes_to_a_labour_officer(client, people, lam, world, name, url, data):
    headers = _bearer(lam)
    before = _state()
    response = client.patch(url(world), data(world), content_type="application/json", **headers)
    assert response.status_code == 403, (name, response.status_code, response.content[:500])
    assert _state() == before


@pytest.mark.parametrize("name,url,data", API_WRITES, ids=[a[0] for a in API_WRITES])
def test_it_lets_the_poverty_officer_write_through_the_api(client, people, world, name, url, data):
    before = AuditEvent.objects.filter(action__in=["household.update", "member.update"]).count()
    response = client.patch(url(world), data(world), content_type="application/json", **_bearer(people.minh))
    assert response.status_code == 200, (name, response.status_code, response.content[:500])
    assert AuditEvent.objects.filter(action__in=["household.update", "member.update"]).count() == before + 1
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'


def test_it_applies_the_field_to_the_cli_actor(people, lam, world, tmp_path):
    """`ansinh poverty review run|decide --actor` and `standards --load --actor` check the field,
    and `households import --as` the register's field, as the pages do."""
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    def poverty(*args: str) -> None:
        call_command("poverty", *args, stdout=StringIO(), stderr=StringIO())

    with pytest.raises(CommandError, match="(?i)lĩnh vực giảm nghèo"):
        poverty("review", "run", "--year", "2025", "--unit", "86", "--actor", "lam")
    with pytest.raises(CommandError, match="(?i)lĩnh vực giảm nghèo"):
        poverty("review", "decide", "--year", "2025", "--unit", "86", "--number", "1/QĐ", "--date", "2025-12-20",
                "--actor", "lam")
    assert not ReviewRound.objects.exclude(pk=world.round.pk).exists()
    assert world.round.assessments.count() == 0
    standards = tmp_path / "standards.json"
    standards.write_text('{"standards": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="chỉ quản trị hệ thống"):
        poverty("standards", "--load", str(standards), "--actor", "minh")
    upload = tmp_path / "ho.xlsx"
    upload.write_bytes(template_xlsx(sample=True))
    before = Household.objects.count()
    with pytest.raises(CommandError, match="không có vai trò"):
        call_command("households", "import", str(upload), "--as", "lam", stdout=StringIO(), stderr=StringIO())
    assert Household.objects.count() == before
    poverty("review", "run", "--year", "2025", "--unit", "86", "--actor", "minh")  # her field: done
    assert world.round.assessments.exists()


READ_ONLY = {"household-list", "household-lookup", "household-detail", "household-template", "round-list-xlsx",
             "round-list", "round-detail", "round-figures", "figures-latest", "figures-country", "round-figures-xlsx",
             "standard-list"}


def test_it_lists_every_page_of_the_register_and_the_review():
    """A new page that changes data must join ACTIONS (and so the field tests) or be read-only."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def names(patterns: list[Any]) -> set[str]:
        found: set[str] = set()
        for entry in patterns:
            if isinstance(entry, URLResolver):
                found |= names(entry.url_patterns)
            elif isinstance(entry, URLPattern) and entry.name:
                found.add(entry.name)
        return found

    # The register's and the poverty review's pages, both under /households/.
    mounted = [e for e in get_resolver().url_patterns
               if isinstance(e, URLResolver) and str(e.pattern).startswith("households")]
    assert len(mounted) == 2
    assert set().union(*(names(e.url_patterns) for e in mounted)) == READ_ONLY | {name for name, _url, _data in ACTIONS}
