"""Due dates in working days, hand-checked against the shipped calendar decisions of 2024–2026
(`workdays/migrations/0002_decisions_2024_2026.py`): runs of days off (Tết, a weekend followed by
holidays), make-up Saturdays, the restart after additions, suspensions, the configurable 15:00
rule, and the set-based computation agreeing with the one-dossier path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.models import AuditEvent
from ansinh.procedures import due, services
from ansinh.procedures.models import Dossier, DossierEvent, DossierStatus, EventKind, HandoverRule, Timeliness

from .helpers import at, procedure, receive

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("received", "days", "expected"), [
    # Tết 2024: Thu 8/2 – Wed 14/2 off (13, 14 given back for Sat 10, Sun 11): Tue 6, Wed 7, Thu 15, Fri 16, Mon 19.
    (at(2024, 2, 5), 5, D(2024, 2, 19)),
    # Tết 2025: Sat 25/1 – Sun 2/2: Fri 24, Mon 3/2, Tue 4/2.
    (at(2025, 1, 23), 3, D(2025, 2, 4)),
    # Tết 2026: Sat 14/2 – Sun 22/2: Thu 12, Fri 13, then 23/2 … the tenth is Wed 4/3.
    (at(2026, 2, 11), 10, D(2026, 3, 4)),
    # A weekend followed by holidays: Sat 31/8, Sun 1/9, Mon 2/9, Tue 3/9/2024 → Wed 4, Thu 5.
    (at(2024, 8, 30), 2, D(2024, 9, 5)),
    # Hùng Kings on Sunday 26/4/2026, Monday 27 given back; then 30/4–3/5: Tue 28, Wed 29, Mon 4/5.
    (at(2026, 4, 24), 3, D(2026, 5, 4)),
    # A make-up Saturday: 27/4–1/5/2024 off (Monday 29/4 swapped), Thu 2, Fri 3, Sat 4/5 worked.
    (at(2024, 4, 26), 3, D(2024, 5, 4)),
    # Saturday 10/1/2026 is worked (for Friday 2/1): Fri 9, Sat 10.
    (at(2026, 1, 8), 2, D(2026, 1, 10)),
    # Across the year: Thu 1/1/2026 holiday, Fri 2/1 swapped, weekend: Mon 5, Tue 6, Wed 7.
    (at(2025, 12, 31), 3, D(2026, 1, 7)),
    # A same-day procedure: the day of receipt.
    (at(2025, 3, 3), 0, D(2025, 3, 3)),
])
def test_it_counts_due_dates_over_runs_of_days_off(units: Any, received: dt.datetime, days: int,
                                                    expected: dt.date) -> None:
    dossier = receive(procedure(days), units.tra_cu, received)
    assert dossier.due_on == expected
    assert dossier.start_on == received.date()
    event = DossierEvent.objects.get(dossier=dossier)
    assert event.kind == EventKind.RECEIVED and event.due_on == expected
    assert AuditEvent.objects.filter(action="procedure_dossier.receive", object_id=str(dossier.pk)).exists()


def test_it_restarts_the_term_from_zero_after_additions(units: Any) -> None:
    """Received Mon 24/3/2025 (5 days: due Mon 31/3); additions asked Wed 26/3, brought Tue 1/4:
    Wed 2, Thu 3, Fri 4, (Mon 7/4/2025 Hùng Kings) Tue 8, Wed 9/4."""
    dossier = receive(procedure(5), units.tra_cu, at(2025, 3, 24))
    assert dossier.due_on == D(2025, 3, 31)
    dossier = services.dossier_request_additions(actor=None, dossier=dossier, reason="Thiếu giấy xác nhận khuyết tật",
                                                 at=at(2025, 3, 26))
    assert dossier.status == DossierStatus.ADDITIONS
    assert not Dossier.objects.due_between(D(2025, 3, 1), D(2025, 4, 30)).filter(pk=dossier.pk).exists()
    dossier = services.dossier_complete_additions(actor=None, dossier=dossier, at=at(2025, 4, 1, 10))
    assert (dossier.status, dossier.start_on, dossier.due_on) == (DossierStatus.RECEIVED, D(2025, 4, 1), D(2025, 4, 9))
    kinds = list(dossier.events.values_list("kind", flat=True))
    assert kinds == [EventKind.RECEIVED, EventKind.ADDITIONS_REQUESTED, EventKind.ADDITIONS_RECEIVED]


def test_it_adds_the_working_days_of_a_suspension(units: Any) -> None:
    """Received Mon 6/1/2025 (3 days: Thu 9/1); suspended Tue 7/1, resumed Mon 13/1: 4 working
    days stood still (8, 9, 10, 13), so due Wed 15/1."""
    dossier = receive(procedure(3), units.tra_cu, at(2025, 1, 6))
    assert dossier.due_on == D(2025, 1, 9)
    dossier = services.dossier_suspend(actor=None, dossier=dossier, reason="Chờ xác minh", at=at(2025, 1, 7))
    dossier = services.dossier_resume(actor=None, dossier=dossier, at=at(2025, 1, 13))
    assert (dossier.extra_days, dossier.due_on) == (4, D(2025, 1, 15))


def test_it_applies_the_1500_rule_only_when_configured(units: Any) -> None:
    """Thu 8/1/2026 at 15:30, 2 days: by default counted from the day of receipt (due Sat 10/1, a
    make-up day); with the rule moving the start, from Fri 9/1 (due Mon 12/1); before 15:00 never."""
    proc = procedure(2)
    assert receive(proc, units.tra_cu, at(2026, 1, 8, 15, 30)).due_on == D(2026, 1, 10)
    rule = HandoverRule.objects.get(valid_from=D(2025, 7, 1))
    rule.shift_start = True
    rule.save()
    late = receive(proc, units.tra_cu, at(2026, 1, 8, 15, 30))
    assert (late.start_on, late.due_on) == (D(2026, 1, 9), D(2026, 1, 12))
    assert receive(proc, units.tra_cu, at(2026, 1, 8, 14, 59)).due_on == D(2026, 1, 10)
    rule.shift_start = False
    rule.save()
    own = procedure(2, code="T.own", next_day=True)  # a procedure whose own text counts from the next day
    assert receive(own, units.tra_cu, at(2026, 1, 8, 15, 0)).due_on == D(2026, 1, 12)
    # Under Decree 61/2018's row (before 1/7/2025, cut-off 15:00) the procedure's own rule applies too.
    assert receive(own, units.tra_cu, at(2025, 1, 6, 16)).due_on == D(2025, 1, 9)
    assert receive(proc, units.tra_cu, at(2025, 1, 6, 16)).due_on == D(2025, 1, 8)


def test_it_gives_one_new_appointment_only(units: Any) -> None:
    dossier = receive(procedure(5), units.tra_cu, at(2025, 3, 24))  # due Mon 31/3
    with pytest.raises(ValidationError) as error:
        services.dossier_apologise(actor=None, dossier=dossier, new_due_on=D(2025, 4, 3), reason="Chờ xác minh",
                                   at=at(2025, 3, 31, 8))
    assert "ít nhất 01 ngày" in str(error.value) or "at least one day" in str(error.value)
    with pytest.raises(ValidationError):
        services.dossier_apologise(actor=None, dossier=dossier, new_due_on=D(2025, 4, 5), reason="Chờ xác minh",
                                   at=at(2025, 3, 28))  # a Saturday
    dossier = services.dossier_apologise(actor=None, dossier=dossier, new_due_on=D(2025, 4, 3), reason="Chờ xác minh",
                                         at=at(2025, 3, 28))
    assert dossier.new_due_on == D(2025, 4, 3) and dossier.due_on == D(2025, 3, 31)
    with pytest.raises(ValidationError) as again:
        services.dossier_apologise(actor=None, dossier=dossier, new_due_on=D(2025, 4, 4), reason="Lần nữa",
                                   at=at(2025, 3, 28, 10))
    assert "new_due_on" in again.value.message_dict
    assert dossier.events.filter(kind=EventKind.APOLOGY).count() == 1
    done = services.dossier_resolve(actor=None, dossier=dossier, outcome="granted", result_note="QĐ 12/QĐ-UBND",
                                    at=at(2025, 4, 2))
    assert done.timeliness() == Timeliness.LATE  # the new appointment does not make it on time


def test_it_computes_the_same_due_dates_set_based(units: Any, django_assert_max_num_queries: Any) -> None:
    cases = [(at(2024, 2, 5), 5), (at(2025, 1, 23), 3), (at(2026, 2, 11), 10), (at(2024, 4, 26), 3),
             (at(2026, 1, 8), 2), (at(2025, 12, 31), 3), (at(2025, 3, 3), 0), (at(2026, 4, 24), 3)]
    made = [receive(procedure(days), units.tra_cu, when) for when, days in cases]
    made.append(receive(procedure(2), units.ba_dinh, at(2026, 1, 8)))  # another province
    expected = {d.pk: d.due_on for d in made}
    Dossier.objects.update(due_on=D(2000, 1, 1))
    with django_assert_max_num_queries(20):
        assert due.recompute_due_dates() == len(made)
    assert dict(Dossier.objects.values_list("pk", "due_on")) == expected


def test_it_rates_dossiers_by_agency_and_unit(units: Any) -> None:
    proc = procedure(3)
    early = receive(proc, units.tra_cu, at(2025, 1, 6))  # due Thu 9/1
    services.dossier_resolve(actor=None, dossier=early, outcome="granted", result_note="", at=at(2025, 1, 8))
    on_time = receive(proc, units.tra_cu, at(2025, 1, 6))
    services.dossier_resolve(actor=None, dossier=on_time, outcome="granted", result_note="", at=at(2025, 1, 9, 16))
    late = receive(proc, units.tra_cu, at(2025, 1, 6))
    services.dossier_transfer(actor=None, dossier=late, to_agency="Sở Y tế", at=at(2025, 1, 7))
    late.refresh_from_db()
    services.dossier_resolve(actor=None, dossier=late, outcome="refused", result_note="Không đủ điều kiện",
                             at=at(2025, 1, 10))
    rates = {r.label: r for r in due.on_time_rates(Dossier.objects.all(), by="agency", first=D(2025, 1, 1),
                                                   last=D(2025, 1, 31))}
    assert rates["Sở Y tế"].late == 1 and rates["Sở Y tế"].rate == 0
    commune = rates["Bộ phận Một cửa " + units.tra_cu.name]
    assert (commune.early, commune.on_time, commune.rate) == (1, 1, 100.0)
    by_unit = due.on_time_rates(Dossier.objects.all(), by="unit", first=D(2025, 1, 1), last=D(2025, 1, 31))
    assert [(r.key, r.resolved, r.in_time) for r in by_unit] == [(units.tra_cu.pk, 3, 2)]


def test_it_computes_due_dates_without_writing(units: Any) -> None:
    made = [receive(procedure(days), units.tra_cu, when)
            for when, days in [(at(2024, 2, 5), 5), (at(2026, 1, 8), 2), (at(2025, 3, 3), 0)]]
    expected = {d.pk: d.due_on for d in made}
    Dossier.objects.update(due_on=D(2000, 1, 1))
    assert due.compute_due_dates() == expected
    assert set(Dossier.objects.values_list("due_on", flat=True)) == {D(2000, 1, 1)}
