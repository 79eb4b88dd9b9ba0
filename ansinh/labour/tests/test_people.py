"""The shared person matcher of the labour imports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ansinh.households.models import Member
from ansinh.labour.people import Match, match_people, person_commune_ids

from .place_setup import HEAD_ID, SPOUSE_ID, register

pytestmark = pytest.mark.django_db


def test_it_matches_by_citizen_id_and_reports_each_problem(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    Member.objects.filter(pk=reg.other_head.pk).update(died_on=dt.date(2026, 1, 5))
    Member.objects.filter(pk=reg.other_spouse.pk).update(left_on=dt.date(2026, 2, 1))
    rows = [
        (HEAD_ID, "thach van soc", dt.date(1980, 3, 1)),  # accents ignored
        (f"{SPOUSE_ID[:3]} {SPOUSE_ID[3:]}", "", None),  # spaces ignored, no name nor date to compare
        ("086099999999", "Ai Đó", None),  # not in the register
        ("12345", "Ai Đó", None),  # malformed
        (HEAD_ID, "Trần Văn Sóc", None),  # another name
        (HEAD_ID, "Thạch Văn Sóc", dt.date(1980, 3, 2)),  # another birth date
        (reg.other_head.citizen_id, "Nguyễn Văn An", None),  # dead
        (reg.other_spouse.citizen_id, "Kim Thị Sa Ri", None),  # left
    ]
    matches, errors = match_people(rows, units.vinh_long)
    assert matches == {0: Match(reg.head.pk, units.tra_cu.pk), 1: Match(reg.spouse.pk, units.tra_cu.pk)}
    with translation.override("vi"):
        texts = {index: str(text) for index, text in errors.items()}
    assert set(texts) == {2, 3, 4, 5, 6, 7}
    assert "086099999999 không có trong sổ hộ của tỉnh" in texts[2]
    assert "12 chữ số" in texts[3]
    assert "Trần Văn Sóc" in texts[4] and "Thạch Văn Sóc" in texts[4]
    assert "02/03/1980" in texts[5] and "01/03/1980" in texts[5]
    assert "đã mất" in texts[6] and "05/01/2026" in texts[6]
    assert "đã chuyển đi" in texts[7]


def test_it_finds_nobody_outside_the_province(people, units):  # type: ignore[no-untyped-def]
    register(people, units)
    matches, errors = match_people([(HEAD_ID, "", None)], units.ha_noi)
    assert matches == {} and set(errors) == {0}


def test_it_reads_the_register_in_a_query_per_thousand_ids(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    rows = [(f"0860{i:08d}", "", None) for i in range(2_500)] + [(HEAD_ID, "", None)]
    with CaptureQueriesContext(connection) as queries:
        matches, errors = match_people(rows, units.vinh_long)
    assert len(queries) == 3
    assert len(errors) == 2_500 and matches[2_500].person_id == reg.head.pk
    with CaptureQueriesContext(connection) as queries:
        assert person_commune_ids([reg.head.pk, reg.spouse.pk]) == {reg.head.pk: units.tra_cu.pk,
                                                                    reg.spouse.pk: units.tra_cu.pk}
    assert len(queries) == 1
