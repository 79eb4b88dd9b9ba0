"""The unemployment insurance pages: the dossiers (list with filters, decisions due, detail with
the decision's steps and articles, a new dossier, the decision, monthly reports, suspension and
stop), the import, the calculator (any signed-in user) and the law's rows (administrators; a
province's wage regions by its labour officers too). Scope through `labour.access` only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.forms import Form, ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.accounts import audit
from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor, snapshot
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.access import communes_in_scope
from ansinh.households.models import Member
from ansinh.lib.tabular import ImportProblems, Problem, upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import fold, format_number
from ansinh.plans.periods import Period
from ansinh.web.shortcuts import download

from . import access
from .forms_unemployment import LAW_FORMS, CalculatorForm, DecideForm, DossierForm, FilterForm, ReportForm, StopForm
from .models import (
    BaseSalary,
    DossierState,
    JobSearchReport,
    RegionalMinimumWage,
    UnemploymentDossier,
    UnemploymentRule,
    WageRegionUnit,
)
from .ui_law import LawBook, compute
from .unemployment import (
    dossiers_in_period,
    dossiers_in_state,
    dossiers_in_unit,
    unemployment_decide,
    unemployment_receive,
    unemployment_report,
    unemployment_stop,
)

PAGE_SIZE = 50
SHOWN_PROBLEMS = 1_000
KIND = "unemployment"
LAW_MODELS: dict[str, Any] = {"rule": UnemploymentRule, "wage": RegionalMinimumWage, "base": BaseSalary,
                              "region": WageRegionUnit}


def _apply_errors(form: Form | ModelForm[Any], error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _communes(user: Any) -> QuerySet[Unit]:
    return communes_in_scope(user).filter(edition=Edition.CURRENT).order_by("sort_key")


def _dossiers(user: Any) -> QuerySet[UnemploymentDossier]:
    return access.unemployment_for_user(user).select_related("person", "commune")


def _get(request: HttpRequest, pk: int, *, change: bool = False) -> UnemploymentDossier:
    user = request_user(request)
    return access.get_for_user(user, _dossiers(user), pk, unit_attr="commune", kind=KIND, change=change)


@login_required
def unemployment_list(request: HttpRequest) -> HttpResponse:
    """The dossiers, filtered by unit (a commune, or any unit above: its subtree), period (by the
    date received or decided), state and a name or citizen ID (accent-insensitive)."""
    user = request_user(request)
    form = FilterForm(request.GET or None)
    found = _dossiers(user)
    error, status = "", 200
    unit: Unit | None = None
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            found = dossiers_in_state(found, data["state"])
        if data["unit"]:
            unit = Unit.objects.filter(pk=data["unit"]).first()
            if unit is None:
                error, status = _("This unit does not exist."), 400
            else:
                found = dossiers_in_unit(found, unit)
        if data["period"]:
            try:
                period = Period.parse(data["period"])
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                found = dossiers_in_period(found, period, by=data["by"])
        if data["q"]:
            text = data["q"].strip()
            if text.isdigit():
                found = found.filter(person__citizen_id=text)
            else:
                found = found.filter(person__search_name__contains=fold(text))
    elif request.GET:
        error, status = _("The filters could not be read: all dossiers are shown."), 400
    page = Paginator(found.order_by("-received_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "error": error, "communes": _communes(user).values_list("pk", "name")[:500],
               "selected_unit": unit, "can_enter": access.enters_anything(user, KIND), "today": timezone.localdate()}
    return render(request, "labour/ui_list.html", context, status=status)


@login_required
def unemployment_due(request: HttpRequest) -> HttpResponse:
    """Dossiers waiting for a decision: overdue, then due within seven days, then the others."""
    user = request_user(request)
    today = timezone.localdate()
    waiting = _dossiers(user).filter(state=DossierState.RECEIVED).order_by("decision_due", "pk")
    overdue = list(waiting.filter(decision_due__lt=today)[:500])
    week = list(waiting.filter(decision_due__gte=today, decision_due__lte=today + dt.timedelta(days=7))[:500])
    return render(request, "labour/ui_due.html", {"overdue": overdue, "week": week, "today": today})


@login_required
def unemployment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    dossier = _get(request, pk)
    decision = compute(contract_end=dossier.contract_end, months=dossier.months_contributed,
                       average_salary=dossier.average_salary, region=dossier.region,
                       state_pay_scale=dossier.state_pay_scale, contract_kind=dossier.contract_kind,
                       filed_on=dossier.received_on)
    editable = access.may_change(user, dossier.commune, KIND)
    reports = list(JobSearchReport.objects.filter(dossier=dossier).order_by("month_number"))
    context = {
        "d": dossier, "decision": decision, "editable": editable, "reports": reports,
        "personal": access.may_see_personal(user, dossier.commune, KIND),
        "decide_form": DecideForm(initial={"decided_on": timezone.localdate()}),
        "report_form": ReportForm(initial={"reported_on": timezone.localdate()}),
        "stop_form": StopForm(initial={"on": timezone.localdate()}), "today": timezone.localdate(),
    }
    return render(request, "labour/ui_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unemployment_new(request: HttpRequest) -> HttpResponse:
    """Receive a dossier; the form keeps what was typed when something is wrong."""
    user = request_user(request)
    if not access.enters_anything(user, KIND):
        raise PermissionDenied
    form = DossierForm(request.POST or None, initial={"received_on": timezone.localdate()})
    communes = list(_communes(user).values_list("pk", "name")[:500])
    form.fields["employer_unit"].widget.choices = [("", "—"), *communes]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = (Member.objects.select_related("household__commune")
                  .filter(citizen_id=data["citizen_id"], died_on__isnull=True, left_on__isnull=True).first())
        employer_unit = Unit.objects.filter(pk=data["employer_unit"]).first() if data["employer_unit"] else None
        if person is None:
            form.add_error("citizen_id", _("No living member of the register has this citizen ID."))
        elif not access.may_change(user, person.household.commune, KIND):
            form.add_error("citizen_id", _("This person lives outside your units."))
        else:
            try:
                dossier = unemployment_receive(
                    actor=Actor.from_request(request), person=person, received_on=data["received_on"],
                    employer_name=data["employer_name"], employer_unit=employer_unit, region=data["region"] or None,
                    contract_kind=data["contract_kind"], contract_end=data["contract_end"],
                    months_contributed=data["months_contributed"], average_salary=data["average_salary"],
                    state_pay_scale=data["state_pay_scale"], note=data["note"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The dossier was received; the decision is due on %(date)s.") % {
                    "date": f"{dossier.decision_due:%d/%m/%Y}"})
                return redirect("unemployment-detail", dossier.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "labour/ui_form.html", {"form": form}, status=status)


def _action(request: HttpRequest, pk: int, form_class: type[Form], run: Any) -> HttpResponse:
    dossier = _get(request, pk, change=True)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect("unemployment-detail", dossier.pk)
    try:
        run(dossier, form.cleaned_data)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Saved."))
    return redirect("unemployment-detail", dossier.pk)


@login_required
@require_POST
def unemployment_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, DecideForm, lambda d, data: unemployment_decide(
        actor=Actor.from_request(request), dossier=d, decided_on=data["decided_on"],
        decision_number=data["decision_number"]))


@login_required
@require_POST
def unemployment_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, ReportForm, lambda d, data: unemployment_report(
        actor=Actor.from_request(request), dossier=d, month_number=data["month_number"],
        reported_on=data["reported_on"], excused=data["excused"], note=data["note"]))


@login_required
@require_POST
def unemployment_stop_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, StopForm, lambda d, data: unemployment_stop(
        actor=Actor.from_request(request), dossier=d, on=data["on"], reason=data["reason"],
        month_number=data["month_number"], note=data["note"]))


# --- Import ---------------------------------------------------------------------------------------


def _provinces(user: Any) -> list[Unit]:
    """The provinces where the user enters unemployment dossiers."""
    provinces = Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT).order_by("sort_key")
    return [p for p in provinces if access.may_change(user, p, KIND)]


@login_required
@require_http_methods(["GET", "POST"])
def unemployment_import(request: HttpRequest) -> HttpResponse:
    from .unemployment_import import import_unemployment

    user = request_user(request)
    provinces = _provinces(user)
    if not provinces:
        raise PermissionDenied
    problems: list[Problem] = []
    error, checked = "", ""
    check = request.method == "POST" and request.POST.get("check") == "1"
    if request.method == "POST":
        upload = request.FILES.get("file")
        province = next((p for p in provinces if str(p.pk) == request.POST.get("province")), provinces[0])
        if upload is None:
            error = _("Choose the filled-in template (.xlsx) to import.")
        elif too_big := upload_limit_error(upload.size):
            error = too_big
        elif upload.size is not None and upload.size > settings.ANSINH_IMPORT_BACKGROUND_BYTES and not check:
            from .unemployment_jobs import import_start

            job = import_start(actor=Actor.from_request(request), upload=upload, province=province)
            return redirect("job-detail", job.pk)
        else:
            try:
                result = import_unemployment(actor=Actor.from_request(request), data=upload.read(),
                                             filename=upload.name or "", province=province, dry_run=check)
            except ImportProblems as exc:
                problems = exc.problems
            else:
                if check:
                    checked = _("The file is valid; nothing was written: it holds %(n)s dossiers.") % {
                        "n": format_number(result.created)}
                else:
                    messages.success(request, _("Imported %(n)s dossiers.") % {"n": format_number(result.created)})
                    return redirect("unemployment-list")
    context = {"problems": problems[:SHOWN_PROBLEMS], "problem_count": len(problems),
               "more": max(0, len(problems) - SHOWN_PROBLEMS), "error": error, "check": check, "checked": checked,
               "max_upload_mb": format_number(upload_max_bytes() / (1024 * 1024)), "provinces": provinces}
    return render(request, "labour/ui_import.html", context, status=400 if (problems or error) else 200)


@login_required
def unemployment_import_template(request: HttpRequest) -> HttpResponse:
    from .unemployment_import import template_csv, template_xlsx

    request_user(request)
    if request.GET.get("format") == "csv":
        return download(template_csv(), "mau-nhap-ho-so-that-nghiep.csv", "text/csv; charset=utf-8")
    return download(template_xlsx(), "mau-nhap-ho-so-that-nghiep.xlsx")


# --- Calculator and law ---------------------------------------------------------------------------


@login_required
def unemployment_calculator(request: HttpRequest) -> HttpResponse:
    """The benefit by the law in force on the contract's end, step by step with the articles."""
    request_user(request)
    form = CalculatorForm(request.GET or None)
    decision = None
    if form.is_valid():
        data = form.cleaned_data
        decision = compute(contract_end=data["contract_end"], months=data["months"],
                           average_salary=data["average_salary"], region=data["region"],
                           state_pay_scale=data["state_pay_scale"], contract_kind=data["contract_kind"],
                           filed_on=data["filed_on"])
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "labour/ui_calculator.html", {"form": form, "decision": decision}, status=status)


