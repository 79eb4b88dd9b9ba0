"""The calendar's page: a year's days off for the country or a province, and the decisions
behind them, which administrators (national) and provincial officers and leaders (their
province) add, edit and remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.accounts.access import get_scope, request_user, units_for_user
from ansinh.accounts.audit import client_ip
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib import workdays
from ansinh.web.shortcuts import int_param

from . import services
from .access import can_edit_calendar, days_for_user, editable_provinces, get_day_for_user
from .calendar import calendar_for
from .forms import CalendarDayForm
from .models import CalendarDay


def _province(request: HttpRequest) -> Unit | None:
    """?province=ID, a current province the user may see (else 404); by default the user's own."""
    pk = int_param(request, "province", not_found=True)
    provinces = units_for_user(request.user).filter(level=Level.PROVINCE, edition=Edition.CURRENT)
    if pk is not None:
        found = provinces.filter(pk=pk).first()
        if found is None:
            raise Http404
        return found
    own = [unit.province() for unit in get_scope(request.user).units if unit.level != Level.COUNTRY]
    return next((unit for unit in own if unit is not None and unit.edition == Edition.CURRENT), None)


@login_required
def calendar_year(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = int_param(request, "year", default=today.year, low=workdays.FIRST_YEAR, high=workdays.LAST_YEAR)
    assert year is not None
    province = _province(request)
    days = calendar_for(province).days_off(year)
    decisions = (days_for_user(request.user).for_province(province).filter(day__year=year)
                 .select_related("province"))
    user = request_user(request)
    context = {
        "year": year,
        "province": province,
        "days": days,
        "decisions": [(entry, can_edit_calendar(user, entry.province)) for entry in decisions],
        "provinces": units_for_user(user).filter(level=Level.PROVINCE, edition=Edition.CURRENT).order_by("code"),
        "can_add": can_edit_calendar(user, None) or editable_provinces(user).exists(),
        "weekday_days": sum(1 for d in days if d.kind != workdays.WORKING_DAY and d.day.weekday() not in workdays.REST_DAYS),
        "counting_basis": workdays.COUNTING_BASIS,
    }
    return render(request, "workdays/calendar_year.html", context)


def _save(request: HttpRequest, entry: CalendarDay | None) -> HttpResponse:
    user = request_user(request)
    national = can_edit_calendar(user, None)
    provinces = editable_provinces(user)
    if not national and not provinces.exists():
        raise PermissionDenied
    form = CalendarDayForm(request.POST or None, instance=entry, provinces=provinces, national=national)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"day": data["day"], "kind": data["kind"], "province": data["province"], "reason": data["reason"],
                  "legal_basis": data["legal_basis"], "provisional": data["provisional"]}
        if not can_edit_calendar(user, fields["province"]):
            raise PermissionDenied
        try:
            if entry is None:
                saved = services.calendar_day_create(actor=user, ip=client_ip(request), **fields)
            else:
                saved = services.calendar_day_update(actor=user, entry=entry, ip=client_ip(request), **fields)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect(_list_url(saved.day.year, saved.province_id))
    return render(request, "workdays/calendar_day_form.html", {"form": form, "entry": entry},
                  status=400 if form.errors else 200)


def _list_url(year: int, province_id: int | None) -> str:
    return f"{reverse('calendar-year')}?year={year}" + (f"&province={province_id}" if province_id else "")


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, get_day_for_user(request.user, pk, change=True))


@login_required
@require_POST
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_day_for_user(request.user, pk, change=True)
    year, province_id = entry.day.year, entry.province_id
    services.calendar_day_delete(actor=request_user(request), entry=entry, ip=client_ip(request))
    messages.success(request, _("Removed."))
    return redirect(_list_url(year, province_id))
