"""The unemployment benefit reproduces the law: at the cap, at 11/12/36/48/144 months contributed,
across 1 Jan 2026 (Law 38/2013/QH13 → Law 74/2025/QH15), the short-contract window, late filing."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.labour.models import ContractKind, WageRegionUnit
from ansinh.labour.ui_law import LawBook, add_months, compute, region_of, regions_of
from ansinh.geo.models import Level, Unit

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_pays_sixty_percent_below_the_cap() -> None:
    d = compute(contract_end=D(2025, 6, 30), months=24, average_salary=6_000_000, region=2)
    assert d.eligible and d.monthly == 3_600_000 and d.months == 3 and not d.capped
    assert d.total == 10_800_000 and d.starts is None
    assert any("Điều 50.1" in s.article for s in d.steps)


def test_it_caps_at_five_regional_minimum_wages() -> None:
    d = compute(contract_end=D(2025, 6, 30), months=24, average_salary=50_000_000, region=1)
    assert d.capped and d.monthly == 5 * 4_960_000 == 24_800_000 and d.cap_basis == "min_wage"
    d = compute(contract_end=D(2023, 1, 10), months=24, average_salary=50_000_000, region=4)
    assert d.monthly == 5 * 3_250_000  # Decree 38/2022
    d = compute(contract_end=D(2021, 1, 10), months=24, average_salary=50_000_000, region=3)
    assert d.monthly == 5 * 3_430_000  # Decree 90/2019


def test_it_caps_state_pay_scales_at_five_base_salaries_under_law_38() -> None:
    d = compute(contract_end=D(2025, 12, 31), months=24, average_salary=30_000_000, region=1, state_pay_scale=True)
    assert d.monthly == 5 * 2_340_000 == 11_700_000 and d.cap_basis == "base_salary"
    d = compute(contract_end=D(2023, 8, 1), months=24, average_salary=30_000_000, region=1, state_pay_scale=True)
    assert d.monthly == 9_000_000  # 5 × 1.800.000
    d = compute(contract_end=D(2023, 6, 30), months=24, average_salary=30_000_000, region=1, state_pay_scale=True)
    assert d.monthly == 7_450_000  # 5 × 1.490.000


def test_it_changes_law_on_1_january_2026() -> None:
    old = compute(contract_end=D(2025, 12, 31), months=24, average_salary=30_000_000, region=1, state_pay_scale=True)
    new = compute(contract_end=D(2026, 1, 1), months=24, average_salary=30_000_000, region=1, state_pay_scale=True)
    assert old.rule is not None and "38/2013" in old.rule.law and old.monthly == 11_700_000
    assert new.rule is not None and "74/2025" in new.rule.law and new.monthly == 18_000_000
    assert new.cap == 5 * 5_310_000 and new.cap_basis == "min_wage"
    capped = compute(contract_end=D(2026, 1, 1), months=24, average_salary=60_000_000, region=4)
    assert capped.monthly == 5 * 3_700_000
    before = compute(contract_end=D(2025, 12, 31), months=24, average_salary=60_000_000, region=4)
    assert before.monthly == 5 * 3_450_000


@pytest.mark.parametrize(("months", "benefit"), [(12, 3), (35, 3), (36, 3), (47, 3), (48, 4), (60, 5), (143, 11),
                                                 (144, 12), (200, 12)])
def test_it_counts_the_months_of_benefit(months: int, benefit: int) -> None:
    d = compute(contract_end=D(2025, 3, 1), months=months, average_salary=5_000_000, region=3)
    assert d.eligible and d.months == benefit and d.total == 3_000_000 * benefit


def test_it_refuses_eleven_months() -> None:
    d = compute(contract_end=D(2025, 3, 1), months=11, average_salary=5_000_000, region=3)
    assert not d.eligible and "cần đủ 12 tháng" in d.reason and d.monthly == 0
    d = compute(contract_end=D(2026, 3, 1), months=11, average_salary=5_000_000, region=3)
    assert not d.eligible and "74/2025" in d.steps[-1].article


def test_it_uses_the_36_month_window_for_short_contracts() -> None:
    # 12 months paid in the last 36, only 10 of them in the last 24.
    regular = compute(contract_end=D(2025, 5, 1), months=12, months_in_window=10, average_salary=5_000_000, region=3)
    assert not regular.eligible and "24 tháng" in regular.reason
    short = compute(contract_end=D(2025, 5, 1), months=12, months_in_window=12, average_salary=5_000_000, region=3,
                    contract_kind=ContractKind.SHORT)
    assert short.eligible and "36 tháng" in short.steps[1].text


def test_it_starts_on_the_16th_working_day_under_law_38() -> None:
    d = compute(contract_end=D(2025, 9, 15), months=24, average_salary=5_000_000, region=3, filed_on=D(2025, 10, 1))
    assert d.starts == D(2025, 10, 23)  # Wed 1 Oct: day 1 is Thu 2 Oct, no holiday in October
    assert d.ends == D(2026, 1, 22) and d.decision_due == D(2025, 10, 29)
    assert d.as_json() == {"monthly": 3_000_000, "months": 3, "starts": "2025-10-23"}


def test_it_starts_on_the_11th_working_day_under_law_74() -> None:
    d = compute(contract_end=D(2026, 2, 27), months=24, average_salary=5_000_000, region=3, filed_on=D(2026, 3, 2))
    assert d.starts == D(2026, 3, 17)
    # Across Tết 2026 (statutory default days: 16–20 Feb, and the weekend): filed Thu 12 Feb.
    t = compute(contract_end=D(2026, 1, 31), months=24, average_salary=5_000_000, region=3, filed_on=D(2026, 2, 12))
    assert t.starts is not None and t.starts > D(2026, 2, 12) + dt.timedelta(days=15)


def test_it_refuses_a_dossier_filed_after_three_months() -> None:
    ok = compute(contract_end=D(2025, 6, 30), months=24, average_salary=5_000_000, region=3, filed_on=D(2025, 9, 30))
    assert ok.eligible
    late = compute(contract_end=D(2025, 6, 30), months=24, average_salary=5_000_000, region=3, filed_on=D(2025, 10, 1))
    assert not late.eligible and "quá 3 tháng" in late.reason and "30/09/2025" in late.reason
    early = compute(contract_end=D(2025, 6, 30), months=24, average_salary=5_000_000, region=3, filed_on=D(2025, 6, 30))
    assert not early.eligible


def test_it_refuses_a_date_before_the_law() -> None:
    d = compute(contract_end=D(2014, 6, 30), months=24, average_salary=5_000_000, region=3)
    assert not d.eligible and "Chưa có quy định" in d.reason
    assert not compute(contract_end=D(2025, 6, 30), months=24, average_salary=5_000_000, region=5).eligible


def test_it_rounds_half_up_to_the_dong() -> None:
    d = compute(contract_end=D(2025, 6, 30), months=24, average_salary=5_000_001, region=2)
    assert d.monthly == 3_000_001  # 3.000.000,6
    d = compute(contract_end=D(2025, 6, 30), months=24, average_salary=5_000_002, region=2)
    assert d.monthly == 3_000_001  # 3.000.001,2


def test_it_decides_a_batch_with_one_read_of_the_law(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    book = LawBook.load()
    from ansinh.lib.workdays import statutory_calendar

    cal = statutory_calendar()
    with django_assert_num_queries(0):
        for n in range(12, 60):
            compute(contract_end=D(2025, 6, 30), months=n, average_salary=7_000_000, region=2, book=book,
                    calendar=cal, filed_on=D(2025, 7, 10))


def test_it_reads_the_most_specific_wage_region() -> None:
    province = Unit.objects.get(code="86", level=Level.PROVINCE, edition="current")
    commune = Unit.objects.filter(path__startswith=province.path, level=Level.COMMUNE).first()
    other = Unit.objects.filter(path__startswith=province.path, level=Level.COMMUNE).exclude(pk=commune.pk).first()
    assert commune is not None and other is not None
    assert region_of(commune, D(2026, 3, 1)) is None
    WageRegionUnit.objects.create(unit=province, region=4, valid_from=D(2025, 7, 1), legal_basis="x")
    WageRegionUnit.objects.create(unit=commune, region=2, valid_from=D(2026, 1, 1), legal_basis="x")
    assert region_of(commune, D(2026, 3, 1)) == 2
    assert region_of(commune, D(2025, 9, 1)) == 4
    assert regions_of([commune, other], D(2026, 3, 1)) == {commune.pk: 2, other.pk: 4}


def test_it_adds_months_to_the_end_of_short_months() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
