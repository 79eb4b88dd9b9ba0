"""Results: every indicator's value for a unit and each unit below it, for a period.

How a figure arises, in order:
1. *Declared* values come from submitted or approved forms. A period with no form of its own is
   made up from its parts (a year from its halves, a half from its quarters, a quarter from its
   months): a flow adds the parts it has, a stock takes the latest.
2. *Counted* values come from the registries (`counted.py`) by commune; where a registry has no
   data for a unit and the period (none of its own, none below it), the unit's declared value
   stands in (its source is "declared", and pages and documents say so); a unit above adds its
   units' counted and stand-in figures and is marked as such (`stand_ins`).
3. Up the hierarchy in force at the period's end: a unit's own form wins; otherwise a summable
   indicator is the sum of the units below; a formula is recomputed at each level; an indicator
   that is not aggregable has only the values units declared themselves.
4. Data recorded under the legacy map (before 1 Jul 2025) for a unit of the current map is
   re-aggregated through the crosswalk: a legacy commune's figure goes to the commune that took
   it over; a commune split between several (441 of them) is shared in proportion to its
   households in the registry (equal shares when the registry has none, marked as estimated);
   a legacy district's or province's own figure goes to the current unit that holds all of it.
5. *Derived* indicators are computed from the figures of the same unit.

Everything is read set-based: one query for the forms' values, one GROUP BY per registry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from ansinh.geo.models import Edition, Level, Succession, Unit, current_home
from ansinh.households.models import Household

from . import counted, formulas
from .models import (COUNTED_STATUSES, Aggregation, Indicator, OverTime, Plan, Source, SubmissionValue,
                     Target)
from .periods import Period

Key = tuple[str, str]  # (indicator code, breakdown code; "" = the total)


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    level: int
    code: str
    name: str
    sort_key: str
    path: str


@dataclass
class Results:
    root: Unit
    period: Period
    plan: Plan | None
    indicators: dict[str, Indicator]
    nodes: dict[int, Node]
    children: dict[int, list[int]]
    values: dict[int, dict[Key, float]]
    sources: dict[int, dict[str, str]]  # node → indicator code → counted/declared/derived
    targets: dict[int, dict[Key, float]]
    notes: dict[str, str] = field(default_factory=dict)  # indicator code → where counted figures come from
    estimated: set[int] = field(default_factory=set)  # nodes holding a crosswalk share estimated without data
    # Parts of the period no counted form covers, while others do: a year made of its first
    # quarter only is not the year's result, and documents and pages say so.
    uncovered: list[Period] = field(default_factory=list)
    record_keys: dict[str, str] = field(default_factory=dict)  # counted query → its records (counted.records_url)
    # (node, indicator code) counted from the registry for some units below and declared by the
    # others, which have no registry data for the period (their figures stand in).
    stand_ins: set[tuple[int, str]] = field(default_factory=set)
    previous: Results | None = None
    year_to_date: bool = False  # flows count from 1 January to the period's end

    # --- reading -------------------------------------------------------------------------

    def value(self, unit_id: int, code: str, breakdown: str = "") -> float | None:
        return self.values.get(unit_id, {}).get((code, breakdown))

    def source(self, unit_id: int, code: str) -> str:
        return self.sources.get(unit_id, {}).get(code, "")

    def stood_in(self, unit_id: int, code: str) -> bool:
        """A counted figure that adds units' declared figures where the registry has no data."""
        return (unit_id, code) in self.stand_ins

    def target(self, unit_id: int, code: str, breakdown: str = "") -> float | None:
        return self.targets.get(unit_id, {}).get((code, breakdown))

    def percent(self, unit_id: int, code: str, breakdown: str = "") -> float | None:
        """The value as a percentage of the target (None without a value or a non-zero target)."""
        value, target = self.value(unit_id, code, breakdown), self.target(unit_id, code, breakdown)
        if value is None or not target:
            return None
        return 100.0 * value / target

    def previous_value(self, unit_id: int, code: str, breakdown: str = "") -> float | None:
        return self.previous.value(unit_id, code, breakdown) if self.previous is not None else None

    def change(self, unit_id: int, code: str, breakdown: str = "") -> float | None:
        """The change against the same period of the previous year."""
        now, before = self.value(unit_id, code, breakdown), self.previous_value(unit_id, code, breakdown)
        if now is None or before is None:
            return None
        return now - before

    def child_nodes(self, unit_id: int) -> list[Node]:
        return sorted((self.nodes[c] for c in self.children.get(unit_id, [])), key=lambda n: (n.sort_key, n.code))

    def breakdowns_of(self, unit_id: int, code: str) -> list[tuple[str, float]]:
        """The parts that have a value, in the catalogue's order."""
        indicator = self.indicators[code]
        out = []
        for breakdown in indicator.breakdown_codes:
            value = self.value(unit_id, code, breakdown)
            if value is not None:
                out.append((breakdown, value))
        return out

    def expected_share(self) -> float:
        """How much of a yearly flow target the period's figure should reach: the months it covers
        out of twelve (Q1 → 25 %; Q3 → 25 %, or 75 % counted from 1 January)."""
        first, last = self.period.months
        return 100.0 * (last - (0 if self.year_to_date else first - 1)) / 12

    def lagging(self, unit_id: int, code: str) -> bool:
        """Behind the year's pace (flows) or on the wrong side of the target (stocks)."""
        indicator = self.indicators[code]
        value, target = self.value(unit_id, code), self.target(unit_id, code)
        if value is None or target is None:
            return False
        if indicator.over_time == OverTime.FLOW and indicator.aggregation == Aggregation.SUM:
            percent = self.percent(unit_id, code)
            return percent is not None and percent < self.expected_share() - 10
        if indicator.direction == "lower":
            return value > target
        return value < target


