"""`{% procedure_dossiers current former as rows %}`: the procedure dossiers of a household's
members, for the register's household page (one query for all of them; only what the user may
read through `procedures.access`)."""

from __future__ import annotations

from typing import Any

from django import template

from ansinh.procedures.access import person_dossiers
from ansinh.procedures.models import Dossier

register = template.Library()


@register.simple_tag(takes_context=True)
def procedure_dossiers(context: Any, *groups: Any) -> list[tuple[Any, list[Dossier]]]:
    """(member, her dossiers) for each member of `groups` (lists of members) who has any."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    members = [getattr(m, "member", m) for group in groups for m in (group or [])]
    found = person_dossiers(user, members)
    return [(m, found[m.pk]) for m in members if found.get(m.pk)]
