"""`{% labour_history members as rows %}`: the labour history of a household's members, for the
register's household page (one query per registry for all of them; only what the user may read)."""

from __future__ import annotations

from typing import Any

from django import template

from ansinh.labour.history import HistoryItem, people_labour_history

register = template.Library()


@register.simple_tag(takes_context=True)
def labour_history(context: Any, *groups: Any) -> list[tuple[Any, list[HistoryItem]]]:
    """(member, her items) for each member of `groups` (lists of members) who has any."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    members = [m for group in groups for m in (group or [])]
    found = people_labour_history(user, members)
    return [(m, found[m.pk]) for m in members if found.get(m.pk)]
