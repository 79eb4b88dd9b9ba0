"""Pages of procedure dossiers: the lists (all, due today, this week, overdue) with filters, a
dossier with its timeline and the steps it can take, the receipt form, the apology slip (Form 04),
the on-time rates, the catalogue, and the import of the portal's export (a background job).
Scope comes from `procedures.access` only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Field
from ansinh.geo.models import Unit
from ansinh.lib.tabular import upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import format_number
from ansinh.web.shortcuts import DOCX, download, int_param

from . import access, due, others, services
from .models import (
    Channel,
    Dossier,
    DossierQuerySet,
    DossierStatus,
    HandoverRule,
    Outcome,
    Procedure,
    ProcedureLevel,
)

PAGE = 50
TABS = {"all": gettext_lazy("All"), "open": gettext_lazy("Being processed"), "today": gettext_lazy("Due today"),
        "week": gettext_lazy("Due this week"), "overdue": gettext_lazy("Overdue"),
        "done": gettext_lazy("Result ready or returned")}


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(_("The parameter “%(name)s” must be a date (YYYY-MM-DD).") % {"name": name}) from None


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def filter_tab(dossiers: DossierQuerySet, tab: str, today: dt.date) -> DossierQuerySet:
    if tab == "open":
        return dossiers.open()
    if tab == "today":
        return dossiers.due_between(today, today)
    if tab == "week":
        first, last = week_of(today)
        return dossiers.due_between(max(first, today), last)
    if tab == "overdue":
        return dossiers.overdue(today)
    if tab == "done":
        return dossiers.filter(status__in=[DossierStatus.RESOLVED, DossierStatus.RETURNED])
    return dossiers


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    tab = request.GET.get("tab", "all")
    if tab not in TABS:
        tab = "all"
    dossiers = access.dossiers_for_user(user)
    unit_id = int_param(request, "unit", not_found=True)
    unit = None
    procedure_id = int_param(request, "procedure", not_found=True)
    received_from, received_to = _date_param(request, "received_from"), _date_param(request, "received_to")
    query = request.GET.get("q", "").strip()[:100]
    if unit_id is not None:
        unit = access.units_in_scope(user).filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        dossiers = access.in_unit(dossiers, unit)
    if procedure_id is not None:
        dossiers = dossiers.filter(procedure_id=procedure_id)
    if received_from:
        dossiers = dossiers.filter(received_on__gte=received_from)
    if received_to:
        dossiers = dossiers.filter(received_on__lte=received_to)
    if request.GET.get("timeliness") == "in_time":
        from django.db.models import F

        dossiers = dossiers.filter(resolved_on__lte=F("due_on"))
    if query:
        dossiers = dossiers.filter(Q(code__icontains=query) | Q(applicant_name__icontains=query))
    dossiers = filter_tab(dossiers, tab, today)
    # The other registries' dossiers due (benefits, unemployment, work permits: procedures.others),
    # when no filter of the procedure dossiers' own (procedure, dates of receipt, search) is set.
    week_first, week_last = (today, today) if tab == "today" else (max(week_of(today)[0], today), week_of(today)[1])
    other_rows = [] if (procedure_id or received_from or received_to or query) else others.due_rows(
        user, tab, today, first=week_first, last=week_last, unit=unit)
    page = Paginator(dossiers.select_related("procedure", "unit").order_by("due_on", "pk"), PAGE).get_page(
        request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("tab", None)
    return render(request, "procedures/dossier_list.html", {
        "page": page, "tab": tab, "tabs": TABS.items(), "today": today, "query": query,
        "units": access.units_in_scope(user)[:500], "unit_id": unit_id,
        "procedures": Procedure.objects.order_by("code", "-valid_from"), "procedure_id": procedure_id,
        "received_from": received_from, "received_to": received_to, "keep": params.urlencode(),
        "can_receive": access.receives_anything(user), "other_rows": other_rows,
    })


STEPS = ["additions", "complete", "transfer", "suspend", "resume", "apology", "resolve", "return"]


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    dossier = access.get_dossier_for_user(user, pk)
    return _detail(request, dossier, {})


def _detail(request: HttpRequest, dossier: Dossier, errors: dict[str, Any], status: int = 200) -> HttpResponse:
    user = request_user(request)
    can = access.may_handle(user, dossier.unit, dossier.field)
    today = timezone.localdate()
    return render(request, "procedures/dossier_detail.html", {
        "dossier": dossier, "events": dossier.events.select_related("actor"), "can": can, "today": today,
        "timeliness": dossier.get_timeliness_display(today), "errors": errors, "posted": request.POST,
        "outcomes": Outcome.choices,
        "full_id": can, "masked_id": ("•" * 8 + dossier.applicant_id_number[-4:]) if dossier.applicant_id_number else "",
        "person_link": access.may_see_person(user, dossier.person),
    }, status=status)


def _when(request: HttpRequest) -> dt.datetime | None:
    raw = request.POST.get("at", "").strip()
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"at": _("Write the time as a date and hour.")}) from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _new_due(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get("new_due_on", "").strip())
    except ValueError:
        raise ValidationError({"new_due_on": _("Choose the date of the new appointment.")}) from None


Step = Callable[[HttpRequest, Actor, Dossier], Dossier]
STEP_FUNCTIONS: dict[str, Step] = {
    "additions": lambda r, a, d: services.dossier_request_additions(actor=a, dossier=d, reason=r.POST.get("reason", ""),
                                                                     at=_when(r)),
    "complete": lambda r, a, d: services.dossier_complete_additions(actor=a, dossier=d, at=_when(r),
                                                                     note=r.POST.get("note", "")),
    "transfer": lambda r, a, d: services.dossier_transfer(actor=a, dossier=d, to_agency=r.POST.get("to_agency", ""),
                                                          at=_when(r), note=r.POST.get("note", "")),
    "suspend": lambda r, a, d: services.dossier_suspend(actor=a, dossier=d, reason=r.POST.get("reason", ""),
                                                        at=_when(r)),
    "resume": lambda r, a, d: services.dossier_resume(actor=a, dossier=d, at=_when(r), note=r.POST.get("note", "")),
    "apology": lambda r, a, d: services.dossier_apologise(actor=a, dossier=d, new_due_on=_new_due(r),
                                                          reason=r.POST.get("reason", ""), at=_when(r)),
    "resolve": lambda r, a, d: services.dossier_resolve(actor=a, dossier=d, outcome=r.POST.get("outcome", ""),
                                                        result_note=r.POST.get("result_note", ""), at=_when(r)),
    "return": lambda r, a, d: services.dossier_return(actor=a, dossier=d, at=_when(r), note=r.POST.get("note", "")),
}


@login_required
@require_POST
def dossier_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the dossier's life (the service named in STEP_FUNCTIONS); errors are shown on
    the dossier's page with what was typed kept."""
    if step not in STEP_FUNCTIONS:
        raise Http404
    user = request_user(request)
    dossier = access.get_dossier_for_user(user, pk, change=True)
    try:
        STEP_FUNCTIONS[step](request, Actor.from_request(request), dossier)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"status": error.messages}
        return _detail(request, dossier, {"step": step, **errors}, status=400)
    messages.success(request, _("Saved."))
    return redirect("procedure-dossier-detail", pk=dossier.pk)


