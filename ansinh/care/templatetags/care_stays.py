"""`{% care_stays current former as rows %}`: the stays of a household's members in social
protection and drug rehabilitation facilities, for the register's household page (one query for
all of them; only the stays the user may read, `access_facilities.residents_for_user`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import template

from ansinh.care import access_facilities as access
from ansinh.care.models_facilities import Resident

register = template.Library()


@register.simple_tag(takes_context=True)
def care_stays(context: Any, *groups: Any) -> list[tuple[Any, list[Resident]]]:
    """(member, her stays, the latest first) for each member of `groups` (lists of members) who has any."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not access.sees_facilities(user):
        return []
    members = [m for group in groups for m in (group or [])]
    if not members:
        return []
    found: dict[int, list[Resident]] = defaultdict(list)
    for stay in (access.residents_for_user(user).filter(member_id__in=[m.pk for m in members])
                 .select_related("facility", "category").order_by("-admitted_on", "-pk")):
        found[stay.member_id].append(stay)  # type: ignore[index]
    return [(m, found[m.pk]) for m in members if found.get(m.pk)]