def _law_editor(user: Any) -> bool:
    return access.may_change(user, Unit(path="/"), "law")  # administrators (the unit does not matter)


@login_required
def unemployment_law(request: HttpRequest) -> HttpResponse:
    """The rows of the law (everyone signed in reads them); administrators change them."""
    user = request_user(request)
    regions = list(WageRegionUnit.objects.select_related("unit").order_by("unit__sort_key", "valid_from"))
    context = {
        "rules": UnemploymentRule.objects.order_by("valid_from"),
        "wages": RegionalMinimumWage.objects.order_by("valid_from", "region"),
        "bases": BaseSalary.objects.order_by("valid_from"),
        "regions": regions, "admin": _law_editor(user),
        "region_editor": _law_editor(user) or any(access.may_change(user, r.unit, KIND) for r in regions[:200])
        or bool(_provinces(user)),
    }
    return render(request, "labour/ui_law.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unemployment_law_edit(request: HttpRequest, table: str, pk: int | None = None) -> HttpResponse:
    """Adds (pk None) or changes a row of the law; LABOUR_LAW_SAVE with the row before and after."""
    user = request_user(request)
    if table not in LAW_FORMS:
        raise Http404
    model = LAW_MODELS[table]
    row = None
    if pk is not None:
        row = model.objects.filter(pk=pk).first()
        if row is None:
            raise Http404
    admin = _law_editor(user)
    if table != "region" and not admin:
        raise PermissionDenied
    form_class = LAW_FORMS[table]
    fields = list(form_class.Meta.fields)  # type: ignore[attr-defined]
    before = snapshot(row, fields) if row is not None else None  # before the form's cleaning changes the row
    if row is not None and before is not None and table == "region":
        before["unit"] = row.unit_id
    form = form_class(request.POST or None, instance=row)
    units: list[tuple[int, str]] = []
    if table == "region":
        provinces = (Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT) if admin
                     else Unit.objects.filter(pk__in=[p.pk for p in _provinces(user)]))
        if not admin and not provinces.exists():
            raise PermissionDenied
        if row is not None and not (admin or access.may_change(user, row.unit, KIND)):
            raise PermissionDenied
        allowed = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE]).filter(
            Q(pk__in=provinces.values("pk")) | Q(parent__in=provinces.values("pk"))).order_by("sort_key")
        units = list(allowed.values_list("pk", "name"))  # all of them: the country has 3.321 communes
        form.fields["unit"].widget.choices = units  # type: ignore[attr-defined]
        if row is not None:
            form.initial["unit"] = row.unit_id
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        if table == "region":
            chosen = form.cleaned_data["unit"]
            if chosen not in {pk_ for pk_, _name in units}:
                form.add_error("unit", _("Choose a unit of your province."))
                return render(request, "labour/ui_law_form.html", {"form": form, "table": table, "row": row},
                              status=400)
            instance.unit_id = chosen
            fields = [*fields, "unit"]
        try:
            with transaction.atomic():
                instance.full_clean()
                instance.save()
                audit.record(actor=Actor.from_request(request), action=AuditAction.LABOUR_LAW_SAVE, obj=instance,
                             before=before, after=snapshot(instance, fields))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("unemployment-law")
    status = 400 if request.method == "POST" else 200
    return render(request, "labour/ui_law_form.html", {"form": form, "table": table, "row": row}, status=status)


__all__ = ["LawBook", "unemployment_calculator", "unemployment_decide_view", "unemployment_detail", "unemployment_due",
           "unemployment_import", "unemployment_import_template", "unemployment_law", "unemployment_law_edit",
           "unemployment_list", "unemployment_new", "unemployment_report_view", "unemployment_stop_view"]
