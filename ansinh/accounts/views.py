from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import audit_events_for_user


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit trail of the user's units, newest first (provincial leaders and administrators)."""
    events = audit_events_for_user(request.user).select_related("unit")
    filters = {key: request.GET.get(key, "").strip() for key in ("user", "action", "since", "until")}
    if filters["user"]:
        events = events.filter(actor_name__icontains=filters["user"])
    if filters["action"]:
        events = events.filter(action__startswith=filters["action"])
    for key, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        try:
            if filters[key]:
                events = events.filter(**{lookup: dt.date.fromisoformat(filters[key])})
        except ValueError:
            filters[key] = ""
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_list.html", {"page": page, "filters": filters})
