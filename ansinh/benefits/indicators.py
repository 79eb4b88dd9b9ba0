"""Counted indicators of the people served (issue 11 item 5), registered with
`ansinh.plans.counted.PROVIDERS` when the app is ready.

Stocks are counted in the month at the period's end (the month's entitlements, with their amounts
by the rules in force that month and the precedence between them: `monthly.month_lines`, the lines
`monthly.month_totals` adds up); flows are the dossiers received, or decided, between the
period's first and last day. By commune of the current map (the paying commune of an
entitlement, the commune of a dossier); `plans.results` adds them up the map. A legacy unit (an
old plan's) has no counted figures of these: its results fall back on what units declared.

Amounts are in million đồng per month (the catalogue's unit). People are counted once per
figure: a person on two social-assistance categories is one recipient (and is paid one of them,
Decree 20/2021/NĐ-CP Art. 6(2)).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .checks import commune_ids
from .models import Dossier, DossierStatus, Entitlement, Scheme

# The Ordinance's categories of people with meritorious service (Ordinance 02/2020/UBTVQH14 Art.
# 3(1)) that receive a monthly allowance: breakdown code → the categories of the law's data.
MERIT_GROUPS: dict[str, tuple[str, ...]] = {
    "pre1945": ("merit_pre1945_fulltime", "merit_pre1945_parttime"),
    "pre_uprising": ("merit_pre_uprising",),
    "heroic_mother": ("merit_heroic_mother",),
    "hero": ("merit_hero",),
    "war_invalid": ("merit_war_invalid", "merit_war_invalid_b"),
    "sick_soldier": ("merit_sick_soldier",),
    "toxic_chemical": ("merit_toxic_chemical",),
    "former_prisoner": ("merit_former_prisoner",),
    "resistance": ("merit_resistance",),
    "helper": ("merit_helper",),
}
MERIT_GROUP_NAMES: dict[str, str] = {
    "pre1945": "người hoạt động cách mạng trước ngày 01/01/1945",
    "pre_uprising": "người hoạt động cách mạng từ ngày 01/01/1945 đến ngày khởi nghĩa tháng Tám năm 1945",
    "heroic_mother": "Bà mẹ Việt Nam anh hùng",
    "hero": "Anh hùng Lực lượng vũ trang nhân dân, Anh hùng Lao động",
    "war_invalid": "thương binh",
    "sick_soldier": "bệnh binh",
    "toxic_chemical": "người hoạt động kháng chiến bị nhiễm chất độc hóa học",
    "former_prisoner": "người bị địch bắt tù, đày",
    "resistance": "người hoạt động kháng chiến",
    "helper": "người có công giúp đỡ cách mạng",
}
# Relatives who receive a monthly allowance of their own (Art. 3(2); Decree 75/2021 Appendix I).
MARTYR_RELATIVES = ("merit_martyr_relative", "merit_martyr_spouse_remarried")
RELATIVES = (*MARTYR_RELATIVES, "merit_toxic_chemical_child", "merit_survivor_pre1945",
             "merit_survivor_pre_uprising", "merit_survivor_invalid", "merit_survivor_sick_soldier",
             "merit_survivor_toxic_chemical")
GROUP_OF = {code: group for group, codes in MERIT_GROUPS.items() for code in codes}

STOCK_QUERIES = frozenset({
    "social_allowance_recipients", "social_allowance_amount", "social_pension_recipients", "social_pension_amount",
    "merit_recipients", "merit_relatives", "merit_amount",
})
FLOW_QUERIES = frozenset({"merit_dossiers", "benefit_dossiers_received", "benefit_dossiers_decided"})
QUERIES = STOCK_QUERIES | FLOW_QUERIES

# query → the scheme of its records (the drill-down's filter)
SCHEME_OF: dict[str, Scheme] = {
    "social_allowance_recipients": Scheme.SOCIAL_ASSISTANCE, "social_allowance_amount": Scheme.SOCIAL_ASSISTANCE,
    "social_pension_recipients": Scheme.SOCIAL_PENSION, "social_pension_amount": Scheme.SOCIAL_PENSION,
    "merit_recipients": Scheme.MERITORIOUS, "merit_relatives": Scheme.MERITORIOUS, "merit_amount": Scheme.MERITORIOUS,
}
PEOPLE: dict[str, str] = {Scheme.SOCIAL_ASSISTANCE: "social_allowance_recipients",
                          Scheme.SOCIAL_PENSION: "social_pension_recipients"}
AMOUNT: dict[str, str] = {Scheme.SOCIAL_ASSISTANCE: "social_allowance_amount", Scheme.SOCIAL_PENSION: "social_pension_amount",
          Scheme.MERITORIOUS: "merit_amount"}
MILLION = 1_000_000


def period_month(period: Period) -> dt.date:
    """The month a stock is counted in: the period's last."""
    return period.end.replace(day=1)


