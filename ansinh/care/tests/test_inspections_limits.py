"""Statutory time limits of complaints, denunciations and recommendations, hand-checked against
the shipped calendar decisions (`workdays/migrations/0002_decisions_2024_2026.py`): days counted
as days (a last day off moves to the next working day) or as working days (Tết 2025: Sat 25/1 –
Sun 2/2; Tết 2026: Sat 14/2 – Sun 22/2), complexity, remote areas, second instance, extensions,
the rule in force on the day a term starts, and the services that keep the deadline on the letter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.models import AuditEvent
from ansinh.care import limits_inspections as limits
from ansinh.care import services_inspections as services
from ansinh.care.models_inspections import Petition, PetitionStatus, PetitionStep
from ansinh.workdays.calendar import calendar_for

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(units: Any) -> Any:
    return calendar_for(units.vinh_long)


@pytest.mark.parametrize(("kind", "received", "expected"), [
    # Complaint, 10 days (Law 02/2011, Art. 27): Wed 22/1/2025 + 10 = Sat 1/2, inside Tết → Mon 3/2/2025.
    ("complaint", D(2025, 1, 22), D(2025, 2, 3)),
    # The same 10 days on ordinary days: Mon 3/3/2025 + 10 = Thu 13/3.
    ("complaint", D(2025, 3, 3), D(2025, 3, 13)),
    # Denunciation, 7 working days (Law 25/2018, Art. 24.1): Thu 23/1/2025 → Fri 24, [Tết], 3, 4, 5, 6, 7, Mon 10/2.
    ("denunciation", D(2025, 1, 23), D(2025, 2, 10)),
    # Across Tết 2026: Wed 11/2/2026 → Thu 12, Fri 13, [14–22/2], Mon 23 … Fri 27/2.
    ("denunciation", D(2026, 2, 11), D(2026, 2, 27)),
    # Complaint received before Tết 2026: Wed 4/2/2026 + 10 = Sat 14/2, inside Tết → Mon 23/2/2026.
    ("complaint", D(2026, 2, 4), D(2026, 2, 23)),
])
def test_it_counts_acceptance_in_days_or_working_days_across_tet(calendar: Any, kind: str, received: dt.date,
                                                                  expected: dt.date) -> None:
    due, row = limits.acceptance_due(kind=kind, received_on=received, instance=1, calendar=calendar)
    assert due == expected
    assert row is not None and row.working == (kind == "denunciation")


@pytest.mark.parametrize(("instance", "remote", "complicated", "expected"), [
    # Accepted Mon 10/3/2025: +30 Wed 9/4, +45 Thu 24/4, +60 Fri 9/5, +70 Mon 19/5 (Law 02/2011, Art. 28 and 37).
    (1, False, False, D(2025, 4, 9)), (1, False, True, D(2025, 4, 24)), (1, True, False, D(2025, 4, 24)),
    (1, True, True, D(2025, 5, 9)), (2, False, False, D(2025, 4, 24)), (2, False, True, D(2025, 5, 9)),
    (2, True, False, D(2025, 5, 9)), (2, True, True, D(2025, 5, 19)),
])
def test_it_gives_complaints_their_terms_by_instance_area_and_complexity(calendar: Any, instance: int, remote: bool,
                                                                           complicated: bool, expected: dt.date) -> None:
    due, row = limits.resolution_due(kind="complaint", start=D(2025, 3, 10), instance=instance, remote=remote,
                                     complexity="complicated" if complicated else "normal", extensions=0,
                                     calendar=calendar)
    assert due == expected and not row.working and "02/2011/QH13" in row.basis


def test_it_extends_a_denunciation_once_or_twice_by_complexity(calendar: Any) -> None:
    start = D(2025, 3, 10)

    def due(complexity: str, extensions: int) -> dt.date:
        return limits.resolution_due(kind="denunciation", start=start, instance=1, remote=False, complexity=complexity,
                                     extensions=extensions, calendar=calendar)[0]

    assert due("normal", 0) == D(2025, 4, 9)
    assert due("complicated", 1) == D(2025, 5, 9)
    assert due("very", 2) == D(2025, 6, 9)  # +90 = Sun 8/6/2025 → Mon 9/6
    with pytest.raises(ValidationError, match="gia hạn"):
        due("normal", 1)
    with pytest.raises(ValidationError, match="gia hạn"):
        due("complicated", 2)
    with pytest.raises(ValidationError, match="tố cáo"):
        limits.resolution_due(kind="complaint", start=start, instance=1, remote=False, complexity="complicated",
                              extensions=1, calendar=calendar)


def test_it_counts_recommendations_in_working_days_and_marks_them_provisional(calendar: Any) -> None:
    due, row = limits.resolution_due(kind="recommendation", start=D(2025, 1, 23), instance=1, remote=False,
                                     complexity="normal", extensions=0, calendar=calendar)
    assert due == D(2025, 2, 13)  # Fri 24/1, [Tết], 3–7/2, 10–13/2: the tenth working day
    assert row.working and row.provisional and "tạm tính" in row.label


def test_it_takes_the_rule_in_force_on_the_day_the_term_starts() -> None:
    before = limits.limit_for(kind="denunciation", stage="resolve", on=D(2026, 6, 30))
    after = limits.limit_for(kind="denunciation", stage="resolve", on=D(2026, 7, 1))
    assert not before.provisional and "136/2025/QH15" not in before.basis
    assert after.provisional and "136/2025/QH15" in after.basis and after.days == before.days
    with pytest.raises(ValidationError, match="Không có quy định"):
        limits.limit_for(kind="denunciation", stage="resolve", on=D(2018, 12, 31))


def test_it_keeps_the_current_deadline_on_the_letter_through_its_steps(units: Any, people: Any) -> None:
    letter = services.petition_receive(actor=people.tung, petition=Petition(
        code="TC-01", unit=units.vinh_long, kind="denunciation", petitioner_name="Lê Văn Tố",
        subject="Tố cáo không đóng bảo hiểm xã hội", received_on=D(2025, 1, 23)))
    assert (letter.status, letter.due_on) == (PetitionStatus.RECEIVED, D(2025, 2, 10))
    assert "7 ngày làm việc" in letter.rule
    services.petition_accept(actor=people.tung, petition=letter, on=D(2025, 3, 10), complexity="complicated")
    assert (letter.status, letter.due_on) == (PetitionStatus.ACCEPTED, D(2025, 4, 9))
    with pytest.raises(ValidationError):
        services.petition_accept(actor=people.tung, petition=letter, on=D(2025, 3, 11))
    services.petition_extend(actor=people.tung, petition=letter, on=D(2025, 4, 1), complexity="complicated",
                             note="Quyết định gia hạn 15/QĐ-TTr")
    assert letter.due_on == D(2025, 5, 9) and letter.extensions == 1
    with pytest.raises(ValidationError):  # a complicated case is extended once
        services.petition_extend(actor=people.tung, petition=letter, on=D(2025, 4, 2), complexity="complicated",
                                 note="Quyết định gia hạn lần 2")
    letter.refresh_from_db()
    assert letter.extensions == 1 and letter.due_on == D(2025, 5, 9)
    services.petition_finish(actor=people.tung, petition=letter, on=D(2025, 5, 5), outcome="Kết luận tố cáo đúng một phần",
                             resolved=True)
    letter.refresh_from_db()
    assert letter.status == PetitionStatus.RESOLVED and letter.resolved_on == D(2025, 5, 5)
    assert list(PetitionStep.objects.filter(petition=letter).values_list("kind", flat=True)) == [
        "received", "accepted", "extended", "resolved"]
    assert AuditEvent.objects.filter(action="inspection.petition.step", object_id=str(letter.pk)).count() == 3
    with pytest.raises(ValidationError, match="đã được giải quyết"):
        services.petition_finish(actor=people.tung, petition=letter, on=D(2025, 5, 6), outcome="x", resolved=True)


def test_it_refuses_a_duplicate_number_and_a_future_date(units: Any, people: Any) -> None:
    def letter(code: str, day: dt.date) -> Petition:
        return services.petition_receive(actor=people.tung, petition=Petition(
            code=code, unit=units.tra_cu, kind="complaint", petitioner_name="Thạch Thị Sa", subject="Khiếu nại",
            received_on=day))

    made = letter("KN-1", D(2025, 3, 3))
    assert made.province == units.vinh_long and made.due_on == D(2025, 3, 13)
    with pytest.raises(ValidationError, match="đã có"):
        letter("KN-1", D(2025, 3, 4))
    with pytest.raises(ValidationError, match="tương lai"):
        letter("KN-2", dt.date.today() + dt.timedelta(days=3))
