"""Pages of vocational training: providers (with their courses), courses (with their enrolments),
the enrolment list with its filters (the figures' drill-down: `?unit=<id>&period=…&breakdown=…`),
the import, the trained-labour rates by commune, and the law's rows (levels, the rates'
definition). Scope through `labour.access` (404 outside it; changes refused with a message),
changes through `labour.training` (checked, audited)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ansinh.accounts.access import get_scope, own_units_for_user, request_user
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.tabular import Problem, upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import fold, format_number
from ansinh.plans.periods import Period
from ansinh.web.shortcuts import download

from . import access, training
from .forms_training import CourseForm, DefinitionForm, EnrolmentForm, EnrolmentUpdateForm, LevelForm, ProviderForm
from .indicators_training import FIELD_PARTS, LEVEL_PARTS
from .models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    TrainedRateDefinition,
    TrainingField,
    TrainingLevel,
    TrainingProvider,
)

PAGE_SIZE = 50
SHOWN_PROBLEMS = 200
T = "labour/"


def _errors_to_form(form: Form | DefinitionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _reader(request: HttpRequest) -> Any:
    user = request_user(request)
    if not access.reads_labour(user):
        raise PermissionDenied
    return user


def _unit_and_period(request: HttpRequest, user: Any) -> tuple[Unit | None, Period | None, list[str]]:
    """?unit=<id>&period=YYYY|YYYY-Qn|YYYY-MM: the unit among the user's own units, the period;
    a value that cannot be read gives a message and is ignored (never a 500)."""
    problems: list[str] = []
    unit: Unit | None = None
    raw_unit = request.GET.get("unit", "").strip()
    if raw_unit:
        pk = _int(raw_unit)
        unit = own_units_for_user(user).filter(pk=pk).first() if pk is not None else None
        if unit is None:
            problems.append(_("The unit asked for is not one of your units: every unit is shown."))
    period: Period | None = None
    raw_period = request.GET.get("period", "").strip()
    if raw_period:
        try:
            period = Period.parse(raw_period)
        except ValidationError as error:
            problems.extend(error.messages)
    return unit, period, problems


def _unit_options(user: Any) -> list[tuple[int, str]]:
    """The province(s) and communes of the user's units (the filters' and forms' choices)."""
    units = (own_units_for_user(user).filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
             .order_by("level", "sort_key")[:600])
    return [(u.pk, u.name) for u in units]


def _change_units(user: Any) -> list[tuple[int, str]]:
    ids = [pk for pk, _name in _unit_options(user)]
    units = Unit.objects.in_bulk(ids)
    return [(pk, name) for pk, name in _unit_options(user) if access.may_change(user, units[pk], "training")]


def _page(request: HttpRequest, found: QuerySet[Any]) -> Any:
    return Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))


def _mask(user: Any, rows: list[Enrolment]) -> None:
    """The citizen ID as the user may see it (full for those who change training records)."""
    allowed: dict[int, bool] = {}
    for row in rows:
        if row.commune_id not in allowed:
            allowed[row.commune_id] = access.may_see_personal(user, row.commune, "training")
        number = row.person.citizen_id or ""
        row.shown_number = number if allowed[row.commune_id] else mask_citizen_id(number) if number else ""  # type: ignore[attr-defined]


# --- Providers --------------------------------------------------------------------------------------


@login_required
def training_provider_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    found = access.providers_for_user(user).select_related("unit").annotate(course_count=Count("courses"))
    q = request.GET.get("q", "").strip()
    if q:
        found = found.filter(search_name__contains=fold(q))
    context = {"page": _page(request, found.order_by("search_name", "pk")), "q": q,
               "can_add": access.enters_anything(user, "training")}
    return render(request, T + "training_provider_list.html", context)


def _provider_form_page(request: HttpRequest, provider: TrainingProvider | None) -> HttpResponse:
    user = request_user(request)
    units = _change_units(user)
    if not units:
        raise PermissionDenied
    initial = {}
    if provider is not None:
        initial = {name: getattr(provider, name) for name in ("name", "kind", "address", "decision_number",
                                                              "decision_date", "closed_on")}
        initial["unit"] = provider.unit_id
    form = ProviderForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = Unit.objects.filter(pk=data["unit"]).first()
        if unit is None:
            form.add_error("unit", _("Choose one of your units."))
        else:
            try:
                saved = training.training_provider_save(
                    actor=Actor.from_request(request), provider=provider, name=data["name"], kind=data["kind"],
                    unit=unit, address=data["address"], decision_number=data["decision_number"],
                    decision_date=data["decision_date"], closed_on=data["closed_on"])
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Training provider saved."))
                return redirect("training-provider-detail", saved.pk)
    title = _("Edit the training provider") if provider else _("New training provider")
    return render(request, T + "training_form.html", {"form": form, "title": title,
                                                      "back": "training-provider-list"})


