"""Review rounds (Decision 24/2021/QĐ-TTg): open, follow commune by commune, classify, decide;
the round's figures as tables, charts and a workbook; the poverty standards as the law gives them.

Every query goes through `ansinh.households.access`; every change through `services` (audited).
A commune officer follows the province's round but sees only the communes in their scope, and
may record the steps of their commune, not classify or decide the province's round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ansinh.accounts.access import get_scope, get_unit_for_user, request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import EDITING_ROLES, Field, Role, User
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import NEED_FIELDS, LivingConditions
from ansinh.jobs.models import JobStatus
from ansinh.jobs.services import job_panel
from ansinh.lib.vietnamese import fold, format_number
from ansinh.households.access import households_for_user
from ansinh.poverty.access import (
    assessments_for_user,
    can_decide_round,
    get_commune_for_step,
    get_round_for_user,
    get_unit_to_open_round,
    may_change_round_unit,
    openable_units,
    poverty_editor,
    round_communes,
    rounds_for_user,
)
from ansinh.poverty import engine, figures, services, summary_xlsx
from ansinh.poverty import jobs as round_jobs
from ansinh.poverty.engine import StandardSpec
from ansinh.web.shortcuts import parse_int
from ansinh.poverty.models import (
    STEP_ORDER,
    PovertyStandard,
    PovertyStatus,
    ReviewRound,
    RoundKind,
    RoundProgress,
    Step,
    Transition,
)
from ansinh.poverty.standards_data import REGIONS

FIRST_YEAR = 2016  # living conditions are recorded from 2016, the first multidimensional standard (2016–2020)
LIST_LIMIT = 200  # rounds listed, newest first (a national viewer sees every province's and commune's)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Helpers ---------------------------------------------------------------------------------


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _flash_errors(request: HttpRequest, exc: ValidationError, prefix: str = "") -> None:
    for msgs in _errors(exc).values():
        for msg in msgs:
            messages.error(request, f"{prefix}{msg}")


def _parse_date(value: str) -> dt.date | None:
    """A date from a date input (ISO) or typed the Vietnamese way (dd/mm/yyyy)."""
    value = value.strip()
    for parse in (dt.date.fromisoformat, lambda v: dt.datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    return None


def _int(value: str | None) -> int | None:
    """A non-negative number a database column holds, else None."""
    return parse_int(value, low=0)


def _communes_in_scope(user: User, round_: ReviewRound) -> list[Unit]:
    return list(round_communes(user, round_).order_by("sort_key", "code"))


def round_title(round_: ReviewRound) -> str:
    if round_.kind == RoundKind.REGULAR:
        return _("Regular review %(month)s/%(year)s") % {"month": f"{round_.month:02d}", "year": round_.year}
    return _("Periodic review %(year)s") % {"year": round_.year}


# --- Rounds ----------------------------------------------------------------------------------


def _round_list_context(request: HttpRequest, *, values: dict[str, str] | None = None,
                        errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    user = request_user(request)
    found = rounds_for_user(user).select_related("unit", "standard")
    rounds = list(found[:LIST_LIMIT])
    total = len(rounds) if len(rounds) < LIST_LIMIT else found.count()
    groups = openable_units(user)
    today = timezone.localdate()
    return {
        "rounds": [(r, round_title(r)) for r in rounds],
        "total": total,
        "limit": LIST_LIMIT,
        "groups": groups,
        "can_open": bool(groups),
        "values": values or {"year": str(today.year), "kind": RoundKind.PERIODIC, "month": str(today.month),
                             "unit": str(groups[0][0].pk) if groups else ""},
        "errors": errors or {},
        "kinds": RoundKind.choices,
        "months": list(range(1, 13)),
        "max_year": today.year,
    }


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    return render(request, "poverty/round_list.html", _round_list_context(request))


@login_required
@require_POST
def round_open(request: HttpRequest) -> HttpResponse:
    """Opens (or finds) the round of a province or commune for a year or a month."""
    user = request_user(request)
    if not poverty_editor(user):  # whoever may open no round is refused before her input is read
        raise PermissionDenied
    values = {name: request.POST.get(name, "").strip() for name in ("year", "kind", "month", "unit")}
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    year = _int(values["year"])
    if year is None or not FIRST_YEAR <= year <= today.year:
        errors["year"] = [_("Enter a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": today.year}]
    unit_pk = _int(values["unit"])
    if unit_pk is None:
        errors["unit"] = [_("Choose the province or commune of the round.")]
    if not errors:
        assert year is not None and unit_pk is not None
        unit = get_unit_to_open_round(user, unit_pk)
        kind = values["kind"] or RoundKind.PERIODIC
        month = _int(values["month"]) if kind == RoundKind.REGULAR else None
        if kind == RoundKind.REGULAR and month is not None and 1 <= month <= 12 and dt.date(year, month, 1) > today:
            errors["month"] = [_("The month of a regular review cannot be in the future.")]
        else:
            try:
                round_ = services.review_round_open(actor=Actor.from_request(request), unit=unit, year=year, kind=kind, month=month)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("Review round opened: %(round)s — %(unit)s.")
                                 % {"round": round_title(round_), "unit": unit.name})
                return redirect("round-detail", pk=round_.pk)
    context = _round_list_context(request, values=values, errors=errors)
    return render(request, "poverty/round_list.html", context, status=400)


@dataclass
class CommuneProgress:
    commune: Unit
    done: list[tuple[str, str, dt.date | None]]  # (step, label, done on)
    next_step: tuple[str, str] | None
    can_change: bool
    registered: int = 0
    classified: int = 0
    poor: int = 0
    near_poor: int = 0


@dataclass
class StepTally:
    step: str
    label: str
    done: int = 0


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's standard and status, and its progress: communes × the five steps.

    Four queries whatever the number of communes: the communes in scope, their progress rows,
    the registered households and the classified ones by commune (GROUP BY).
    """
    user = request_user(request)
    round_ = get_round_for_user(user, pk)
    scope = get_scope(user)
    communes = _communes_in_scope(user, round_)
    ids = [c.pk for c in communes]
    done: dict[tuple[int, str], dt.date] = {
        (commune_id, step): on for commune_id, step, on in
        RoundProgress.objects.filter(round=round_, commune_id__in=ids).values_list("commune_id", "step", "done_on")
    }
    registered = dict(households_for_user(user).active().filter(commune_id__in=ids).order_by()
                      .values("commune_id").annotate(n=Count("id")).values_list("commune_id", "n"))
    classified: dict[int, dict[str, Any]] = {
        row["commune_id"]: dict(row) for row in
        assessments_for_user(user).filter(round=round_).order_by().values("commune_id").annotate(
            n=Count("id"), poor=Count("id", filter=Q(status=PovertyStatus.POOR)),
            near=Count("id", filter=Q(status=PovertyStatus.NEAR_POOR)))
    }
    labels = dict(Step.choices)
    tallies = [StepTally(step=s, label=str(labels[s])) for s in STEP_ORDER]
    progress = []
    for commune in communes:
        cells = [(s, str(labels[s]), done.get((commune.pk, s))) for s in STEP_ORDER]
        for tally, cell in zip(tallies, cells, strict=True):
            tally.done += cell[2] is not None
        pending = next(((s, str(labels[s])) for s, _label, on in cells if on is None), None)
        counts = classified.get(commune.pk, {})
        progress.append(CommuneProgress(
            commune=commune, done=cells, next_step=pending,
            can_change=may_change_round_unit(user, commune),
            registered=registered.get(commune.pk, 0), classified=counts.get("n", 0), poor=counts.get("poor", 0),
            near_poor=counts.get("near", 0)))
    job = round_jobs.classification_job(round_)
    context = {
        "round": round_,
        "title": round_title(round_),
        "job": job_panel(job, user) if job is not None else None,
        "progress": progress,
        "tallies": tallies,
        "steps": [(s, labels[s]) for s in STEP_ORDER],
        "partial": not scope.covers(round_.unit),
        "can_run": not round_.locked and may_change_round_unit(user, round_.unit),
        "can_decide": not round_.locked and can_decide_round(user, round_),
        "can_record": not round_.locked and any(p.can_change for p in progress),
        "today": timezone.localdate(),
        "in_force_today": round_.standard.in_force(timezone.localdate()),
        "totals": {
            "registered": sum(p.registered for p in progress),
            "classified": sum(p.classified for p in progress),
            "poor": sum(p.poor for p in progress),
            "near_poor": sum(p.near_poor for p in progress),
        },
    }
    return render(request, "poverty/round_detail.html", context)


