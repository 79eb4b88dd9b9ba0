"""Working-day arithmetic with the shipped decisions for 2024–2026: the runs a due-date
computation gets wrong when it steps over one day off at a time (OpenCPS's HolidayUtils)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ansinh.accounts.models import AuditEvent
from ansinh.workdays import calendar, services
from ansinh.workdays.models import CalendarDay, DayKind

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("start", "n", "due"), [
    (D(2024, 2, 7), 1, D(2024, 2, 15)),   # Tết 2024: 8–12/2 and 13–14/2 given back for Sat 10, Sun 11
    (D(2024, 2, 7), 2, D(2024, 2, 16)),
    (D(2025, 1, 24), 1, D(2025, 2, 3)),   # Tết 2025: 25/1–2/2
    (D(2026, 2, 12), 5, D(2026, 2, 26)),  # Tết 2026: 14–22/2 (the example)
    (D(2024, 8, 30), 1, D(2024, 9, 4)),   # 31/8–3/9/2024
    (D(2024, 4, 26), 1, D(2024, 5, 2)),   # 27/4–1/5/2024 with the swapped Monday 29/4
    (D(2024, 5, 3), 1, D(2024, 5, 4)),    # Saturday 4/5/2024 is a make-up working day
    (D(2024, 5, 3), 2, D(2024, 5, 6)),
    (D(2026, 4, 24), 1, D(2026, 4, 28)),  # Hùng Kings on Sunday 26/4/2026: Monday 27/4 given back
    (D(2026, 4, 24), 3, D(2026, 5, 4)),   # then 30/4–1/5 and the weekend
    (D(2025, 12, 31), 1, D(2026, 1, 5)),  # across the year: 1/1, the swapped 2/1, the weekend
    (D(2026, 1, 9), 1, D(2026, 1, 10)),   # Saturday 10/1/2026 is worked
    (D(2025, 4, 25), 1, D(2025, 4, 26)),  # Saturday 26/4/2025 is worked (provisional decision)
])
def test_it_skips_runs_of_days_off(start: dt.date, n: int, due: dt.date) -> None:
    assert calendar.add_working_days(start, n) == due
    assert calendar.working_days_between(start, due) == n


def test_it_answers_single_days() -> None:
    assert not calendar.is_working_day(D(2024, 2, 14))  # given back for Sunday 11/2
    assert calendar.is_working_day(D(2024, 5, 4))  # make-up Saturday
    assert not calendar.is_working_day(D(2026, 4, 27))
    assert calendar.is_working_day(D(2026, 4, 28))


def test_it_lists_a_years_days_off_with_their_basis() -> None:
    days = {entry.day: entry for entry in calendar.days_off(2024)}
    assert days[D(2024, 2, 8)].basis.startswith("Thông báo 5015/TB-LĐTBXH")
    assert days[D(2024, 2, 13)].kind == "compensation" and "111.3" in days[D(2024, 2, 13)].basis
    assert days[D(2024, 5, 4)].kind == "working_day"
    assert days[D(2024, 4, 30)].weekday == "Thứ Ba"


def test_it_adds_a_provinces_own_days_and_lets_them_replace_the_tet_days(units: Any) -> None:
    services.calendar_day_create(actor=None, day=D(2026, 3, 9), kind=DayKind.DAY_OFF, province=units.vinh_long,
                                 reason="Kỷ niệm ngày thành lập tỉnh", legal_basis="Quyết định của UBND tỉnh")
    assert not calendar.is_working_day(D(2026, 3, 9), province=units.tra_cu)  # a commune of the province
    assert calendar.is_working_day(D(2026, 3, 9), province=units.ha_noi)
    assert calendar.is_working_day(D(2026, 3, 9))
    for day in (13, 16, 17, 18, 19):
        services.calendar_day_create(actor=None, day=D(2026, 2, day), kind=DayKind.TET, province=units.vinh_long,
                                     reason="Tết", legal_basis="Quyết định của UBND tỉnh")
    assert not calendar.is_working_day(D(2026, 2, 13), province=units.vinh_long)
    assert calendar.is_working_day(D(2026, 2, 20), province=units.vinh_long)
    assert not calendar.is_working_day(D(2026, 2, 20))


def test_it_queries_once_per_year_not_per_day(django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        calendar.add_working_days(D(2024, 1, 2), 500)  # 2024, 2025, 2026


@pytest.mark.parametrize(("day", "kind", "message"), [
    (D(2026, 3, 7), DayKind.DAY_OFF, "ngày nghỉ hằng tuần"),
    (D(2026, 4, 27), DayKind.DAY_OFF, "đã là ngày nghỉ: Nghỉ bù"),  # given back for Hùng Kings
    (D(2026, 3, 4), DayKind.WORKING_DAY, "thứ Bảy hoặc Chủ nhật"),
    (D(2026, 4, 26), DayKind.WORKING_DAY, "ngày nghỉ lễ"),  # Hùng Kings on a Sunday cannot be worked
    (D(2026, 6, 1), DayKind.TET, "mùng 1 Tết Âm lịch \\(17/02/2026\\)"),
    (D(2026, 2, 14), DayKind.TET, "đủ 05 ngày nghỉ Tết"),
    (D(2026, 9, 4), DayKind.NATIONAL_DAY, "1/9 hoặc 3/9"),
    (D(2026, 9, 3), DayKind.NATIONAL_DAY, "đã có ngày liền kề Quốc khánh"),
    (D(2026, 2, 16), DayKind.DAY_OFF, "đã có quyết định cho phạm vi này"),
])
def test_it_refuses_decisions_the_statute_rules_out_in_vietnamese(day: dt.date, kind: str, message: str) -> None:
    with pytest.raises(services.ValidationError, match=message):
        services.calendar_day_create(actor=None, day=day, kind=kind, province=None, reason="x", legal_basis="y")


def test_it_audits_every_change(people: Any) -> None:
    entry = services.calendar_day_create(actor=people.tung, day=D(2027, 3, 8), kind=DayKind.DAY_OFF, province=None,
                                         reason="Nghỉ thêm", legal_basis="Thông báo Y")
    services.calendar_day_update(actor=people.tung, entry=entry, day=D(2027, 3, 9), kind=DayKind.DAY_OFF,
                                 province=None, reason="Nghỉ thêm", legal_basis="Thông báo Y")
    services.calendar_day_delete(actor=people.tung, entry=CalendarDay.objects.get(pk=entry.pk))
    events = list(AuditEvent.objects.filter(action="calendar.change").order_by("pk"))
    assert [(e.before or {}).get("day") for e in events] == [None, "2027-03-08", "2027-03-09"]
    assert [(e.after or {}).get("day") for e in events] == ["2027-03-08", "2027-03-09", None]
    assert not CalendarDay.objects.filter(pk=entry.pk).exists()
