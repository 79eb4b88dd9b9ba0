"""One-off packages (issue 12 item 3): the list built from the registries on a date, once per
person or household at the highest tier, frozen, created once whatever the number of runs."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.benefits import services as benefits
from ansinh.benefits.tests.pages_setup import SYSTEM, officers, person
from ansinh.dedup.models import DuplicatePair, PairStatus
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import demo
from ansinh.lib.tabular import ImportProblems
from ansinh.payments.models import Package, PackageLine, PackageState, Per, PayStatus
from ansinh.payments.packages import TierSpec, create_package, list_from_file, package_totals, rounds_in_force, tier_words
from ansinh.poverty.demo_rounds import demo_rounds
from ansinh.poverty.models import Assessment, ReviewRound, RoundStatus

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 1, 20)
NEAR = TierSpec(name="Quà Tết hộ cận nghèo", rule="household_status", params={"statuses": ["near_poor"]},
                per="household", local=300_000)


def vinh_long() -> Unit:
    return Unit.objects.get(edition=Edition.CURRENT, level=Level.PROVINCE, code="86")


@pytest.fixture
def province() -> Unit:
    """Vĩnh Long with 300 demo households, the 2024 review decided and the 2025 one open."""
    unit = vinh_long()
    demo.generate(province=unit, households=300, seed=1, year=2025)
    demo_rounds(province=unit, year=2025, write=lambda _text: None)
    return unit


def near_poor_package(unit: Unit, **kwargs) -> tuple[Package, bool]:  # type: ignore[no-untyped-def]
    return create_package(name="Quà Tết Bính Ngọ 2026 cho hộ cận nghèo", purpose="tet", field="poverty", unit=unit,
                          on=ON, tiers=[NEAR], actor=SYSTEM, **kwargs)


def test_it_gives_every_near_poor_household_of_the_decided_round_one_gift_once(province) -> None:  # type: ignore[no-untyped-def]
    decided = ReviewRound.objects.get(unit=province, year=2024, status=RoundStatus.DECIDED)
    near = Assessment.objects.filter(round=decided, status="near_poor").count()
    assert near > 0
    with CaptureQueriesContext(connection) as few:
        package, created = near_poor_package(province)
    # Validation, rounds, the list, heads, pairs, also-in, the bulk insert, totals and audit: no
    # query per household.
    assert len(few.captured_queries) < 40, [q["sql"][:80] for q in few.captured_queries]
    assert created and package.state == PackageState.FROZEN and package.frozen_at is not None
    assert package.lines.count() == near == package.recipients
    assert package.total == near * 300_000
    assert set(package.lines.values_list("household_id", flat=True)) == set(
        Assessment.objects.filter(round=decided, status="near_poor").values_list("household_id", flat=True))
    assert not package.lines.filter(local=0).exists() and not package.lines.exclude(per=Per.HOUSEHOLD).exists()
    assert package.lines.filter(person__isnull=False).count() > 0  # the household's head signs for it
    assert AuditEvent.objects.filter(action="package.create", object_id=str(package.pk)).count() == 1
    assert AuditEvent.objects.filter(action="package.freeze", object_id=str(package.pk)).count() == 1

    # Created twice: the same package, no one paid twice.
    again, created_again = near_poor_package(province)
    assert not created_again and again.pk == package.pk
    assert Package.objects.count() == 1 and PackageLine.objects.count() == near
    assert AuditEvent.objects.filter(action="package.create").count() == 1

    # A commune's package: its own near-poor households only.
    commune = Unit.objects.get(pk=package.lines.values_list("commune_id", flat=True).first())
    mine, _ = near_poor_package(commune)
    assert mine.recipients == Assessment.objects.filter(round=decided, status="near_poor", commune=commune).count()
    assert set(mine.lines.values_list("commune_id", flat=True)) == {commune.pk}
    # The province's package of the same purpose and year holds them: said on each line.
    assert not mine.lines.filter(also_in="").exists()

    # The round in force on a date: 2024's was decided on 20/12/2024, so none covers 1/12/2024.
    assert list(rounds_in_force(province, ON)) == [decided.pk]
    with pytest.raises(ValidationError, match="rà soát|review"):
        create_package(name="Quá sớm", purpose="tet", field="poverty", unit=province, on=dt.date(2024, 12, 1),
                       tiers=[NEAR], actor=SYSTEM)
    assert Package.objects.count() == 2


@pytest.fixture
def merit() -> dict:  # type: ignore[type-arg]
    """People with meritorious service of Xã Trà Cú: a heroic mother who is also a war invalid of
    85 %, a war invalid of 61 %, a war invalid of 90 % whose second record (another commune) an
    officer linked to her, a war invalid of 70 % who died in December 2025, and a man turning 100
    in 2026."""
    mother = person("TC-1", "Nguyễn Thị Mẹ", dt.date(1930, 3, 1), sex="female", citizen_id="084130000001")
    benefits.create_entitlement(SYSTEM, mother, "merit_heroic_mother", decision_number="1/QĐ",
                                decision_date=dt.date(2024, 2, 1))
    benefits.create_entitlement(SYSTEM, mother, "merit_war_invalid", decision_number="2/QĐ",
                                decision_date=dt.date(2024, 2, 1), rate=85, recognised_on=dt.date(2024, 1, 15))
    dung = person("TC-2", "Lê Văn Dũng", dt.date(1950, 1, 9), citizen_id="084050000003")
    benefits.create_entitlement(SYSTEM, dung, "merit_war_invalid", decision_number="3/QĐ",
                                decision_date=dt.date(2024, 2, 1), rate=61, recognised_on=dt.date(2024, 1, 15))
    hai = person("TC-3", "Trần Văn Hai", dt.date(1948, 4, 4), citizen_id="084048000004")
    hai2 = person("TC-4", "Tran Van Hai", dt.date(1948, 4, 4), relation="head")
    for record in (hai, hai2):
        benefits.create_entitlement(SYSTEM, record, "merit_war_invalid", decision_number=f"{record.pk}/QĐ",
                                    decision_date=dt.date(2024, 2, 1), rate=90, recognised_on=dt.date(2024, 1, 15))
    DuplicatePair.objects.create(left=hai, right=hai2, method="exact", probability=1.0, status=PairStatus.LINKED)
    gone = person("TC-5", "Phạm Văn Mất", dt.date(1940, 1, 1), citizen_id="084040000005")
    benefits.create_entitlement(SYSTEM, gone, "merit_war_invalid", decision_number="5/QĐ",
                                decision_date=dt.date(2024, 2, 1), rate=70, recognised_on=dt.date(2024, 1, 15))
    gone.died_on = dt.date(2025, 12, 10)
    gone.save(update_fields=["died_on"])
    old = person("TC-6", "Thạch Thị Thọ", dt.date(1926, 8, 8), sex="female", citizen_id="084126000006")
    ninety = person("TC-7", "Kim Văn Chín", dt.date(1936, 2, 2), citizen_id="084036000007")
    return {"mother": mother, "dung": dung, "hai": hai, "hai2": hai2, "gone": gone, "old": old, "ninety": ninety}


HIGH = ["merit_heroic_mother", "merit_hero", "merit_pre1945_fulltime", "merit_pre_uprising"]
ALL_MERIT = [*HIGH, "merit_war_invalid", "merit_resistance", "merit_sick_soldier"]


def president_gift(unit: Unit) -> Package:
    package, _ = create_package(
        name="Quà của Chủ tịch nước nhân dịp Tết Bính Ngọ 2026", purpose="tet", field="meritorious", unit=unit, on=ON,
        legal_basis="Quyết định 01/QĐ-CTN ngày 05/01/2026", actor=SYSTEM, tiers=[
            TierSpec(name="Mức 300.000 đồng", rule="category", params={"codes": ALL_MERIT}, per="person",
                     central=300_000),
            TierSpec(name="Mức 600.000 đồng", rule="category", params={"codes": HIGH}, per="person", central=600_000),
            TierSpec(name="Thương binh từ 81%", rule="category", params={"codes": ["merit_war_invalid"], "min_rate": 81},
                     per="person", central=600_000),
        ])
    return package


def test_it_gives_one_gift_per_person_at_the_highest_tier(units, merit) -> None:  # type: ignore[no-untyped-def]
    package = president_gift(units.tra_cu)
    amounts = dict(package.lines.values_list("person_id", "amount"))
    assert amounts[merit["mother"].pk] == 600_000  # heroic mother and invalid: one gift, the higher
    assert amounts[merit["dung"].pk] == 300_000  # 61 %: the lower tier
    # Two records an officer linked as one person: one gift.
    assert (merit["hai"].pk in amounts) != (merit["hai2"].pk in amounts)
    assert amounts.get(merit["hai"].pk, amounts.get(merit["hai2"].pk)) == 600_000
    assert merit["gone"].pk not in amounts  # died before the date
    assert package.recipients == 3 and package.total == 1_500_000
    totals = package_totals(package)
    assert totals["central"] == 1_500_000 and totals["local"] == 0
    assert [t["recipients"] for t in totals["by_tier"]] == [1, 1, 1]
    assert totals["by_status"][PayStatus.PENDING]["recipients"] == 3 and totals["paid"] == 0


def test_it_finds_people_reaching_an_age_in_the_year(units, merit) -> None:  # type: ignore[no-untyped-def]
    package, _ = create_package(
        name="Chúc thọ, mừng thọ 2026", purpose="longevity", field="social_assistance", unit=units.tra_cu, on=ON,
        actor=SYSTEM, tiers=[TierSpec(name="Tròn 100 tuổi", rule="age", params={"ages": [100], "year": 2026},
                                      per="person", central=700_000),
                             TierSpec(name="Tròn 90 tuổi", rule="age", params={"ages": [90], "year": 2026},
                                      per="person", local=500_000)])
    amounts = dict(package.lines.values_list("person_id", "amount"))
    assert amounts == {merit["old"].pk: 700_000, merit["ninety"].pk: 500_000}


def test_it_says_who_is_already_in_another_package_of_the_period(units, merit) -> None:  # type: ignore[no-untyped-def]
    president_gift(units.tra_cu)
    second, _ = create_package(
        name="Quà Tết của Chính phủ 2026", purpose="tet", field="meritorious", unit=units.tra_cu, on=dt.date(2026, 1, 25),
        actor=SYSTEM, tiers=[TierSpec(name="400.000 đồng", rule="category", params={"codes": ["merit_war_invalid"]},
                                      per="person", central=400_000)])
    also = dict(second.lines.values_list("person_id", "also_in"))
    assert also[merit["dung"].pk] == "Quà của Chủ tịch nước nhân dịp Tết Bính Ngọ 2026"
    # Another purpose or another year is not compared.
    third, _ = create_package(
        name="Hỗ trợ đột xuất", purpose="emergency", field="meritorious", unit=units.tra_cu, on=dt.date(2026, 1, 25),
        actor=SYSTEM, tiers=[TierSpec(name="1.000.000 đồng", rule="category", params={"codes": ["merit_war_invalid"]},
                                      per="person", local=1_000_000)])
    assert not third.lines.exclude(also_in="").exists()


def test_it_refuses_bad_tiers_with_clear_messages(units) -> None:  # type: ignore[no-untyped-def]
    def attempt(**tier):  # type: ignore[no-untyped-def]
        spec = {"name": "Mức", "rule": "age", "params": {"ages": [90], "year": 2026}, "per": "person", "local": 1000}
        spec.update(tier)
        create_package(name="Gói", purpose="tet", field="poverty", unit=units.tra_cu, on=ON,
                       tiers=[TierSpec(**spec)], actor=SYSTEM)

    cases = [({"local": 0}, "Mức 1"), ({"per": "household"}, "Mức 1"), ({"params": {"ages": ["x"], "year": 2026}}, "x"),
             ({"params": {"ages": [90]}}, "năm"), ({"rule": "category", "params": {"codes": ["nope"]}}, "nope"),
             ({"rule": "household_status", "per": "household", "params": {"statuses": ["rich"]}}, "rich")]
    from django.utils import translation

    with translation.override("vi"):
        for tier, text in cases:
            with pytest.raises(ValidationError, match=text):
                attempt(**tier)
        with pytest.raises(ValidationError, match="ít nhất một mức"):
            create_package(name="Gói", purpose="tet", field="poverty", unit=units.tra_cu, on=ON, tiers=[], actor=SYSTEM)
    assert Package.objects.count() == 0


def test_it_refuses_an_officer_outside_the_unit_or_field(units, merit) -> None:  # type: ignore[no-untyped-def]
    staff = officers()
    with pytest.raises(ValidationError):
        create_package(name="Gói", purpose="tet", field="meritorious", unit=units.tra_cu, on=ON, actor=Actor(user=staff.binh),
                       tiers=[TierSpec(name="M", rule="category", params={"codes": ["merit_war_invalid"]}, per="person",
                                       local=1)])
    with pytest.raises(ValidationError):
        create_package(name="Gói", purpose="tet", field="meritorious", unit=vinh_long(), on=ON, actor=Actor(user=staff.an),
                       tiers=[TierSpec(name="M", rule="category", params={"codes": ["merit_war_invalid"]}, per="person",
                                       local=1)])
    package, created = create_package(
        name="Gói", purpose="tet", field="meritorious", unit=vinh_long(), on=ON, actor=Actor(user=staff.cong),
        tiers=[TierSpec(name="M", rule="category", params={"codes": ["merit_war_invalid"]}, per="person", local=1)])
    assert created and package.created_by == staff.cong


def workbook(rows: list[tuple]) -> bytes:  # type: ignore[type-arg]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Số định danh cá nhân", "Họ và tên"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_takes_a_list_from_a_file_all_or_nothing(units, merit) -> None:  # type: ignore[no-untyped-def]
    good = workbook([("084050000003", "Lê Văn Dũng"), ("084126000006", "Thạch Thị Thọ")])
    ids = list_from_file(good, unit=units.tra_cu)
    assert sorted(ids) == sorted([merit["dung"].pk, merit["old"].pk])
    bad = workbook([("084050000003", "Lê Văn Dũng"), ("084050000003", ""), ("001099000000", ""),
                    ("084126000006", "Người Khác")])
    with pytest.raises(ImportProblems) as caught:
        list_from_file(bad, unit=units.tra_cu)
    rows = sorted(p.row for p in caught.value.problems)
    assert rows == [3, 4, 5]
    package, _ = create_package(name="Danh sách riêng", purpose="emergency", field="social_assistance",
                                unit=units.tra_cu, on=ON, actor=SYSTEM,
                                tiers=[TierSpec(name="Hỗ trợ", rule="file", params={"members": ids}, per="person",
                                                socialised=2_000_000)])
    assert package.recipients == 2 and package.total == 4_000_000
    # Someone of the list who is no longer there on the date: refused, nothing written.
    with pytest.raises(ValidationError, match="1"):
        create_package(name="Danh sách cũ", purpose="emergency", field="social_assistance", unit=units.tra_cu,
                       on=ON, actor=SYSTEM, tiers=[TierSpec(name="Hỗ trợ", rule="file",
                                                            params={"members": [merit["gone"].pk]}, per="person",
                                                            local=1)])


def test_it_puts_tiers_in_words() -> None:
    assert tier_words("household_status", {"statuses": ["near_poor"]}).startswith("Các hộ cận nghèo")
    assert tier_words("age", {"ages": [90, 100], "year": 2026}) == "Người tròn 90, 100 tuổi trong năm 2026 (theo ngày sinh)"
    assert "từ 81%" in tier_words("category", {"codes": ["a"], "min_rate": 81}, categories={"a": "Thương binh"})