@login_required
@require_http_methods(["GET", "POST"])
def training_provider_new(request: HttpRequest) -> HttpResponse:
    return _provider_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def training_provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    provider = access.get_for_user(user, access.providers_for_user(user), pk, unit_attr="unit", kind="training",
                                   change=True)
    return _provider_form_page(request, provider)


@login_required
@require_http_methods(["GET", "POST"])
def training_provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider, its courses, and (for who may) the form adding a course."""
    user = _reader(request)
    provider = access.get_for_user(user, access.providers_for_user(user), pk, unit_attr="unit", kind="training")
    can_change = access.may_change(user, provider.unit, "training")
    form = CourseForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                course = training.course_save(actor=Actor.from_request(request), provider=provider,
                                              occupation=data["occupation"], level=data["level"], field=data["field"],
                                              funding=data["funding"], starts_on=data["starts_on"],
                                              ends_on=data["ends_on"])
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Course saved."))
                return redirect("course-detail", course.pk)
    courses = (provider.courses.select_related("level").annotate(enrolled=Count("enrolments"))
               .order_by("-starts_on", "pk"))
    context = {"provider": provider, "page": _page(request, courses), "form": form, "can_change": can_change}
    return render(request, T + "training_provider_detail.html", context)


# --- Courses ----------------------------------------------------------------------------------------


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    unit, period, problems = _unit_and_period(request, user)
    found = access.courses_for_user(user).select_related("provider", "level", "unit")
    if unit is not None:
        found = training.within(found, "unit", unit)
    if period is not None:
        found = found.filter(starts_on__gte=period.start, starts_on__lte=period.end)
    level, field, q = (request.GET.get(k, "").strip() for k in ("level", "field", "q"))
    if level:
        found = found.filter(level__code=level)
    if field in TrainingField.values:
        found = found.filter(field=field)
    if q:
        found = found.filter(Q(occupation__icontains=q) | Q(provider__search_name__contains=fold(q)))
    found = found.annotate(enrolled=Count("enrolments")).order_by("-starts_on", "pk")
    context = {"page": _page(request, found), "problems": problems, "units": _unit_options(user),
               "selected_unit": unit.pk if unit else None, "period": request.GET.get("period", ""),
               "levels": TrainingLevel.objects.all(), "level": level, "fields": TrainingField.choices,
               "field": field, "q": q}
    return render(request, T + "training_course_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The course, its enrolments, and (for who may) the form enrolling a member of the register."""
    user = _reader(request)
    course = access.get_for_user(user, access.courses_for_user(user).select_related("provider", "level", "unit"), pk,
                                 unit_attr="unit", kind="training")
    can_change = access.may_change(user, course.unit, "training")
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            province = course.unit if course.unit.level <= Level.PROVINCE else (course.unit.province() or course.unit)
            person = training.find_person(data["citizen_id"], province)
            if person is None:
                form.add_error("citizen_id", _("No living member of the province's register has this citizen ID."))
            else:
                try:
                    training.enrolment_save(actor=Actor.from_request(request), course=course, person=person,
                                            enrolled_on=data["enrolled_on"], status=data["status"],
                                            completed_on=data["completed_on"],
                                            certificate_number=data["certificate_number"])
                except ValidationError as error:
                    _errors_to_form(form, error)
                else:
                    messages.success(request, _("Enrolment saved."))
                    return redirect("course-detail", course.pk)
    enrolments = access.enrolments_for_user(user).filter(course=course).select_related("person", "commune")
    page = _page(request, enrolments.order_by("person__sort_key", "pk"))
    _mask(user, list(page.object_list))
    context = {"course": course, "page": page, "form": form, "can_change": can_change}
    return render(request, T + "training_course_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    course = access.get_for_user(user, access.courses_for_user(user).select_related("provider"), pk,
                                 unit_attr="unit", kind="training", change=True)
    initial = {name: getattr(course, name) for name in ("occupation", "level", "field", "funding", "starts_on",
                                                        "ends_on")}
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training.course_save(actor=Actor.from_request(request), course=course, provider=course.provider,
                                 occupation=data["occupation"], level=data["level"], field=data["field"],
                                 funding=data["funding"], unit=course.unit, starts_on=data["starts_on"],
                                 ends_on=data["ends_on"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Course saved."))
            return redirect("course-detail", course.pk)
    return render(request, T + "training_form.html", {"form": form, "title": _("Edit the course"),
                                                      "back": "course-list"})


# --- Enrolments -------------------------------------------------------------------------------------


def filtered_enrolments(request: HttpRequest, user: Any) -> tuple[QuerySet[Enrolment], dict[str, Any]]:
    """The user's enrolments narrowed by the list's filters, and what the filters hold."""
    unit, period, problems = _unit_and_period(request, user)
    found = access.enrolments_for_user(user)
    if unit is not None:
        found = training.within(found, "commune", unit)
    if period is not None:
        found = found.filter(enrolled_on__gte=period.start, enrolled_on__lte=period.end)
    level, field, status, breakdown, q = (request.GET.get(k, "").strip()
                                          for k in ("level", "field", "status", "breakdown", "q"))
    if level:
        found = found.filter(course__level__code=level)
    if field in TrainingField.values:
        found = found.filter(course__field=field)
    if status in EnrolmentStatus.values:
        found = found.filter(status=status)
    if breakdown in LEVEL_PARTS:
        found = found.filter(course__level__code=breakdown)
    elif breakdown in FIELD_PARTS:
        found = found.filter(course__field=breakdown)
    elif breakdown:
        problems.append(_("Unknown part “%(code)s”: every enrolment is shown.") % {"code": breakdown})
    if q:
        digits = "".join(q.split())
        found = found.filter(person__citizen_id=digits) if digits.isdigit() else \
            found.filter(person__search_name__contains=fold(q))
    state = {"problems": problems, "selected_unit": unit.pk if unit else None, "period": request.GET.get("period", ""),
             "level": level, "field": field, "status": status, "breakdown": breakdown, "q": q}
    return found, state


@login_required
def enrolment_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    found, state = filtered_enrolments(request, user)
    found = found.select_related("person", "commune", "course__level", "course__provider")
    page = _page(request, found.order_by("-enrolled_on", "-pk"))
    _mask(user, list(page.object_list))
    context = {"page": page, "units": _unit_options(user), "levels": TrainingLevel.objects.all(),
               "fields": TrainingField.choices, "statuses": EnrolmentStatus.choices,
               "can_import": access.enters_anything(user, "training"), **state}
    return render(request, T + "training_enrolment_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Completion, certificate, dropping out."""
    user = _reader(request)
    enrolment = access.get_for_user(user, access.enrolments_for_user(user).select_related("course", "person__household__commune"),
                                    pk, unit_attr="commune", kind="training", change=True)
    initial = {name: getattr(enrolment, name) for name in ("status", "completed_on", "certificate_number",
                                                           "certificate_on", "note")}
    form = EnrolmentUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training.enrolment_save(actor=Actor.from_request(request), enrolment=enrolment, course=enrolment.course,
                                    person=enrolment.person, enrolled_on=enrolment.enrolled_on, status=data["status"],
                                    completed_on=data["completed_on"], certificate_number=data["certificate_number"],
                                    certificate_on=data["certificate_on"], note=data["note"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Enrolment saved."))
            return redirect("course-detail", enrolment.course_id)
    title = _("Enrolment of %(name)s") % {"name": enrolment.person.full_name}
    return render(request, T + "training_form.html", {"form": form, "title": title, "back": "enrolment-list"})


def _import_provinces(user: Any) -> list[Unit]:
    units = own_units_for_user(user).filter(edition=Edition.CURRENT, level=Level.PROVINCE).order_by("sort_key")[:100]
    return [u for u in units if access.may_change(user, u, "training")]


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of enrolments: checked as a whole, written all or nothing; a large file goes
    to the background worker (the job's page shows progress and problems)."""
    user = request_user(request)
    provinces = _import_provinces(user)
    if not provinces:
        raise PermissionDenied
    problems: list[Problem] = []
    error = ""
    chosen = provinces[0]
    if request.method == "POST":
        wanted = _int(request.POST.get("province"))
        chosen = next((p for p in provinces if p.pk == wanted), provinces[0]) if wanted is not None else provinces[0]
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the file of enrolments (.xlsx or .csv) to import.")
        elif too_big := upload_limit_error(upload.size):
            error = too_big
        elif upload.size is not None and upload.size > settings.ANSINH_IMPORT_BACKGROUND_BYTES:
            from .jobs_training import enrolment_import_start

            job = enrolment_import_start(actor=Actor.from_request(request), upload=upload, province=chosen)
            return redirect("job-detail", job.pk)
        else:
            from ansinh.lib.tabular import ImportProblems

            from .training_import import import_enrolments

            try:
                result = import_enrolments(actor=Actor.from_request(request), data=upload.read(),
                                           filename=upload.name or "", province=chosen)
            except ImportProblems as refused:
                problems = refused.problems
            else:
                messages.success(request, _("Imported %(n)s enrolments (%(courses)s new courses) from %(file)s.") % {
                    "n": format_number(result.created), "courses": format_number(result.courses_created),
                    "file": result.file})
                return redirect("enrolment-list")
    context = {"problems": problems[:SHOWN_PROBLEMS], "problem_count": len(problems),
               "more": max(0, len(problems) - SHOWN_PROBLEMS), "error": error, "provinces": provinces,
               "chosen": chosen.pk, "max_upload_mb": upload_max_bytes() // (1024 * 1024)}
    return render(request, T + "training_import.html", context)


@login_required
def enrolment_template(request: HttpRequest) -> HttpResponse:
    _reader(request)
    from .training_import import template_csv, template_xlsx

    if request.GET.get("format") == "csv":
        return download(template_csv(), "mau-nhap-nguoi-hoc-nghe.csv", "text/csv; charset=utf-8")
    return download(template_xlsx(), "mau-nhap-nguoi-hoc-nghe.xlsx")


# --- Rates ------------------------------------------------------------------------------------------


@login_required
def training_rates(request: HttpRequest) -> HttpResponse:
    """The trained-labour rates, the rate with certificates and the people employed regularly, by
    commune of a unit, on the period's last day (today without a period), with the definition
    used and its provisional mark."""
    user = request_user(request)
    unit, period, problems = _unit_and_period(request, user)
    if unit is None:
        scope = get_scope(user)
        unit = next((u for u in scope.units if u.edition == Edition.CURRENT and u.level <= Level.COMMUNE
                     and u.level >= Level.PROVINCE), None)
    on = period.end if period is not None else timezone.localdate()
    definition = training.definition_on(on)
    rows: list[tuple[Unit, training.RateCounts]] = []
    total = None
    if unit is not None and definition is not None:
        counts = training.rates_up_the_map(unit, on, definition)
        total = counts.get(unit.pk, training.RateCounts())
        if unit.level < Level.COMMUNE:  # the units right below: a province's communes, the country's provinces
            below = (Unit.objects.filter(parent=unit, level__lte=Level.COMMUNE).exclude(edition=Edition.LEGACY)
                     .order_by("sort_key"))
            rows = [(c, counts.get(c.pk, training.RateCounts())) for c in below]
    elif unit is None:
        problems.append(_("Choose a province or a commune."))
    context = {"unit": unit, "on": on, "definition": definition, "rows": rows, "total": total, "problems": problems,
               "units": _unit_options(user), "period": request.GET.get("period", ""),
               "note": training.PROVISIONAL_NOTE, "can_edit": access.may_change(user, unit, "law") if unit else False}
    return render(request, T + "training_rates.html", context)


# --- The law's rows ---------------------------------------------------------------------------------


@login_required
def training_levels(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    unit = Unit.objects.order_by("level", "pk").first()
    admin = unit is not None and access.may_change(user, unit, "law")
    context = {"levels": TrainingLevel.objects.all(), "definitions": TrainedRateDefinition.objects.order_by("valid_from"),
               "can_edit": admin, "note": training.PROVISIONAL_NOTE}
    return render(request, T + "training_levels.html", context)


def _require_admin(request: HttpRequest) -> Any:
    user = request_user(request)
    unit = Unit.objects.order_by("level", "pk").first()
    if unit is None or not access.may_change(user, unit, "law"):
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET", "POST"])
def training_level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    level = TrainingLevel.objects.filter(pk=pk).first()
    if level is None:
        raise Http404
    initial = {name: getattr(level, name) for name in training.LEVEL_FIELDS}
    form = LevelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training.training_level_save(actor=Actor.from_request(request), level=level, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Training level saved."))
            return redirect("training-levels")
    title = _("Training level: %(name)s") % {"name": level.name}
    return render(request, T + "training_form.html", {"form": form, "title": title, "back": "training-levels"})


@login_required
@require_http_methods(["GET", "POST"])
def training_definition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    definition = TrainedRateDefinition.objects.filter(pk=pk).first()
    if definition is None:
        raise Http404
    form = DefinitionForm(request.POST or None, instance=TrainedRateDefinition.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            training.rate_definition_save(actor=Actor.from_request(request), definition=definition,
                                          values=form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Definition saved."))
            return redirect("training-levels")
    return render(request, T + "training_form.html", {"form": form, "title": _("Definition of the trained-labour rates"),
                                                      "back": "training-levels"})


__all__ = ["course_detail", "course_edit", "course_list", "enrolment_edit", "enrolment_import", "enrolment_list",
           "enrolment_template", "training_definition_edit", "training_level_edit",
           "training_levels", "training_provider_detail", "training_provider_edit", "training_provider_list",
           "training_provider_new", "training_rates"]
