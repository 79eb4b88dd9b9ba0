"""Downloads of a plan's documents and the page where a department words an indicator's sentence.

- plan-document: the plan as .docx (Decree 30/2020/NĐ-CP layout) with its appendix;
  plan-appendix: the appendix as .xlsx.
- report-document / report-xlsx (?period=2020-Q1&unit=ID): the periodic report of a unit (default:
  the plan's unit) as .docx, or its tables as .xlsx.
- report-package (POST, ?period=&unit=): the unit's report and its communes' as one .zip, made by
  a background job (ansinh.plans.jobs); the job's page shows the progress and the download.
- indicator-sentence: a provincial officer (or an administrator) sets the province's own sentence
  of an indicator, with a preview on made-up figures; blank goes back to the catalogue's.

Access: the plan comes through `get_plan_for_user` (404 outside the user's scope); a report's unit
must be in the plan's area and its figures inside the user's units (404 otherwise).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.accounts.access import get_scope, request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Role, User
from ansinh.geo.models import Edition, Level, Unit, current_home
from ansinh.households.forms import add_service_errors
from ansinh.lib.vietnamese import fold
from ansinh.plans import documents, sentences, services, tables_xlsx
from ansinh.plans import jobs as plan_jobs
from ansinh.plans.access import get_plan_for_user
from ansinh.plans.forms import ReportTextForm
from ansinh.plans.models import Indicator, IndicatorSentence, Plan, ReportText
from ansinh.plans.periods import Period
from ansinh.web.shortcuts import DOCX, XLSX, download, unit_param

def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", fold(text)).strip("-") or "tai-lieu"


def in_area(plan: Plan, unit: Unit) -> bool:
    """The unit is the plan's unit or below it (on the plan's map, or below its home on the other)."""
    area = plan.unit if unit.edition == plan.unit.edition else plan.home
    return unit.path.startswith(area.path) and unit.level <= Level.COMMUNE


def _report_args(request: HttpRequest, pk: int) -> tuple[Plan, Period, Unit] | HttpResponse:
    user = request_user(request)
    plan = get_plan_for_user(user, pk)
    try:
        period = Period.parse(request.GET.get("period", ""))
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    if period.year != plan.year:
        return HttpResponseBadRequest(_("The period must be in the plan's year %(year)d.") % {"year": plan.year})
    unit = unit_param(request, user, plan.unit)
    scope = get_scope(user)
    if not in_area(plan, unit) or not (scope.national or scope.covers(current_home(unit))):
        raise Http404
    return plan, period, unit


@login_required
@require_GET
def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request_user(request), pk)
    return download(documents.plan_docx(plan), f"ke-hoach-{_slug(plan.number)}-{plan.year}.docx", DOCX)


@login_required
@require_GET
def plan_appendix(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request_user(request), pk)
    return download(tables_xlsx.plan_appendix_xlsx(plan), f"phu-luc-{_slug(plan.number)}-{plan.year}.xlsx", XLSX)


@login_required
@require_GET
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    found = _report_args(request, pk)
    if isinstance(found, HttpResponse):
        return found
    plan, period, unit = found
    return download(documents.report_docx(plan, period, unit),
                    f"bao-cao-{_slug(period.key)}-{_slug(unit.name)}.docx", DOCX)


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    found = _report_args(request, pk)
    if isinstance(found, HttpResponse):
        return found
    plan, period, unit = found
    return download(tables_xlsx.report_xlsx(plan, period, unit),
                    f"so-lieu-{_slug(period.key)}-{_slug(unit.name)}.xlsx", XLSX)


@login_required
@require_POST
def report_package(request: HttpRequest, pk: int) -> HttpResponse:
    """Queues the package (.zip) of the unit's report and its communes' reports as a background job;
    its page shows the progress and, when done, the download (ansinh.plans.jobs)."""
    found = _report_args(request, pk)
    if isinstance(found, HttpResponse):
        return found
    plan, period, unit = found
    try:
        job = plan_jobs.package_start(plan=plan, period=period, unit=unit,
                                      actor=Actor.from_request(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("plan-results", args=[plan.pk]) + "?" + urlencode(
            {"period": period.key, "unit": str(unit.pk)}))
    return redirect(job.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def report_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The words of a unit's periodic report (?period=&unit=): number, date, «Nhận xét, đánh giá»,
    recipients. Those who may change the unit's data write them; the figures are never typed here."""
    found = _report_args(request, pk)
    if isinstance(found, HttpResponse):
        return found
    plan, period, unit = found
    user = request_user(request)
    if not get_scope(user).can_change(current_home(unit)):
        raise PermissionDenied
    stored = ReportText.objects.filter(plan=plan, unit=unit, period=period.key).first()
    query = {"period": period.key, "unit": str(unit.pk)}
    if request.method == "POST":
        form = ReportTextForm(request.POST)
        if form.is_valid():
            try:
                services.report_text_save(actor=Actor.from_request(request), plan=plan, unit=unit, period=period, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The report's text is saved."))
                return redirect(reverse("plan-results", args=[plan.pk]) + "?" + urlencode(query))
    else:
        form = ReportTextForm(initial={name: getattr(stored, name) for name in services.REPORT_TEXT_FIELDS}
                              if stored is not None else {})
    context = {"form": form, "plan": plan, "period_label": period.label(), "unit": unit,
               "results_url": reverse("plan-results", args=[plan.pk]) + "?" + urlencode(query),
               "document_url": reverse("report-document", args=[plan.pk]) + "?" + urlencode(query)}
    failed = request.method == "POST" and bool(form.errors)
    return render(request, "plans/documents/report_text.html", context, status=400 if failed else 200)


# --- the department's sentence ---------------------------------------------------------------------


def sentence_units(user: User) -> QuerySet[Unit]:
    """The provinces whose sentences the user may set: a provincial officer's provinces; every
    province of the current map for an administrator."""
    scope = get_scope(user)
    if Role.ADMIN in scope.roles:
        return Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE).vietnamese_order()
    ids = [a.unit.pk for a in scope.assignments if a.role == Role.PROVINCIAL_OFFICER and a.unit.level == Level.PROVINCE]
    return Unit.objects.filter(pk__in=ids).vietnamese_order()


class SentenceForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Province"), queryset=Unit.objects.none(), empty_label=None)
    text = forms.CharField(label=gettext_lazy("Sentence template"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
                           help_text=gettext_lazy("Leave empty to use the catalogue's sentence."))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


def _back_link() -> str | None:
    try:
        return reverse("indicator-list")
    except NoReverseMatch:  # the catalogue page belongs to the plans pages
        return None


@login_required
@require_http_methods(["GET", "POST"])
def indicator_sentence(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    indicator = get_object_or_404(Indicator, pk=pk)
    units = sentence_units(user)
    if not units.exists():
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    chosen = str(source.get("unit") or "")
    unit = units.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if chosen and unit is None:
        raise Http404
    unit = unit or units.first()
    assert unit is not None
    own = IndicatorSentence.objects.filter(indicator=indicator, unit=unit).first()
    status = 200
    text = own.text if own is not None else indicator.sentence
    if request.method == "POST":
        form = SentenceForm(request.POST, units=units)
        text = request.POST.get("text", "")
        if form.is_valid() and "preview" not in request.POST:
            try:
                saved = sentences.sentence_save(actor=Actor.from_request(request), indicator=indicator, unit=unit, text=text)
            except ValidationError as error:
                found = error.message_dict.get("text", []) if hasattr(error, "error_dict") else error.messages
                for message in found:
                    form.add_error("text", message)
            else:
                names = {"indicator": indicator.name, "unit": unit.name}
                if saved is not None:
                    messages.success(request, _("The sentence of %(indicator)s for %(unit)s is saved.") % names)
                else:
                    messages.success(request, _("%(unit)s uses the catalogue's sentence of %(indicator)s again.")
                                     % names)
                return redirect(f"{reverse('indicator-sentence', args=[indicator.pk])}?unit={unit.pk}")
        elif form.is_valid():
            for message in sentences.check_template(text, Indicator.objects.values_list("code", flat=True)):
                form.add_error("text", message)
        if form.errors:
            status = 400
    else:
        form = SentenceForm(units=units, initial={"unit": unit.pk, "text": text})
    shown = text if text.strip() else indicator.sentence
    errors = sentences.check_template(shown, Indicator.objects.values_list("code", flat=True))
    example = sentences.preview(indicator, shown) if shown.strip() and not errors else ""
    codes = list(Indicator.objects.exclude(pk=indicator.pk).order_by("order").values_list("code", "name"))
    return render(request, "plans/documents/indicator_sentence.html", {
        "indicator": indicator, "unit": unit, "form": form, "own": own, "example": example,
        "placeholders": PLACEHOLDER_HELP, "codes": codes, "back": _back_link(),
    }, status=status)


PLACEHOLDER_HELP = [
    ("{value}", gettext_lazy("the figure (7.645)")),
    ("{unit}", gettext_lazy("the unit of measure")),
    ("{target}", gettext_lazy("the target")),
    ("{percent}", gettext_lazy("the figure as a share of the target (33,2%)")),
    ("{breakdowns}", gettext_lazy("the parts: women 3.899 workers, …")),
    ("{change}", gettext_lazy("the change against the same period last year")),
    ("{period}", gettext_lazy("the period (quý I năm 2020)")),
    ("[[…]]", gettext_lazy("an optional part, left out when a figure inside it is missing")),
]
