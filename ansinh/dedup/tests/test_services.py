"""Decisions on possible duplicates: merge moves what follows the person and takes the other record
out of its household; link keeps both and pays once; dismiss closes the pair; a decision is final;
refusals in Vietnamese terms (a record already merged away, both paid for the same months, a
decided pair, an officer of one commune only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.benefits import services as benefits
from ansinh.benefits.models import Entitlement
from ansinh.dedup import services
from ansinh.dedup.identity import one_per_person
from ansinh.dedup.models import DuplicatePair, PairStatus
from ansinh.households.models import HouseholdEvent, HouseholdEventKind, Member

from .setup import pair_of, twins

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(db):  # type: ignore[no-untyped-def]
    return twins()


def test_it_merges_keeping_the_chosen_record_and_moves_entitlements(t):  # type: ignore[no-untyped-def]
    pension = benefits.create_entitlement(t.system, t.hoa2, "social_pension", decision_number="5/QĐ",
                                          decision_date=dt.date(2025, 8, 5))
    pair = pair_of(t.hoa, t.hoa2)
    services.merge(pair, actor=Actor(user=t.po), keep=t.hoa.pk, note="Cùng người, đã gọi điện xác minh")
    pair.refresh_from_db()
    assert pair.status == PairStatus.MERGED and pair.kept_id == t.hoa.pk and pair.decided_by == t.po
    moved = Entitlement.objects.get(pk=pension.pk)
    assert moved.person_id == t.hoa.pk and moved.commune_id == t.hoa.household.commune_id
    gone = Member.objects.get(pk=t.hoa2.pk)
    assert gone.left_on is not None
    event = HouseholdEvent.objects.get(member=gone, kind=HouseholdEventKind.MEMBER_LEFT)
    assert "Huỳnh Thị Hoa" in event.note
    row = AuditEvent.objects.get(action=AuditAction.DUPLICATE_MERGE)
    assert row.after["entitlements_moved"] == [pension.pk] and row.before["status"] == "open"
    assert one_per_person([t.hoa.pk, t.hoa2.pk]) == {t.hoa.pk: min(t.hoa.pk, t.hoa2.pk),
                                                     t.hoa2.pk: min(t.hoa.pk, t.hoa2.pk)}


def test_it_moves_the_citizen_id_to_the_kept_record_when_it_has_none(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.hoa2)
    services.merge(pair, actor=Actor(user=t.po), keep=t.hoa2.pk)
    assert Member.objects.get(pk=t.hoa2.pk).citizen_id == "084152000101"
    assert Member.objects.get(pk=t.hoa.pk).citizen_id is None


def test_it_refuses_a_merge_when_both_are_paid_for_the_same_months(t):  # type: ignore[no-untyped-def]
    for who, number in ((t.hoa, "1/QĐ"), (t.hoa2, "2/QĐ")):
        benefits.create_entitlement(t.system, who, "social_pension", decision_number=number,
                                    decision_date=dt.date(2025, 8, 5))
    pair = pair_of(t.hoa, t.hoa2)
    with pytest.raises(ValidationError, match="paid twice|hai lần"):
        services.merge(pair, actor=Actor(user=t.po), keep=t.hoa.pk)
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.OPEN
    assert Member.objects.get(pk=t.hoa2.pk).left_on is None
    # Linking is the way: both kept, paid once.
    services.link(pair, actor=Actor(user=t.po))
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.LINKED


def test_it_refuses_a_pair_whose_record_was_merged_elsewhere(t):  # type: ignore[no-untyped-def]
    first = pair_of(t.hoa, t.hoa2)
    third = pair_of(t.hoa2, t.khac, probability=0.6)
    services.merge(first, actor=Actor(user=t.po), keep=t.hoa.pk)
    with pytest.raises(ValidationError, match="merged into another record|hợp nhất"):
        services.merge(third, actor=Actor(user=t.po), keep=t.khac.pk)
    with pytest.raises(ValidationError):
        services.link(third, actor=Actor(user=t.po))
    services.dismiss(third, actor=Actor(user=t.po), note="Khác người")
    assert DuplicatePair.objects.get(pk=third.pk).status == PairStatus.DISMISSED


def test_it_makes_a_decision_final(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.khac)
    services.dismiss(pair, actor=Actor(user=t.po), note="Khác người")
    with pytest.raises(services.PairDecided):
        services.link(pair, actor=Actor(user=t.po))
    stale = DuplicatePair.objects.get(pk=pair.pk)
    stale.status = PairStatus.OPEN  # a page opened before the decision
    with pytest.raises(services.PairDecided):
        services.merge(stale, actor=Actor(user=t.po))
    assert AuditEvent.objects.filter(action=AuditAction.DUPLICATE_DISMISS).count() == 1
    assert AuditEvent.objects.filter(action__startswith="duplicate.").count() == 1


def test_it_refuses_an_officer_of_one_commune_a_pair_across_two(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.hoa2)
    with pytest.raises(PermissionDenied):
        services.link(pair, actor=Actor(user=t.lan))
    inside = pair_of(t.hoa, t.khac)
    services.dismiss(inside, actor=Actor(user=t.lan))
    assert DuplicatePair.objects.get(pk=inside.pk).status == PairStatus.DISMISSED


def test_it_refuses_merging_a_deceased_record(t):  # type: ignore[no-untyped-def]
    Member.objects.filter(pk=t.hoa2.pk).update(died_on=dt.date(2025, 1, 3))
    pair = pair_of(t.hoa, t.hoa2)
    with pytest.raises(ValidationError, match="death|chết|mất"):
        services.merge(pair, actor=Actor(user=t.po), keep=t.hoa.pk)


def test_it_refuses_a_kept_record_outside_the_pair(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.hoa2)
    with pytest.raises(ValidationError):
        services.merge(pair, actor=Actor(user=t.po), keep=t.khac.pk)
    with pytest.raises(ValidationError):
        services.decide(pair, actor=Actor(user=t.po), decision="delete")


def test_it_refuses_a_merge_when_a_record_changed_meanwhile(t):  # type: ignore[no-untyped-def]
    pair = DuplicatePair.objects.select_related("left", "right").get(pk=pair_of(t.hoa, t.hoa2).pk)
    Member.objects.filter(pk=t.hoa2.pk).update(version=99)

    original = services._open_pair

    def stale_read(p, actor):  # type: ignore[no-untyped-def]
        fresh = original(p, actor)
        fresh.right.version = 1 if fresh.right_id == t.hoa2.pk else fresh.right.version
        fresh.left.version = 1 if fresh.left_id == t.hoa2.pk else fresh.left.version
        return fresh

    services._open_pair = stale_read
    try:
        with pytest.raises(ValidationError, match="changed|thay đổi"):
            services.merge(pair, actor=Actor(user=t.po), keep=t.hoa.pk)
    finally:
        services._open_pair = original
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.OPEN


def test_it_records_a_save_anyway_as_a_review_item(t):  # type: ignore[no-untyped-def]
    from django.db import transaction

    with transaction.atomic():
        made = services.record_entry_warning(actor=Actor(user=t.lan), person=t.khac,
                                             similar=[(t.hoa.pk, 0.7)], form="member")
    assert made == 1
    pair = DuplicatePair.objects.get(method="entry")
    assert {pair.left_id, pair.right_id} == {t.hoa.pk, t.khac.pk} and pair.status == PairStatus.OPEN
    assert AuditEvent.objects.filter(action=AuditAction.DUPLICATE_SAVED_ANYWAY).count() == 1
    # Once more: the pair exists, nothing new.
    assert services.record_entry_warning(actor=Actor(user=t.lan), person=t.khac,
                                         similar=[(t.hoa.pk, 0.7)], form="member") == 0
