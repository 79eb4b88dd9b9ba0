"""Pages of care facilities and drug rehabilitation: facilities (list, detail with occupancy, new),
residents (list with filters and accent-insensitive search, detail, admission, discharge, stage),
the monthly occupancy table and the import of residents (a background job). Scope comes from
`access_facilities` only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ansinh.accounts import audit
from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Unit
from ansinh.households.models import Sex
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.tabular import upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import fold, format_number
from ansinh.web.shortcuts import parse_int

from . import access_facilities as access
from . import filters_facilities as filters
from . import services_facilities as services
from .models_facilities import (
    CategoryGroup,
    DischargeReason,
    Facility,
    FacilityKind,
    Ownership,
    RehabKind,
    RehabStage,
    Resident,
    ResidentCategory,
)

PAGE = 50


def _errors_into(form: forms.Form, error: ValidationError) -> None:
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
    for name, problems in pairs:
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def shown_id(resident: Resident, full: bool) -> str:
    if not resident.citizen_id:
        return ""
    return resident.citizen_id if full else mask_citizen_id(resident.citizen_id)


# --- Facilities -------------------------------------------------------------------------------


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    facilities = access.facilities_for_user(user)
    kind = request.GET.get("kind", "")
    if kind in FacilityKind.values:
        facilities = facilities.filter(kind=kind)
    rows = list(facilities.select_related("unit").annotate(
        present=Count("residents", filter=Q(residents__discharged_on__isnull=True))).order_by("unit__level", "name"))
    for row in rows:
        row.rate = 100.0 * row.present / row.capacity if row.capacity else 0.0  # type: ignore[attr-defined]
    return render(request, "care/facilities_list.html", {
        "facilities": rows, "kind": kind, "kinds": FacilityKind.choices,
        "can_create": access.creates_anything(user)})


@login_required
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = access.get_facility_for_user(user, pk)
    today = timezone.localdate()
    ends = services.month_ends(dt.date(today.year - 1, today.month, 1), today)
    row = services.occupancy([facility], ends)[0]
    by_category = (facility.residents.present().order_by().values("category__name")
                   .annotate(n=Count("id")).order_by("category__name"))
    by_kind = (facility.residents.present().order_by().values("rehab_kind").annotate(n=Count("id"))
               if facility.is_rehab else [])
    return render(request, "care/facilities_detail.html", {
        "facility": facility, "months": list(zip(ends, row.counts, row.rates(), strict=True)),
        "present": facility.residents.present().count(), "by_category": by_category,
        "by_kind": [(RehabKind(r["rehab_kind"]).label if r["rehab_kind"] else "", r["n"]) for r in by_kind],
        "can_change": access.may_change(user, facility)})


class FacilityForm(forms.Form):
    code = forms.CharField(max_length=30, label=gettext_lazy("code"))
    name = forms.CharField(max_length=255, label=gettext_lazy("name"))
    kind = forms.ChoiceField(choices=FacilityKind.choices, label=gettext_lazy("kind"))
    ownership = forms.ChoiceField(choices=Ownership.choices, label=gettext_lazy("ownership"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("belongs to"))
    capacity = forms.IntegerField(min_value=1, max_value=100000, label=gettext_lazy("capacity"))
    address = forms.CharField(max_length=255, required=False, label=gettext_lazy("address"))
    established_by = forms.CharField(max_length=255, required=False, label=gettext_lazy("establishment decision"))
    opened_on = forms.DateField(required=False, label=gettext_lazy("opened on"),
                                widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.facility_units(user)  # type: ignore[attr-defined]


@login_required
def facility_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not access.creates_anything(user):
        raise PermissionDenied
    form = FacilityForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not access.may_create(user, data["unit"], data["kind"]):
            form.add_error("kind", _("You do not manage facilities of this kind in this unit."))
        else:
            try:
                facility = services.facility_create(actor=Actor.from_request(request), **data)
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("facilities-detail", pk=facility.pk)
    return render(request, "care/facilities_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


class FacilityEditForm(forms.Form):
    name = forms.CharField(max_length=255, label=gettext_lazy("name"))
    capacity = forms.IntegerField(min_value=1, max_value=100000, label=gettext_lazy("capacity"))
    address = forms.CharField(max_length=255, required=False, label=gettext_lazy("address"))
    closed_on = forms.DateField(required=False, label=gettext_lazy("closed on"),
                                widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = access.get_facility_for_user(user, pk, change=True)
    form = FacilityEditForm(request.POST or None, initial={
        "name": facility.name, "capacity": facility.capacity, "address": facility.address,
        "closed_on": facility.closed_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.facility_update(actor=Actor.from_request(request), facility=facility, **form.cleaned_data)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("facilities-detail", pk=facility.pk)
    return render(request, "care/facilities_form.html", {"form": form, "facility": facility},
                  status=400 if request.method == "POST" else 200)


# --- Residents --------------------------------------------------------------------------------


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    chosen = filters.parse(request.GET)
    residents = filters.apply(user, access.residents_for_user(user), chosen)
    page = Paginator(residents.select_related("facility", "category").order_by("search_name", "pk"), PAGE).get_page(
        request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "care/facilities_residents.html", {
        "page": page, "f": chosen, "keep": params.urlencode(),
        "facilities": access.facilities_for_user(user).order_by("name")[:300],
        "units": access.units_in_scope(user)[:500], "groups": CategoryGroup.choices, "rehab_kinds": RehabKind.choices,
        "statuses": [("present", _("present")), ("discharged", _("discharged")), ("all", _("all"))],
        "dates": {name: value.isoformat() for name, value in chosen.dates.items()}})


class DischargeForm(forms.Form):
    number = forms.CharField(max_length=50, label=gettext_lazy("discharge decision number"))
    discharged_on = forms.DateField(label=gettext_lazy("discharged on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(choices=[("", "—"), *DischargeReason.choices], label=gettext_lazy("reason for discharge"))
    note = forms.CharField(max_length=255, required=False, label=gettext_lazy("note on the discharge"))


class StageForm(forms.Form):
    stage = forms.TypedChoiceField(choices=RehabStage.choices, coerce=int, label=gettext_lazy("stage"))


def _resident_page(request: HttpRequest, resident: Resident, *, discharge: DischargeForm | None = None,
                   stage: StageForm | None = None, status: int = 200) -> HttpResponse:
    user = request_user(request)
    can = access.may_change(user, resident.facility)
    return render(request, "care/facilities_resident.html", {
        "r": resident, "can_change": can, "shown_id": shown_id(resident, can),
        "discharge_form": discharge or DischargeForm(initial={"discharged_on": timezone.localdate()}),
        "stage_form": stage or StageForm(initial={"stage": resident.stage}),
        "other_stays": (Resident.objects.filter(member=resident.member).exclude(pk=resident.pk)
                        .filter(pk__in=access.residents_for_user(user).values("pk"))
                        .select_related("facility") if resident.member_id else [])}, status=status)


@login_required
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    resident = access.get_resident_for_user(user, pk)
    if resident.citizen_id and access.may_see_personal(user, resident.facility):
        with transaction.atomic():  # who read a full citizen ID (Decree 13/2023/NĐ-CP)
            audit.record(actor=Actor.from_request(request), action=AuditAction.CARE_RESIDENT_VIEW_ID, obj=resident,
                         unit=resident.facility.unit)
    return _resident_page(request, resident)


@login_required
@require_POST
def resident_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    resident = access.get_resident_for_user(user, pk, change=True)
    form = DischargeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.resident_discharge(actor=Actor.from_request(request), resident=resident, number=data["number"],
                                        discharged_on=data["discharged_on"], reason=data["reason"], note=data["note"])
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Discharge recorded."))
            return redirect("facilities-resident-detail", pk=resident.pk)
    return _resident_page(request, resident, discharge=form, status=400)


@login_required
@require_POST
def resident_stage(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    resident = access.get_resident_for_user(user, pk, change=True)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.resident_set_stage(actor=Actor.from_request(request), resident=resident,
                                        stage=form.cleaned_data["stage"])
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("facilities-resident-detail", pk=resident.pk)
    return _resident_page(request, resident, stage=form, status=400)


class AdmitForm(forms.Form):
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    full_name = forms.CharField(max_length=150, required=False, label=gettext_lazy("full name"))
    sex = forms.ChoiceField(choices=[("", "—"), *Sex.choices], required=False, label=gettext_lazy("sex"))
    birth_date = forms.DateField(required=False, label=gettext_lazy("date of birth"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    citizen_id = forms.CharField(max_length=12, required=False, label=gettext_lazy("citizen ID"))
    home_commune = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False,
                                          label=gettext_lazy("commune of residence"))
    category = forms.ModelChoiceField(queryset=ResidentCategory.objects.none(), label=gettext_lazy("category"))
    admission_number = forms.CharField(max_length=50, label=gettext_lazy("admission decision number"))
    admitted_on = forms.DateField(label=gettext_lazy("admitted on"), widget=forms.DateInput(attrs={"type": "date"}))
    admission_decided_by = forms.CharField(max_length=255, label=gettext_lazy("admission decided by"))
    admission_reason = forms.CharField(max_length=255, required=False, label=gettext_lazy("reason for admission"))
    rehab_kind = forms.ChoiceField(choices=[("", "—"), *RehabKind.choices], required=False,
                                   label=gettext_lazy("kind of rehabilitation"))
    term_months = forms.IntegerField(min_value=1, max_value=60, required=False, label=gettext_lazy("term (months)"))

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["category"].queryset = ResidentCategory.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in services.categories_for(facility, today)])
        self.fields["home_commune"].queryset = access.communes_of_province(facility)  # type: ignore[attr-defined]
        if not facility.is_rehab:
            del self.fields["rehab_kind"]
            del self.fields["term_months"]


@login_required
def resident_admit(request: HttpRequest, pk: int) -> HttpResponse:
    from ansinh.households.access import members_for_user

    user = request_user(request)
    facility = access.get_facility_for_user(user, pk, change=True)
    members = members_for_user(user).select_related("household__commune")
    chosen = None
    member_id = request.POST.get("member") or request.GET.get("member")
    if member_id:
        chosen = members.filter(pk=parse_int(member_id, low=1) or 0).first()
    query = request.GET.get("q", "").strip()[:100]
    found = list(members.filter(search_name__contains=fold(query)).order_by("search_name")[:20]) if len(query) >= 2 else []
    initial: dict[str, Any] = {"admitted_on": timezone.localdate()}
    if chosen is not None:
        initial["member"] = chosen.pk
    form = AdmitForm(request.POST or None, facility=facility, initial=initial)
    member = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("member"):
            member = members_for_user(user).select_related("household__commune").filter(pk=data["member"]).first()
            if member is None:
                form.add_error(None, _("This person is not in the register you can read."))
        if not form.errors:
            admission = services.Admission(
                admission_number=data["admission_number"], admitted_on=data["admitted_on"],
                admission_decided_by=data["admission_decided_by"], category=data["category"], member=member,
                full_name=data["full_name"], sex=data["sex"], birth_date=data["birth_date"],
                citizen_id=data["citizen_id"].strip(), home_commune=data["home_commune"],
                admission_reason=data["admission_reason"], rehab_kind=data.get("rehab_kind") or "",
                term_months=data.get("term_months"))
            try:
                resident = services.resident_admit(actor=Actor.from_request(request), facility=facility, data=admission)
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(request, _("Admission recorded."))
                return redirect("facilities-resident-detail", pk=resident.pk)
    return render(request, "care/facilities_admit.html", {
        "form": form, "facility": facility, "chosen": chosen, "found": found, "query": query},
        status=400 if request.method == "POST" else 200)


# --- Occupancy --------------------------------------------------------------------------------


def _month(raw: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        raise BadRequest(_("The parameter “%(name)s” must be a month (YYYY-MM).") % {"name": name}) from None


@login_required
def occupancy(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    first = _month(request.GET["from"], "from") if request.GET.get("from") else dt.date(today.year, 1, 1)
    last = _month(request.GET["to"], "to") if request.GET.get("to") else today
    if last < first:
        raise BadRequest(_("The first month is after the last."))
    ends = services.month_ends(first, last)
    if len(ends) > 24:
        raise BadRequest(_("Choose at most 24 months."))
    facilities = list(access.facilities_for_user(user).select_related("unit").order_by("kind", "name"))
    rows = services.occupancy(facilities, ends)
    table = [(row.facility, list(zip(row.counts, row.rates(), strict=True))) for row in rows]
    return render(request, "care/facilities_occupancy.html", {
        "ends": ends, "table": table, "first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"})


# --- Import -----------------------------------------------------------------------------------


@login_required
def resident_import(request: HttpRequest, pk: int) -> HttpResponse:
    from .jobs_facilities import import_start

    user = request_user(request)
    facility = access.get_facility_for_user(user, pk, change=True)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file.")
        elif upload.size is not None and upload.size > upload_max_bytes():
            error = upload_limit_error(upload.size)
        else:
            job = import_start(actor=Actor.from_request(request), upload=upload, facility=facility)
            return redirect("job-detail", pk=job.pk)
    return render(request, "care/facilities_import.html", {
        "facility": facility, "error": error, "max_upload_mb": format_number(upload_max_bytes() // (1024 * 1024))},
        status=400 if error else 200)


# --- Categories (dated law, changed by administrators) -----------------------------------------


class CategoryForm(forms.Form):
    code = forms.SlugField(max_length=40, label=gettext_lazy("code"))
    name = forms.CharField(max_length=255, label=gettext_lazy("name"))
    group = forms.ChoiceField(choices=CategoryGroup.choices, label=gettext_lazy("report group"))
    for_rehab = forms.BooleanField(required=False, label=gettext_lazy("for drug rehabilitation facilities"))
    legal_basis = forms.CharField(max_length=255, label=gettext_lazy("legal basis"))
    valid_from = forms.DateField(label=gettext_lazy("valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    provisional = forms.BooleanField(required=False, label=gettext_lazy("provisional"))


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    """The resident categories, every version with its dates; an administrator adds a version."""
    from ansinh.accounts.access import get_scope
    from ansinh.accounts.models import Role

    user = request_user(request)
    is_admin = Role.ADMIN in get_scope(user).roles
    form = CategoryForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.category_add(actor=Actor.from_request(request), **form.cleaned_data)
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("facilities-categories")
    return render(request, "care/facilities_categories.html", {
        "categories": ResidentCategory.objects.order_by("for_rehab", "order", "code", "valid_from"),
        "form": form, "is_admin": is_admin}, status=400 if request.method == "POST" else 200)
