"""The demo's planted duplicates: about 0,5 % of the people entered again in another commune with
variants, no citizen ID twice; `find` puts them in the review queue; `--replace` cleans them."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ansinh.dedup import demo as dedup_demo
from ansinh.dedup.models import DuplicatePair, PairStatus
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member
from ansinh.lib.citizen_id import check_citizen_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):  # type: ignore[no-untyped-def]
    settings.DEMO = True


def province() -> Unit:
    return Unit.objects.get(code="86", level=Level.PROVINCE, edition=Edition.CURRENT)


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "generate", "--province", "86", *args, stdout=out)
    return out.getvalue()


def test_it_plants_duplicates_in_other_communes_and_finds_them(demo_mode, units):  # type: ignore[no-untyped-def]
    generate("--households", "1500", "--seed", "5")
    pairs = dedup_demo.planted_pairs(province())
    people = Member.objects.filter(household__commune__path__startswith=province().path).count()
    assert 0.002 * people <= len(pairs) <= 0.01 * people
    records = Member.objects.in_bulk([pk for pair in pairs for pk in pair])
    assert len(records) == 2 * len(pairs)
    for a, b in pairs:
        first, second = records[a], records[b]
        assert first.household.commune_id != second.household.commune_id
        assert not (first.citizen_id and first.citizen_id == second.citizen_id)
        assert not second.social_allowance and not second.meritorious
        if second.citizen_id:  # one digit mistyped, still a well-formed number
            assert sum(x != y for x, y in zip(first.citizen_id or "", second.citizen_id, strict=False)) == 1
            check_citizen_id(second.citizen_id, sex=second.sex)
    lines: list[str] = []
    dedup_demo.find(province=province(), write=lines.append)
    assert lines and "Người trùng" in lines[0]
    found = set(DuplicatePair.objects.filter(status=PairStatus.OPEN).values_list("left_id", "right_id"))
    recall = len(found & set(pairs)) / len(pairs)
    assert recall >= 0.6, (recall, lines)
    # Run again: nothing new, nothing raised twice.
    before = DuplicatePair.objects.count()
    dedup_demo.find(province=province(), write=lines.append)
    assert DuplicatePair.objects.count() == before
    # --replace removes the pairs with the people.
    generate("--households", "50", "--seed", "6", "--replace")
    assert not DuplicatePair.objects.filter(left_id__in=list(records)).exists()
