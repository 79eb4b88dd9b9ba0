"""The pages an officer uses every day for the people served: the section's start page, the
list of entitlements with its filters, an entitlement, a person's entitlements with each month's
amount and the rule behind it, the forms that record, change and stop an entitlement, the
martyrs, and the Excel import.

Access: every record comes through `ansinh.benefits.access` (404 outside the user's units or
schemes, 403 for read-only roles on the forms); the scheme filter offers only the schemes the
user sees. Amounts are never stored: they come from `ansinh.benefits.monthly` for the rows of
the page only (a constant number of queries whatever the page shows). Citizen IDs are masked in
lists, and on a record's page for whoever may not see them in full
(`access.may_see_citizen_ids`); a page that shows them in full leaves one audit row (Decree
13/2023/NĐ-CP, Art. 27).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from django.contrib import messages
from django.core.cache import cache
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope, request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.dedup.entry import entry_check
from ansinh.dedup.services import record_entry_warning
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.access import communes_in_scope, households_for_user, members_for_user
from ansinh.households.forms import add_service_errors
from ansinh.households.models import Member
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.vietnamese import fold, format_number
from ansinh.web.shortcuts import download

from . import access, importer, monthly, services
from .law import NotInForce
from .forms_pages import (
    DOSSIER_KIND_LABELS,
    DOSSIER_STATUS_LABELS,
    SCHEME_LABELS,
    STOP_LABELS,
    STATUS_ACTIVE,
    STATUS_STOPPED,
    EntitlementEditForm,
    EntitlementFilterForm,
    EntitlementForm,
    MartyrForm,
    PersonSearchForm,
    StopForm,
    add_months,
    categories_in_force,
    this_month,
)
from .models import AmountRule, BaseLevel, Category, Entitlement, LineKind, Martyr, Scheme, TopUp

PAGE_SIZE = 50
LOOKUP_LIMIT = 20
MONTHS_BACK, MONTHS_AHEAD = 11, 3  # the person's page: this month, the 11 before (12 in all) and the 3 after


# --- Shared pieces ---------------------------------------------------------------------------


def _url(name: str, *args: Any) -> str:
    """A page of another part of the app, or "" while it is not there (the link is left out)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A form page; 400 when it comes back with errors (as the register's forms do)."""
    form = context.get("form")
    failed = request.method == "POST" and form is not None and form.is_bound and bool(form.errors)
    return render(request, template, context, status=400 if failed else 200)


def _require_schemes(user: User) -> list[str]:
    """The schemes the user sees; someone who sees none (an officer of another field) has no
    business in the section: 404, as for a record outside their scope."""
    schemes = access.schemes_for_user(user)
    if not schemes:
        raise Http404
    return schemes


def _shown_id(number: str | None, full: bool) -> str:
    if not number:
        return ""
    return number if full else mask_citizen_id(number)


def _read_audit(request: HttpRequest, obj: Any, unit: Unit, count: int) -> None:
    """Full citizen IDs left the register on a page: one audit row per page view."""
    if count:
        with transaction.atomic():
            audit.record(actor=Actor.from_request(request), action="personal_data.read", obj=obj, unit=unit,
                         after={"citizen_ids": count, "via": "benefits"})


@dataclass
class MonthSum:
    """What an entitlement pays in a month: the sum of its paid lines, and why a line is not paid."""

    paid: int = 0
    provisional: bool = False
    excluded: str = ""
    lines: list[monthly.MonthLine] = field(default_factory=list)


def _month_sums(entitlements: Iterable[Entitlement], month: dt.date) -> dict[int, MonthSum]:
    """The month's lines of these entitlements. Precedence (Decree 20 Art. 6(2); Ordinance Art.
    6) looks at all of a person's entitlements, so the lines are computed for every entitlement of
    the persons shown (a page's worth), then kept for the entitlements asked for."""
    wanted = {e.pk for e in entitlements}
    persons = {e.person_id for e in entitlements}
    if not wanted:
        return {}
    out: dict[int, MonthSum] = {pk: MonthSum() for pk in wanted}
    for line in monthly.month_lines(Entitlement.objects.filter(person_id__in=persons), month):
        found = out.get(line.entitlement_id)
        if found is None:
            continue
        found.lines.append(line)
        if line.paid:
            found.paid += line.amount
            found.provisional = found.provisional or line.provisional
        elif not found.excluded:
            found.excluded = line.excluded
    return out


def _label(entitlement: Entitlement) -> None:
    """The scheme's and the stop reason's Vietnamese labels, for the templates."""
    entitlement.scheme_label = SCHEME_LABELS.get(entitlement.scheme, entitlement.scheme)  # type: ignore[attr-defined]
    entitlement.stop_label = STOP_LABELS.get(entitlement.stop_reason, "")  # type: ignore[attr-defined]


def _category_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Category.objects.filter(code__in=set(codes)).values_list("code", "name"))


