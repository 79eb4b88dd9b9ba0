"""Browsing and searching the map, a unit's place in both maps, and hamlets."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ansinh.accounts.access import get_scope, get_unit_for_user, units_for_user
from ansinh.accounts.audit import Actor

from . import services
from .models import HAMLET_KINDS, LEGACY_END, Edition, Kind, Level, Unit

RESULT_LIMIT = 200


def _on(request: HttpRequest) -> dt.date:
    value = request.GET.get("on", "")
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """Search (accent-insensitive) or, with no query, the top of the user's scope on a date."""
    on = _on(request)
    query = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    scope = get_scope(request.user)
    units = units_for_user(request.user).on(on).select_related("parent")
    if level.isdigit() and int(level) in Level.values:
        units = units.filter(level=int(level))
    if query:
        units = units.search(query)
    elif not level:
        # The top of the user's scope: their own units or, on a date of the legacy map (or for a
        # national role), the provinces they can see.
        own = [unit.pk for unit in scope.units if unit.in_force(on)]
        units = units.filter(pk__in=own) if own and not scope.national else units.filter(level=Level.PROVINCE)
    total = units.count()
    context = {
        "units": list(units.vietnamese_order()[:RESULT_LIMIT]),
        "total": total,
        "limit": RESULT_LIMIT,
        "query": query,
        "on": on,
        "level": level,
        "levels": [(value, label) for value, label in Level.choices if value],
        "legacy_date": LEGACY_END,
    }
    template = "geo/_unit_results.html" if request.headers.get("HX-Request") else "geo/unit_list.html"
    return render(request, template, context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    scope = get_scope(request.user)
    children = units_for_user(request.user).filter(parent=unit)
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": list(children.vietnamese_order()),
        "crosswalk": unit.crosswalk(),
        "is_legacy": unit.edition == Edition.LEGACY,
        "can_add_hamlet": unit.level == Level.COMMUNE and unit.edition == Edition.CURRENT and scope.can_change(unit),
        "can_edit": unit.level == Level.HAMLET and scope.can_change(unit),
    }
    return render(request, "geo/unit_detail.html", context)


def _hamlet_kinds() -> list[tuple[str, str]]:
    return [(kind.value, str(kind.label)) for kind in Kind if kind in HAMLET_KINDS]


@login_required
@require_http_methods(["GET", "POST"])
def hamlet_create(request: HttpRequest, pk: int) -> HttpResponse:
    commune = get_unit_for_user(request.user, pk, change=True)
    values = {"name": request.POST.get("name", ""), "kind": request.POST.get("kind", Kind.AP)}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            hamlet = services.hamlet_create(
                actor=Actor.from_request(request), commune=commune, name=values["name"], kind=values["kind"]
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            return redirect("unit-detail", pk=hamlet.pk)
    return render(
        request, "geo/hamlet_form.html",
        {"parent": commune, "values": values, "errors": errors, "kinds": _hamlet_kinds(), "hamlet": None},
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hamlet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hamlet = get_unit_for_user(request.user, pk, change=True)
    if hamlet.level != Level.HAMLET:
        return redirect("unit-detail", pk=hamlet.pk)
    values = {"name": request.POST.get("name", hamlet.name), "kind": request.POST.get("kind", hamlet.kind)}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.hamlet_rename(
                actor=Actor.from_request(request), hamlet=hamlet, name=values["name"], kind=values["kind"]
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            return redirect("unit-detail", pk=hamlet.pk)
    assert isinstance(hamlet.parent, Unit)
    return render(
        request, "geo/hamlet_form.html",
        {"parent": hamlet.parent, "values": values, "errors": errors, "kinds": _hamlet_kinds(), "hamlet": hamlet},
        status=400 if errors else 200,
    )
