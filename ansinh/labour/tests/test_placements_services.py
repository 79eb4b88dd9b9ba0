"""Placements, counselling and sessions entered one at a time: scope, rules, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ansinh.accounts.models import AuditEvent
from ansinh.households.models import Member
from ansinh.labour.counselling import counselling_record, session_save
from ansinh.labour.models import Counselling, Placement
from ansinh.labour.placements import placement_create, placement_delete, placement_update

from .place_setup import labour_officer, register

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def _messages(error: ValidationError) -> str:
    with translation.override("vi"):
        return " ".join(str(m) for m in error.messages)


def test_it_records_changes_and_deletes_a_placement_with_audit_rows(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    placement = placement_create(actor=people.lan, person=reg.spouse, placed_on=DAY, channel="employer",
                                 employer_name="Công ty May Trà Cú", new_job=True)
    assert placement.commune == units.tra_cu and placement.created_by == people.lan
    placement_update(actor=people.lan, placement=placement, placed_on=DAY, channel="job_centre",
                     employer_name="Công ty May Trà Cú", new_job=False, note="qua sàn")
    placement.refresh_from_db()
    assert (placement.channel, placement.new_job, placement.note) == ("job_centre", False, "qua sàn")
    placement_delete(actor=people.lan, placement=placement)
    assert not Placement.objects.exists()
    actions = list(AuditEvent.objects.filter(object_type="labour.placement").order_by("pk")
                   .values_list("action", "unit_id"))
    assert actions == [("placement.create", units.tra_cu.pk), ("placement.update", units.tra_cu.pk),
                       ("placement.delete", units.tra_cu.pk)]


def test_it_refuses_a_future_date_a_dead_person_and_a_duplicate(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    with pytest.raises(ValidationError) as future:
        placement_create(actor=people.lan, person=reg.head, placed_on=dt.date.today() + dt.timedelta(days=1),
                         channel="loan")
    assert "trong tương lai" in _messages(future.value)
    Member.objects.filter(pk=reg.other_head.pk).update(died_on=dt.date(2026, 1, 5))
    reg.other_head.refresh_from_db()
    with pytest.raises(ValidationError) as dead:
        placement_create(actor=people.lan, person=reg.other_head, placed_on=DAY, channel="loan")
    assert "đã mất ngày 05/01/2026" in _messages(dead.value)
    placement_create(actor=people.lan, person=reg.head, placed_on=DAY, channel="loan")
    with pytest.raises(ValidationError) as twice:
        placement_create(actor=people.lan, person=reg.head, placed_on=DAY, channel="loan")
    assert "đã có trong sổ" in _messages(twice.value)
    assert Placement.objects.count() == 1


def test_it_keeps_each_officer_to_her_scope(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    for outsider in (people.binh, people.minh, people.bao):  # another commune; poverty officer; a leader reads
        with pytest.raises(PermissionDenied):
            placement_create(actor=outsider, person=reg.head, placed_on=DAY, channel="employer")
        with pytest.raises(PermissionDenied):
            counselling_record(actor=outsider, person=reg.head, counselled_on=DAY)
    officer = labour_officer()
    assert placement_create(actor=officer, person=reg.head, placed_on=DAY, channel="employer").pk
    with pytest.raises(PermissionDenied):  # sessions are the employment service centre's work
        session_save(actor=people.lan, kind="job_fair", unit=units.tra_cu, held_on=DAY, title="Phiên 1")


def test_it_records_sessions_and_counselling_at_them(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    officer = labour_officer()
    session = session_save(actor=officer, kind="job_fair", unit=units.vinh_long, held_on=DAY,
                           title="Phiên giao dịch việc làm tháng 3", attendance=350, employers=21, vacancies=1200,
                           hired=95)
    with pytest.raises(ValidationError) as bad:
        session_save(actor=officer, session=session, kind="job_fair", unit=units.vinh_long, held_on=DAY,
                     title="Phiên giao dịch việc làm tháng 3", attendance=10, hired=95)
    assert "nhiều hơn số lượt tham gia" in _messages(bad.value)
    counselling_record(actor=people.lan, person=reg.spouse, counselled_on=DAY, topic="unemployment",
                       on_unemployment_benefit=True, session=session)
    with pytest.raises(ValidationError) as other_day:
        counselling_record(actor=people.lan, person=reg.head, counselled_on=DAY - dt.timedelta(days=1),
                           session=session)
    assert "10/03/2026" in _messages(other_day.value)
    assert Counselling.objects.get().commune == units.tra_cu
    assert set(AuditEvent.objects.filter(action__in=["counselling.create", "counselling_session.save"])
               .values_list("action", flat=True)) == {"counselling.create", "counselling_session.save"}