def _shown_lines(lines: list[monthly.MonthLine], names: dict[str, str]) -> list[dict[str, Any]]:
    """The lines as the pages show them: with the category's name (one query for a page)."""
    return [{**asdict(line), "category_name": names.get(line.category, line.category)} for line in lines]


# --- The start page --------------------------------------------------------------------------

HOME_CACHE_SECONDS = 600


def _home_totals(user: User, schemes: list[str], entitlements: QuerySet[Entitlement],
                 month: dt.date) -> dict[str, list[int]]:
    """People paid and the amount of the month by scheme (`monthly.month_totals`, set-based but
    a second or so for a province's 50,000 entitlements), kept for ten minutes under a key that
    changes with the user's scope, the month, and any entitlement or rule written since (their
    count and last change): a change is seen at once, a reload costs four small aggregates."""
    stamp = entitlements.aggregate(n=Count("pk"), last=Max("updated_at"))
    law = [model.objects.aggregate(last=Max("updated_at"))["last"] for model in (AmountRule, BaseLevel, TopUp)]
    scope = sorted((a.role, a.unit_id, a.field) for a in get_scope(user).assignments)
    raw = repr((scope, schemes, month, stamp["n"], stamp["last"], law))
    key = "benefits-home:" + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return cast(dict[str, list[int]], found)
    totals: dict[str, list[int]] = {s: [0, 0] for s in schemes}
    for (_commune, scheme), (people, amount) in monthly.month_totals(entitlements, month).items():
        if scheme in totals:
            totals[scheme][0] += people
            totals[scheme][1] += amount
    cache.set(key, totals, HOME_CACHE_SECONDS)
    return totals



@login_required
@require_GET
def benefits_home(request: HttpRequest) -> HttpResponse:
    """This month's figures by scheme in the user's scope, and the way to everything else."""
    user = request_user(request)
    schemes = _require_schemes(user)
    month = this_month()
    entitlements = access.entitlements_for_user(user)
    totals = _home_totals(user, schemes, entitlements, month)
    active = dict(entitlements.filter(start_month__lte=month).filter(
        Q(stop_month__isnull=True) | Q(stop_month__gt=month)).order_by().values_list("scheme").annotate(n=Count("pk")))
    labels = SCHEME_LABELS
    list_url = reverse("entitlement-list")
    rows = [{"scheme": s, "label": labels[s], "entitlements": active.get(s, 0), "people": totals[s][0],
             "amount": totals[s][1], "url": f"{list_url}?scheme={s}"} for s in schemes]
    links = [(label, url) for label, url in [
        (pgettext("benefits", "Dossiers (applications to start, change, move, stop)"), _url("benefit-dossier-list")),
        (pgettext("benefits", "Death benefits proposed"), _url("benefit-proposal-list")),
        (pgettext("benefits", "Appear eligible but receive nothing"), _url("benefit-eligible-unpaid")),
        (pgettext("benefits", "Paid but no longer eligible"), _url("benefit-paid-ineligible")),
        (pgettext("benefits", "Figures by unit"), _url("benefit-figures")),
        (pgettext("benefits", "Schemes, categories and amounts (the law)"), _url("benefit-rules")),
    ] if url]
    context = {
        "month": month, "rows": rows, "links": links,
        "total_people": sum(r["people"] for r in rows), "total_amount": sum(r["amount"] for r in rows),
        "can_change": access.benefit_editor(user),
        "sees_merit": Scheme.MERITORIOUS in schemes,
    }
    return render(request, "benefits/pages/home.html", context)


