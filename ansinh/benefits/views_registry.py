"""Pages of the dossiers (hồ sơ tăng, giảm) and of the death-benefit proposals: one view per
action, scope from `ansinh.benefits.access` (404 outside it, 403 for a role that may not change
the scheme there), changes through `ansinh.benefits.services` (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.api.benefits_registry import OPEN, due_filter
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.access import communes_in_scope, get_member_for_user

from . import access, services
from .forms_registry import (
    DossierCheckForm,
    DossierDecideForm,
    DossierFilterForm,
    DossierReceiveForm,
    DossierRefuseForm,
    ProposalNoteForm,
)
from .models import Dossier, Entitlement, Proposal, ProposalStatus

PAGE_SIZE = 50
TEMPLATES = "benefits/registry/"


def _errors_to_form(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _communes(request: HttpRequest) -> QuerySet[Unit]:
    return communes_in_scope(request_user(request)).filter(edition=Edition.CURRENT).order_by("sort_key")


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = DossierFilterForm(request.GET or None)
    found = access.dossiers_for_user(user).select_related("category", "person", "commune", "to_commune")
    if form.is_valid():
        data = form.cleaned_data
        for name in ("status", "scheme", "kind"):
            if data[name]:
                found = found.filter(**{name: data[name]})
        if data["commune"]:
            found = found.filter(commune_id=data["commune"])
        if data["due"]:
            found = due_filter(found, data["due"], timezone.localdate())
    page = Paginator(found.order_by("-received_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    communes = _communes(request).values_list("pk", "name")[:500]
    context = {"form": form, "page": page, "today": timezone.localdate(), "open_statuses": OPEN,
               "communes": communes, "selected_commune": form.cleaned_data.get("commune") if form.is_valid() else None,
               "can_receive": access.benefit_editor(user)}
    return render(request, TEMPLATES + "dossier_list.html", context)


def _resolve(request: HttpRequest, form: DossierReceiveForm) -> dict[str, Any] | None:
    """The person, entitlement and commune the form names, within the user's scope."""
    user = request_user(request)
    data = form.cleaned_data
    try:
        person = get_member_for_user(user, data["person"])
    except Http404:
        form.add_error("person", _("No person with this number in your units."))
        return None
    entitlement: Entitlement | None = None
    if data["entitlement"]:
        entitlement = access.entitlements_for_user(user).filter(pk=data["entitlement"]).first()
        if entitlement is None:
            form.add_error("entitlement", _("No entitlement with this number in your units."))
            return None
    to_commune: Unit | None = None
    if data["to_commune"]:
        to_commune = Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE,
                                         code=data["to_commune"].strip()).first()
        if to_commune is None:
            form.add_error("to_commune", _("No commune of the current map has this code."))
            return None
    return {"person": person, "entitlement": entitlement, "to_commune": to_commune}


@login_required
@require_http_methods(["GET", "POST"])
def dossier_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not access.benefit_editor(user):
        raise PermissionDenied
    initial = {"person": request.GET.get("person"), "entitlement": request.GET.get("entitlement"),
               "kind": request.GET.get("kind"), "scheme": request.GET.get("scheme")}
    form = DossierReceiveForm(request.POST or None, initial={k: v for k, v in initial.items() if v})
    if request.method == "POST" and form.is_valid():
        found = _resolve(request, form)
        if found is not None:
            data = form.cleaned_data
            try:
                dossier = services.receive_dossier(
                    Actor.from_request(request), kind=data["kind"], person=found["person"], scheme=data["scheme"],
                    category_code=data["category"] or None, entitlement=found["entitlement"],
                    received_on=data["received_on"], to_commune=found["to_commune"], rate=data["rate"],
                    martyr_count=data["martyr_count"], children=data["children"], stop_reason=data["stop_reason"],
                    note=data["note"])
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Dossier received; due on %(date)s.") % {
                    "date": dossier.due_on.strftime("%d/%m/%Y")})
                return redirect("benefit-dossier-detail", dossier.pk)
    return render(request, TEMPLATES + "dossier_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request: HttpRequest, dossier: Dossier, *, check: Form | None = None, decide: Form | None = None,
            refuse: Form | None = None, status: int = 200) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    may_change = access.may_change_scheme(user, dossier.commune, dossier.scheme)
    context = {
        "dossier": dossier,
        "steps": dossier.steps.select_related("actor"),
        "today": today,
        "overdue": dossier.status in OPEN and dossier.due_on < today,
        "deadline": services.deadline_for(dossier.scheme, dossier.kind, dossier.received_on),
        "may_change": may_change,
        "check_form": check or DossierCheckForm(initial={"on": today}),
        "decide_form": decide or DossierDecideForm(initial={"on": today}),
        "refuse_form": refuse or DossierRefuseForm(initial={"on": today}),
        "posted": check or decide or refuse,
    }
    return render(request, TEMPLATES + "dossier_detail.html", context, status=status)


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_dossier_for_user(request_user(request), pk))


def _act(request: HttpRequest, pk: int, form_class: type[Form], slot: str) -> HttpResponse:
    dossier = access.get_dossier_for_user(request_user(request), pk, change=True)
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actor = Actor.from_request(request)
        try:
            if slot == "check":
                services.check_dossier(actor, dossier, on=data["on"], note=data["note"])
            elif slot == "decide":
                services.decide_dossier(actor, dossier, on=data["on"], decision_number=data["decision_number"],
                                        signer=data["signer"], start_month=data["start_month"],
                                        stop_month=data["stop_month"])
            else:
                services.refuse_dossier(actor, dossier, on=data["on"], reason=data["reason"])
        except ValidationError as error:
            _errors_to_form(form, error)
            dossier.refresh_from_db()
        else:
            messages.success(request, _("Saved."))
            return redirect("benefit-dossier-detail", dossier.pk)
    return _detail(request, dossier, status=400, **{slot: form})


@login_required
@require_POST
def dossier_check(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, DossierCheckForm, "check")


@login_required
@require_POST
def dossier_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, DossierDecideForm, "decide")


@login_required
@require_POST
def dossier_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, DossierRefuseForm, "refuse")


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    status = request.GET.get("status", ProposalStatus.PROPOSED)
    found = access.proposals_for_user(user).select_related("person", "commune", "entitlement__category", "decided_by")
    if status in ProposalStatus.values:
        found = found.filter(status=status)
    else:
        status = ""
    page = Paginator(found.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(p, access.may_change_scheme(user, p.commune, p.scheme)) for p in page.object_list]
    return render(request, TEMPLATES + "proposal_list.html", {
        "page": page, "rows": rows, "status": status, "statuses": ProposalStatus.choices})


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    user = request_user(request)
    found = access.proposals_for_user(user).select_related("commune").filter(pk=pk).first()
    if found is None:
        raise Http404
    if not access.may_change_scheme(user, found.commune, found.scheme):
        raise PermissionDenied
    return found


def _decide_proposal(request: HttpRequest, pk: int, confirm: bool) -> HttpResponse:
    proposal = _proposal(request, pk)
    form = ProposalNoteForm(request.POST)
    note = form.data.get("note", "") if isinstance(form.data.get("note", ""), str) else ""
    try:
        if confirm:
            services.confirm_proposal(Actor.from_request(request), proposal, note=note[:500])
        else:
            services.dismiss_proposal(Actor.from_request(request), proposal, note=note[:500])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Confirmed.") if confirm else _("Dismissed."))
    return redirect(reverse("benefit-proposal-list"))


@login_required
@require_POST
def proposal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_proposal(request, pk, True)


@login_required
@require_POST
def proposal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_proposal(request, pk, False)
