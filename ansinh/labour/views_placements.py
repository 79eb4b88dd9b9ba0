"""The pages of job placements and counselling: the lists with their filters (the figures'
drill-down), a placement's page, the forms (the person chosen by searching the register in the
user's scope), the imports (background jobs) and their templates.

Scope is `labour.access` alone: lists read `placements_for_user` / `counselling_for_user`, a
record outside them is a 404, a change needs `may_change(user, commune, kind)`. Citizen IDs are
masked for those who may not change the record; a page that shows full ones is audited.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.accounts import audit
from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Level, Unit
from ansinh.households.access import members_for_user
from ansinh.households.forms import add_service_errors
from ansinh.households.models import Member
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.tabular import upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import fold
from ansinh.web.shortcuts import download

from . import access
from .counselling import counselling_record
from .forms_placements import (
    CounsellingFilterForm,
    CounsellingForm,
    PersonSearchForm,
    PlacementFilterForm,
    PlacementForm,
    visible_units,
)
from .models import Counselling, Placement
from .placements import employer_text, placement_create, placement_delete, placement_update

PAGE_SIZE = 50
PICK_LIMIT = 20


def require_reader(user: Any) -> None:
    if not access.reads_labour(user):
        raise PermissionDenied


def shown_id(number: str | None, full: bool) -> str:
    if not number:
        return ""
    return number if full else mask_citizen_id(number)


def read_audit(request: HttpRequest, obj: Any, unit: Unit, count: int) -> None:
    """Full citizen IDs left the register on a page: one audit row per page view."""
    if count:
        with transaction.atomic():
            audit.record(actor=Actor.from_request(request), action="personal_data.read", obj=obj, unit=unit,
                         after={"citizen_ids": count, "via": "labour"})


def _page(request: HttpRequest, found: QuerySet[Any], order: tuple[str, ...], related: tuple[str, ...]) -> Any:
    ids = found.order_by(*order).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    model = found.model
    rows = model.objects.filter(pk__in=list(page.object_list)).select_related(*related).order_by(*order)
    page.object_list = cast(Any, list(rows))
    return page


def _mask_rows(user: Any, rows: list[Any], kind: str) -> None:
    allowed: dict[int, bool] = {}
    for row in rows:
        full = allowed.get(row.commune_id)
        if full is None:
            full = allowed[row.commune_id] = access.may_see_personal(user, row.commune, kind)
        row.shown_id = shown_id(row.person.citizen_id, full)


# --- Placements --------------------------------------------------------------------------------


@login_required
@require_GET
def placement_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_reader(user)
    form = PlacementFilterForm(request.GET or None, user=user)
    found = form.filter(access.placements_for_user(user))
    page = _page(request, found, ("-placed_on", "-pk"), ("person", "commune", "employer"))
    _mask_rows(user, page.object_list, "placement")
    for row in page.object_list:
        row.employer_shown = employer_text(row)
    return render(request, "labour/place_placement_list.html", {
        "form": form, "page": page, "can_change": access.enters_anything(user, "placement")})


@login_required
@require_GET
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    placement = access.get_for_user(user, access.placements_for_user(user).select_related(
        "person__household", "commune", "employer", "created_by"), pk, unit_attr="commune", kind="placement")
    may_change = access.may_change(user, placement.commune, "placement")
    if may_change and placement.person.citizen_id:
        read_audit(request, placement, placement.commune, 1)
    sees_household = members_for_user(user).filter(pk=placement.person_id).exists()
    return render(request, "labour/place_placement_detail.html", {
        "placement": placement, "person": placement.person, "may_change": may_change,
        "shown_id": shown_id(placement.person.citizen_id, may_change), "employer": employer_text(placement),
        "sees_household": sees_household, "age": placement.person.age_on(placement.placed_on)})


def _candidates(user: Any, text: str, kind: str) -> list[Member]:
    """Living members of the register, in the user's scope, whom she may enter `kind` for, by
    name (accent-insensitive) or citizen ID."""
    text = text.strip()
    if not text:
        return []
    members = members_for_user(user).filter(died_on__isnull=True, left_on__isnull=True)
    digits = "".join(text.split())
    if digits.isdigit():
        members = members.filter(citizen_id__startswith=digits) if len(digits) >= 3 else members.none()
    else:
        members = members.filter(search_name__contains=fold(text))
    found = list(members.select_related("household__commune").order_by("sort_key", "pk")[:PICK_LIMIT * 2])
    allowed: dict[int, bool] = {}
    out = []
    for member in found:
        commune = member.household.commune
        if commune.pk not in allowed:
            allowed[commune.pk] = access.may_change(user, commune, kind)
        if allowed[commune.pk]:
            member.shown_id = shown_id(member.citizen_id, True)  # type: ignore[attr-defined]
            out.append(member)
    return out[:PICK_LIMIT]


def _chosen_person(user: Any, raw: str | None, kind: str) -> Member | None:
    if not raw or not str(raw).isdigit():
        return None
    member = members_for_user(user).select_related("household__commune").filter(pk=int(raw)).first()
    if member is None or not access.may_change(user, member.household.commune, kind):
        return None
    return member


@login_required
@require_http_methods(["GET", "POST"])
def placement_new(request: HttpRequest) -> HttpResponse:
    """Step 1: find the person in the register (?who=…); step 2: the placement's form."""
    user = request_user(request)
    if not access.enters_anything(user, "placement"):
        raise PermissionDenied
    search = PersonSearchForm(request.GET or None)
    person = _chosen_person(user, request.POST.get("person") or request.GET.get("person"), "placement")
    form = PlacementForm(request.POST or None)
    if request.method == "POST":
        if person is None:
            form.add_error(None, _("Choose the person in the register first."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                placement = placement_create(actor=Actor.from_request(request), person=person,
                                             placed_on=data["placed_on"], channel=data["channel"],
                                             employer_name=data["employer_name"], tax_code=data["tax_code"],
                                             new_job=data["new_job"], note=data["note"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The placement of %(name)s was recorded.") % {"name": person.full_name})
                return redirect("placement-detail", placement.pk)
    candidates = _candidates(user, request.GET.get("who", ""), "placement") if person is None else []
    return render(request, "labour/place_placement_form.html", {
        "form": form, "search": search, "person": person, "candidates": candidates,
        "searched": bool(request.GET.get("who")), "editing": None,
        "person_id_shown": shown_id(person.citizen_id, True) if person else ""},
        status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    placement = access.get_for_user(user, access.placements_for_user(user).select_related(
        "person__household", "commune", "employer"), pk, unit_attr="commune", kind="placement", change=True)
    initial = {"placed_on": placement.placed_on, "channel": placement.channel,
               "employer_name": employer_text(placement), "tax_code": placement.employer.tax_code
               if placement.employer else "", "new_job": placement.new_job, "note": placement.note}
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement_update(actor=Actor.from_request(request), placement=placement, placed_on=data["placed_on"],
                             channel=data["channel"], employer_name=data["employer_name"],
                             tax_code=data["tax_code"], new_job=data["new_job"], note=data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The placement was changed."))
            return redirect("placement-detail", placement.pk)
    return render(request, "labour/place_placement_form.html", {
        "form": form, "person": placement.person, "editing": placement, "candidates": [],
        "person_id_shown": shown_id(placement.person.citizen_id, True)},
        status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def placement_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    placement = access.get_for_user(user, access.placements_for_user(user).select_related("commune", "person"), pk,
                                    unit_attr="commune", kind="placement", change=True)
    try:
        placement_delete(actor=Actor.from_request(request), placement=placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("placement-detail", pk)
    messages.success(request, _("The placement was deleted."))
    return redirect("placement-list")


# --- Counselling ---------------------------------------------------------------------------------


@login_required
@require_GET
def counselling_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_reader(user)
    form = CounsellingFilterForm(request.GET or None, user=user)
    found = form.filter(access.counselling_for_user(user))
    page = _page(request, found, ("-counselled_on", "-pk"), ("person", "commune", "session"))
    _mask_rows(user, page.object_list, "counselling")
    return render(request, "labour/place_counselling_list.html", {
        "form": form, "page": page, "can_change": access.enters_anything(user, "counselling")})


@login_required
@require_http_methods(["GET", "POST"])
def counselling_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not access.enters_anything(user, "counselling"):
        raise PermissionDenied
    search = PersonSearchForm(request.GET or None)
    person = _chosen_person(user, request.POST.get("person") or request.GET.get("person"), "counselling")
    form = CounsellingForm(request.POST or None)
    if request.method == "POST":
        if person is None:
            form.add_error(None, _("Choose the person in the register first."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                counselling_record(actor=Actor.from_request(request), person=person,
                                   counselled_on=data["counselled_on"], topic=data["topic"],
                                   on_unemployment_benefit=data["on_unemployment_benefit"], note=data["note"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The counselling of %(name)s was recorded.") % {"name": person.full_name})
                return redirect("counselling-list")
    candidates = _candidates(user, request.GET.get("who", ""), "counselling") if person is None else []
    return render(request, "labour/place_counselling_form.html", {
        "form": form, "search": search, "person": person, "candidates": candidates,
        "searched": bool(request.GET.get("who")),
        "person_id_shown": shown_id(person.citizen_id, True) if person else ""},
        status=400 if request.method == "POST" else 200)


# --- Imports -------------------------------------------------------------------------------------


def _import_provinces(user: Any, kind: str) -> list[Unit]:
    """The provinces whose people the user may import records of `kind` for."""
    provinces = [u for u in visible_units(user) if u.level == Level.PROVINCE]
    communes = [u for u in visible_units(user) if u.level == Level.COMMUNE]
    return [p for p in provinces if access.may_change(user, p, kind)
            or any(c.parent_id == p.pk and access.may_change(user, c, kind) for c in communes)]


def _import_page(request: HttpRequest, *, kind: str, job_kind: str, template: str) -> HttpResponse:
    from .jobs_placements import labour_import_start

    user = request_user(request)
    provinces = _import_provinces(user, kind)
    if not provinces:
        raise PermissionDenied
    error = ""
    chosen = provinces[0]
    if request.method == "POST":
        wanted = request.POST.get("province") or str(chosen.pk)
        chosen = next((p for p in provinces if str(p.pk) == wanted), None)  # type: ignore[assignment]
        upload = request.FILES.get("file")
        if chosen is None:
            error = _("Choose a province from the list.")
            chosen = provinces[0]
        elif upload is None:
            error = _("Choose the filled-in template (.xlsx or .csv) to import.")
        elif too_big := upload_limit_error(upload.size):
            error = too_big
        else:
            job = labour_import_start(kind=job_kind, actor=Actor.from_request(request), upload=upload,
                                      province=chosen)
            return redirect("job-detail", job.pk)
    return render(request, template, {"provinces": provinces, "chosen": chosen, "error": error,
                                      "max_upload_mb": upload_max_bytes() // (1024 * 1024)},
                  status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def placement_import(request: HttpRequest) -> HttpResponse:
    from .jobs_placements import PLACEMENTS

    return _import_page(request, kind="placement", job_kind=PLACEMENTS, template="labour/place_placement_import.html")


@login_required
@require_http_methods(["GET", "POST"])
def counselling_import(request: HttpRequest) -> HttpResponse:
    from .jobs_placements import COUNSELLING

    return _import_page(request, kind="counselling", job_kind=COUNSELLING,
                        template="labour/place_counselling_import.html")


@login_required
@require_GET
def placement_template(request: HttpRequest) -> HttpResponse:
    from .placements_import import template_xlsx

    require_reader(request_user(request))
    return download(template_xlsx(), "mau-giai-quyet-viec-lam.xlsx")


@login_required
@require_GET
def counselling_template(request: HttpRequest) -> HttpResponse:
    from .counselling_import import counselling_template_xlsx

    require_reader(request_user(request))
    return download(counselling_template_xlsx(), "mau-tu-van-viec-lam.xlsx")


__all__ = ["counselling_import", "counselling_list", "counselling_new", "counselling_template", "placement_detail",
           "placement_edit", "placement_import", "placement_list", "placement_new", "placement_remove",
           "placement_template"]