# --- computing ---------------------------------------------------------------------------


def _nodes(root: Unit) -> dict[int, Node]:
    units = Unit.objects.filter(path__startswith=root.path, level__lte=Level.COMMUNE)
    if root.edition == Edition.PERMANENT:  # the country: its current map (legacy data comes through the crosswalk)
        units = units.exclude(edition=Edition.LEGACY)
    rows = units.values_list(
        "pk", "parent_id", "level", "code", "name", "sort_key", "path"
    )
    return {row[0]: Node(*row) for row in rows}


def _indicators(period: Period) -> dict[str, Indicator]:
    rows = Indicator.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end), Q(valid_to__isnull=True) | Q(valid_to__gte=period.start)
    )
    return {i.code: i for i in rows}


def _period_keys(period: Period) -> list[str]:
    out, stack = [], [period]
    while stack:
        p = stack.pop()
        out.append(p.key)
        stack.extend(p.parts())
    return out


def _roll_up(by_period: dict[str, float], period: Period, over_time: str) -> tuple[float | None, bool]:
    """The value of `period` from its own form or its parts; and whether it is partial."""
    if period.key in by_period:
        return by_period[period.key], False
    parts = [_roll_up(by_period, p, over_time) for p in period.parts()]
    present = [(value, partial) for value, partial in parts if value is not None]
    if not present:
        return None, False
    if over_time == OverTime.STOCK:
        return present[-1][0], True
    return sum(v for v, _ in present), len(present) < len(parts) or any(p for _, p in present)


def _uncovered(period: Period, seen: set[str]) -> list[Period]:
    """The largest parts of `period` that no form covers: [] when its own form or all its parts
    have one; [Q2, H2] for a year with forms for Q1 only."""
    if period.key in seen:
        return []
    parts = period.parts()
    if not parts:
        return [period]
    missing = [_uncovered(p, seen) for p in parts]
    if all(m == [p] for m, p in zip(missing, parts, strict=True)):
        return [period]
    return [p for m in missing for p in m]


def _declared(root: Unit, period: Period, indicators: dict[str, Indicator], *, year_to_date: bool = False
              ) -> tuple[list[tuple[int, str, int, str, Key, float]], list[Period]]:
    """(unit id, edition, level, path, key, value) of every form value in the area and period,
    rolled up to the period (or from 1 January: flows add the periods so far, stocks take the
    last); the latest form wins when several plans collect the same figure. Also the parts of
    the period that no form covers (none when no form covers any part: nothing was reported)."""
    spans = period.year_to_date() if year_to_date else [period]
    keys = [key for span in spans for key in _period_keys(span)]
    area = Q(submission__unit__path__startswith=root.path)
    if root.edition == Edition.CURRENT:
        area |= Q(submission__home__path__startswith=root.path, submission__unit__edition=Edition.LEGACY)
    rows = (
        SubmissionValue.objects.filter(area, submission__status__in=COUNTED_STATUSES, submission__period__in=keys)
        .order_by("submission__updated_at")
        .values_list("submission__unit_id", "submission__unit__edition", "submission__unit__level",
                     "submission__unit__path", "submission__period", "indicator__code", "breakdown", "value")
    )
    series: dict[tuple[int, Key], dict[str, float]] = defaultdict(dict)
    info: dict[int, tuple[str, int, str]] = {}
    seen: set[str] = set()
    for unit_id, edition, level, path, period_key, code, breakdown, amount in rows:
        series[(unit_id, (code, breakdown))][period_key] = float(amount)
        info[unit_id] = (edition, level, path)
        seen.add(period_key)
    uncovered = [p for span in spans for p in _uncovered(span, seen)] if seen else []
    out = []
    for (uid, key), by_period in series.items():
        indicator = indicators.get(key[0])
        if indicator is None:
            continue
        parts = [v for v, _partial in (_roll_up(by_period, span, indicator.over_time) for span in spans)
                 if v is not None]
        if not parts:
            continue
        value = parts[-1] if indicator.over_time == OverTime.STOCK else sum(parts)
        if value is not None:
            ed, lv, pth = info[uid]
            out.append((uid, ed, lv, pth, key, value))
    return out, uncovered


