"""The children area's services: the register, circumstances, support, notes, abuse cases and the
child-friendly assessment, with their refusals and audit rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.care import services_children as services
from ansinh.care.models_children import Child, ChildFriendlyAssessment, ChildFriendlyCriterion

from .children_helpers import child, group, member, officer

pytestmark = pytest.mark.django_db


def test_it_registers_a_child_of_the_register_in_groups_with_an_audit_row(people: Any, units: Any) -> None:
    person = member(units.tra_cu)
    made = services.child_register(actor=Actor(user=people.lan), person=person,
                                   groups=[(group("orphan"), dt.date(2024, 1, 5)), (group("disabled"), dt.date(2024, 1, 5))])
    assert made.commune == units.tra_cu
    assert sorted(made.circumstances.values_list("group__code", flat=True)) == ["disabled", "orphan"]
    event = AuditEvent.objects.get(action="child.register")
    assert event.actor == people.lan and event.after["groups"] == ["disabled", "orphan"]


def test_it_refuses_a_person_of_16_a_second_registration_and_an_outsider(people: Any, units: Any) -> None:
    old = member(units.tra_cu, born=dt.date(2005, 1, 1))
    with pytest.raises(ValidationError, match="16"):
        services.child_register(actor=Actor.system(), person=old, groups=[(group(), dt.date(2024, 1, 1))])
    young = child(units.tra_cu)
    with pytest.raises(ValidationError, match="đã có trong sổ"):
        services.child_register(actor=Actor.system(), person=young.person, groups=[(group(), dt.date(2024, 1, 1))])
    other = member(units.tra_cu)
    with pytest.raises(ValidationError):
        services.child_register(actor=Actor(user=people.binh), person=other, groups=[(group(), dt.date(2024, 1, 1))])
    with pytest.raises(ValidationError):
        services.child_register(actor=Actor.system(), person=other, groups=[])
    assert Child.objects.count() == 1


def test_it_refuses_overlapping_groups_and_ends_a_circumstance_once(units: Any) -> None:
    made = child(units.tra_cu)
    with pytest.raises(ValidationError, match="đã thuộc nhóm"):
        services.circumstance_add(actor=Actor.system(), child=made, group=group("orphan"), since=dt.date(2024, 6, 1))
    circumstance = made.circumstances.get()
    services.circumstance_end(actor=Actor.system(), circumstance=circumstance, until=dt.date(2024, 12, 31),
                              reason="adopted")
    with pytest.raises(ValidationError, match="đã chấm dứt trước đó"):
        services.circumstance_end(actor=Actor.system(), circumstance=circumstance, until=dt.date(2025, 1, 31),
                                  reason="ended")
    with pytest.raises(ValidationError):
        services.circumstance_add(actor=Actor.system(), child=made, group=group("hiv"), since=dt.date(2010, 1, 1))


def test_it_records_support_notes_and_abuse_and_refuses_bad_values(people: Any, units: Any) -> None:
    made = child(units.tra_cu)
    actor = Actor(user=people.lan)
    services.support_add(actor=actor, child=made, kind="education", provided_on=dt.date(2025, 2, 1),
                         provider="Trường Tiểu học Trà Cú", amount=Decimal(500000))
    with pytest.raises(ValidationError) as error:
        services.support_add(actor=actor, child=made, kind="nonsense", provided_on=dt.date(2099, 1, 1), provider="")
    assert set(error.value.message_dict) == {"kind", "provided_on", "provider"}
    note = services.note_add(actor=actor, child=made, text="Thăm hộ gia đình.")
    assert note.author == people.lan
    with pytest.raises(ValidationError):
        services.note_add(actor=actor, child=made, text="   ")
    services.abuse_add(actor=actor, child=made, kind="violence", occurred_on=dt.date(2025, 1, 10))
    with pytest.raises(ValidationError):
        services.abuse_add(actor=actor, child=made, kind="violence", occurred_on=dt.date(2010, 1, 10))
    assert "Thăm" not in str(AuditEvent.objects.filter(action="child.note").get().after)  # the text stays out
    with pytest.raises(ValidationError):
        services.note_add(actor=Actor(user=people.binh), child=made, text="x")


def points(value: int = 80) -> dict[int, int]:
    out = {}
    for criterion in services.criteria_for(2024):
        out[criterion.pk] = min(value, criterion.max_points or value)
    return out


def test_it_scores_an_assessment_and_decides_whether_it_meets_the_standard(people: Any, units: Any) -> None:
    province_officer = officer(units.vinh_long, "thu")
    high = {pk: (v if pk != ChildFriendlyCriterion.objects.get(number=6).pk else 120) for pk, v in points(72).items()}
    made = services.assessment_save(actor=Actor(user=people.lan), commune=units.tra_cu, year=2024,
                                     commune_kind="other", points=high)
    assert made.total == sum(high.values()) and made.threshold == 850 and made.recognised
    zero = dict(high)
    zero[next(iter(zero))] = 0
    again = services.assessment_save(actor=Actor(user=people.lan), commune=units.tra_cu, year=2024,
                                      commune_kind="other", points=zero)
    assert not again.recognised  # a criterion scoring 0
    with pytest.raises(ValidationError) as error:
        services.assessment_save(actor=Actor(user=people.lan), commune=units.tra_cu, year=2024, commune_kind="other",
                                 points={**high, ChildFriendlyCriterion.objects.get(number=1).pk: 101})
    assert "c1" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.assessment_approve(actor=Actor(user=province_officer), assessment=again)  # not submitted
    services.assessment_submit(actor=Actor(user=people.lan), assessment=again)
    with pytest.raises(ValidationError):
        services.assessment_approve(actor=Actor(user=people.lan), assessment=again)  # the commune cannot approve
    with pytest.raises(ValidationError):
        services.assessment_return(actor=Actor(user=province_officer), assessment=again, note=" ")
    services.assessment_approve(actor=Actor(user=province_officer), assessment=again)
    assert ChildFriendlyAssessment.objects.get().status == "approved"
    with pytest.raises(ValidationError, match="đã được gửi"):
        services.assessment_save(actor=Actor(user=people.lan), commune=units.tra_cu, year=2024, commune_kind="other",
                                 points=high)
    assert list(again.events.values_list("status", flat=True)) == ["draft", "submitted", "approved"]
    assert AuditEvent.objects.filter(action__startswith="child.assessment").count() == 4


def test_it_ships_the_law_as_dated_provisional_data() -> None:
    from ansinh.care.models_children import ChildFriendlyThreshold, ChildGroup

    assert ChildGroup.objects.count() == 14 and ChildGroup.objects.get(number=1).code == "orphan"
    assert ChildFriendlyCriterion.objects.count() == 13
    assert all(c.provisional for c in ChildFriendlyCriterion.objects.all())
    ward = ChildFriendlyThreshold.objects.get(kind="urban_ward")
    assert ward.points == 900 and not ward.provisional