def _back_to(round_: ReviewRound, commune: Unit | None = None) -> HttpResponseRedirect:
    url = reverse("round-detail", args=[round_.pk])
    return HttpResponseRedirect(f"{url}#commune-{commune.pk}" if commune else url)


@login_required
@require_POST
def round_step(request: HttpRequest, pk: int) -> HttpResponse:
    """A commune records a step as done; the service keeps the order of Decision 24/2021/QĐ-TTg."""
    user = request_user(request)
    round_ = get_round_for_user(user, pk)  # a commune officer records the steps of the province's round
    commune_pk = _int(request.POST.get("commune"))
    if commune_pk is None:
        raise Http404
    commune = get_commune_for_step(user, commune_pk)
    step = request.POST.get("step", "")
    on = _parse_date(request.POST.get("on", ""))
    prefix = f"{commune.name}: "
    if on is None:
        messages.error(request, prefix + _("Enter the date the step was done (dd/mm/yyyy)."))
    elif on > timezone.localdate():
        messages.error(request, prefix + _("The date the step was done cannot be in the future."))
    else:
        try:
            services.review_round_step(actor=Actor.from_request(request), round=round_, commune=commune, step=step, on=on,
                                       note=request.POST.get("note", "").strip()[:255])
        except ValidationError as exc:
            _flash_errors(request, exc, prefix)
        else:
            messages.success(request, prefix + _("step recorded: %(step)s.") % {"step": Step(step).label})
    return _back_to(round_, commune)