# --- The list ----------------------------------------------------------------------------------


def _visible_categories(schemes: list[str]) -> list[Category]:
    return list(Category.objects.filter(scheme__in=schemes, kind=LineKind.ALLOWANCE).order_by("scheme", "order",
                                                                                                "code"))


def _search(entitlements: QuerySet[Entitlement], query: str) -> QuerySet[Entitlement]:
    """Accent-insensitive on the person's name (each word), or a citizen ID (12 digits) exactly."""
    compact = "".join(query.split())
    if compact.isdigit() and len(compact) == 12:
        return entitlements.filter(person__citizen_id=compact)
    q = Q()
    for word in fold(query).split():
        q &= Q(person__search_name__contains=word)
    return entitlements.filter(q)


def filtered_entitlements(user: User, params: Any, *, schemes: list[str]) -> tuple[EntitlementFilterForm,
                                                                                  QuerySet[Entitlement], dt.date]:
    """The list's filters applied to the user's entitlements (also the API's, through `params`)."""
    scope = get_scope(user)
    provinces = (Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT).vietnamese_order()
                 if scope.national else None)
    form = EntitlementFilterForm(params, schemes=schemes, categories=_visible_categories(schemes),
                                 provinces=provinces, communes=communes_in_scope(user))
    found = access.entitlements_for_user(user)
    if scheme := form.value("scheme"):
        found = found.filter(scheme=scheme)
    if category := form.value("category"):
        found = found.filter(category__code=category)
    if commune := form.value("commune"):
        found = found.filter(commune=commune)
    elif provinces is not None and (province := form.value("province")):
        found = found.filter(commune__parent=province)
    month = form.chosen_month()
    status = form.chosen_status()
    if status == STATUS_ACTIVE:
        found = found.filter(start_month__lte=month).filter(Q(stop_month__isnull=True) | Q(stop_month__gt=month))
    elif status == STATUS_STOPPED:
        found = found.filter(stop_month__lte=month)
    if query := (form.value("q") or "").strip():
        found = _search(found, query)
    return form, found, month


def page_rows(ids: list[int]) -> list[Entitlement]:
    """The page's entitlements in the order of `ids`, with what a row shows, by join."""
    found = (Entitlement.objects.filter(pk__in=ids)
             .select_related("person__household", "category", "commune"))
    by_id = {e.pk: e for e in found}
    return [by_id[pk] for pk in ids if pk in by_id]