def _crosswalk_weights(legacy_communes: set[int]) -> tuple[dict[int, list[tuple[int, float]]], set[int]]:
    """For each legacy commune, its current successors with shares (by registry households when the
    commune was split); and the legacy communes whose shares are equal guesses."""
    pairs = list(Succession.objects.filter(old_id__in=legacy_communes).values_list("old_id", "new_id"))
    successors: dict[int, list[int]] = defaultdict(list)
    for old, new in pairs:
        successors[old].append(new)
    split = {old for old, news in successors.items() if len(news) > 1}
    counts: dict[tuple[int, int], int] = {}
    if split:
        for old, new, n in (
            Household.objects.filter(legacy_commune_id__in=split).order_by()
            .values_list("legacy_commune_id", "commune_id").annotate(n=Count("id"))
        ):
            counts[(old, new)] = n
    weights: dict[int, list[tuple[int, float]]] = {}
    guessed: set[int] = set()
    for old, news in successors.items():
        total = sum(counts.get((old, new), 0) for new in news)
        if len(news) == 1:
            weights[old] = [(news[0], 1.0)]
        elif total:
            weights[old] = [(new, counts.get((old, new), 0) / total) for new in news]
        else:
            weights[old] = [(new, 1.0 / len(news)) for new in news]
            guessed.add(old)
    return weights, guessed


