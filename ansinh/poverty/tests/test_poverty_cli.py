"""`ansinh poverty review run | decide`: a thin command line over the review-round services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ansinh.accounts.models import AuditEvent
from ansinh.households import services as household_services
from ansinh.poverty import services
from ansinh.poverty.models import Assessment, ReviewRound, RoundStatus, Step

pytestmark = pytest.mark.django_db


def household(people, units, code: str, income: int, *, insured: bool = True, **conditions):
    """A household of Xã Trà Cú; at 1.2M, a simple house, no internet and no insurance make it poor."""
    made = household_services.household_create(actor=people.lan, commune=units.tra_cu, code=code)
    household_services.member_add(actor=people.lan, household=made, full_name=f"Chủ hộ {code}", sex="male",
                        birth_date=dt.date(1980, 3, 1), relation="head", employment="no_contract",
                        health_insurance=insured)
    values = {"housing": "simple", "floor_area": Decimal("30"), "income_per_capita": Decimal(income), **conditions}
    household_services.conditions_record(actor=people.lan, household=made, year=2025, **values)
    return made


def review(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("poverty", "review", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_runs_a_round_with_a_progress_bar_and_a_summary(people, units):
    household(people, units, "HH-1", 1_200_000, insured=False)
    household(people, units, "HH-2", 1_400_000, housing="durable", has_phone=True)  # 2 deprivations
    household(people, units, "HH-3", 4_000_000)
    out, err = review("run", "--year", "2025", "--unit", "29461", "--actor", "lan")
    assert "] 3/3 hộ (100%)" in err and err.startswith("\r[") and err.endswith("\n")
    assert "Rà soát định kỳ năm 2025 — " in out and "chuẩn 2022-2025, tính tuổi ngày 14/12/2025" in out
    assert "Số hộ đã phân loại: 3\n" in out
    assert "Hộ nghèo: 1 hộ (33,3%)" in out
    assert "Hộ cận nghèo: 1 hộ (33,3%)" in out
    assert "Thời gian: " in out and " giây" in out
    round_ = ReviewRound.objects.get(unit=units.tra_cu, year=2025)
    assert Assessment.objects.filter(round=round_).count() == 3
    assert AuditEvent.objects.get(action="review_round.classify").actor == people.lan


def test_it_runs_again_on_the_same_round_and_for_a_province(people, units):
    household(people, units, "HH-1", 1_200_000, insured=False)
    review("run", "--year", "2025", "--unit", "29461")
    out, _ = review("run", "--year", "2025", "--unit", "29461")
    assert ReviewRound.objects.filter(unit=units.tra_cu, year=2025).count() == 1
    assert "Số hộ đã phân loại: 1" in out
    out, _ = review("run", "--year", "2025", "--unit", "86")
    assert "Số hộ đã phân loại: 1" in out and "Hộ nghèo: 1 hộ (100,0%)" in out


def test_it_runs_a_regular_review_for_a_month(people, units):
    household(people, units, "HH-1", 1_200_000)
    out, _ = review("run", "--year", "2026", "--unit", "29461", "--kind", "regular", "--month", "3")
    assert "Rà soát thường xuyên 03/2026" in out and "tính tuổi ngày 31/03/2026" in out
    with pytest.raises(CommandError, match="cần --month từ 1 đến 12"):
        review("run", "--year", "2026", "--unit", "29461", "--kind", "regular")
    with pytest.raises(CommandError, match="bỏ --month"):
        review("run", "--year", "2026", "--unit", "29461", "--month", "3")


@pytest.mark.parametrize(("unit", "text"), [
    ("99999", "Không có tỉnh/thành phố hay xã/phường nào mang mã 99999"),
    ("29479", "Không có tỉnh/thành phố hay xã/phường nào mang mã 29479"),  # a legacy commune only
])
def test_it_names_a_unit_it_cannot_find(db, unit, text):
    with pytest.raises(CommandError, match=text):
        review("run", "--year", "2025", "--unit", unit)


def test_it_refuses_an_unknown_actor(db):
    with pytest.raises(CommandError, match="Không có người dùng 'ghost'"):
        review("run", "--year", "2025", "--unit", "29461", "--actor", "ghost")


def test_it_records_the_decision_and_locks_the_round(people, units):
    household(people, units, "HH-1", 1_200_000, insured=False)
    decide = ["decide", "--year", "2025", "--unit", "29461", "--number", "123/QĐ-UBND", "--date", "2025-12-20",
              "--actor", "minh"]
    with pytest.raises(CommandError, match="Chưa có đợt rà soát này của Xã Trà Cú"):
        review(*decide)
    review("run", "--year", "2025", "--unit", "29461")
    round_ = ReviewRound.objects.get(unit=units.tra_cu, year=2025)
    with pytest.raises(CommandError):  # the results have not been posted yet
        review(*decide)
    for step in (Step.LIST, Step.SURVEY, Step.MEETING, Step.POSTING):
        services.review_round_step(actor=people.lan, round=round_, commune=units.tra_cu, step=step,
                                   on=dt.date(2025, 12, 1))
    out, _ = review(*decide)
    assert "đã ghi Quyết định số 123/QĐ-UBND ngày 20/12/2025 và khóa kết quả" in out
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DECIDED and round_.decided_by == people.minh
    with pytest.raises(CommandError):  # locked
        review("run", "--year", "2025", "--unit", "29461")
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        review(*decide[:-4], "--date", "20/12/2025")
