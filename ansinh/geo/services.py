"""Changes to the map that users make: hamlets (ấp, khóm, thôn, tổ dân phố) below a commune."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor

from ansinh.lib.vietnamese import fold

from .models import HAMLET_KINDS, Edition, Level, Unit

HAMLET_FIELDS = ["code", "name", "kind", "parent", "valid_from", "valid_to"]


def _clean_hamlet(*, commune_id: int | None, name: str, kind: str, exclude_pk: int | None = None) -> str:
    """Checks a hamlet's type and name; returns the name with its spaces tidied."""
    name = " ".join(name.split())
    if kind not in HAMLET_KINDS:
        raise ValidationError({"kind": _("Choose a hamlet type.")})
    if not name:
        raise ValidationError({"name": _("Enter the hamlet's name.")})
    # SQLite's case folding is ASCII-only, so compare the folded names ("Ấp Chợ" = "ấp chợ").
    clash = Unit.objects.filter(parent_id=commune_id, level=Level.HAMLET, search_name=fold(name), valid_to__isnull=True)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("This commune already has a hamlet with that name.")})
    return name


@transaction.atomic
def hamlet_create(*, actor: Actor, commune: Unit, name: str, kind: str) -> Unit:
    """Adds a hamlet below a current commune; its code is the commune's code and a number."""
    if commune.level != Level.COMMUNE or commune.edition != Edition.CURRENT:
        raise ValidationError(_("Hamlets are added below a commune of the current map."))
    Unit.objects.select_for_update().filter(pk=commune.pk).first()  # one hamlet numbering at a time
    name = _clean_hamlet(commune_id=commune.pk, name=name, kind=kind)
    number = Unit.objects.filter(parent=commune, level=Level.HAMLET).count() + 1
    while Unit.objects.filter(edition=Edition.CURRENT, code=f"{commune.code}-{number:02d}").exists():
        number += 1
    hamlet = Unit(
        code=f"{commune.code}-{number:02d}", name=name, kind=kind, level=Level.HAMLET, edition=Edition.CURRENT,
        parent=commune, valid_from=timezone.localdate(), path="",
    )
    hamlet.set_derived_fields()
    hamlet.save()
    hamlet.path = f"{commune.path}{hamlet.pk}/"
    hamlet.save(update_fields=["path"])
    audit.record(actor=actor, action="geo.hamlet.create", obj=hamlet, unit=hamlet,
                 after=audit.snapshot(hamlet, HAMLET_FIELDS))
    return hamlet


@transaction.atomic
def hamlet_rename(*, actor: Actor, hamlet: Unit, name: str, kind: str) -> Unit:
    if hamlet.level != Level.HAMLET:
        raise ValidationError(_("Only hamlets can be renamed here; the official map comes from the national list."))
    name = _clean_hamlet(commune_id=hamlet.parent_id, name=name, kind=kind, exclude_pk=hamlet.pk)
    before = audit.snapshot(hamlet, HAMLET_FIELDS)
    hamlet.name, hamlet.kind = name, kind
    hamlet.set_derived_fields()
    hamlet.save(update_fields=["name", "kind", "search_name", "sort_key", "updated_at"])
    audit.record(actor=actor, action="geo.hamlet.update", obj=hamlet, unit=hamlet,
                 before=before, after=audit.snapshot(hamlet, HAMLET_FIELDS))
    return hamlet