def compute(root: Unit, period: Period, plan: Plan | None = None, *, with_previous: bool = True,
            year_to_date: bool = False) -> Results:
    """The figures of `root` and every unit below it (down to communes) for `period`; with
    `year_to_date`, flows count from 1 January (a Q3 report's "9 tháng")."""
    nodes = _nodes(root)
    children: dict[int, list[int]] = defaultdict(list)
    for node in nodes.values():
        if node.parent_id in nodes and node.id != root.pk:
            children[node.parent_id].append(node.id)
    indicators = _indicators(period)
    own: dict[int, dict[Key, float]] = defaultdict(dict)  # a unit's own form
    contrib: dict[int, dict[Key, float]] = defaultdict(lambda: defaultdict(float))  # crosswalk shares
    estimated: set[int] = set()

    legacy_rows: list[tuple[int, int, str, Key, float]] = []
    declared, uncovered = _declared(root, period, indicators, year_to_date=year_to_date)
    for unit_id, edition, level, path, key, value in declared:
        if edition in (root.edition, Edition.PERMANENT) or (root.edition, edition) == (Edition.PERMANENT, Edition.CURRENT):
            if unit_id in nodes:
                own[unit_id][key] = value
        else:
            legacy_rows.append((unit_id, level, path, key, value))
    if legacy_rows:
        _map_legacy(legacy_rows, nodes, contrib, estimated)

    queries = {i.query for i in indicators.values() if i.source == Source.COUNTED and i.query}
    counts, notes_by_query, record_keys = counted.fetch_all(queries, root, period)
    notes = {code: notes_by_query[i.query] for code, i in indicators.items() if i.query in notes_by_query}

    values: dict[int, dict[Key, float]] = defaultdict(dict)
    sources: dict[int, dict[str, str]] = defaultdict(dict)
    stand_ins: set[tuple[int, str]] = set()
    order = sorted(nodes.values(), key=lambda n: -n.level)
    summable = [i for i in indicators.values() if i.source != Source.DERIVED]
    derived = [i for i in indicators.values() if i.source == Source.DERIVED]
    for node in order:
        mine, kids = values[node.id], children.get(node.id, [])
        for indicator in summable:
            keys = [(indicator.code, "")] + [(indicator.code, b) for b in indicator.breakdown_codes]
            counted_here = False
            if indicator.source == Source.COUNTED and indicator.query in counts:
                found = counts[indicator.query]
                own_count = any((node.id, key[1]) in found for key in keys)
                summed = indicator.aggregation == Aggregation.SUM
                counted_kids = summed and any(sources[k].get(indicator.code) == Source.COUNTED for k in kids)
                # The unit has registry data (its own, or of a unit below): counted. Otherwise its
                # declared figure stands in, below (and says so: source declared).
                counted_here = own_count or counted_kids
            for key in keys:
                if counted_here:
                    got = counts[indicator.query].get((node.id, key[1]))
                    if got is None and kids and indicator.aggregation == Aggregation.SUM:
                        parts = [values[k][key] for k in kids if key in values[k]]
                        got = sum(parts) if parts else None
                        if any(sources[k].get(indicator.code) == Source.DECLARED for k in kids if key in values[k]):
                            stand_ins.add((node.id, indicator.code))  # counted, with units below standing in
                    if got is not None:
                        mine[key] = got
                        sources[node.id][indicator.code] = Source.COUNTED
                    continue
                if key in own.get(node.id, {}):
                    mine[key] = own[node.id][key]
                    extra = contrib.get(node.id, {}).get(key)
                    if extra is not None and indicator.over_time == OverTime.FLOW:
                        mine[key] += extra  # what the legacy units it took over reported before the reform
                    sources[node.id][indicator.code] = Source.DECLARED
                    continue
                if indicator.aggregation != Aggregation.SUM:
                    continue
                parts = [values[k][key] for k in kids if key in values[k]]
                extra = contrib.get(node.id, {}).get(key)
                if parts or extra is not None:
                    mine[key] = sum(parts) + (extra or 0.0)
                    sources[node.id][indicator.code] = Source.DECLARED
        for _ in range(2):  # a formula may use another derived indicator
            for indicator in derived:
                result = formulas.parse(indicator.formula).evaluate(mine) if indicator.formula else None
                if result is not None:
                    mine[(indicator.code, "")] = result
                    sources[node.id][indicator.code] = Source.DERIVED
        if any(k in estimated for k in kids):
            estimated.add(node.id)

    targets: dict[int, dict[Key, float]] = defaultdict(dict)
    if plan is not None:
        target_rows = Target.objects.filter(plan=plan, period__in=[period.key, str(period.year)]).values_list(
            "unit_id", "indicator__code", "breakdown", "period", "value"
        )
        for t_unit, t_code, t_breakdown, t_period, t_value in sorted(target_rows, key=lambda r: r[3] == period.key):
            targets[t_unit][(t_code, t_breakdown)] = float(t_value)  # the period's own target wins over the year's

    results = Results(root=root, period=period, plan=plan, indicators=indicators, nodes=nodes, children=children,
                      values=values, sources=sources, targets=targets, notes=notes, estimated=estimated,
                      year_to_date=year_to_date, uncovered=uncovered, record_keys=record_keys,
                      stand_ins=stand_ins)
    if with_previous:
        results.previous = compute(root, period.previous_year(), None, with_previous=False,
                                   year_to_date=year_to_date)
    return results


def _map_legacy(rows: list[tuple[int, int, str, Key, float]], nodes: dict[int, Node],
                contrib: dict[int, dict[Key, float]], estimated: set[int]) -> None:
    """Adds figures recorded under the legacy map to the current units that took them over. Only
    the topmost legacy unit with a figure counts (its own form wins over its communes')."""
    by_key: dict[Key, dict[str, tuple[int, int, float]]] = defaultdict(dict)
    for unit_id, level, path, key, value in rows:
        by_key[key][path] = (unit_id, level, value)
    frontier: list[tuple[int, int, Key, float]] = []
    for key, by_path in by_key.items():
        for path, (unit_id, level, value) in by_path.items():
            if not any(path != other and path.startswith(other) for other in by_path):
                frontier.append((unit_id, level, key, value))
    communes = {unit_id for unit_id, level, _, _ in frontier if level == Level.COMMUNE}
    weights, guessed = _crosswalk_weights(communes)
    homes: dict[int, int] = {}
    for unit_id, level, key, value in frontier:
        if level == Level.COMMUNE:
            for new, share in weights.get(unit_id, []):
                if new in nodes:
                    contrib[new][key] += value * share
                    if unit_id in guessed:
                        estimated.add(new)
            continue
        if unit_id not in homes:
            try:
                homes[unit_id] = current_home(Unit.objects.get(pk=unit_id)).pk
            except ValidationError:  # no successor in the crosswalk: nowhere to carry the figure
                homes[unit_id] = 0
        if homes[unit_id] in nodes:
            contrib[homes[unit_id]][key] += value
