"""The household registry's pages: the list, a household with the explanation of its status,
and the forms that change it (each a service call: audited, in one transaction).

Access: every household comes through `ansinh.households.access` (404 outside the user's units,
403 for read-only roles on the forms). Citizen IDs are masked in lists and for read-only roles
(Decree 13/2023/NĐ-CP: personal data only as far as the task needs).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts.access import get_scope, request_user, units_for_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import EDITING_ROLES, AuditEvent, User
from ansinh.geo.models import Edition, Level, Unit
from ansinh.dedup.entry import EntryCheck, entry_check
from ansinh.dedup.services import record_entry_warning
from ansinh.households import services
from ansinh.households.access import (
    communes_in_scope,
    communes_to_change,
    get_household_for_user,
    get_member_for_user,
    households_for_user,
    households_to_change,
    may_change_register,
    register_editor,
)
from ansinh.poverty.access import rounds_for_user
from ansinh.households.services import StaleEdit
from ansinh.households.forms import (
    NOT_ASSESSED,
    ConditionsForm,
    DeathForm,
    HouseholdFilterForm,
    HouseholdForm,
    MemberForm,
    MergeForm,
    MoveForm,
    SplitForm,
    add_service_errors,
    hamlets_of,
    review_years,
    stale_changes,
)
from ansinh.households.models import (
    Household,
    HouseholdEventKind,
    HouseholdQuerySet,
    HouseholdStatus,
    LivingConditions,
    Member,
    Relation,
)
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.ethnicity import KHMER, KINH
# The households pages show each household's poverty status, its explanation and the form B1
# items: the one place the register imports the poverty review (which depends on the register,
# never the reverse at import time; `ansinh.households.models`, `services` and `importer` do not).
from ansinh.poverty import engine
from ansinh.poverty import services as poverty_services
from ansinh.poverty.explain import Explanation, explain_household, standard_on
from ansinh.poverty.models import (
    Assessment,
    CurrentStatus,
    IncomeScoringTable,
    PovertyStandard,
    PovertyStatus,
    ReviewRound,
    RoundKind,
    RoundStatus,
)
from ansinh.poverty.standards_data import PROVINCE_REGION

PAGE_SIZE = 50
LOOKUP_LIMIT = 20
RELATION_ORDER = {relation: i for i, relation in enumerate(Relation.values)}
STATUS_LABELS = dict(PovertyStatus.choices)


# --- Scope helpers -----------------------------------------------------------------------------


def _targets(user: User) -> QuerySet[Household]:
    """Active households the user may change: where a member may move, a household may merge."""
    return households_to_change(user).filter(status=HouseholdStatus.ACTIVE)


def _changeable(request: HttpRequest, pk: int) -> tuple[User, Household]:
    user = request_user(request)
    return user, get_household_for_user(user, pk, change=True)


def _active_or_redirect(request: HttpRequest, household: Household) -> HttpResponse | None:
    if household.status != HouseholdStatus.ACTIVE:
        messages.error(request, _("This household is no longer active: it cannot change."))
        return redirect("household-detail", pk=household.pk)
    return None


def _done(request: HttpRequest, household: Household, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("household-detail", pk=household.pk)


def _stale_context(form: Any, record: Household | Member, current: dict[str, Any]) -> dict[str, Any]:
    """What someone else saved meanwhile: who, when, and each field they changed next to what the
    user typed (kept in the form, whose hidden version is now the current one: saving again
    overwrites knowingly)."""
    last = (AuditEvent.objects.filter(object_type=record._meta.label_lower, object_id=str(record.pk))
            .order_by("-at", "-pk").first())
    return {"who": last.actor_name if last else "", "when": last.at if last else None,
            "changes": stale_changes(form, current)}


def _rebound(form_class: Any, request: HttpRequest, version: int, **kwargs: Any) -> Any:
    data = request.POST.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A form page; 400 when it comes back with errors (as the map's forms do)."""
    form = context.get("form")
    failed = request.method == "POST" and form is not None and form.is_bound and bool(form.errors)
    return render(request, template, context, status=400 if failed else 200)


# --- The list ----------------------------------------------------------------------------------


def _round_status(rounds: list[ReviewRound]) -> Subquery:
    """A household's status in the chosen rounds: their own assessments, by the (round, household) index."""
    return Subquery(Assessment.objects.filter(household=OuterRef("pk"), round__in=rounds).values("status")[:1])