@login_required
@require_GET
def entitlement_list(request: HttpRequest) -> HttpResponse:
    """Entitlements in the user's units and schemes, filtered and searched (accent-insensitive),
    in Vietnamese order of the person's name, 50 a page, with each row's amount of the month."""
    user = request_user(request)
    schemes = _require_schemes(user)
    form, found, month = filtered_entitlements(user, request.GET, schemes=schemes)
    # The page's ids first (the count and the ordered slice read the entitlement table, its
    # indexes and the person's sort key), then what the page shows for those rows alone.
    ordered = found.order_by("person__sort_key", "person_id", "pk").values_list("pk", flat=True)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = page_rows(list(page.object_list))
    sums = _month_sums(rows, month)
    for row in rows:
        row.masked_id = _shown_id(row.person.citizen_id, False)  # type: ignore[attr-defined]
        row.month_sum = sums.get(row.pk)  # type: ignore[attr-defined]
    page.object_list = cast(Any, rows)
    context = {
        "form": form, "page": page, "month": month, "status": form.chosen_status(),
        "can_change": access.benefit_editor(user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "benefits/pages/_entitlement_results.html", {**context, "oob": True})
    return render(request, "benefits/pages/entitlement_list.html", context)


# --- An entitlement ---------------------------------------------------------------------------


@login_required
@require_GET
def entitlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    _require_schemes(user)
    entitlement = access.get_entitlement_for_user(user, pk)
    person = entitlement.person
    month = this_month()
    full = access.may_see_citizen_ids(user, entitlement.commune, entitlement.scheme)
    shown_id = _shown_id(person.citizen_id, full)
    if full and person.citizen_id:
        _read_audit(request, entitlement, entitlement.commune, 1)
    lines = _month_sums([entitlement], month).get(entitlement.pk, MonthSum())
    shown_lines = _shown_lines(lines.lines, _category_names(line.category for line in lines.lines))
    arrears: list[tuple[dt.date, int, str]] = []
    arrears_error = ""
    if entitlement.stop_month is None:
        try:
            arrears = monthly.arrears(entitlement, this_month())
        except NotInForce as error:  # a base level missing from the tables: say so, the page still shows
            arrears_error = str(error)
    household_visible = households_for_user(user).filter(pk=person.household_id).exists()
    _label(entitlement)
    dossiers = list(entitlement.dossiers.order_by("-received_on", "-pk")[:20])
    for dossier in dossiers:
        dossier.kind_label = DOSSIER_KIND_LABELS.get(dossier.kind, dossier.kind)  # type: ignore[attr-defined]
        dossier.status_label = DOSSIER_STATUS_LABELS.get(dossier.status, dossier.status)  # type: ignore[attr-defined]
    context = {
        "entitlement": entitlement, "person": person, "shown_id": shown_id, "month": month, "sum": lines,
        "lines": shown_lines,
        "martyrs": list(entitlement.martyrs.order_by("sort_key", "pk")),
        "dossiers": dossiers,
        "arrears": arrears, "arrears_total": sum(a[1] for a in arrears), "arrears_error": arrears_error,
        "can_change": access.may_change_scheme(user, entitlement.commune, entitlement.scheme),
        "household_visible": household_visible,
        "age": person.age_on(timezone.localdate()),
    }
    return render(request, "benefits/pages/entitlement_detail.html", context)


# --- A person ---------------------------------------------------------------------------------


@login_required
@require_GET
def benefit_person(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's entitlements (in the user's schemes) and each month's amount, this month, the
    11 before and the 3 after, with the rule behind every line; provisional rules are marked."""
    user = request_user(request)
    schemes = _require_schemes(user)
    person = members_for_user(user).select_related("household__commune").filter(pk=pk).first()
    if person is None:
        raise Http404
    commune = person.household.commune
    entitlements = list(access.entitlements_for_user(user).filter(person=person)
                        .select_related("category", "commune").order_by("-start_month", "-pk"))
    for found in entitlements:
        _label(found)
    visible = {e.pk for e in entitlements}
    month = this_month()
    start, end = add_months(month, -MONTHS_BACK), add_months(month, MONTHS_AHEAD)
    months: list[dict[str, Any]] = []
    codes: set[str] = set()
    for on, lines in monthly.person_months(person, start, end):
        if not start <= on <= end:
            continue
        mine = [line for line in lines if line.entitlement_id in visible]
        codes.update(line.category for line in mine)
        months.append({"month": on, "lines": mine, "current": on == month, "future": on > month,
                       "paid": sum(line.amount for line in mine if line.paid),
                       "provisional": any(line.provisional and line.paid for line in mine)})
    names = _category_names(codes)
    for row in months:
        row["lines"] = _shown_lines(row["lines"], names)
    full = any(access.may_see_citizen_ids(user, e.commune, e.scheme) for e in entitlements) or \
        get_scope(user).may_see_citizen_ids(commune)
    if full and person.citizen_id:
        _read_audit(request, person, commune, 1)
    changeable = [s for s in schemes if access.may_change_scheme(user, commune, s)]
    context = {
        "person": person, "commune": commune, "shown_id": _shown_id(person.citizen_id, full),
        "entitlements": entitlements, "months": months, "month": month,
        "age": person.age_on(timezone.localdate()),
        "can_add": bool(changeable) and person.died_on is None and person.left_on is None,
        "household_visible": households_for_user(user).filter(pk=person.household_id).exists(),
    }
    return render(request, "benefits/pages/person.html", context)


# --- Recording, changing and stopping an entitlement ------------------------------------------


def _changeable_schemes(user: User, commune: Unit) -> list[str]:
    return [s.value for s in Scheme if access.may_change_scheme(user, commune, s.value)]


def _person_choices(user: User, query: str) -> list[Member]:
    """Present members of the register the user may record an entitlement for, by name (accent-
    insensitive) or citizen ID; the first LOOKUP_LIMIT in Vietnamese order."""
    if not query.strip():
        return []
    found = members_for_user(user).filter(died_on__isnull=True, left_on__isnull=True)
    compact = "".join(query.split())
    if compact.isdigit() and len(compact) == 12:
        found = found.filter(citizen_id=compact)
    else:
        for word in fold(query).split():
            found = found.filter(search_name__contains=word)
    people = list(found.select_related("household__commune").order_by("sort_key", "pk")[:LOOKUP_LIMIT * 2])
    return [m for m in people if _changeable_schemes(user, m.household.commune)][:LOOKUP_LIMIT]


def _pick_person(user: User, raw: str | None) -> Member | None:
    if not raw or not str(raw).isdigit():
        return None
    person = (members_for_user(user).select_related("household__commune").filter(pk=int(raw)).first())
    if person is None:
        raise Http404
    if not _changeable_schemes(user, person.household.commune):
        raise PermissionDenied
    return person


def _parameter_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in ("rate", "martyr_count", "children", "years")}
    values.update(especially_severe=bool(data.get("especially_severe")), living_alone=bool(data.get("living_alone")),
                  carer_name=data.get("carer_name") or "", recognised_on=data.get("recognised_on"))
    return values


SERVICE_ALIASES = {"category_code": "category", "person": None, "martyrs": "martyrs"}


def _service_errors(form: Any, error: ValidationError) -> None:
    add_service_errors(form, error, {k: v for k, v in SERVICE_ALIASES.items() if v is not None})


@login_required
@require_http_methods(["GET", "POST"])
def entitlement_create(request: HttpRequest) -> HttpResponse:
    """Record an entitlement from a decision: find the person in the register of a commune the
    user keeps, choose a category in force, fill in the decision and what the category needs."""
    user = request_user(request)
    _require_schemes(user)
    if not access.benefit_editor(user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    person = _pick_person(user, source.get("person"))
    if person is None:
        search = PersonSearchForm(request.GET)
        query = search.data.get("q", "")
        return render(request, "benefits/pages/entitlement_pick.html", {
            "search": search, "query": query, "results": _person_choices(user, query)})
    commune = person.household.commune
    categories = categories_in_force(_changeable_schemes(user, commune), timezone.localdate())
    martyrs = access.martyrs_for_user(user)
    if request.method == "POST":
        form = EntitlementForm(request.POST, categories=categories, martyrs=martyrs)
        # Issue 12: the person may be registered twice (and paid twice): warn before saving.
        check = entry_check(user, full_name=person.full_name, birth_date=person.birth_date,
                            citizen_id=person.citizen_id, commune=commune, exclude=person.pk,
                            confirmed=request.POST.get("save_anyway") == "1", sex=person.sex)
        if form.is_valid() and not check.blocked:
            data = form.cleaned_data
            try:
                entitlement = services.create_entitlement(
                    Actor.from_request(request), person, data["category"].code,
                    decision_number=data["decision_number"].strip(), decision_date=data["decision_date"],
                    decision_signer=data["decision_signer"].strip(), start_month=data["start_month"],
                    martyrs=list(data.get("martyrs") or []), **_parameter_values(data))
            except ValidationError as error:
                _service_errors(form, error)
            else:
                if check.similar:
                    record_entry_warning(actor=Actor.from_request(request), person=person, similar=check.pairs(),
                                         form="entitlement", unit=commune)
                messages.success(request, pgettext("benefits", "Entitlement recorded for %(name)s.") % {"name": person.full_name})
                return redirect("entitlement-detail", pk=entitlement.pk)
    else:
        initial: dict[str, Any] = {"decision_date": timezone.localdate()}
        if (code := request.GET.get("category")) and (chosen := categories.filter(code=code).first()):
            initial["category"] = chosen.pk
        form = EntitlementForm(categories=categories, martyrs=martyrs, initial=initial)
        check = entry_check(user, full_name=person.full_name, birth_date=person.birth_date,
                            citizen_id=person.citizen_id, commune=commune, exclude=person.pk, sex=person.sex)
    return _form_page(request, "benefits/pages/entitlement_form.html", {
        "form": form, "person": person, "commune": commune, "entitlement": None, "entry_check": check,
        "uses": form.uses, "age": person.age_on(timezone.localdate())})


@login_required
@require_http_methods(["GET", "POST"])
def entitlement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the decision or the category's parameters (a new amount follows from them)."""
    user = request_user(request)
    entitlement = access.get_entitlement_for_user(user, pk, change=True)
    martyrs = access.martyrs_for_user(user)
    if request.method == "POST":
        form = EntitlementEditForm(request.POST, category=entitlement.category, martyrs=martyrs)
        if form.is_valid():
            data = form.cleaned_data
            fields: dict[str, Any] = {
                "decision_number": data["decision_number"].strip(), "decision_date": data["decision_date"],
                "decision_signer": data["decision_signer"].strip(), "living_alone": bool(data.get("living_alone")),
                "carer_name": data.get("carer_name") or ""}
            if data.get("start_month") is not None:
                fields["start_month"] = data["start_month"]
            for name in ("rate", "martyr_count", "children", "years", "especially_severe", "recognised_on"):
                if name in form.fields:
                    fields[name] = data.get(name)
            try:
                services.change_entitlement(Actor.from_request(request), entitlement, version=data["version"],
                                            **fields)
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, pgettext("benefits", "Entitlement saved."))
                return redirect("entitlement-detail", pk=entitlement.pk)
    else:
        initial = {name: getattr(entitlement, name) for name in (
            "decision_number", "decision_date", "decision_signer", "start_month", "recognised_on", "rate",
            "martyr_count", "children", "years", "especially_severe", "living_alone", "carer_name", "version")}
        if entitlement.category.uses_martyrs and not entitlement.martyr_count:
            initial["martyr_count"] = entitlement.martyrs.count() or None
        form = EntitlementEditForm(initial=initial, category=entitlement.category, martyrs=martyrs)
    person = entitlement.person
    return _form_page(request, "benefits/pages/entitlement_form.html", {
        "form": form, "person": person, "commune": entitlement.commune, "entitlement": entitlement,
        "uses": {}, "age": person.age_on(timezone.localdate())})


