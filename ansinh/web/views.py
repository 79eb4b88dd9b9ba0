from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ansinh.accounts.access import get_scope, units_for_user, users_for_user
from ansinh.geo.models import Level


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's scope and real figures: units in scope by level today, users in scope."""
    scope = get_scope(request.user)
    today = timezone.localdate()
    counts = dict(
        units_for_user(request.user).filter(scope.data_filter("")).on(today)
        .values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    figures = [(Level(level).label, counts.get(level, 0)) for level in (Level.PROVINCE, Level.COMMUNE, Level.HAMLET)]
    context = {
        "today": today,
        "figures": figures,
        "user_count": users_for_user(request.user).filter(is_active=True).count(),
    }
    return render(request, "web/home.html", context)