def _page_rows(ids: list[int], rounds: list[ReviewRound]) -> list[Household]:
    """The page's households, in the order of `ids`, with what the list shows: the status in
    `rounds` or else the stored current status (`poverty.CurrentStatus`, by join), the head's citizen
    ID and the number of members (subqueries run for these rows only), commune and hamlet by join."""
    present = Member.objects.present().filter(household=OuterRef("pk"))
    head_id = present.filter(relation=Relation.HEAD).order_by("pk").values("citizen_id")[:1]
    size = present.order_by().values("household").annotate(n=Count("pk")).values("n")
    shown: Any = _round_status(rounds) if rounds else F("poverty_current__status")
    found = Household.objects.filter(pk__in=ids).annotate(
        latest_status=shown,
        head_citizen_id=Subquery(head_id),
        size=Coalesce(Subquery(size), Value(0), output_field=IntegerField()),
    ).select_related("commune", "hamlet")
    by_id = {household.pk: household for household in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def _round_households(rounds: list[ReviewRound], form: HouseholdFilterForm) -> QuerySet[Assessment]:
    """The households of a round's figure, from the rounds' own snapshot (households since moved
    or dissolved included): its transitions and group (Khmer, minority, no working capacity, …)."""
    found = Assessment.objects.filter(round__in=rounds)
    if form.transitions():
        found = found.filter(transition__in=form.transitions())
    group = form.value("group")
    if group == "khmer":
        found = found.filter(head_ethnicity=KHMER)
    elif group == "minority":
        found = found.exclude(head_ethnicity=KINH)
    elif group in ("no_working_capacity", "social_protection"):
        found = found.filter(**{group: True})
    elif group == "meritorious":
        found = found.filter(has_meritorious=True)
    return found


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    """Households in the user's units, filtered and searched (accent-insensitive), in
    Vietnamese order, 50 a page; htmx swaps the results as the user types."""
    user = request_user(request)
    scope = get_scope(user)
    provinces = (Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT).vietnamese_order()
                 if scope.national else None)
    form = HouseholdFilterForm(request.GET, provinces=provinces, communes=communes_in_scope(user),
                               hamlets_of=hamlets_of(units_for_user(user)))
    households: QuerySet[Household] = households_for_user(user)
    rounds = list(rounds_for_user(user).filter(pk__in=form.round_ids()).select_related("unit"))
    if form.round_ids() and not rounds:
        raise Http404
    if rounds:
        households = households.filter(pk__in=_round_households(rounds, form).values("household_id"))
    elif not form.value("ended"):
        households = households.filter(status=HouseholdStatus.ACTIVE)
    hamlet, commune = form.value("hamlet"), form.value("commune")
    province = form.value("province") if provinces is not None else None
    if hamlet is not None and form.chosen_commune is not None and hamlet.parent_id == form.chosen_commune.pk:
        households = households.filter(hamlet=hamlet)
    if commune is not None:
        households = households.filter(commune=commune)
    elif province is not None:
        households = households.filter(commune__parent=province)
    if form.value("ethnicity"):
        households = households.filter(head_ethnicity=form.value("ethnicity"))
    query = (form.value("q") or "").strip()
    if query:
        households = cast(HouseholdQuerySet, households).search(query)
    status = form.value("status")
    if rounds:
        # latest_status is an annotation, which the type checker's model of the fields cannot see.
        households = households.annotate(latest_status=_round_status(rounds))
        if status == NOT_ASSESSED:
            households = households.filter(latest_status__isnull=True)  # type: ignore[misc]
        elif status:
            households = households.filter(latest_status=status)  # type: ignore[misc]
    elif status == NOT_ASSESSED:
        households = households.filter(poverty_current__isnull=True)  # the stored current status
    elif status:
        households = households.filter(poverty_current__status=status)
    # The page's ids first (the count and the ordered slice read the household table and its
    # indexes only), then what the page shows for those 50 rows: per-row subqueries are never
    # evaluated for every household that matches before the sort.
    ordered = households.order_by("sort_key", "code").values_list("pk", flat=True)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = cast(Any, _page_rows(list(page.object_list), rounds))
    for household in page.object_list:
        # Only the masked number leaves the view: the full one is never in a list's HTML.
        number = getattr(household, "head_citizen_id", None)
        household.masked_id = mask_citizen_id(number) if number else ""  # type: ignore[attr-defined]
        household.head_citizen_id = None  # type: ignore[attr-defined]
        status_value = getattr(household, "latest_status", None)
        household.status_label = STATUS_LABELS.get(status_value, "") if status_value else ""  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_register": register_editor(user),
        "rounds": rounds,
    }
    if request.headers.get("HX-Request"):
        return render(request, "households/_household_results.html", {**context, "oob": True})
    return render(request, "households/household_list.html", context)