@login_required
@require_http_methods(["GET", "POST"])
def entitlement_stop(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entitlement = access.get_entitlement_for_user(user, pk, change=True)
    if entitlement.stop_month is not None:
        messages.error(request, pgettext("benefits", "This entitlement is already stopped from %(month)s.") % {
            "month": f"{entitlement.stop_month:%m/%Y}"})
        return redirect("entitlement-detail", pk=entitlement.pk)
    if request.method == "POST":
        form = StopForm(request.POST, start_month=entitlement.start_month)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.stop_entitlement(Actor.from_request(request), entitlement, stop_month=data["stop_month"],
                                          reason=data["reason"], note=data["note"])
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, pgettext("benefits", "Entitlement stopped from %(month)s.") % {
                    "month": f"{data['stop_month']:%m/%Y}"})
                return redirect("entitlement-detail", pk=entitlement.pk)
    else:
        form = StopForm(start_month=entitlement.start_month, initial={"stop_month": add_months(this_month(), 1)})
    return _form_page(request, "benefits/pages/entitlement_stop.html", {"form": form, "entitlement": entitlement})


# --- Martyrs ----------------------------------------------------------------------------------


def _merit_communes(user: User) -> QuerySet[Unit]:
    """Communes where the user records martyrs (access.may_change_scheme for merit, asked per
    commune of her units: a province's hundred or so, in memory)."""
    ids = [unit.pk for unit in communes_in_scope(user)
           if access.may_change_scheme(user, unit, Scheme.MERITORIOUS.value)]
    return Unit.objects.filter(pk__in=ids).select_related("parent").vietnamese_order()