@login_required
@require_POST
def round_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Queues the classification of the round's households as a background job; the round's page
    shows its progress (ansinh.poverty.jobs). A job that ended at once says how."""
    user = request_user(request)
    round_ = get_round_for_user(user, pk, change=True)
    try:
        job = round_jobs.classification_start(round=round_, actor=Actor.from_request(request))
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        if job.status == JobStatus.SUCCEEDED:
            messages.success(request, job.message)
        elif job.status == JobStatus.FAILED:
            messages.error(request, job.error)
    if request.headers.get("HX-Request"):
        # htmx posted the form (showing its indicator meanwhile): a full page load shows the result.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("round-detail", args=[round_.pk])
        return response
    return _back_to(round_)


@login_required
@require_POST
def round_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision recognising the poor and near-poor households: locks the round."""
    user = request_user(request)
    round_ = get_round_for_user(user, pk, change=True)
    if not can_decide_round(user, round_):
        raise PermissionDenied
    decided_on = _parse_date(request.POST.get("decided_on", ""))
    if decided_on is None:
        messages.error(request, _("Enter the date of the decision (dd/mm/yyyy)."))
    elif decided_on > timezone.localdate():
        messages.error(request, _("The date of the decision cannot be in the future."))
    else:
        try:
            services.review_round_decide(round=round_, actor=Actor.from_request(request), decision_number=request.POST.get(
                "decision_number", ""), decided_on=decided_on)
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Decision recorded: the round's figures are locked."))
    return _back_to(round_)


# --- Figures ---------------------------------------------------------------------------------


@dataclass
class Figures:
    round: ReviewRound
    title: str
    spec: StandardSpec
    commune: Unit | None
    rows: list[figures.Row]
    total: figures.Row
    partial: bool
    scope_units: list[Unit] = field(default_factory=list)

    @property
    def by(self) -> str:
        return "hamlet" if self.commune else "commune"

    @property
    def unit_label(self) -> str:
        if self.commune is not None:
            return self.commune.name
        if self.partial:
            return f"{self.round.unit.name} ({', '.join(u.name for u in self.scope_units)})"
        return self.round.unit.name


def _figures(request: HttpRequest, pk: int) -> Figures:
    """The round's figures within the user's scope (the round's communes the user may see), by
    commune or, with ?unit=<commune id>, by hamlet of that commune: read from the counts kept per
    commune (figures.round_summary), counted once per classification of the round."""
    user = request_user(request)
    round_ = get_round_for_user(user, pk)
    commune = None
    if "unit" in request.GET:
        unit_pk = _int(request.GET["unit"])
        if unit_pk is None:
            raise Http404
        commune = get_unit_for_user(user, unit_pk)
        if (commune.level != Level.COMMUNE or commune.edition != Edition.CURRENT
                or not commune.path.startswith(round_.unit.path)):
            raise Http404
        commune_ids = [commune.pk]
    else:
        # a commune officer's figures of a province round are her commune's, not the province's
        commune_ids = list(round_communes(user, round_).values_list("pk", flat=True))
    spec = engine.spec_for(round_.standard)
    rows, total = figures.round_summary(round_, spec, commune_ids, by="hamlet" if commune else "commune")
    scope = get_scope(user)
    partial = not scope.covers(round_.unit)
    return Figures(round=round_, title=round_title(round_), spec=spec, commune=commune, rows=rows, total=total,
                   partial=partial, scope_units=[u for u in scope.units if u.path.startswith(round_.unit.path)]
                   if partial else [])