@login_required
@require_GET
def household_lookup(request: HttpRequest) -> HttpResponse:
    """Suggestions for a household-code box (a <datalist>): households the user may change."""
    user = request_user(request)
    query = next((request.GET[k] for k in ("q", "to_code", "into_code") if request.GET.get(k)), "").strip()
    found = _targets(user)
    exclude = request.GET.get("exclude", "")
    if exclude.isdigit():
        found = found.exclude(pk=int(exclude))
    found = cast(HouseholdQuerySet, found).search(query).select_related("commune").order_by("sort_key", "code")
    results = list(found[:LOOKUP_LIMIT]) if query else []
    return render(request, "households/_household_options.html", {"results": results})


# --- A household -------------------------------------------------------------------------------


def _shown_id(member: Member, full: bool) -> str:
    """The full citizen ID for those who keep the register of the household's commune, masked for
    the others (`Scope.may_see_citizen_ids`)."""
    if not member.citizen_id:
        return ""
    return member.citizen_id if full else mask_citizen_id(member.citizen_id)


@login_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The household: details, members now and before, living conditions by year, assessments
    by round, the explanation of the latest one, and the history."""
    user = request_user(request)
    household = get_household_for_user(user, pk)
    scope = get_scope(user)
    can_change = may_change_register(user, household.commune)
    full_ids = scope.may_see_citizen_ids(household.commune)
    today = timezone.localdate()
    events = list(household.events.select_related("member", "other", "actor"))
    members = sorted(household.members.all(), key=lambda m: (RELATION_ORDER.get(m.relation, 99), m.birth_date, m.pk))
    for member in members:
        member.shown_id = _shown_id(member, full_ids)  # type: ignore[attr-defined]
        end = member.died_on or member.left_on or today
        member.age = member.age_on(end)  # type: ignore[attr-defined]
    current = [m for m in members if m.died_on is None and m.left_on is None]
    former = [m for m in members if m.died_on is not None or m.left_on is not None]
    moved_out = []
    seen = {m.pk for m in members}
    for event in events:  # members who moved away live in another household now
        if event.kind == HouseholdEventKind.MEMBER_LEFT and event.member is not None and event.member.pk not in seen:
            seen.add(event.member.pk)
            event.member.shown_id = _shown_id(event.member, full_ids)  # type: ignore[attr-defined]
            moved_out.append(event)
    shown = sum(1 for m in [*members, *(e.member for e in moved_out)] if full_ids and m is not None and m.citizen_id)
    if shown:
        # Full citizen IDs left the register: one row per page view (Decree 13/2023/NĐ-CP, Art. 27).
        services.personal_data_read(actor=Actor.from_request(request), household=household, citizen_ids=shown)
    others = {e.other_id for e in events if e.other_id}
    visible = set(households_for_user(user).filter(pk__in=others).values_list("pk", flat=True)) if others else set()
    assessments = list(household.assessments.select_related("round", "round__unit", "round__standard")
                       .order_by("-round__reference_date", "-round_id"))
    latest = assessments[0] if assessments else None
    current_status = CurrentStatus.objects.filter(household=household).values_list("status", flat=True).first() or ""
    conditions = list(household.conditions.order_by("-year"))
    explanation: Explanation | None
    if latest is not None:
        explanation = explain_household(household, standard=latest.round.standard, year=latest.round.year,
                                        on=latest.round.reference_date)
    elif conditions:
        explanation = explain_household(household, on=today)
    else:
        # Neither reviewed nor surveyed: no status to explain (an income estimated from nothing
        # would call it near-poor while its badge says "not assessed").
        explanation = None
    context = {
        "household": household,
        "can_change": can_change,
        "active": household.status == HouseholdStatus.ACTIVE,
        "current": current,
        "former": former,
        "moved_out": moved_out,
        "conditions": conditions,
        "assessments": list(zip(assessments, engine.reasons_by_standard(assessments), strict=True)),
        "latest": latest,
        # The badge: the stored current status (the latest assessment's, kept right by the round
        # runs: `ansinh.poverty.current`).
        "current_status": current_status,
        "status_label": STATUS_LABELS.get(current_status, ""),
        "explanation": explanation,
        "differs": latest is not None and explanation is not None and (
            latest.status != explanation.status or latest.deprivation_count != explanation.count),
        "events": events,
        "visible_others": visible,
        "has_head": any(m.relation == Relation.HEAD for m in current),
    }
    return render(request, "households/household_detail.html", context)


# --- Households: register, edit, split, merge --------------------------------------------------


def _area(value: str, commune: Unit) -> str:
    return value or services.area_for(commune)


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    """Register a household; then add its head. The hamlet and former-commune choices follow the
    chosen commune (htmx refreshes them; without JavaScript, the "show" button does)."""
    user = request_user(request)
    communes = communes_to_change(user)
    if not communes.exists():
        raise PermissionDenied
    units = units_for_user(user)
    refresh = request.method == "POST" and "refresh" in request.POST
    if request.method == "POST" and not refresh:
        form = HouseholdForm(request.POST, communes=communes, hamlets_of=hamlets_of(units))
        if form.is_valid():
            data = form.cleaned_data
            try:
                household = services.household_create(
                    actor=Actor.from_request(request), commune=data["commune"], code=data["code"], address=data["address"],
                    hamlet=data["hamlet"], legacy_commune=data["legacy_commune"], area=data["area"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Household %(code)s registered. Now add its head.") % {"code": household.code})
                return redirect(f"{reverse('member-add', args=[household.pk])}?relation={Relation.HEAD}")
    else:
        source = request.POST if refresh else request.GET
        initial = {k: source.get(k) for k in ("commune", "code", "hamlet", "legacy_commune", "address", "area")
                   if source.get(k)}
        form = HouseholdForm(communes=communes, hamlets_of=hamlets_of(units), initial=initial)
    return _form_page(request, "households/household_form.html", {"form": form, "household": None})


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, household = _changeable(request, pk)
    units = units_for_user(user)
    if request.method == "POST":
        form = HouseholdForm(request.POST, household=household, hamlets_of=hamlets_of(units))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.household_update(
                    actor=Actor.from_request(request), household=household, address=data["address"],
                    hamlet=data["hamlet"], legacy_commune=data["legacy_commune"],
                    area=_area(data["area"], household.commune), version=data["version"])
            except StaleEdit as error:
                fresh = get_household_for_user(user, pk, change=True)
                form = _rebound(HouseholdForm, request, fresh.version, household=fresh, hamlets_of=hamlets_of(units))
                stale = _stale_context(form, fresh, {
                    "hamlet": fresh.hamlet, "legacy_commune": fresh.legacy_commune, "address": fresh.address,
                    "area": fresh.area if fresh.area_overridden else ""})
                add_service_errors(form, error)
                return _form_page(request, "households/household_form.html",
                                  {"form": form, "household": fresh, "stale": stale})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _done(request, household, _("Household %(code)s saved.") % {"code": household.code})
    else:
        form = HouseholdForm(household=household, hamlets_of=hamlets_of(units), initial={
            "hamlet": household.hamlet_id, "legacy_commune": household.legacy_commune_id,
            "address": household.address, "area": household.area if household.area_overridden else ""})
    return _form_page(request, "households/household_form.html", {"form": form, "household": household})


@login_required
@require_http_methods(["GET", "POST"])
def household_split(request: HttpRequest, pk: int) -> HttpResponse:
    user, household = _changeable(request, pk)
    if (inactive := _active_or_redirect(request, household)) is not None:
        return inactive
    if request.method == "POST":
        form = SplitForm(request.POST, household=household)
        if form.is_valid():
            data = form.cleaned_data
            try:
                new = services.household_split(
                    actor=Actor.from_request(request), household=household, members=list(data["members"]), new_code=data["new_code"].strip(),
                    head=data["head"], on=data["on"], address=data["address"])
            except ValidationError as error:
                add_service_errors(form, error, {"code": "new_code"})
            else:
                return _done(request, new, _("Household %(new)s split from %(old)s.") % {
                    "new": new.code, "old": household.code})
    else:
        form = SplitForm(household=household, initial={"on": timezone.localdate()})
    return _form_page(request, "households/household_split.html", {"form": form, "household": household})


@login_required
@require_http_methods(["GET", "POST"])
def household_merge(request: HttpRequest, pk: int) -> HttpResponse:
    user, household = _changeable(request, pk)
    if (inactive := _active_or_redirect(request, household)) is not None:
        return inactive
    targets = _targets(user).exclude(pk=household.pk)
    if request.method == "POST":
        form = MergeForm(request.POST, targets=targets)
        if form.is_valid() and form.target is not None:
            try:
                into = services.household_merge(actor=Actor.from_request(request), household=household, into=form.target,
                                                on=form.cleaned_data["on"])
            except ValidationError as error:
                add_service_errors(form, error, {"into": "into_code"})
            else:
                return _done(request, into, _("Household %(old)s merged into %(new)s.") % {
                    "old": household.code, "new": into.code})
    else:
        form = MergeForm(targets=targets, initial={"on": timezone.localdate()})
    return _form_page(request, "households/household_merge.html", {"form": form, "household": household})


# --- Members -----------------------------------------------------------------------------------


def _member_values(form: MemberForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


def _entry_check(request: HttpRequest, form: MemberForm, household: Household, member: Member | None) -> EntryCheck:
    """People of the province who may be the one typed (issue 12: warn before saving). An edit is
    checked only when it changes the name, the birth date or the citizen ID."""
    data = form.cleaned_data
    if member is not None and (" ".join(str(data["full_name"]).split()), data["birth_date"], data["citizen_id"] or None) \
            == (member.full_name, member.birth_date, member.citizen_id or None):
        return EntryCheck(similar=[], rows=[], blocked=False)
    return entry_check(request_user(request), full_name=data["full_name"], birth_date=data["birth_date"],
                       citizen_id=data["citizen_id"], commune=household.commune,
                       exclude=member.pk if member is not None else None,
                       confirmed=request.POST.get("save_anyway") == "1", sex=data.get("sex") or "")


def _saved_anyway(request: HttpRequest, check: EntryCheck, member: Member) -> None:
    if check.similar:
        record_entry_warning(actor=Actor.from_request(request), person=member, similar=check.pairs(),
                             form="member", unit=member.household.commune)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, household = _changeable(request, pk)
    if (inactive := _active_or_redirect(request, household)) is not None:
        return inactive
    if request.method == "POST":
        form = MemberForm(request.POST)
        if form.is_valid():
            check = _entry_check(request, form, household, None)
            if check.blocked:
                return _form_page(request, "households/member_form.html", {
                    "form": form, "household": household, "member": None, "entry_check": check})
            try:
                member = services.member_add(actor=Actor.from_request(request), household=household,
                                             **_member_values(form))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # After the save, not around it: a refused citizen ID keeps its own audit row.
                _saved_anyway(request, check, member)
                return _done(request, household, _("%(name)s added to household %(code)s.") % {
                    "name": member.full_name, "code": household.code})
    else:
        has_head = household.members.present().filter(relation=Relation.HEAD).exists()
        relation = request.GET.get("relation") or ("" if has_head else Relation.HEAD)
        initial: dict[str, Any] = {"ethnicity": household.head_ethnicity}
        if relation in Relation.values:
            initial["relation"] = relation
        form = MemberForm(initial=initial)
    return _form_page(request, "households/member_form.html", {"form": form, "household": household, "member": None})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    member = get_member_for_user(user, pk, change=True)
    household = member.household
    if request.method == "POST":
        form = MemberForm(request.POST)
        if form.is_valid():
            check = _entry_check(request, form, household, member)
            if check.blocked:
                return _form_page(request, "households/member_form.html", {
                    "form": form, "household": household, "member": member, "entry_check": check})
            try:
                services.member_update(actor=Actor.from_request(request), member=member,
                                       version=form.cleaned_data["version"], **_member_values(form))
            except StaleEdit as error:
                fresh = get_member_for_user(user, pk, change=True)
                form = _rebound(MemberForm, request, fresh.version)
                stale = _stale_context(form, fresh, {name: getattr(fresh, name) for name in MemberForm.Meta.fields})
                add_service_errors(form, error)
                return _form_page(request, "households/member_form.html",
                                  {"form": form, "household": fresh.household, "member": fresh, "stale": stale})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _saved_anyway(request, check, member)
                return _done(request, household, _("%(name)s saved.") % {"name": member.full_name})
    else:
        form = MemberForm(instance=member)
    return _form_page(request, "households/member_form.html",
                      {"form": form, "household": household, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def member_died(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    member = get_member_for_user(user, pk, change=True)
    household = member.household
    if request.method == "POST":
        form = DeathForm(request.POST)
        if form.is_valid():
            try:
                services.member_died(actor=Actor.from_request(request), member=member, on=form.cleaned_data["died_on"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _done(request, household, _("The death of %(name)s is recorded.") % {"name": member.full_name})
    else:
        form = DeathForm()
    return _form_page(request, "households/member_died.html", {"form": form, "household": household, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def member_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    member = get_member_for_user(user, pk, change=True)
    household = member.household
    targets = _targets(user).exclude(pk=household.pk)
    if request.method == "POST":
        form = MoveForm(request.POST, targets=targets)
        if form.is_valid() and form.target is not None:
            try:
                services.member_move(actor=Actor.from_request(request), member=member, to=form.target, relation=form.cleaned_data["relation"],
                                     on=form.cleaned_data["on"])
            except ValidationError as error:
                add_service_errors(form, error, {"to": "to_code"})
            else:
                return _done(request, household, _("%(name)s moved to household %(code)s.") % {
                    "name": member.full_name, "code": form.target.code})
    else:
        form = MoveForm(targets=targets, initial={"on": timezone.localdate(), "relation": Relation.OTHER})
    return _form_page(request, "households/member_move.html", {"form": form, "household": household, "member": member})


# --- Living conditions -------------------------------------------------------------------------


def _year(request: HttpRequest, default: int | None = None) -> int:
    raw = request.POST.get("year") if request.method == "POST" else request.GET.get("year")
    years = review_years()
    if raw and raw.isdigit() and int(raw) in years:
        return int(raw)
    if raw:
        raise Http404
    return default if default in years else timezone.localdate().year


def _review_round_of(household: Household, year: int | None = None) -> ReviewRound | None:
    """The periodic review round that covers the household's commune (the commune's own or its
    province's): the open one, else the latest; of `year` when given."""
    commune = household.commune
    rounds = ReviewRound.objects.filter(unit_id__in=[commune.pk, *commune.ancestor_ids()],
                                        kind=RoundKind.PERIODIC).select_related("standard")
    if year is not None:
        rounds = rounds.filter(year=year)
    return (rounds.filter(status=RoundStatus.OPEN).order_by("-year", "-pk").first()
            or rounds.order_by("-year", "-pk").first())