@login_required
@require_GET
def martyr_list(request: HttpRequest) -> HttpResponse:
    """Martyrs recorded in the user's communes (for those who see merit records), searched
    accent-insensitively, in Vietnamese order, with the number of relatives receiving."""
    user = request_user(request)
    if Scheme.MERITORIOUS not in access.schemes_for_user(user):
        raise Http404
    found = access.martyrs_for_user(user)
    query = request.GET.get("q", "").strip()
    for word in fold(query).split():
        found = found.filter(search_name__contains=word)
    ordered = found.order_by("sort_key", "pk").values_list("pk", flat=True)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows = {m.pk: m for m in Martyr.objects.filter(pk__in=ids).select_related("commune")
            .annotate(relative_count=Count("relatives", distinct=True))}
    page.object_list = cast(Any, [rows[pk] for pk in ids if pk in rows])
    return render(request, "benefits/pages/martyr_list.html", {
        "page": page, "query": query,
        "can_add": access.benefit_editor(user, Scheme.MERITORIOUS.value)})


@login_required
@require_http_methods(["GET", "POST"])
def martyr_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if Scheme.MERITORIOUS not in access.schemes_for_user(user):
        raise Http404
    if not access.benefit_editor(user, Scheme.MERITORIOUS.value):
        raise PermissionDenied
    communes = _merit_communes(user)
    if request.method == "POST":
        form = MartyrForm(request.POST, communes=communes)
        if form.is_valid():
            data = form.cleaned_data
            try:
                martyr = services.create_martyr(
                    Actor.from_request(request), full_name=data["full_name"].strip(), birth_year=data["birth_year"],
                    died_on=data["died_on"], certificate_number=data["certificate_number"].strip(),
                    certificate_date=data["certificate_date"], commune=data["commune"], note=data["note"].strip())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, pgettext("benefits", "Martyr %(name)s recorded.") % {"name": martyr.full_name})
                return redirect(f"{reverse('martyr-list')}?q={martyr.full_name}")
    else:
        only = list(communes[:2])
        form = MartyrForm(communes=communes, initial={"commune": only[0].pk} if len(only) == 1 else {})
    return _form_page(request, "benefits/pages/martyr_form.html", {"form": form})


