"""The check when a member or a beneficiary is entered: similar people of the province are shown
before saving, what was typed is kept, "save anyway" is audited; few indexed queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.dedup.entry import similar_people
from ansinh.dedup.models import DuplicatePair, Method, PairStatus
from ansinh.households.models import Member
from ansinh.testing import login

from .setup import pair_of, twins

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(db):  # type: ignore[no-untyped-def]
    return twins()


def member_post(**overrides: str) -> dict[str, str]:
    data = {"full_name": "Huynh Thi Hoa", "citizen_id": "", "sex": "female", "birth_date": "17/04/1952",
            "relation": "other", "ethnicity": "01", "schooling": "none", "education": "none",
            "employment": "inactive", "disability": "none", "health_insurance": "on", "can_work": "on"}
    data.update(overrides)
    return data


def test_it_finds_the_same_person_in_another_commune_of_the_province(t):  # type: ignore[no-untyped-def]
    found = similar_people(full_name="Huỳnh Thị Hoa", birth_date=dt.date(1952, 4, 17), citizen_id=None,
                           commune=t.hoa2.household.commune)
    ids = [s.person_id for s in found]
    assert t.hoa.pk in ids and t.hoa2.pk in ids and t.khac.pk not in ids
    first = found[0]
    assert first.probability >= 0.5 and first.reasons and first.commune


def test_it_finds_a_mistyped_birth_date_and_a_dropped_middle_name(t):  # type: ignore[no-untyped-def]
    found = similar_people(full_name="Huỳnh Hoa", birth_date=dt.date(1952, 4, 17), citizen_id=None,
                           commune=t.hoa.household.commune)
    assert t.hoa.pk in [s.person_id for s in found]
    found = similar_people(full_name="Huỳnh Thị Hoa", birth_date=dt.date(1952, 4, 11), citizen_id=None,
                           commune=t.hoa.household.commune)
    assert t.hoa.pk in [s.person_id for s in found]
    # Another family name, the same given name and birth date: no warning.
    found = similar_people(full_name="Nguyễn Thị Hoa", birth_date=dt.date(1952, 4, 17), citizen_id=None,
                           commune=t.hoa.household.commune)
    assert t.hoa.pk not in [s.person_id for s in found]


def test_it_leaves_out_the_record_edited_and_pairs_already_decided(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.hoa2)
    DuplicatePair.objects.filter(pk=pair.pk).update(status=PairStatus.DISMISSED)
    found = similar_people(full_name=t.hoa.full_name, birth_date=t.hoa.birth_date, citizen_id=t.hoa.citizen_id,
                           commune=t.hoa.household.commune, exclude=t.hoa.pk)
    assert [s.person_id for s in found] == []


def test_it_finds_nobody_outside_the_province(t):  # type: ignore[no-untyped-def]
    hanoi = Member.objects.filter(household__commune__code="00004").first()
    commune = t.hoa.household.commune if hanoi is None else hanoi.household.commune
    if hanoi is None:
        from ansinh.accounts.services import unit_for_role
        commune = unit_for_role(role="commune_officer", code="00004")
    assert similar_people(full_name="Huỳnh Thị Hoa", birth_date=dt.date(1952, 4, 17), citizen_id=None,
                          commune=commune) == []


def test_it_runs_the_check_in_a_few_queries(t):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        similar_people(full_name="Huỳnh Thị Hoa", birth_date=dt.date(1952, 4, 17), citizen_id="084152000101",
                       commune=t.hoa.household.commune, exclude=t.khac.pk)
    # The block's ids, those in the province, the active model, the pairs already decided.
    assert len(queries.captured_queries) <= 4
    if connection.vendor == "sqlite":
        block = queries.captured_queries[0]["sql"]
        assert "households_member" in block and "households_household" not in block
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {block}")
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "USING INDEX" in plan and "SCAN households_member" not in plan, plan


def test_it_warns_in_the_member_form_and_keeps_what_was_typed(t):  # type: ignore[no-untyped-def]
    client = login(Client(), t.tu)
    url = reverse("member-add", args=[t.hoa2.household_id])
    response = client.post(url, member_post(full_name="Hoàng Thị Hoa"))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="similar-people"' in page
    assert 'value="Hoàng Thị Hoa"' in page
    # Trà Cú is outside the officer's commune: its person is not named there.
    assert "Huỳnh Thị Hoa" not in page
    assert Member.objects.filter(full_name="Hoàng Thị Hoa").count() == 0
    response = client.post(url, member_post(full_name="Hoàng Thị Hoa", save_anyway="1"))
    assert response.status_code == 302
    saved = Member.objects.get(full_name="Hoàng Thị Hoa")
    event = AuditEvent.objects.get(action=AuditAction.DUPLICATE_SAVED_ANYWAY)
    assert event.after["form"] == "member" and t.hoa2.pk in event.after["similar"]
    assert DuplicatePair.objects.filter(method=Method.ENTRY, status=PairStatus.OPEN).filter(
        left_id=min(saved.pk, t.hoa2.pk), right_id=max(saved.pk, t.hoa2.pk)).exists()


def test_it_names_similar_people_inside_the_officers_units(t):  # type: ignore[no-untyped-def]
    client = login(Client(), t.lan)
    response = client.post(reverse("member-add", args=[t.hoa.household_id]), member_post())
    page = response.content.decode()
    assert "Huỳnh Thị Hoa" in page and reverse("household-detail", args=[t.hoa.household_id]) in page


def test_it_does_not_warn_on_an_edit_that_keeps_the_identity(t):  # type: ignore[no-untyped-def]
    client = login(Client(), t.lan)
    data = member_post(full_name=t.hoa.full_name, citizen_id=t.hoa.citizen_id, relation="head",
                       version=str(t.hoa.version), employment="self_employed")
    response = client.post(reverse("member-edit", args=[t.hoa.pk]), data)
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.DUPLICATE_SAVED_ANYWAY).exists()


def test_it_warns_in_the_entitlement_form(t):  # type: ignore[no-untyped-def]
    client = login(Client(), t.lan)
    url = reverse("entitlement-create")
    page = client.get(url, {"person": t.hoa.pk}).content.decode()
    assert 'data-testid="similar-people"' in page and "save_anyway" in page
    data = {"person": str(t.hoa.pk), "category": "", "decision_number": "9/QĐ", "decision_date": "05/08/2025",
            "decision_signer": "Chủ tịch UBND xã"}
    from ansinh.benefits.models import Category
    category = Category.objects.get(code="social_pension")
    data["category"] = str(category.pk)
    response = client.post(url, data)
    assert response.status_code == 200 and 'data-testid="similar-people"' in response.content.decode()
    assert 'value="9/QĐ"' in response.content.decode()
    response = client.post(url, {**data, "save_anyway": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert AuditEvent.objects.filter(action=AuditAction.DUPLICATE_SAVED_ANYWAY, after__form="entitlement").exists()
