"""The calendar page and the administrators' forms: scoped, audited, in Vietnamese."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ansinh.accounts.models import AuditEvent
from ansinh.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(day: str, kind: str = "day_off", province: Any = None) -> dict[str, str]:
    return {"day": day, "kind": kind, "province": str(province.pk) if province else "", "reason": "Nghỉ thêm",
            "legal_basis": "Quyết định 1/QĐ-UBND"}


def test_it_shows_the_years_days_off_to_everyone(people: Any) -> None:
    response = client_for(people.lan).get("/calendar/?year=2026")
    assert response.status_code == 200
    page = response.content.decode()
    assert "17/02/2026" in page and "Thông báo 9441/TB-BNV" in page and "27/04/2026" in page
    assert "Thêm quyết định" not in page  # a commune officer does not change the calendar


@pytest.mark.parametrize("query", ["year=1" + "0" * 24, "year=abc", "year=3000"])
def test_it_answers_400_to_a_bad_year(people: Any, query: str) -> None:
    assert client_for(people.lan).get(f"/calendar/?{query}").status_code == 400


def test_it_answers_404_to_a_province_out_of_reach(people: Any, units: Any) -> None:
    assert client_for(people.lan).get("/calendar/?province=" + "9" * 25).status_code == 404
    assert client_for(people.lan).get(f"/calendar/?province={units.ha_noi.pk}").status_code == 404


def test_it_lets_a_provincial_leader_add_her_provinces_day(people: Any, units: Any) -> None:
    response = client_for(people.bao).post("/calendar/new", form("2026-03-09", province=units.vinh_long))
    assert response.status_code == 302
    entry = CalendarDay.objects.get(day=dt.date(2026, 3, 9))
    assert entry.province == units.vinh_long
    event = AuditEvent.objects.get(action="calendar.change")
    assert event.actor == people.bao and event.unit == units.vinh_long and event.ip == "127.0.0.1"


def test_it_keeps_a_provincial_leader_to_her_province(people: Any, units: Any) -> None:
    client = client_for(people.bao)
    assert client.post("/calendar/new", form("2026-03-09", province=units.ha_noi)).status_code == 400
    assert client.post("/calendar/new", form("2026-03-09")).status_code == 400  # the whole country
    national = CalendarDay.objects.get(day=dt.date(2026, 2, 17), province=None)
    assert client.get(f"/calendar/{national.pk}/edit").status_code == 403
    assert client.post(f"/calendar/{national.pk}/delete").status_code == 403
    assert not CalendarDay.objects.filter(day=dt.date(2026, 3, 9)).exists()


def test_it_hides_another_provinces_days(people: Any, units: Any) -> None:
    client_for(people.bao).post("/calendar/new", form("2026-03-09", province=units.vinh_long))
    entry = CalendarDay.objects.get(day=dt.date(2026, 3, 9))
    assert client_for(people.hoa).get(f"/calendar/{entry.pk}/edit").status_code == 404
    assert client_for(people.minh).get(f"/calendar/{entry.pk}/edit").status_code == 200  # officer of the province


def test_it_refuses_a_commune_officer(people: Any) -> None:
    assert client_for(people.lan).get("/calendar/new").status_code == 403


def test_it_lets_an_administrator_change_the_national_days(people: Any) -> None:
    client = client_for(people.tung)
    national = CalendarDay.objects.get(day=dt.date(2026, 9, 1), province=None)
    data = form("2026-09-03", kind="national_day") | {"provisional": "on"}
    assert client.post(f"/calendar/{national.pk}/edit", data).status_code == 302
    national.refresh_from_db()
    assert national.day == dt.date(2026, 9, 3)
    assert client.post(f"/calendar/{national.pk}/delete").status_code == 302
    assert AuditEvent.objects.filter(action="calendar.change").count() == 2


def test_it_explains_a_refusal_in_vietnamese(people: Any) -> None:
    response = client_for(people.tung).post("/calendar/new", form("2026-03-07"))
    assert response.status_code == 400
    assert "ngày nghỉ hằng tuần" in response.content.decode()


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_prints_the_due_date_on_the_last_line() -> None:
    lines = run("due", "2026-02-12", "5")
    assert lines[-1] == "2026-02-26"
    assert any("17/02/2026" in line and "Tết" in line for line in lines[:-1])
    assert run("due", "2024-05-03", "1")[-1] == "2024-05-04"
    assert run("due", "2026-02-12", "0")[-1] == "2026-02-12"


def test_it_counts_a_provinces_own_days_in_the_cli(units: Any) -> None:
    from ansinh.workdays import services

    services.calendar_day_create(actor=None, day=dt.date(2026, 3, 9), kind="day_off", province=units.vinh_long,
                                 reason="Kỷ niệm", legal_basis="Quyết định của UBND tỉnh")
    assert run("due", "2026-03-06", "1")[-1] == "2026-03-09"
    assert run("due", "2026-03-06", "1", "--province", "86")[-1] == "2026-03-10"


def test_it_lists_a_years_days_off() -> None:
    lines = run("year", "2026")
    assert "2026-02-17\tThứ Ba\tngày lễ\tTết Âm lịch (mùng 1 tháng Giêng năm Bính Ngọ)\tThông báo 9441/TB-BNV ngày 16/10/2025" in lines
    assert any(line.startswith("2026-04-27\tThứ Hai\tnghỉ bù") for line in lines)
    assert any(line.startswith("2026-01-10\tThứ Bảy\tlàm việc") for line in lines)


@pytest.mark.parametrize("args", [("due", "2026-02-30", "5"), ("due", "2026-02-12", "x"), ("due", "2026-02-12", "-1"),
                                  ("year", "2150"), ("year", "2026", "--province", "99")])
def test_it_refuses_bad_arguments_in_vietnamese(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert any(word in str(caught.value) for word in ("không hợp lệ", "chỉ tính", "không âm", "Không có"))