# --- The import -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def benefit_import(request: HttpRequest) -> HttpResponse:
    """Upload the filled template; every problem is listed by row and column, and nothing is
    written unless the whole file is right (`web.import_page`; a large file goes to the
    background worker)."""
    from ansinh.web.import_page import import_page

    user = request_user(request)
    _require_schemes(user)
    if not access.benefit_editor(user):
        raise PermissionDenied
    actor = Actor.from_request(request)

    def run(data: bytes, name: str, check: bool) -> importer.ImportResult:
        return importer.entitlement_import(actor=actor, data=data, name=name, dry_run=check)

    def background(upload: UploadedFile, check: bool) -> Any:
        from .jobs import benefit_import_start

        units = get_scope(user).units
        return benefit_import_start(actor=actor, upload=upload, unit=units[0] if units else None, check=check)

    return import_page(
        request, template="benefits/pages/import.html", run=run, background=background,
        done_url=lambda: reverse("entitlement-list"),
        checked=lambda result: pgettext("benefits", "The file is valid; nothing was written: it holds %(n)s "
                                        "entitlements.") % {"n": format_number(result.entitlements)},
        done=lambda result: pgettext("benefits", "Imported %(n)s entitlements from %(file)s.") % {
            "n": format_number(result.entitlements), "file": result.file})


@login_required
@require_GET
def benefit_import_template(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _require_schemes(user)
    sample = request.GET.get("sample") == "1"
    name = "mau-nhap-nguoi-huong-chinh-sach-vi-du.xlsx" if sample else "mau-nhap-nguoi-huong-chinh-sach.xlsx"
    return download(importer.template_xlsx(sample=sample), name)


__all__ = ["benefit_import", "benefit_import_template", "benefit_person", "benefits_home", "entitlement_create",
           "entitlement_detail", "entitlement_edit", "entitlement_list", "entitlement_stop", "filtered_entitlements",
           "martyr_create", "martyr_list", "page_rows"]
