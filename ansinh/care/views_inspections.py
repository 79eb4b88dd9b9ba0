"""Pages of the inspectorate: inspections (list with filters, detail with follow-ups, form), the
follow-ups due, the yearly plans, citizen reception and the book of letters (complaints,
denunciations, recommendations) with their due dates. Scope comes from `access_inspections` only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.web.shortcuts import int_param

from . import access_inspections as access
from . import services_inspections as services
from .forms_inspections import DoneForm, FollowUpForm, InspectionForm, PetitionForm, PlanForm, ReceptionForm, StepForm
from .models_inspections import (
    GROUP_SIZE, Inspection, InspectionTeam, LegalArea, Petition, PetitionKind, PetitionStatus, SubjectKind,
)

PAGE = 50
LETTER_TABS = {"open": gettext_lazy("Being processed"), "week": gettext_lazy("Due this week"),
               "overdue": gettext_lazy("Overdue"), "done": gettext_lazy("Resolved or closed"), "all": gettext_lazy("All")}
KIND_FILTERS = {"letters": gettext_lazy("complaints and denunciations"), **dict(PetitionKind.choices)}


def _user(request: HttpRequest) -> User:
    user = request_user(request)
    if not access.sees_inspections(user):
        raise PermissionDenied
    return user


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(_("The parameter “%(name)s” must be a date (YYYY-MM-DD).") % {"name": name}) from None


def _choice_param(request: HttpRequest, name: str, allowed: Any) -> str:
    value = request.GET.get(name, "").strip()
    return value if value in allowed else ""


def _unit_filter(request: HttpRequest, user: User, queryset: QuerySet[Any]) -> tuple[QuerySet[Any], int | None]:
    unit_id = int_param(request, "unit", not_found=True)
    if unit_id is not None:
        unit = access.units_in_scope(user).filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        queryset = access.in_unit(queryset, unit)
    return queryset, unit_id


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> tuple[Any, str]:
    page = Paginator(queryset, PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def _errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- inspections ---------------------------------------------------------------------------------


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    inspections, unit_id = _unit_filter(request, user, access.inspections_for_user(user))
    team = _choice_param(request, "team", InspectionTeam.values)
    area = _choice_param(request, "legal_area", LegalArea.values)
    subject_kind = _choice_param(request, "subject_kind", SubjectKind.values)
    first, last = _date_param(request, "from"), _date_param(request, "to")
    violations = _choice_param(request, "violations", ("yes", "no"))
    query = request.GET.get("q", "").strip()[:100]
    if team:
        inspections = inspections.filter(team=team)
    if area:
        inspections = inspections.filter(legal_area=area)
    if subject_kind:
        inspections = inspections.filter(subject_kind=subject_kind)
    if first:
        inspections = inspections.filter(started_on__gte=first)
    if last:
        inspections = inspections.filter(started_on__lte=last)
    if violations == "yes":
        inspections = inspections.filter(violations_count__gt=0)
    elif violations == "no":
        inspections = inspections.filter(violations_count=0)
    if query:
        inspections = inspections.filter(subject_name__icontains=query)
    totals = inspections.aggregate(n=Count("id"), establishments=Count("subject_key", distinct=True,
                                                                       filter=Q(subject_kind=SubjectKind.ESTABLISHMENT)),
                                   violating=Count("subject_key", distinct=True, filter=Q(
                                       subject_kind=SubjectKind.ESTABLISHMENT, violations_count__gt=0)),
                                   fines=Sum("sanction_amount"))
    page, keep = _page(request, inspections.select_related("unit").order_by("-started_on", "-pk"))
    today = timezone.localdate()
    return render(request, "care/inspections_list.html", {
        "page": page, "keep": keep, "totals": totals, "units": access.units_in_scope(user)[:500], "unit_id": unit_id,
        "teams": InspectionTeam.choices, "team": team, "areas": LegalArea.choices, "area": area,
        "subject_kinds": SubjectKind.choices, "subject_kind": subject_kind, "first": first, "last": last,
        "violations": violations, "query": query, "can_record": access.records_anything(user),
        "follow_ups_late": access.follow_ups_for_user(user).filter(done_on__isnull=True, due_on__lt=today).count(),
    })


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    inspection = access.get_for_user(user, Inspection, pk)
    return _detail(request, user, inspection, FollowUpForm())


def _detail(request: HttpRequest, user: User, inspection: Inspection, form: FollowUpForm, status: int = 200
            ) -> HttpResponse:
    return render(request, "care/inspections_detail.html", {
        "inspection": inspection, "follow_ups": inspection.follow_ups.all(), "form": form,
        "done_form": DoneForm(), "can": access.may_change(user, inspection.province), "today": timezone.localdate(),
    }, status=status)


def _inspection_form(request: HttpRequest, inspection: Inspection | None) -> HttpResponse:
    user = _user(request)
    if not access.records_anything(user):
        raise PermissionDenied
    form = InspectionForm(request.POST or None, instance=inspection, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.inspection_save(actor=Actor.from_request(request), inspection=form.save(commit=False))
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Inspection saved."))
            return redirect("inspection-detail", pk=saved.pk)
    return render(request, "care/inspections_form.html", {"form": form, "inspection": inspection},
                  status=400 if request.method == "POST" else 200)


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    return _inspection_form(request, None)


@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_for_user(_user(request), Inspection, pk, change=True)
    return _inspection_form(request, inspection)


@login_required
@require_POST
def inspection_follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    inspection = access.get_for_user(user, Inspection, pk, change=True)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_add(actor=Actor.from_request(request), inspection=inspection,
                                   action=form.cleaned_data["action"], due_on=form.cleaned_data["due_on"])
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Follow-up added."))
            return redirect("inspection-detail", pk=pk)
    return _detail(request, user, inspection, form, status=400)


@login_required
@require_POST
def inspection_follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not 0 < pk <= 2**63 - 1:
        raise Http404
    item = access.follow_ups_for_user(user).select_related("inspection__province", "inspection__unit").filter(
        pk=pk).first()
    if item is None:
        raise Http404
    if not access.may_change(user, item.inspection.province):
        raise PermissionDenied
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date it was done."))
    else:
        try:
            services.follow_up_done(actor=Actor.from_request(request), item=item, done_on=form.cleaned_data["done_on"],
                                    note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Follow-up marked done."))
    return redirect("inspection-detail", pk=item.inspection_id)


@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    tab = _choice_param(request, "tab", ("open", "overdue", "done")) or "open"
    items = access.follow_ups_for_user(user).select_related("inspection", "inspection__unit")
    if tab == "open":
        items = items.filter(done_on__isnull=True)
    elif tab == "overdue":
        items = items.filter(done_on__isnull=True, due_on__lt=today)
    else:
        items = items.filter(done_on__isnull=False)
    page, keep = _page(request, items.order_by("due_on", "pk"))
    return render(request, "care/inspections_follow_ups.html", {"page": page, "keep": keep, "tab": tab, "today": today})


# --- plans ---------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    plans = access.plans_for_user(user).select_related("province").annotate(
        done=Count("inspections")).order_by("-year", "team", "number")
    form = None
    if access.records_anything(user):
        form = PlanForm(request.POST or None, user=user)
        if request.method == "POST" and form.is_valid():
            try:
                services.plan_save(actor=Actor.from_request(request), plan=form.save(commit=False))
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("Inspection plan saved."))
                return redirect("inspection-plan-list")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "care/inspections_plans.html", {"plans": plans[:200], "form": form},
                  status=400 if request.method == "POST" else 200)


# --- citizen reception ---------------------------------------------------------------------------


@login_required
def reception_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    receptions, unit_id = _unit_filter(request, user, access.receptions_for_user(user))
    first, last = _date_param(request, "from"), _date_param(request, "to")
    if first:
        receptions = receptions.filter(received_on__gte=first)
    if last:
        receptions = receptions.filter(received_on__lte=last)
    totals = receptions.aggregate(visits=Count("id"), people=Sum("headcount"),
                                  groups=Count("id", filter=Q(headcount__gte=GROUP_SIZE)))
    page, keep = _page(request, receptions.select_related("unit").order_by("-received_on", "-pk"))
    return render(request, "care/inspections_receptions.html", {
        "page": page, "keep": keep, "totals": totals, "units": access.units_in_scope(user)[:500], "unit_id": unit_id,
        "first": first, "last": last, "can_record": access.records_anything(user)})


@login_required
def reception_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.records_anything(user):
        raise PermissionDenied
    form = ReceptionForm(request.POST or None, user=user, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.reception_save(actor=Actor.from_request(request), reception=form.save(commit=False),
                                    letter_kind=form.cleaned_data.get("letter_kind") or "",
                                    letter_code=form.cleaned_data.get("letter_code") or "")
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Citizen reception recorded."))
            return redirect("inspection-reception-list")
    return render(request, "care/inspections_reception_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def reception_import(request: HttpRequest) -> HttpResponse:
    """The book of citizen reception from the filled template (`import_inspections`): every row
    in the importer's scope, all or nothing, every problem by row and column; "check only"
    writes nothing."""
    from ansinh.lib.vietnamese import format_number
    from ansinh.web.import_page import import_page

    from .import_inspections import import_receptions

    user = _user(request)
    if not access.records_anything(user):
        raise PermissionDenied
    actor = Actor.from_request(request)

    def run(data: bytes, name: str, check: bool) -> int:
        return import_receptions(actor=actor, data=data, filename=name, check=check).rows

    return import_page(
        request, template="care/inspections_reception_import.html", run=run,
        done_url=lambda: reverse("inspection-reception-list"),
        checked=lambda n: _("The file is valid; nothing was written: it holds %(n)s receptions.") % {
            "n": format_number(n)},
        done=lambda n: _("Imported %(n)s citizen receptions.") % {"n": format_number(n)})


@login_required
@require_GET
def reception_import_template(request: HttpRequest) -> HttpResponse:
    from ansinh.web.shortcuts import download

    from .import_inspections import template

    if not access.records_anything(_user(request)):
        raise PermissionDenied
    return download(template(), "mau-nhap-so-tiep-cong-dan.xlsx")


# --- letters: complaints, denunciations, recommendations ------------------------------------------


def filter_letters(petitions: QuerySet[Petition], tab: str, today: dt.date) -> QuerySet[Petition]:
    if tab == "open":
        return petitions.open()  # type: ignore[attr-defined, no-any-return]
    if tab == "week":
        first, last = week_of(today)
        return petitions.open().filter(due_on__gte=max(first, today), due_on__lte=last)  # type: ignore[attr-defined, no-any-return]
    if tab == "overdue":
        return petitions.open().filter(due_on__lt=today)  # type: ignore[attr-defined, no-any-return]
    if tab == "done":
        return petitions.filter(status__in=[PetitionStatus.RESOLVED, PetitionStatus.CLOSED])
    return petitions


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    tab = _choice_param(request, "tab", LETTER_TABS) or ("all" if request.GET.get("from") else "open")
    petitions, unit_id = _unit_filter(request, user, access.petitions_for_user(user))
    kind = _choice_param(request, "kind", KIND_FILTERS)
    first, last = _date_param(request, "from"), _date_param(request, "to")
    if kind == "letters":
        petitions = petitions.filter(kind__in=[PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION])
    elif kind:
        petitions = petitions.filter(kind=kind)
    if first:
        petitions = petitions.filter(received_on__gte=first)
    if last:
        petitions = petitions.filter(received_on__lte=last)
    petitions = filter_letters(petitions, tab, today)
    page, keep = _page(request, petitions.select_related("unit").order_by("due_on", "-received_on", "pk"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("tab", None)
    return render(request, "care/inspections_petitions.html", {
        "page": page, "keep": params.urlencode(), "tab": tab, "tabs": LETTER_TABS.items(), "today": today,
        "units": access.units_in_scope(user)[:500], "unit_id": unit_id, "kinds": KIND_FILTERS.items(), "kind": kind,
        "first": first, "last": last, "can_record": access.records_anything(user)})


@login_required
def petition_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.records_anything(user):
        raise PermissionDenied
    form = PetitionForm(request.POST or None, user=user, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_receive(actor=Actor.from_request(request), petition=form.save(commit=False))
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Letter entered in the book."))
            return redirect("inspection-petition-detail", pk=petition.pk)
    return render(request, "care/inspections_petition_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    petition = access.get_for_user(user, Petition, pk)
    return _petition_page(request, user, petition, StepForm())


def _petition_page(request: HttpRequest, user: User, petition: Petition, form: StepForm, status: int = 200
                   ) -> HttpResponse:
    return render(request, "care/inspections_petition_detail.html", {
        "petition": petition, "steps": petition.steps.select_related("actor"), "form": form,
        "can": access.may_change(user, petition.province) and petition.is_open, "today": timezone.localdate(),
        "is_recommendation": petition.kind == PetitionKind.RECOMMENDATION,
        "is_denunciation": petition.kind == PetitionKind.DENUNCIATION,
    }, status=status)


STEPS = ("accept", "extend", "resolve", "close")


@login_required
@require_POST
def petition_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = _user(request)
    if step not in STEPS:
        raise Http404
    petition = access.get_for_user(user, Petition, pk, change=True)
    form = StepForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actor = Actor.from_request(request)
        complexity = data.get("complexity") or petition.complexity
        try:
            if step == "accept":
                services.petition_accept(actor=actor, petition=petition, on=data["on"], complexity=complexity,
                                         remote_area=bool(data.get("remote_area")))
            elif step == "extend":
                services.petition_extend(actor=actor, petition=petition, on=data["on"], complexity=complexity,
                                         note=data.get("text") or "")
            else:
                services.petition_finish(actor=actor, petition=petition, on=data["on"], outcome=data.get("text") or "",
                                         resolved=step == "resolve")
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Letter updated."))
            return redirect("inspection-petition-detail", pk=pk)
    petition.refresh_from_db()
    return _petition_page(request, user, petition, form, status=400)


__all__ = ["filter_letters", "follow_up_list", "inspection_create", "inspection_detail", "inspection_edit",
           "inspection_follow_up_add", "inspection_follow_up_done", "inspection_list", "petition_create",
           "petition_detail", "petition_list", "petition_step", "plan_list", "reception_create", "reception_list",
           "week_of"]
