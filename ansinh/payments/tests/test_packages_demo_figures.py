"""The demo's packages (`demo payments`) and the figures counted from them (issue 12 item 6):
what seed 001 reports of Tết and longevity gifts, by unit and up the map."""

from __future__ import annotations

import pytest

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import demo
from ansinh.payments import demo_packages
from ansinh.payments.indicators_packages import figures
from ansinh.payments.models import Package, PackageLine, PayStatus
from ansinh.plans import results
from ansinh.plans.models import Indicator, Source
from ansinh.plans.periods import Period
from ansinh.poverty.demo_rounds import demo_rounds
from ansinh.poverty.models import Assessment, ReviewRound, RoundStatus

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def province() -> Unit:
    unit = Unit.objects.get(edition=Edition.CURRENT, level=Level.PROVINCE, code="86")
    demo.generate(province=unit, households=400, seed=1, year=2025)
    demo_rounds(province=unit, year=2025, write=lambda _text: None)
    return unit


def test_it_makes_the_demo_packages_and_counts_them_up_the_map(province) -> None:  # type: ignore[no-untyped-def]
    said: list[str] = []
    demo_packages.generate(province=province, write=said.append)
    assert len(said) == 5 and not any("bỏ qua" in line for line in said), said
    packages = {p.name: p for p in Package.objects.all()}
    near = packages["Quà Tết Bính Ngọ 2026 tặng hộ cận nghèo"]
    decided = ReviewRound.objects.get(unit=province, year=2024, status=RoundStatus.DECIDED)
    assert near.recipients == Assessment.objects.filter(round=decided, status="near_poor").count()
    assert near.total == near.recipients * 300_000
    president = packages["Quà của Chủ tịch nước tặng người có công nhân dịp Tết Bính Ngọ 2026"]
    assert president.recipients > 0 and set(president.lines.values_list("amount", flat=True)) <= {300_000, 600_000}
    local = packages["Quà Tết Bính Ngọ 2026 của tỉnh tặng người có công"]
    assert not local.lines.filter(also_in="").exists()  # every one of them is in the President's gift too
    # Partly reconciled: paid, not collected and not reported lines.
    statuses = set(PackageLine.objects.values_list("status", flat=True))
    assert {PayStatus.PAID, PayStatus.PENDING} <= statuses
    # Run again: nothing paid twice.
    lines = PackageLine.objects.count()
    demo_packages.generate(province=province, write=said.append)
    assert Package.objects.count() == 5 and PackageLine.objects.count() == lines

    # Counted in 2026-Q1, by commune, and up the map to the province.
    q1 = Period.parse("2026-Q1")
    counts = figures(province, q1)
    not_paid = near.lines.filter(status=PayStatus.NOT_PAID).count()
    assert sum(counts["near_poor_tet_gifts"].values()) == near.recipients - not_paid
    merit_people = (PackageLine.objects.filter(package__in=[president, local]).exclude(status=PayStatus.NOT_PAID)
                    .values("commune_id", "person_id").distinct().count())
    assert sum(v for (c, b), v in counts["merit_gift_recipients"].items() if not b) == merit_people
    central = sum(v for (c, b), v in counts["merit_gift_amount"].items() if b == "central")
    # Figures are millions of đồng (floats) added commune by commune: equal to the đồng within rounding.
    paid_central = sum(president.lines.exclude(status=PayStatus.NOT_PAID).values_list("central", flat=True))
    assert central * 1_000_000 == pytest.approx(paid_central, abs=0.5) and paid_central > 0
    assert Indicator.objects.get(code="near_poor_tet_gifts").source == Source.COUNTED
    figures_q1 = results.compute(province, q1)
    assert figures_q1.value(province.pk, "near_poor_tet_gifts") == near.recipients - not_paid
    assert figures_q1.source(province.pk, "near_poor_tet_gifts") == Source.COUNTED
    assert figures_q1.value(province.pk, "merit_gift_recipients") == merit_people
    longevity = packages["Chúc thọ, mừng thọ người cao tuổi năm 2026"]
    if longevity.recipients:
        assert figures_q1.value(province.pk, "elderly_longevity_gifts") == longevity.recipients
    children = packages["Quà Tết Bính Ngọ 2026 tặng trẻ em thuộc hộ nghèo"]
    if children.recipients:
        assert figures_q1.value(province.pk, "children_gifts") == (
            children.recipients - children.lines.filter(status=PayStatus.NOT_PAID).count())
    # Another quarter has no gifts: the figure falls back on what units declared (none).
    assert figures(province, Period.parse("2026-Q3"))["near_poor_tet_gifts"] == {}

    # The bench step measures what it says and leaves nothing behind.
    from ansinh.payments.bench_packages import bench_package

    before = Package.objects.count()
    data = bench_package(province, runs=2)
    assert data["recipients"] == near.recipients and data["total"] == near.total and data["runs"] == 2
    assert data["line"].startswith("packages: a package of every near-poor household") and "goal ≤ 1 s" in data["line"]
    assert Package.objects.count() == before