class ReceiveForm(forms.Form):
    procedure = forms.ModelChoiceField(queryset=Procedure.objects.none(), label=gettext_lazy("procedure"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("receiving unit"))
    channel = forms.ChoiceField(choices=Channel.choices, label=gettext_lazy("channel"))
    applicant_name = forms.CharField(max_length=200, required=False, label=gettext_lazy("applicant"),
                                     help_text=gettext_lazy("Left empty, the name of the person chosen in the register."))
    applicant_id_number = forms.CharField(max_length=12, required=False, label=gettext_lazy("citizen ID of the applicant"))
    applicant_contact = forms.CharField(max_length=300, required=False, label=gettext_lazy("contact (phone, address)"))
    agency = forms.CharField(max_length=200, required=False, label=gettext_lazy("agency handling it"))
    received_at = forms.DateTimeField(required=False, label=gettext_lazy("received at"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["procedure"].queryset = (Procedure.objects.filter(valid_from__lte=today)  # type: ignore[attr-defined]
                                             .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).order_by("name"))
        self.fields["unit"].queryset = access.receiving_units(user)  # type: ignore[attr-defined]


def _candidate_rows(people: list[Any]) -> list[dict[str, Any]]:
    from ansinh.lib.citizen_id import mask_citizen_id

    return [{"pk": p.pk, "name": p.full_name, "year": p.birth_date.year if p.birth_date else None,
             "commune": p.household.commune.name, "masked_id": mask_citizen_id(p.citizen_id) if p.citizen_id else ""}
            for p in people]


@login_required
def dossier_receive(request: HttpRequest) -> HttpResponse:
    """The receipt form. The applicant may be linked to a person of the households register: the
    "Find" button searches the register in the user's scope (citizen ID or name, accent-insensitive)
    and shows the page again with what was typed; the person chosen is kept on the dossier."""
    user = request_user(request)
    if not access.receives_anything(user):
        raise PermissionDenied
    posted = request.method == "POST"
    finding = posted and "find" in request.POST
    form = ReceiveForm(request.POST if posted else None, user=user)
    who = (request.POST.get("who") if posted else request.GET.get("who")) or ""
    candidates = access.applicant_candidates(user, who)
    person = None
    person_error = ""
    try:
        person = access.applicant_for_user(user, request.POST.get("person") if posted else request.GET.get("person"))
    except PermissionDenied:
        person_error = _("Choose a person of the register in your area.")
    if person is not None and all(c.pk != person.pk for c in candidates):
        candidates.insert(0, person)
    if posted and not finding and form.is_valid() and not person_error:
        data = form.cleaned_data
        name = data["applicant_name"] or (person.full_name if person is not None else "")
        id_number = data["applicant_id_number"] or ((person.citizen_id or "") if person is not None else "")
        try:
            dossier = services.dossier_receive(
                actor=Actor.from_request(request), procedure=data["procedure"], unit=data["unit"],
                channel=data["channel"], applicant_name=name, applicant_id_number=id_number,
                applicant_contact=data["applicant_contact"], person=person, agency=data["agency"],
                received_at=data["received_at"])
        except ValidationError as error:
            for field, problems in (error.message_dict.items() if hasattr(error, "error_dict")
                                    else [("__all__", error.messages)]):
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Dossier %(code)s received; result due on %(date)s.")
                             % {"code": dossier.code, "date": f"{dossier.due_on:%d/%m/%Y}"})
            return redirect("procedure-dossier-detail", pk=dossier.pk)
    if finding:
        form.errors.clear()  # a search is not a submission: no errors for fields not filled yet
    failed = posted and not finding
    return render(request, "procedures/dossier_receive.html", {
        "form": form, "who": who, "candidates": _candidate_rows(candidates), "searched": bool(who.strip()),
        "chosen": person.pk if person is not None else None, "person_error": person_error,
    }, status=400 if failed else 200)


@login_required
def apology_slip(request: HttpRequest, pk: int) -> HttpResponse:
    from .documents import apology_docx

    user = request_user(request)
    dossier = access.get_dossier_for_user(user, pk)
    if dossier.new_due_on is None:
        raise Http404
    return download(apology_docx(dossier), f"phieu-xin-loi-{dossier.pk}.docx", DOCX)


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    first = _date_param(request, "first") or today.replace(month=1, day=1)
    last = _date_param(request, "last") or today
    if last < first:
        raise BadRequest(_("The end of the period is before its start."))
    dossiers = access.dossiers_for_user(user)
    by_agency = due.on_time_rates(dossiers, by="agency", first=first, last=last)
    by_unit = due.on_time_rates(dossiers, by="unit", first=first, last=last)
    return render(request, "procedures/rates.html", {
        "first": first, "last": last, "by_agency": by_agency, "by_unit": by_unit, "total": due.total(by_unit),
        "by_kind": others.rates(user, first=first, last=last)})


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    from ansinh.accounts.access import get_scope
    from ansinh.accounts.models import Role

    user = request_user(request)
    return render(request, "procedures/procedure_list.html", {
        "procedures": Procedure.objects.all(), "can_edit": services.may_edit_catalogue(user),
        "rules": HandoverRule.objects.all(), "can_edit_rules": Role.ADMIN in get_scope(user).roles})


@login_required
@require_POST
def handover_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(HandoverRule, pk=pk)
    try:
        cutoff = dt.time.fromisoformat(request.POST.get("cutoff", "").strip())
    except ValueError:
        messages.error(request, _("Write the time as hh:mm, e.g. 14:30."))
        return redirect("procedure-list")
    services.handover_rule_update(actor=Actor.from_request(request), rule=rule, cutoff=cutoff,
                                  shift_start=request.POST.get("shift_start") == "1")
    messages.success(request, _("Saved."))
    return redirect("procedure-list")


class ProcedureForm(forms.ModelForm[Procedure]):
    class Meta:
        model = Procedure
        fields = services.PROCEDURE_FIELDS
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


@login_required
def procedure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request_user(request)
    if not services.may_edit_catalogue(user):
        raise PermissionDenied
    procedure = get_object_or_404(Procedure, pk=pk) if pk is not None else None
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.procedure_save(actor=Actor.from_request(request), procedure=procedure, code=data["code"],
                                    name=data["name"], field=data["field"], receiving_level=data["receiving_level"],
                                    deciding_level=data["deciding_level"], days=data["days"], fee=data["fee"],
                                    legal_basis=data["legal_basis"], valid_from=data["valid_from"],
                                    valid_to=data["valid_to"], provisional=data["provisional"],
                                    counts_from_next_day=data["counts_from_next_day"], note=data["note"],
                                    used_for=data["used_for"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Saved."))
            return redirect("procedure-list")
    return render(request, "procedures/procedure_form.html", {"form": form, "procedure": procedure},
                  status=400 if request.method == "POST" else 200)


@login_required
def dossier_import(request: HttpRequest) -> HttpResponse:
    from .jobs import import_start

    user = request_user(request)
    if not access.receives_anything(user):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file.")
        elif upload.size is not None and upload.size > upload_max_bytes():
            error = upload_limit_error(upload.size)
        else:
            job = import_start(actor=Actor.from_request(request), upload=upload)
            return redirect("job-detail", pk=job.pk)
    return render(request, "procedures/dossier_import.html", {
        "error": error, "max_upload_mb": format_number(upload_max_bytes() // (1024 * 1024))},
        status=400 if error else 200)


CHOICES_FOR_TEMPLATES = {"levels": ProcedureLevel.choices, "fields": Field.choices}