def _people_keys(scheme: str, commune: int, code: str) -> list[tuple[str, int, str]]:
    """The (query, commune, breakdown) counts a person paid a line of `code` is one of."""
    if scheme in PEOPLE:
        return [(PEOPLE[scheme], commune, "")]
    if code in RELATIVES:
        keys = [("merit_relatives", commune, "")]
        if code in MARTYR_RELATIVES:
            keys.append(("merit_relatives", commune, "martyr"))
        return keys
    keys = [("merit_recipients", commune, "")]
    if code in GROUP_OF:
        keys.append(("merit_recipients", commune, GROUP_OF[code]))
    return keys


def month_figures(communes: list[int], month: dt.date) -> Counts:
    """The stocks of `month` by commune: people and amounts per scheme, people with meritorious
    service by category, relatives. One pass over the month's paid lines (`monthly.paid_summary`:
    those of `monthly.month_lines` without building them, a constant number of queries, the people
    holding a single entitlement counted by case); the people and amounts are those
    `monthly.month_totals` gives."""
    from .monthly import paid_summary

    counts: Counts = {name: {} for name in STOCK_QUERIES}
    if not communes:
        return counts
    singles, others = paid_summary(Entitlement.objects.filter(commune_id__in=communes), month)
    counted: dict[tuple[str, int, str], int] = defaultdict(int)
    amounts: dict[tuple[str, int], int] = defaultdict(int)
    for (commune, scheme, parts), n in singles.items():  # n distinct people, holding nothing else
        keys: set[tuple[str, int, str]] = set()
        for code, amount in parts:
            amounts[(scheme, commune)] += n * amount
            keys.update(_people_keys(scheme, commune, code))
        for key in keys:
            counted[key] += n
    people: dict[tuple[str, int, str], set[int]] = defaultdict(set)
    for person, commune, scheme, code, amount in others:
        amounts[(scheme, commune)] += amount
        for key in _people_keys(scheme, commune, code):
            people[key].add(person)
    for key in counted.keys() | people.keys():
        query, commune, breakdown = key
        counts[query][(commune, breakdown)] = float(counted.get(key, 0) + len(people.get(key, ())))
    for (scheme, commune), amount in amounts.items():
        counts[AMOUNT[scheme]][(commune, "")] = amount / MILLION
    return counts


def dossier_figures(communes: list[int], start: dt.date, end: dt.date) -> Counts:
    """Dossiers received, and decided, between `start` and `end` (inclusive), by commune and scheme:
    two GROUP BY queries."""
    counts: Counts = {name: {} for name in FLOW_QUERIES}
    if not communes:
        return counts
    mine = Dossier.objects.filter(commune_id__in=communes).order_by()
    received = (mine.filter(received_on__gte=start, received_on__lte=end)
                .values_list("commune_id", "scheme").annotate(n=Count("pk")))
    decided = (mine.filter(status=DossierStatus.DECIDED, decided_on__gte=start, decided_on__lte=end)
               .values_list("commune_id", "scheme").annotate(n=Count("pk")))
    for query, rows in (("benefit_dossiers_received", received), ("benefit_dossiers_decided", decided)):
        for commune, scheme, n in rows:
            totals = counts[query]
            totals[(commune, "")] = totals.get((commune, ""), 0.0) + n
            totals[(commune, scheme)] = float(n)
            if query == "benefit_dossiers_decided" and scheme == Scheme.MERITORIOUS:
                counts["merit_dossiers"][(commune, "")] = float(n)
    return counts


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    """The provider's counts for `root`'s communes and `period`, a note on the source, and the
    month the stocks were counted in ("2025-12", the key of the records behind them)."""
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    communes = commune_ids(root)
    month = period_month(period)
    counts = month_figures(communes, month)
    counts.update(dossier_figures(communes, period.start, period.end))
    note = (f"sổ theo dõi người hưởng trợ cấp hằng tháng (tháng {month.month:02d}/{month.year}) và hồ sơ hưởng "
            f"trợ cấp trong kỳ")
    return counts, note, f"{month:%Y-%m}"


