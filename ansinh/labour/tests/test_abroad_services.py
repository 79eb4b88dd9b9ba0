"""Departures, employers, foreign workers and work permits: the services, their rules and the
working-day due dates by the decree in force (Decree 152/2020 + 70/2023; Decree 219/2025 from
7 Aug 2025) on the calendar's 2025 and 2026 days off."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.labour import countries
from ansinh.labour.models import AbroadStatus, Placement, PermitKind, PermitRule, PermitState, WorkPermit
from ansinh.labour.services_abroad import departure_return, departure_save, departure_set_status
from ansinh.labour.services_foreign import (
    expiring,
    foreign_worker_save,
    permit_rule_save,
    work_permit_decide,
    work_permit_receive,
)

from .abroad_data import D, employer, labour, worker  # noqa: F401

pytestmark = pytest.mark.django_db


# --- Countries ------------------------------------------------------------------------------------


def test_it_reads_countries_by_their_vietnamese_names_without_accents() -> None:
    assert countries.country_code("Đài Loan") == "TW"
    assert countries.country_code("dai loan (trung quoc)") == "TW"
    assert countries.country_code("NHẬT BẢN") == "JP"
    assert countries.country_code("Hàn Quốc") == "KR"
    assert countries.country_code("Trung Quoc") == "CN"
    assert countries.country_code("Ma-lai-xi-a") == countries.country_code("malaixia") == "MY"
    assert countries.country_code("Atlantis") is None
    assert countries.country_code("") is None
    assert countries.country_name("JP") == "Nhật Bản"
    assert countries.country_name("tw") == "Đài Loan (Trung Quốc)"


# --- Departures -----------------------------------------------------------------------------------


def test_it_records_a_departure_with_its_placement_in_the_same_transaction(labour: SimpleNamespace) -> None:
    d = departure_save(actor=labour.actor, person=labour.spouse, destination="JP", enterprise="Công ty Cổ phần "
                       "Nhân lực Quốc tế", job="Điều dưỡng", contract_months=36, departed_on=D(2025, 3, 12))
    assert d.commune_id == labour.household.commune_id
    placement = Placement.objects.get(departure=d)
    assert (placement.channel, placement.placed_on, placement.new_job) == ("abroad", D(2025, 3, 12), False)
    assert placement.person_id == labour.spouse.pk
    assert AuditEvent.objects.filter(action="departure.save", object_id=str(d.pk)).count() == 1
    # A new departure date moves the placement; no date (preparing) removes it.
    departure_save(actor=labour.actor, person=labour.spouse, destination="JP", departed_on=D(2025, 4, 1),
                   departure=d)
    assert Placement.objects.get(departure=d).placed_on == D(2025, 4, 1)
    departure_save(actor=labour.actor, person=labour.spouse, destination="JP", status=AbroadStatus.PREPARING,
                   departure=d)
    assert not Placement.objects.filter(departure=d).exists()
    assert AuditEvent.objects.filter(action="departure.save", object_id=str(d.pk)).count() == 3


def test_it_refuses_a_departure_with_wrong_facts_in_vietnamese(labour: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as error:
        departure_save(actor=labour.actor, person=labour.head, destination="XX", contract_months=500,
                       departed_on=D(2025, 3, 1), returned_on=D(2025, 2, 1))
    errors = error.value.message_dict
    assert errors["destination"] == ["Chọn nước đến trong danh sách."]
    assert "1 đến 120 tháng" in errors["contract_months"][0]
    assert "sau ngày xuất cảnh" in errors["returned_on"][0]
    assert not Placement.objects.exists()


def test_it_lets_only_provincial_labour_officers_record_departures(labour: SimpleNamespace) -> None:
    with pytest.raises(PermissionDenied):
        departure_save(actor=Actor(user=labour.commune_officer), person=labour.head, destination="KR",
                       departed_on=D(2025, 3, 1))


def test_it_records_the_return_once_and_status_changes(labour: SimpleNamespace) -> None:
    d = departure_save(actor=labour.actor, person=labour.head, destination="TW", departed_on=D(2024, 5, 1))
    departure_set_status(actor=labour.actor, departure=d, status=AbroadStatus.OVERSTAYED)
    departure_return(actor=labour.actor, departure=d, returned_on=D(2025, 6, 1), early=True)
    d.refresh_from_db()
    assert (d.status, d.returned_on) == (AbroadStatus.RETURNED_EARLY, D(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        departure_return(actor=labour.actor, departure=d, returned_on=D(2025, 7, 1))
    assert "không còn ở nước ngoài" in str(error.value)
    assert Placement.objects.filter(departure=d).count() == 1  # the job abroad stays counted


# --- Employers and foreign workers ---------------------------------------------------------------


def test_it_refuses_a_malformed_or_repeated_tax_code(labour: SimpleNamespace, employer: Any, units: Any) -> None:
    from ansinh.labour.employers import employer_save

    with pytest.raises(ValidationError) as error:
        employer_save(actor=labour.actor, name="Công ty A", tax_code="12345", unit=units.tra_cu)
    assert "10 chữ số" in error.value.message_dict["tax_code"][0]
    with pytest.raises(ValidationError) as error:
        employer_save(actor=labour.actor, name="Công ty B", tax_code="2100123456", unit=units.tra_cu)
    assert "đã có" in error.value.message_dict["tax_code"][0]
    branch = employer_save(actor=labour.actor, name="Chi nhánh", tax_code="2100123456 001", unit=units.tra_cu)
    assert branch.tax_code == "2100123456-001"
    assert AuditEvent.objects.filter(action="employer.save").count() == 2


def test_it_refuses_a_second_worker_with_the_same_passport(labour: SimpleNamespace, worker: Any, employer: Any,
                                                           units: Any) -> None:
    with pytest.raises(ValidationError) as error:
        foreign_worker_save(actor=labour.actor, full_name="Wang Wei", passport_number="e 12345678",
                            nationality="CN", sex="male", employer=employer, position="expert",
                            workplace=units.tra_cu)
    assert "đã có" in error.value.message_dict["passport_number"][0]
    with pytest.raises(ValidationError) as error:
        foreign_worker_save(actor=labour.actor, full_name="Kim Min", passport_number="M1", nationality="KR",
                            sex="male", employer=employer, position="expert", workplace=units.vinh_long)
    assert "xã, phường" in error.value.message_dict["workplace"][0]
    assert AuditEvent.objects.filter(action="foreign_worker.save").count() == 1


# --- Due dates by the decree in force -------------------------------------------------------------


@pytest.mark.parametrize("kind, received, due", [
    # Decree 152/2020: issue in 5 working days; Tết Ất Tỵ 25/1–2/2/2025 (the 27th–31st off).
    ("issue", D(2025, 1, 24), D(2025, 2, 7)),
    # A make-up Saturday (26/4/2025) counts; 30/4, 1/5 and the swapped Friday 2/5 do not.
    ("issue", D(2025, 4, 25), D(2025, 5, 6)),
    ("reissue", D(2025, 4, 25), D(2025, 4, 29)),
    # Decree 219/2025: a weekend followed by the two National Day holidays (1–2/9/2025).
    ("issue", D(2025, 8, 29), D(2025, 9, 16)),
    ("reissue", D(2025, 8, 29), D(2025, 9, 5)),
    # Tết Bính Ngọ 14–22/2/2026.
    ("issue", D(2026, 2, 13), D(2026, 3, 6)),
    ("exemption", D(2026, 2, 13), D(2026, 2, 27)),
    # Hùng Kings' day on Sunday 26/4/2026, given back on Monday 27/4; then 30/4 and 1/5.
    ("reissue", D(2026, 4, 24), D(2026, 5, 4)),
])
def test_it_computes_the_due_date_in_working_days(labour: SimpleNamespace, worker: Any, kind: str, received: dt.date,
                                                  due: dt.date) -> None:
    if kind == "reissue":
        WorkPermit.objects.create(worker=worker, kind="issue", received_on=received - dt.timedelta(days=300),
                                  state="granted", number="GP-1", valid_from=received - dt.timedelta(days=200),
                                  valid_to=received + dt.timedelta(days=300))
    permit = work_permit_receive(actor=labour.actor, worker=worker, kind=kind, received_on=received)
    assert permit.due_on == due
    assert permit.state == PermitState.PENDING
    assert AuditEvent.objects.filter(action="work_permit.save", object_id=str(permit.pk)).exists()


def test_it_switches_to_decree_219_on_7_august_2025(labour: SimpleNamespace, worker: Any) -> None:
    before = work_permit_receive(actor=labour.actor, worker=worker, kind="issue", received_on=D(2025, 8, 6))
    after = work_permit_receive(actor=labour.actor, worker=worker, kind="issue", received_on=D(2025, 8, 7))
    assert before.due_on == D(2025, 8, 13)  # 5 working days (Decree 152/2020 Art. 11)
    assert after.due_on == D(2025, 8, 21)  # 10 working days (Decree 219/2025)
    rules = PermitRule.objects.filter(kind="issue").order_by("valid_from")
    assert [(r.decree, r.working_days, r.provisional) for r in rules] == [
        ("Nghị định 152/2020/NĐ-CP", 5, False), ("Nghị định 219/2025/NĐ-CP", 10, True)]


def test_it_refuses_a_dossier_received_before_the_first_rule(labour: SimpleNamespace, worker: Any) -> None:
    with pytest.raises(ValidationError) as error:
        work_permit_receive(actor=labour.actor, worker=worker, kind="issue", received_on=D(2020, 12, 1))
    assert "15/02/2021" in error.value.message_dict["received_on"][0]


def test_it_grants_at_most_two_years_and_extends_once_only(labour: SimpleNamespace, worker: Any) -> None:
    permit = work_permit_receive(actor=labour.actor, worker=worker, kind="issue", received_on=D(2025, 9, 3))
    with pytest.raises(ValidationError) as error:
        work_permit_decide(actor=labour.actor, permit=permit, granted=True, decided_on=D(2025, 9, 10), number="GP1",
                           valid_from=D(2025, 9, 15), valid_to=D(2027, 9, 15))
    assert "tối đa là 02 năm" in error.value.message_dict["valid_to"][0]
    assert "14/09/2027" in error.value.message_dict["valid_to"][0]
    work_permit_decide(actor=labour.actor, permit=permit, granted=True, decided_on=D(2025, 9, 10), number="GP1",
                       valid_from=D(2025, 9, 15), valid_to=D(2027, 9, 14))
    with pytest.raises(ValidationError) as error:
        work_permit_decide(actor=labour.actor, permit=permit, granted=False, decided_on=D(2025, 9, 11),
                           refusal_reason="x")
    assert "đã được giải quyết" in str(error.value)
    ext = work_permit_receive(actor=labour.actor, worker=worker, kind="extend", received_on=D(2027, 8, 1))
    work_permit_decide(actor=labour.actor, permit=ext, granted=True, decided_on=D(2027, 8, 10), number="GP1-GH",
                       valid_from=D(2027, 9, 15), valid_to=D(2029, 9, 14))
    with pytest.raises(ValidationError) as error:
        work_permit_receive(actor=labour.actor, worker=worker, kind="extend", received_on=D(2029, 8, 1))
    assert "chỉ được gia hạn một lần" in error.value.message_dict["kind"][0]
    assert WorkPermit.objects.filter(kind=PermitKind.EXTEND).count() == 1


def test_it_refuses_an_extension_without_a_permit_in_force(labour: SimpleNamespace, worker: Any) -> None:
    with pytest.raises(ValidationError) as error:
        work_permit_receive(actor=labour.actor, worker=worker, kind="extend", received_on=D(2026, 1, 5))
    assert "không có giấy phép lao động còn hiệu lực" in error.value.message_dict["kind"][0]


def test_it_lists_permits_expiring_within_45_days(labour: SimpleNamespace, worker: Any, employer: Any,
                                                  units: Any) -> None:
    other = foreign_worker_save(actor=labour.actor, full_name="Park Ji", passport_number="M7654321",
                                nationality="KR", sex="female", employer=employer, position="manager",
                                workplace=units.tra_cu)
    today = D(2026, 3, 1)
    soon = WorkPermit.objects.create(worker=worker, kind="issue", received_on=D(2024, 3, 1), state="granted",
                                     valid_from=D(2024, 4, 1), valid_to=D(2026, 4, 15), number="A")
    WorkPermit.objects.create(worker=other, kind="issue", received_on=D(2024, 3, 1), state="granted",
                              valid_from=D(2024, 5, 1), valid_to=D(2026, 4, 16), number="B")  # day 46
    assert list(expiring(WorkPermit.objects.all(), today)) == [soon]
    # An extension being processed takes it off the list.
    WorkPermit.objects.create(worker=worker, kind="extend", received_on=D(2026, 2, 20), state="pending")
    assert list(expiring(WorkPermit.objects.all(), today)) == []


def test_it_lets_only_administrators_change_processing_times(labour: SimpleNamespace) -> None:
    rule = PermitRule.objects.get(kind="issue", valid_from=D(2025, 8, 7))
    with pytest.raises(PermissionDenied):
        permit_rule_save(actor=labour.actor, rule=rule, working_days=7, refusal_working_days=3,
                         legal_basis=rule.legal_basis, provisional=False, valid_to=None)
    permit_rule_save(actor=Actor(user=labour.admin), rule=rule, working_days=10, refusal_working_days=3,
                     legal_basis=rule.legal_basis, provisional=False, valid_to=None)
    assert AuditEvent.objects.filter(action="labour.law.save", object_id=str(rule.pk)).exists()