def latest_round(user: User) -> ReviewRound | None:
    """The user's latest classified periodic round (the province's or their commune's)."""
    return (rounds_for_user(user).filter(kind=RoundKind.PERIODIC, classified_at__isnull=False)
            .select_related("unit").order_by("-year", "unit__level", "-pk").first())


@login_required
@require_GET
def figures_latest(request: HttpRequest) -> HttpResponse:
    """The navigation's "Poverty figures": the latest classified round, or the list of rounds."""
    found = latest_round(request_user(request))
    if found is None:
        messages.info(request, _("No review round has been classified in your scope yet."))
        return redirect("round-list")
    return redirect("round-figures", pk=found.pk)


TRANSITIONS_SHOWN = [
    Transition.ESCAPED_POVERTY, Transition.POOR_TO_NEAR_POOR, Transition.ESCAPED_NEAR_POVERTY,
    Transition.NEW_POOR, Transition.RE_POOR, Transition.NEAR_POOR_TO_POOR, Transition.NEW_NEAR_POOR,
    Transition.STILL_POOR, Transition.STILL_NEAR_POOR,
]


@login_required
@require_GET
def round_figures(request: HttpRequest, pk: int) -> HttpResponse:
    data = _figures(request, pk)
    query = f"?unit={data.commune.pk}" if data.commune else ""
    need_labels = [(name, getattr(LivingConditions._meta.get_field(name), "verbose_name", name)) for name in NEED_FIELDS]
    context = {
        "f": data,
        "round": data.round,
        "title": data.title,
        "rows": data.rows,
        "total": data.total,
        "spec": data.spec,
        "indicators": list(enumerate(data.spec.indicators)),
        "transitions": [(t.value, t.label) for t in TRANSITIONS_SHOWN],
        "needs": need_labels,
        "xlsx_url": reverse("round-figures-xlsx", args=[data.round.pk]) + query,
        "list_url": reverse("round-list-xlsx", args=[data.round.pk]),
        "list_unit": data.commune.pk if data.commune else data.round.unit.pk,
        "has_previous": data.round.previous_id is not None,
        "national": get_scope(request_user(request)).national,
    }
    return render(request, "poverty/figures_round.html", context)


@login_required
@require_GET
def round_figures_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    data = _figures(request, pk)
    content = summary_xlsx.build(
        round_title=summary_xlsx.round_title_vi(data.round), unit_label=data.unit_label, standard=data.spec,
        reference_date=data.round.reference_date, locked=data.round.locked,
        decision=data.round.decision_number, rows=data.rows, total=data.total, by=data.by)
    slug = "-".join(fold(data.unit_label).replace("(", "").replace(")", "").replace(",", "").split())[:60]
    period = f"{data.round.month:02d}-{data.round.year}" if data.round.month else str(data.round.year)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tong-hop-ra-soat-{period}-{slug}.xlsx"'
    return response


@dataclass
class CountryFigures:
    year: int | None
    years: list[int]
    rounds: list[ReviewRound]  # the province rounds counted, in Vietnamese order of the provinces
    skipped: list[ReviewRound]  # rounds of the year applying another standard than the first
    spec: StandardSpec | None
    rows: list[tuple[figures.Row, ReviewRound | None]]  # a province's figures and its round
    total: figures.Row | None
    partial: bool
    scope_units: list[Unit] = field(default_factory=list)


def _country_figures(user: User, year: int | None) -> CountryFigures:
    """The periodic province rounds of a year in the user's scope, by province, and the country total.

    1. The years with a periodic round of a province the user follows; without a year asked for,
       the latest of them.
    2. The rounds of that year; the standard is the first round's (every periodic round of a year
       applies the standard in force on the same reference date, services.round_standard), so a
       round applying another cannot be added up with it: it is left out and named.
    3. Each round's counts kept per commune (figures.commune_counts), of its communes the user
       may see, added up: one row per province (a province round's communes are its own).
    """
    scope = get_scope(user)
    province_rounds = rounds_for_user(user).filter(kind=RoundKind.PERIODIC, unit__level=Level.PROVINCE)
    years = list(province_rounds.order_by("-year").values_list("year", flat=True).distinct())
    if year is None and years:
        year = years[0]
    found = CountryFigures(year=year, years=years, rounds=[], skipped=[], spec=None, rows=[], total=None,
                           partial=not scope.national,
                           scope_units=[] if scope.national else list(scope.units))
    if year is None or year not in years:
        return found
    for round_ in province_rounds.filter(year=year).select_related("unit", "standard").order_by(
            "unit__sort_key", "unit__code"):
        (found.rounds if not found.rounds or round_.standard_id == found.rounds[0].standard_id
         else found.skipped).append(round_)
    found.spec = spec = engine.spec_for(found.rounds[0].standard)
    # the rounds' communes the user may see, in one query (each round's, OR-ed)
    visible = reduce(or_, (round_communes(user, round_) for round_ in found.rounds))
    communes = list(visible.values_list("pk", "path"))
    kept = figures.rounds_commune_counts(
        [(round_, [pk for pk, path in communes if path.startswith(round_.unit.path)]) for round_ in found.rounds],
        spec=spec)
    by_round: dict[int, list[figures.Counts]] = {}
    for (round_id, _commune_id), value in kept.items():
        if value:
            by_round.setdefault(round_id, []).append(value)
    counts = [(round_, figures.add_counts(by_round.get(round_.pk, []))) for round_ in found.rounds]
    found.rows = [(figures.counts_row(round_.unit_id, round_.unit.name, kept, spec), round_)
                  for round_, kept in counts if kept.get("households")]
    found.total = figures.counts_row(None, "Tổng cộng", figures.add_counts(kept for _round, kept in counts), spec)
    return found