def _survey_standard(year: int) -> PovertyStandard:
    """The standard whose indicators the survey of a year is read against: the one the periodic
    review of that year applies (poverty_services.round_standard)."""
    try:
        return poverty_services.round_standard(year=year, kind="periodic", month=None)[0]
    except (ValidationError, PovertyStandard.DoesNotExist):
        return standard_on(dt.date(year, 12, 31))


def _b1_items(standard: PovertyStandard, household: Household) -> list[dict[str, Any]]:
    province = household.commune.province()
    region = PROVINCE_REGION.get(province.code, "") if province else ""
    tables = {t.region: t for t in IncomeScoringTable.objects.filter(standard=standard)}
    table = tables.get(region) or next(iter(tables.values()), None)
    return list(table.items) if table is not None else []


@login_required
@require_http_methods(["GET", "POST"])
def conditions_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or correct) the living conditions of a review year: the survey of forms B1 and B2."""
    user, household = _changeable(request, pk)
    # The survey of the round under way (or the latest one), read against that round's standard,
    # not next year's while this year's review runs.
    running = _review_round_of(household)
    year = _year(request, running.year if running else None)
    in_year = running if running is not None and running.year == year else _review_round_of(household, year)
    standard = in_year.standard if in_year is not None else _survey_standard(year)
    existing = LivingConditions.objects.filter(household=household, year=year).first()
    kwargs: dict[str, Any] = {
        "instance": existing or LivingConditions(household=household, year=year),
        "b1_items": _b1_items(standard, household),
        "indicators": [(i.code, i.name) for i in standard.indicators.order_by("position")],
    }
    if request.method == "POST":
        form = ConditionsForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.conditions_record(actor=Actor.from_request(request), household=household, year=year,
                                           **form.service_values(existing.b2_flags if existing else None))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _done(request, household, _("Living conditions of %(year)s saved.") % {"year": year})
    else:
        form = ConditionsForm(**kwargs)
    # Years as text: a number would be shown with a thousands separator ("2.025") in Vietnamese.
    context = {"form": form, "household": household, "year": str(year), "years": [str(y) for y in review_years()],
               "standard": standard, "existing": existing}
    return _form_page(request, "households/conditions_form.html", context)


__all__ = ["conditions_record", "household_create", "household_detail", "household_edit", "household_list",
           "household_lookup", "household_merge", "household_split", "member_add", "member_died", "member_edit",
           "member_move"]
