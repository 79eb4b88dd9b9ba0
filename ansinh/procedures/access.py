"""Scope rules of procedure dossiers, built on `ansinh.accounts.access`.

Who sees what (Decree 13/2023/NĐ-CP: personal data only as far as the task needs):
- dossiers go with the receiving unit (`Dossier.unit`, a commune or a province) and the field of
  their procedure (`Dossier.field`);
- a commune officer sees and handles every dossier received by her commune (the commune's
  one-stop shop handles every field);
- a provincial officer sees and handles the dossiers of her field received in her province (by
  the province's service centre or by its communes);
- leaders and national viewers read the dossiers of their units and change nothing;
- administrators everything.
The catalogue of procedures is read by everyone signed in; it is changed by administrators and
the provincial officers of the procedure's field (`services.may_edit_catalogue`).

Views, the API, exports and commands ask these helpers; none of them filters by a unit's path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import EDITING_ROLES, Role
from ansinh.geo.models import Level, Unit

from .models import Dossier, DossierQuerySet

NOTHING = Q(pk__in=[])


def _by_field(user: Any, *, change: bool) -> Q:
    scope = get_scope(user)
    parts: list[Q] = []
    general = [a for a in scope.assignments
               if a.role != Role.PROVINCIAL_OFFICER and (not change or a.role in EDITING_ROLES)]
    if general:
        if any(a.unit.level == Level.COUNTRY for a in general):
            return Q()
        parts.append(scope.assignments_filter(general, "unit"))
    officers: dict[str, list[Any]] = {}
    for a in scope.assignments:
        if a.role == Role.PROVINCIAL_OFFICER and a.field:
            officers.setdefault(a.field, []).append(a)
    for field, mine in officers.items():
        parts.append(scope.assignments_filter(mine, "unit") & Q(field=field))
    if not parts:
        return NOTHING
    out = parts[0]
    for q in parts[1:]:
        out |= q
    return out


def dossiers_for_user(user: Any) -> DossierQuerySet:
    return Dossier.objects.filter(_by_field(user, change=False))


def dossiers_to_change(user: Any) -> DossierQuerySet:
    return Dossier.objects.filter(_by_field(user, change=True))


def may_handle(user: Any, unit: Unit, field: str) -> bool:
    """Receive and handle dossiers of `field` at `unit`."""
    return get_scope(user).can_change(unit, field=field)


def receives_anything(user: Any) -> bool:
    """Some role of the user receives dossiers: the "receive" and "import" buttons."""
    return get_scope(user).changes_anything()


def sees_dossiers(user: Any) -> bool:
    """The menu entry: anyone with a role sees the dossiers of some unit."""
    return bool(get_scope(user).assignments)


def receiving_units(user: Any) -> QuerySet[Unit]:
    """The communes and provinces of the current map where the user may receive dossiers."""
    from ansinh.geo.models import Edition

    scope = get_scope(user)
    editing = [a for a in scope.assignments if a.role in EDITING_ROLES]
    if not editing:
        return Unit.objects.none()
    units = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
    return units.filter(scope.assignments_filter(editing, "")).order_by("level", "name")


def units_in_scope(user: Any) -> QuerySet[Unit]:
    """Communes and provinces whose dossiers the user may read (the list's unit filter)."""
    from ansinh.geo.models import Edition

    scope = get_scope(user)
    units = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
    return units.filter(scope.data_filter("")).order_by("level", "name")


def get_dossier_for_user(user: Any, pk: int, *, change: bool = False) -> Dossier:
    found = (dossiers_for_user(user).select_related("procedure", "unit", "province", "person")
             .filter(pk=pk).first())
    if found is None:
        raise Http404
    if change and not may_handle(user, found.unit, found.field):
        raise PermissionDenied
    return found


# --- the applicant as a person of the register ---------------------------------------------------

APPLICANT_PICK_LIMIT = 20


def applicant_candidates(user: Any, text: str) -> list[Any]:
    """Living people of the households register in the user's scope (what the register lets her
    read: `households.access.members_for_user`), by citizen ID (at least 3 digits, its start) or
    by name, accent-insensitive (`search_name`); at most APPLICANT_PICK_LIMIT, by name."""
    from ansinh.households.access import members_for_user
    from ansinh.lib.vietnamese import fold

    text = " ".join((text or "").split())
    if not text:
        return []
    members = members_for_user(user).filter(died_on__isnull=True)
    digits = text.replace(" ", "")
    if digits.isdigit():
        if len(digits) < 3:
            return []
        members = members.filter(citizen_id__startswith=digits)
    else:
        members = members.filter(search_name__contains=fold(text))
    return list(members.select_related("household__commune").order_by("sort_key", "pk")[:APPLICANT_PICK_LIMIT])


def applicant_for_user(user: Any, raw: Any) -> Any:
    """The person of the register chosen as the applicant, if the user may read her; None when
    nothing was chosen; PermissionDenied for an id outside her scope (or not a person)."""
    from ansinh.households.access import members_for_user

    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise PermissionDenied
    found = members_for_user(user).select_related("household__commune").filter(pk=int(raw)).first()
    if found is None:
        raise PermissionDenied
    return found


def may_see_person(user: Any, person: Any) -> bool:
    """Whether the dossier's page may link to the person's household page."""
    from ansinh.households.access import members_for_user

    return person is not None and members_for_user(user).filter(pk=person.pk).exists()


def person_dossiers(user: Any, people: list[Any]) -> dict[int, list[Dossier]]:
    """The procedure dossiers the user may read of each of `people` (one query), newest first."""
    out: dict[int, list[Dossier]] = {}
    if not people:
        return out
    for dossier in (dossiers_for_user(user).filter(person_id__in=[p.pk for p in people])
                    .select_related("procedure").order_by("-received_at", "-pk")):
        out.setdefault(dossier.person_id or 0, []).append(dossier)
    return out


__all__ = ["applicant_candidates", "applicant_for_user", "may_see_person", "person_dossiers", "dossiers_for_user", "dossiers_to_change", "get_dossier_for_user", "may_handle", "receives_anything",
           "receiving_units", "sees_dossiers", "units_in_scope"]


def in_unit(queryset: DossierQuerySet, unit: Unit) -> DossierQuerySet:
    """The dossiers (of a scoped `queryset`) received in `unit` or below it: the unit filter of the
    lists and the API, which narrows the user's scope and never widens it."""
    return queryset.filter(Q(unit=unit) | Q(unit__path__under=unit.path))