@login_required
@require_GET
def figures_country(request: HttpRequest) -> HttpResponse:
    """The country's poverty figures of a year, one row per province (a national viewer's table);
    others see the provinces, or the part of a province, in their scope."""
    user = request_user(request)
    raw = request.GET.get("year", "").strip()
    year = _int(raw)
    if raw and year is None:
        messages.error(request, _("Year: enter a year such as %(year)s.") % {"year": timezone.localdate().year})
    data = _country_figures(user, year)
    context = {
        "f": data,
        "year": data.year,
        "years": data.years,
        "rows": [row for row, _round in data.rows],
        "total": data.total,
        "spec": data.spec,
        "scope_label": ", ".join(u.name for u in data.scope_units),
    }
    return render(request, "poverty/figures_country.html", context, status=400 if raw and year is None else 200)


# --- Standards -------------------------------------------------------------------------------


@dataclass
class ScoringMatrix:
    regions: list[tuple[str, str, Any]]  # (code, name, base)
    items: list[tuple[str, list[Any]]]  # (label, points per region)
    provisional: bool
    basis: str


def _scoring_matrix(standard: PovertyStandard) -> ScoringMatrix | None:
    """Form B1 scoring tables as one matrix: items × regions (the points may differ by region)."""
    tables = sorted(standard.scoring_tables.all(), key=lambda t: list(REGIONS).index(t.region)
                    if t.region in REGIONS else len(REGIONS))
    if not tables:
        return None
    labels: dict[str, str] = {}
    for table in tables:
        for item in table.items:
            labels.setdefault(item.get("code", ""), item.get("label", item.get("code", "")))
    points = [{item.get("code", ""): item.get("points") for item in table.items} for table in tables]
    return ScoringMatrix(
        regions=[(t.region, REGIONS.get(t.region, t.region), t.base) for t in tables],
        items=[(label, [p.get(code) for p in points]) for code, label in labels.items()],
        provisional=any(t.provisional for t in tables),
        basis=tables[0].basis,
    )


@login_required
@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    """The poverty standards as dated law: lines, bands, indicators, form B1 scoring tables."""
    today = timezone.localdate()
    standards = list(PovertyStandard.objects.prefetch_related("indicators", "scoring_tables").order_by("-valid_from"))
    entries = [
        {
            "standard": s,
            "in_force": s.in_force(today),
            "indicators": sorted(s.indicators.all(), key=lambda i: i.position),
            "scoring": _scoring_matrix(s),
            "lines": [
                (_("Poverty line"), s.poverty_line_rural, s.poverty_line_urban, ""),
                # Decree 07/2021/NĐ-CP Art. 3 and Decree 351/2025/NĐ-CP set no separate near-poverty
                # line: near-poor households are at or below the poverty line with fewer deprivations.
                (_("Near-poverty line"), s.near_poor_line_rural, s.near_poor_line_urban,
                 _("No separate line: at or below the poverty line with fewer than %(n)s deprivations")
                 % {"n": s.min_deprivations}),
                (_("Average living standard up to"), s.average_line_rural, s.average_line_urban, ""),
            ],
        }
        for s in standards
    ]
    # The command-line hint and the parameters' keys are for administrators, who load the data.
    is_admin = Role.ADMIN in get_scope(request_user(request)).roles
    return render(request, "poverty/standards.html", {"entries": entries, "today": today, "is_admin": is_admin})
