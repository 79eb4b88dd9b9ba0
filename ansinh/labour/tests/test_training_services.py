"""The training services: providers, courses (level in force on the start date), enrolments
(completion and certificate), audit rows and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.labour import training
from ansinh.labour.models import Enrolment

from .training_helpers import labour_officer, level, member, provider

pytestmark = pytest.mark.django_db


def test_it_seeds_the_levels_as_dated_law() -> None:
    codes = {lv.code: lv for lv in training.levels_in_force(dt.date(2025, 12, 31))}
    assert set(codes) == {"college", "intermediate", "elementary", "under_3_months"}
    later = {lv.code for lv in training.levels_in_force(dt.date(2026, 1, 1))}
    assert "vocational_secondary" in later
    assert level("vocational_secondary").provisional
    assert not level("under_3_months").certified


def test_it_refuses_a_level_not_in_force_on_the_start_date(units) -> None:
    school = provider(units.vinh_long)
    with pytest.raises(ValidationError) as refused:
        training.course_save(actor=Actor.system(), provider=school, occupation="Điện dân dụng",
                             level=level("vocational_secondary"), field="non_farm", starts_on=dt.date(2025, 9, 5))
    assert "01/01/2026" in str(refused.value)
    course = training.course_save(actor=Actor.system(), provider=school, occupation="Điện dân dụng",
                                  level=level("vocational_secondary"), field="non_farm", starts_on=dt.date(2026, 1, 5))
    assert course.unit == units.vinh_long
    assert AuditEvent.objects.filter(action=AuditAction.COURSE_SAVE, object_id=str(course.pk)).exists()


def test_it_audits_providers_and_refuses_a_name_twice_in_a_province(units) -> None:
    school = provider(units.vinh_long)
    assert school.search_name == "truong trung cap nghe tra cu"
    assert AuditEvent.objects.filter(action=AuditAction.TRAINING_PROVIDER_SAVE, object_id=str(school.pk)).exists()
    with pytest.raises(ValidationError):
        provider(units.vinh_long, name="Trường trung cấp nghề TRA CU")
    with pytest.raises(ValidationError):
        training.training_provider_save(actor=Actor.system(), name="Trung tâm GDNN", kind="public",
                                        unit=units.vinh_long, decision_date=dt.date(2020, 1, 1),
                                        closed_on=dt.date(2019, 1, 1))


def test_it_needs_completion_before_a_certificate(units) -> None:
    school = provider(units.vinh_long)
    course = training.course_save(actor=Actor.system(), provider=school, occupation="May công nghiệp",
                                  level=level("elementary"), field="non_farm", starts_on=dt.date(2025, 3, 1))
    mai = member(units.tra_cu)
    with pytest.raises(ValidationError) as refused:
        training.enrolment_save(actor=Actor.system(), course=course, person=mai, enrolled_on=dt.date(2025, 3, 1),
                                certificate_number="SC-001")
    assert "certificate_number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        training.enrolment_save(actor=Actor.system(), course=course, person=mai, enrolled_on=dt.date(2025, 3, 1),
                                status="completed", completed_on=dt.date(2025, 2, 1))
    assert "completed_on" in refused.value.message_dict
    done = training.enrolment_save(actor=Actor.system(), course=course, person=mai, enrolled_on=dt.date(2025, 3, 1),
                                   status="completed", completed_on=dt.date(2025, 6, 1), certificate_number="SC-001")
    assert done.certificate_on == dt.date(2025, 6, 1)
    assert done.commune == units.tra_cu
    assert AuditEvent.objects.filter(action=AuditAction.ENROLMENT_SAVE, object_id=str(done.pk)).exists()
    with pytest.raises(ValidationError):
        training.enrolment_save(actor=Actor.system(), course=course, person=mai, enrolled_on=dt.date(2025, 3, 2))
    assert Enrolment.objects.count() == 1


def test_it_lets_only_labour_officers_of_the_province_enter_training(units, people) -> None:
    school = provider(units.vinh_long)
    with pytest.raises(ValidationError):
        training.course_save(actor=Actor(user=people.lan), provider=school, occupation="Hàn", level=level("elementary"),
                             field="non_farm", starts_on=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError):
        training.course_save(actor=Actor(user=people.minh), provider=school, occupation="Hàn",
                             level=level("elementary"), field="non_farm", starts_on=dt.date(2025, 3, 1))
    thu = labour_officer(units.vinh_long)
    assert training.course_save(actor=Actor(user=thu), provider=school, occupation="Hàn", level=level("elementary"),
                                field="non_farm", starts_on=dt.date(2025, 3, 1)).pk


def test_it_lets_only_administrators_change_a_level(units, people) -> None:
    college = level("college")
    with pytest.raises(ValidationError):
        training.training_level_save(actor=Actor(user=people.minh), level=college, name="Cao đẳng", rank=40,
                                     certified=True, valid_from=college.valid_from, valid_to=None,
                                     legal_basis=college.legal_basis, provisional=False)
    training.training_level_save(actor=Actor(user=people.tung), level=college, name="Cao đẳng nghề", rank=40,
                                 certified=True, valid_from=college.valid_from, valid_to=None,
                                 legal_basis=college.legal_basis, provisional=False)
    assert AuditEvent.objects.filter(action=AuditAction.LABOUR_LAW_SAVE, object_id=str(college.pk)).exists()
