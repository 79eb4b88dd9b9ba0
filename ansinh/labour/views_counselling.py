"""The pages of counselling sessions and job fairs (phiên giao dịch việc làm, hội thảo): the list
with its filters, a session's page (its figures and the lượt counselled there) and the form (new
or changed), entered by provincial labour officers (`may_change(user, unit, "session")`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.households.forms import add_service_errors

from . import access
from .counselling import session_save
from .forms_placements import SessionFilterForm, SessionForm, session_units
from .models import CounsellingSession
from .views_placements import _page, require_reader


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_reader(user)
    form = SessionFilterForm(request.GET or None, user=user)
    found = form.filter(access.sessions_around_user(user))
    page = _page(request, found, ("-held_on", "-pk"), ("unit",))
    counted = dict(access.counselling_for_user(user).filter(session_id__in=[s.pk for s in page.object_list])
                   .order_by().values_list("session_id").annotate(n=Count("id")))
    for session in page.object_list:
        session.counselled = counted.get(session.pk, 0)
    return render(request, "labour/place_session_list.html", {
        "form": form, "page": page, "can_change": access.enters_anything(user, "session")})


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = access.get_for_user(user, access.sessions_around_user(user).select_related("unit", "created_by"), pk,
                                  unit_attr="unit", kind="session")
    counselled = access.counselling_for_user(user).filter(session=session).aggregate(
        n=Count("id"), benefit=Count("id", filter=Q(on_unemployment_benefit=True)))
    return render(request, "labour/place_session_detail.html", {
        "session": session, "counselled": counselled,
        "may_change": access.may_change(user, session.unit, "session")})


def _session_form(request: HttpRequest, session: CounsellingSession | None) -> HttpResponse:
    user = request_user(request)
    units = session_units(user, lambda unit: access.may_change(user, unit, "session"))
    if not units:
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if session is not None:
        initial = {name: getattr(session, name) for name in ("kind", "held_on", "title", "organiser", "attendance",
                                                              "employers", "vacancies", "hired", "note")}
        initial["unit"] = session.unit_id
        if session.unit_id not in {u.pk for u in units}:
            units = [session.unit, *units]
    form = SessionForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = session_save(actor=Actor.from_request(request), session=session, kind=data["kind"],
                                 unit=data["unit"], held_on=data["held_on"], title=data["title"],
                                 organiser=data["organiser"], attendance=data["attendance"],
                                 employers=data["employers"], vacancies=data["vacancies"], hired=data["hired"],
                                 note=data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session was recorded."))
            return redirect("session-detail", saved.pk)
    return render(request, "labour/place_session_form.html", {"form": form, "session": session},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    return _session_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = access.get_for_user(user, access.sessions_around_user(user).select_related("unit"), pk, unit_attr="unit",
                                  kind="session", change=True)
    return _session_form(request, session)


__all__ = ["session_detail", "session_edit", "session_list", "session_new"]
