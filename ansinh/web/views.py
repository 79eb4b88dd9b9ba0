from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ansinh.accounts.access import get_scope, own_units_for_user, request_user, users_for_user
from ansinh.geo.models import Level
from ansinh.poverty import figures
from ansinh.poverty.access import round_communes
from ansinh.poverty.views.rounds import latest_round, round_title


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's scope and real figures: units in scope by level today, users in scope."""
    scope = get_scope(request.user)
    today = timezone.localdate()
    counts = dict(
        own_units_for_user(request.user).on(today)
        .values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    # Levels above the user's own units are not within the scope (a commune officer's "0 provinces").
    top = min((a.unit.level for a in scope.assignments), default=Level.COUNTRY)
    figures = [(Level(level).label, counts.get(level, 0)) for level in (Level.PROVINCE, Level.COMMUNE, Level.HAMLET)
               if level >= top]
    context = {
        "today": today,
        "figures": figures,
        "user_count": users_for_user(request.user).filter(is_active=True).count(),
        "poverty": _poverty_headline(request),
    }
    return render(request, "web/home.html", context)


def _poverty_headline(request: HttpRequest) -> dict[str, Any] | None:
    """The latest classified review round's headline in the user's scope: the round's counts kept
    per commune (poverty.figures.commune_counts), of the communes the user may see."""
    user = request_user(request)
    round_ = latest_round(user)
    if round_ is None:
        return None
    kept = figures.commune_counts(round_, round_communes(user, round_).values_list("pk", flat=True))
    counts = {key: sum(c.get(key, 0) for c in kept.values()) for key in ("households", "poor", "near_poor")}
    households = counts["households"] or 0
    scope = get_scope(user)
    return {
        "round": round_,
        # a commune officer follows the province's round and sees her communes' part of it
        "area": "" if scope.national or scope.covers(round_.unit) else ", ".join(
            a.unit.name for a in scope.assignments),
        "title": round_title(round_),
        "households": households,
        "poor": counts["poor"] or 0,
        "near_poor": counts["near_poor"] or 0,
        "poor_rate": 100 * (counts["poor"] or 0) / households if households else 0.0,
        "near_poor_rate": 100 * (counts["near_poor"] or 0) / households if households else 0.0,
    }
