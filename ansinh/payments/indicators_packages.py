"""Counted indicators of the one-off packages (issue 12 item 6), registered with
`ansinh.plans.counted.PROVIDERS` when the app is ready: what seed 001 reports of Tết and
longevity gifts, counted from the frozen lists of the packages dated in the period.

- `merit_gift_recipients`: people with meritorious service given a gift — the people of the Tết
  packages of the meritorious field (a person in two such packages, the President's and the
  Government's, is one person given gifts);
- `merit_gift_amount`: their amount in million đồng, by funding source (central, local);
- `near_poor_tet_gifts`: near-poor households given a Tết gift — households of Tết packages' tiers
  whose rule is "households by poverty status" with the near-poor status only;
- `elderly_longevity_gifts`: people given a longevity gift, by the age reached (90, 100) — lines
  of the longevity packages' age tiers, the age from the tier's year and the birth date;
- `children_gifts`: children (under 16 on the package's date, Law on Children 102/2016/QH13
  Art. 1) given a gift by a Tết or other gift package.

A line the paying agent reported as not paid is not counted (the gift did not reach the person);
lines pending or paid are (a frozen list is the decision to give). By commune of the line (the
recipient's household's commune when the list was frozen); `plans.results` adds them up the map.
A legacy unit (an old plan's) has no counted figures of these: its results fall back on what
units declared. Five GROUP BY queries, whatever the number of lines.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.urls import NoReverseMatch, reverse

from ansinh.accounts.models import Field
from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models import Package, PackageLine, PackageTier, PayStatus, Per, Purpose, TierRule

QUERIES = frozenset({"merit_gift_recipients", "merit_gift_amount", "near_poor_tet_gifts", "elderly_longevity_gifts",
                     "children_gifts"})
GIFT_PURPOSES = (Purpose.TET, Purpose.OTHER)
CHILD_AGE = 16  # a child is under 16 (Law on Children 102/2016/QH13 Art. 1)
MILLION = 1_000_000
LONGEVITY_AGES = (90, 100)  # the ages the catalogue breaks the figure down by


def _communes(root: Unit) -> list[int]:
    if root.level == Level.COMMUNE:
        return [root.pk]
    return list(Unit.objects.filter(path__startswith=root.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                .values_list("pk", flat=True))


def _lines(period: Period, communes: list[int]) -> Q:
    return Q(package__on__gte=period.start, package__on__lte=period.end, commune_id__in=communes) & ~Q(
        status=PayStatus.NOT_PAID)


def figures(root: Unit, period: Period) -> Counts:
    """The packages' counts of `root`'s communes for `period` ({query: {(commune, breakdown): value}})."""
    counts: Counts = {name: {} for name in QUERIES}
    communes = _communes(root)
    if not communes:
        return counts
    base = PackageLine.objects.filter(_lines(period, communes)).order_by()
    merit = base.filter(package__purpose=Purpose.TET, package__field=Field.MERITORIOUS)
    for commune, people, central, local, socialised in (
            merit.values_list("commune_id").annotate(n=Count("person_id", distinct=True), c=Sum("central"),
                                                     l=Sum("local"), s=Sum("socialised"))):
        counts["merit_gift_recipients"][(commune, "")] = float(people)
        amount = counts["merit_gift_amount"]
        amount[(commune, "")] = ((central or 0) + (local or 0) + (socialised or 0)) / MILLION
        amount[(commune, "central")] = (central or 0) / MILLION
        amount[(commune, "local")] = (local or 0) / MILLION
    # Tiers of near-poor households only (a tier of poor and near-poor households cannot tell them apart).
    tiers = [pk for pk, params in PackageTier.objects.filter(
        package__on__gte=period.start, package__on__lte=period.end, package__purpose=Purpose.TET,
        rule=TierRule.HOUSEHOLD_STATUS).values_list("pk", "params") if (params or {}).get("statuses") == ["near_poor"]]
    near = base.filter(tier_id__in=tiers, per=Per.HOUSEHOLD)
    for commune, n in near.values_list("commune_id").annotate(n=Count("household_id", distinct=True)):
        counts["near_poor_tet_gifts"][(commune, "")] = float(n)
    elderly: dict[tuple[int, str], set[int]] = defaultdict(set)
    longevity = (base.filter(package__purpose=Purpose.LONGEVITY, per=Per.PERSON, tier__rule=TierRule.AGE)
                 .values_list("commune_id", "person_id", "tier__params", ExtractYear("person__birth_date")))
    for commune, person, params, born in longevity:
        elderly[(commune, "")].add(person)
        age = int((params or {}).get("year", 0)) - int(born or 0)
        if age in LONGEVITY_AGES:
            elderly[(commune, f"age_{age}")].add(person)
    for key, people in elderly.items():
        counts["elderly_longevity_gifts"][key] = float(len(people))
    # Children: each package's own date decides who is under 16, one condition per package (a few).
    packages = list(Package.objects.filter(on__gte=period.start, on__lte=period.end, purpose__in=GIFT_PURPOSES)
                    .values_list("pk", "on"))
    if packages:
        young = Q()
        for pk, on in packages:
            young |= Q(package_id=pk, person__birth_date__gt=_years_before(on, CHILD_AGE))
        rows = (base.filter(young, per=Per.PERSON).values_list("commune_id")
                .annotate(n=Count("person_id", distinct=True)))
        for commune, n in rows:
            counts["children_gifts"][(commune, "")] = float(n)
    return counts


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    counts = figures(root, period)
    return counts, "sổ theo dõi danh sách nhận quà, hỗ trợ (các gói hỗ trợ đã chốt danh sách trong kỳ)", \
        f"{period.start.isoformat()}:{period.end.isoformat()}"


RECORD_PURPOSE = {"merit_gift_recipients": Purpose.TET, "merit_gift_amount": Purpose.TET,
                  "near_poor_tet_gifts": Purpose.TET, "elderly_longevity_gifts": Purpose.LONGEVITY,
                  "children_gifts": ""}


def records_url(query: str, unit: Unit, breakdown: str, key: str) -> str | None:
    """The packages behind a counted figure (`package-list` of the unit, purpose and period)."""
    if query not in QUERIES or unit.edition == Edition.LEGACY or ":" not in key:
        return None
    start, end = key.split(":", 1)
    params = {"unit": str(unit.pk), "from": start, "to": end}
    if RECORD_PURPOSE[query]:
        params["purpose"] = str(RECORD_PURPOSE[query])
    try:
        return f"{reverse('package-list')}?{urlencode(params)}"
    except NoReverseMatch:
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    """Adds the provider to `plans.counted.PROVIDERS` once (called by the app's `ready`)."""
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)