def records_url(query: str, unit: Unit, breakdown: str, month: str) -> str | None:
    """The entitlements behind a counted stock (`entitlement-list`, active that month, in the unit,
    of the scheme, of the category when the breakdown is one); dossiers have none here."""
    scheme = SCHEME_OF.get(query)
    if scheme is None or unit.edition == Edition.LEGACY or not month:
        return None
    params = {"scheme": scheme.value, "month": month, "status": "active",
              ("province" if unit.level <= Level.PROVINCE else "commune"): str(unit.pk)}
    codes = MERIT_GROUPS.get(breakdown, ()) if query == "merit_recipients" else ()
    if query == "merit_relatives" and breakdown == "martyr":
        codes = MARTYR_RELATIVES[:1]
    if len(codes) == 1:  # a group of several categories (grade-B invalids with the others): the scheme's list
        params["category"] = codes[0]
    try:
        return f"{reverse('entitlement-list')}?{urlencode(params)}"
    except NoReverseMatch:  # the entitlement pages are not installed
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    """Adds the provider to `plans.counted.PROVIDERS` once (called by the app's `ready`)."""
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


# --- The figures page (`benefit-figures`) ------------------------------------------------------


@dataclass
class Figures:
    """One month's figures of a unit: per commune and scheme (people paid, amount paid), people
    with meritorious service by group and relatives (people, amount) for the whole unit."""

    month: dt.date
    by_commune: dict[int, dict[str, tuple[int, int]]] = field(default_factory=dict)
    merit_groups: dict[str, tuple[int, int]] = field(default_factory=dict)


def unit_figures(communes: list[int], month: dt.date) -> Figures:
    """The month's paid lines (`monthly.paid_summary`, as `month_totals` adds them), by commune and
    scheme, and the meritorious lines by the group of the entitlement's own category."""
    from .monthly import paid_summary

    out = Figures(month=month)
    if not communes:
        return out
    singles, others = paid_summary(Entitlement.objects.filter(commune_id__in=communes), month)
    counted: dict[tuple[int, str], int] = defaultdict(int)
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    amounts: dict[tuple[int, str], int] = defaultdict(int)
    group_counted: dict[str, int] = defaultdict(int)
    group_people: dict[str, set[int]] = defaultdict(set)
    group_amounts: dict[str, int] = defaultdict(int)
    for (commune, scheme, parts), n in singles.items():  # n distinct people, holding nothing else
        counted[(commune, scheme)] += n
        groups: set[str] = set()
        for code, amount in parts:
            amounts[(commune, scheme)] += n * amount
            if scheme == Scheme.MERITORIOUS:
                group = _group(code)
                groups.add(group)
                group_amounts[group] += n * amount
        for group in groups:
            group_counted[group] += n
    for person, commune, scheme, code, amount in others:
        people[(commune, scheme)].add(person)
        amounts[(commune, scheme)] += amount
        if scheme == Scheme.MERITORIOUS:
            group = _group(code)
            group_people[group].add(person)
            group_amounts[group] += amount
    for (commune, scheme), amount in amounts.items():
        out.by_commune.setdefault(commune, {})[scheme] = (
            counted.get((commune, scheme), 0) + len(people.get((commune, scheme), ())), amount)
    out.merit_groups = {g: (group_counted.get(g, 0) + len(group_people.get(g, ())), group_amounts[g])
                        for g in group_amounts}
    return out


def _group(code: str) -> str:
    return "relatives" if code in RELATIVES else GROUP_OF.get(code, "other")
