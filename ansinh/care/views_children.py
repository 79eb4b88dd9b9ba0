"""The pages of the children area (/care/children/…): the register with its filters (the figures'
drill-down), a child's page (groups, support from every source, case notes, abuse cases for those
who change the record), the forms, and the child-friendly assessments (the commune's form, the
province's list and decisions).

Scope is `access_children` alone. Citizen IDs are masked for those who may not change the record;
a child's page that shows case notes or a full ID is audited (one row per view).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.accounts import audit
from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.households.access import members_for_user
from ansinh.households.forms import add_service_errors
from ansinh.households.models import Member
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.vietnamese import fold
from ansinh.web.shortcuts import parse_int

from . import access_children as access
from . import services_children as services
from .forms_children import (
    AbuseForm,
    AssessmentFilterForm,
    AssessmentForm,
    ChildEditForm,
    ChildFilterForm,
    ChildForm,
    CircumstanceEndForm,
    CircumstanceForm,
    NoteForm,
    PersonSearchForm,
    SupportForm,
)
from .models_children import Child, ChildAssessmentStatus, ChildCircumstance, ChildGroup
from .support_children import support_of

PAGE_SIZE = 50
PICK_LIMIT = 20


def _reader(user: Any) -> None:
    if not access.reads_children(user):
        raise PermissionDenied


def shown_id(number: str | None, full: bool) -> str:
    if not number:
        return ""
    return number if full else mask_citizen_id(number)


@login_required
@require_GET
def child_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _reader(user)
    form = ChildFilterForm(request.GET or None, user=user)
    found = form.filter(access.children_for_user(user))
    ids = found.order_by("person__sort_key", "pk").values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(Child.objects.filter(pk__in=list(page.object_list)).select_related("person", "commune")
                .prefetch_related("circumstances__group").order_by("person__sort_key", "pk"))
    allowed: dict[int, bool] = {}
    today = timezone.localdate()
    for row in rows:
        full = allowed.get(row.commune_id)
        if full is None:
            full = allowed[row.commune_id] = access.may_see_personal(user, row.commune)
        row.shown_id = shown_id(row.person.citizen_id, full)  # type: ignore[attr-defined]
        row.open_groups = [c.group for c in row.circumstances.all()  # type: ignore[attr-defined]
                           if c.until is None or c.until >= today]
        row.age = row.person.age_on(today)  # type: ignore[attr-defined]
    page.object_list = cast(Any, rows)
    return render(request, "care/children_list.html", {
        "form": form, "page": page, "can_change": access.enters_anything(user)})


def _detail_context(request: HttpRequest, child: Child, **forms: Any) -> dict[str, Any]:
    user = request_user(request)
    may_change = access.may_change(user, child.commune)
    notes = list(child.notes.all())
    if notes or (may_change and child.person.citizen_id):
        with transaction.atomic():
            audit.record(actor=Actor.from_request(request), action="personal_data.read", obj=child, unit=child.commune,
                         after={"case_notes": len(notes), "citizen_ids": 1 if may_change else 0, "via": "children"})
    today = timezone.localdate()
    context: dict[str, Any] = {
        "child": child, "person": child.person, "may_change": may_change,
        "shown_id": shown_id(child.person.citizen_id, may_change), "age": child.person.age_on(today),
        "circumstances": list(child.circumstances.select_related("group")), "support": support_of(child),
        "notes": notes, "sees_household": members_for_user(user).filter(pk=child.person_id).exists(),
        "abuse_cases": list(child.abuse_cases.all()) if access.may_see_abuse(user, child) else None,
        "support_form": SupportForm(prefix="support"), "note_form": NoteForm(prefix="note"),
        "abuse_form": AbuseForm(prefix="abuse"), "circumstance_form": CircumstanceForm(prefix="group"),
        "today": today,
    }
    context.update(forms)
    ending: Any = context.pop("end_form", None)
    circumstances: list[Any] = context["circumstances"]
    for c in circumstances:  # one form per open circumstance (ids of their own)
        c.end_form = ending if ending is not None and ending.prefix == f"end{c.pk}" else CircumstanceEndForm(
            prefix=f"end{c.pk}")
    return context


@login_required
@require_GET
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = access.get_child_for_user(request_user(request), pk)
    return render(request, "care/children_detail.html", _detail_context(request, child))


def _candidates(user: Any, text: str) -> list[Member]:
    text = text.strip()
    if not text:
        return []
    members = members_for_user(user).filter(died_on__isnull=True, left_on__isnull=True, special_child__isnull=True)
    digits = "".join(text.split())
    if digits.isdigit():
        members = members.filter(citizen_id__startswith=digits) if len(digits) >= 3 else members.none()
    else:
        members = members.filter(search_name__contains=fold(text))
    today = timezone.localdate()
    members = members.filter(birth_date__gt=today.replace(year=today.year - 16) if not (
        today.month == 2 and today.day == 29) else today.replace(year=today.year - 16, day=28))
    out = []
    for member in members.select_related("household__commune").order_by("sort_key", "pk")[:PICK_LIMIT * 2]:
        if access.may_change(user, member.household.commune):
            member.shown_id = shown_id(member.citizen_id, True)  # type: ignore[attr-defined]
            out.append(member)
    return out[:PICK_LIMIT]


@login_required
@require_http_methods(["GET", "POST"])
def child_new(request: HttpRequest) -> HttpResponse:
    """Step 1: find the child in the register (?who=…); step 2: her groups."""
    user = request_user(request)
    if not access.enters_anything(user):
        raise PermissionDenied
    raw = parse_int(request.POST.get("person") or request.GET.get("person"), low=1)
    person = None
    if raw is not None:
        person = members_for_user(user).select_related("household__commune").filter(pk=raw).first()
        if person is not None and not access.may_change(user, person.household.commune):
            person = None
    form = ChildForm(request.POST or None)
    if request.method == "POST":
        if person is None:
            form.add_error(None, _("Choose the child in the register first."))
        elif form.is_valid():
            data = form.cleaned_data
            groups = {g.code: g for g in services.groups_on(data["since"])}
            chosen = [(groups[c], data["since"]) for c in data["groups"] if c in groups]
            if len(chosen) != len(data["groups"]):
                form.add_error("groups", _("A group chosen was not in force on that day."))
            else:
                try:
                    child = services.child_register(actor=Actor.from_request(request), person=person, groups=chosen,
                                                    note=data["note"])
                except ValidationError as error:
                    add_service_errors(form, error, {"registered_on": "since"})
                else:
                    messages.success(request, _("%(name)s was added to the register of children in special "
                                                "circumstances.") % {"name": person.full_name})
                    return redirect("child-detail", child.pk)
    return render(request, "care/children_form.html", {
        "form": form, "search": PersonSearchForm(request.GET or None), "person": person,
        "candidates": _candidates(user, request.GET.get("who", "")) if person is None else [],
        "searched": bool(request.GET.get("who")), "editing": None,
        "person_id_shown": shown_id(person.citizen_id, True) if person else ""},
        status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    child = access.get_child_for_user(user, pk, change=True)
    form = ChildEditForm(request.POST or None, initial={"note": child.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(actor=Actor.from_request(request), child=child, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("child-detail", child.pk)
    return render(request, "care/children_form.html", {
        "form": form, "person": child.person, "editing": child,
        "person_id_shown": shown_id(child.person.citizen_id, True)}, status=400 if request.method == "POST" else 200)


def _child_post(request: HttpRequest, pk: int, form_class: Any, name: str, act: Any,
                prefix: str | None = None) -> HttpResponse:
    """One action on a child's page: a valid form runs `act(actor, child, data)`; an invalid one, or
    the service's refusal, shows the page again with what was typed and the message."""
    user = request_user(request)
    child = access.get_child_for_user(user, pk, change=True)
    form = form_class(request.POST, prefix=prefix or name.removesuffix("_form"))
    if form.is_valid():
        try:
            act(Actor.from_request(request), child, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("child-detail", child.pk)
    return render(request, "care/children_detail.html", _detail_context(request, child, **{name: form}), status=400)


@login_required
@require_POST
def child_support_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_post(request, pk, SupportForm, "support_form", lambda actor, child, d: services.support_add(
        actor=actor, child=child, kind=d["kind"], provided_on=d["provided_on"], provider=d["provider"],
        description=d["description"], amount=d["amount"]))


@login_required
@require_POST
def child_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_post(request, pk, NoteForm, "note_form",
                       lambda actor, child, d: services.note_add(actor=actor, child=child, text=d["text"]))


@login_required
@require_POST
def child_abuse_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_post(request, pk, AbuseForm, "abuse_form", lambda actor, child, d: services.abuse_add(
        actor=actor, child=child, kind=d["kind"], occurred_on=d["occurred_on"]))


def _add_circumstance(actor: Actor, child: Child, d: dict[str, Any]) -> None:
    group = ChildGroup.objects.filter(code=d["group"], valid_from__lte=d["since"]).order_by("-valid_from").first()
    if group is None:
        raise ValidationError({"group": _("The group was not in force on that day.")})
    services.circumstance_add(actor=actor, child=child, group=group, since=d["since"])


@login_required
@require_POST
def child_circumstance_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_post(request, pk, CircumstanceForm, "circumstance_form", _add_circumstance, prefix="group")


@login_required
@require_POST
def child_circumstance_end(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    if cid > access.MAX_ID:
        raise Http404
    def act(actor: Actor, child: Child, d: dict[str, Any]) -> None:
        found = ChildCircumstance.objects.filter(pk=cid, child=child).select_related("group", "child__commune").first()
        if found is None:
            raise ValidationError(_("This circumstance is not the child's."))
        services.circumstance_end(actor=actor, circumstance=found, until=d["until"], reason=d["end_reason"])

    return _child_post(request, pk, CircumstanceEndForm, "end_form", act, prefix=f"end{cid}")


# --- Child-friendly assessments ------------------------------------------------------------------


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _reader(user)
    form = AssessmentFilterForm(request.GET or None, user=user)
    found = form.filter(access.assessments_for_user(user)).select_related("commune").order_by(
        "-year", "commune__sort_key")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    approved = [a for a in page.object_list if a.status == ChildAssessmentStatus.APPROVED]
    return render(request, "care/children_assessment_list.html", {
        "form": form, "page": page, "can_enter": access.enters_anything(user),
        "recognised": sum(1 for a in approved if a.recognised), "approved": len(approved)})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_form(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not access.enters_anything(user):
        raise PermissionDenied
    year = parse_int(request.POST.get("year") or request.GET.get("year"), low=2019, high=2100) or (
        timezone.localdate().year - 1)
    criteria = services.criteria_for(year)
    initial: dict[str, Any] = {"year": year}
    commune_id = parse_int(request.GET.get("commune"), low=1)
    if request.method == "GET" and commune_id is not None:
        existing = access.assessments_for_user(user).filter(commune_id=commune_id, year=year).first()
        initial["commune"] = commune_id
        if existing is not None:
            initial.update({"commune_kind": existing.commune_kind, "note": existing.note})
            initial.update({f"c{s.criterion.number}": s.points for s in existing.scores.select_related("criterion")})
    form = AssessmentForm(request.POST or None, user=user, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commune = access.communes_for_user(user, change=True).filter(pk=data["commune"]).first()
        if commune is None:
            form.add_error("commune", _("Choose one of your communes."))
        else:
            try:
                assessment = services.assessment_save(
                    actor=Actor.from_request(request), commune=commune, year=data["year"],
                    commune_kind=data["commune_kind"], points=form.points(), note=data["note"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if request.POST.get("submit") == "1":
                    try:
                        services.assessment_submit(actor=Actor.from_request(request), assessment=assessment)
                    except ValidationError as error:
                        messages.error(request, " ".join(error.messages))
                messages.success(request, _("The assessment of %(unit)s for %(year)s was saved.")
                                 % {"unit": commune.name, "year": data["year"]})
                return redirect("child-assessment-detail", assessment.pk)
    return render(request, "care/children_assessment_form.html", {"form": form, "criteria": criteria,
                                                                   "year": year},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    assessment = access.get_assessment_for_user(user, pk)
    return render(request, "care/children_assessment_detail.html", {
        "assessment": assessment, "scores": list(assessment.scores.select_related("criterion")),
        "events": list(assessment.events.all()),
        "may_change": access.may_change(user, assessment.commune) and assessment.status in (
            ChildAssessmentStatus.DRAFT, ChildAssessmentStatus.RETURNED),
        "may_approve": access.may_approve(user, assessment.commune)
        and assessment.status == ChildAssessmentStatus.SUBMITTED})


def _decide(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = request_user(request)
    assessment = access.get_assessment_for_user(user, pk)
    actor = Actor.from_request(request)
    try:
        if step == "submit":
            services.assessment_submit(actor=actor, assessment=assessment)
        elif step == "approve":
            services.assessment_approve(actor=actor, assessment=assessment)
        else:
            services.assessment_return(actor=actor, assessment=assessment, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("child-assessment-detail", assessment.pk)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "submit")


@login_required
@require_POST
def assessment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "approve")


@login_required
@require_POST
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "return")


# --- Import --------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def child_import(request: HttpRequest) -> HttpResponse:
    """Upload the filled template for the user's unit: every problem listed by row and column,
    nothing written unless the whole file is right; "check only" writes nothing."""
    from ansinh.accounts.access import get_scope
    from ansinh.lib.vietnamese import format_number
    from ansinh.web.import_page import import_page

    from .import_children import import_children

    user = request_user(request)
    if not access.enters_anything(user):
        raise PermissionDenied

    def run(data: bytes, name: str, check: bool) -> int:
        units = [u for u in get_scope(user).units if u.level <= 3]
        if not units:
            raise PermissionDenied
        return import_children(data, unit=min(units, key=lambda u: u.level), actor=Actor.from_request(request),
                               name=name, dry_run=check).children

    return import_page(
        request, template="care/children_import.html", run=run, done_url=lambda: reverse("child-list"),
        checked=lambda n: _("The file is valid; nothing was written: it holds %(n)s children.") % {
            "n": format_number(n)},
        done=lambda n: _("Imported %(n)s children.") % {"n": format_number(n)})


@login_required
@require_GET
def child_import_template(request: HttpRequest) -> HttpResponse:
    from ansinh.web.shortcuts import download

    from .import_children import template_xlsx

    if not access.enters_anything(request_user(request)):
        raise PermissionDenied
    return download(template_xlsx(), "mau-nhap-tre-em-co-hoan-canh-dac-biet.xlsx")
