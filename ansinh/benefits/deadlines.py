"""Benefit dossiers on the procedures' pages (due today, this week, overdue; on-time rates): the
dossiers the user may read (`benefits.access`), due on `due_on` (the catalogue's deadline,
`services.deadline_for`), decided (or refused) on `decided_on`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ansinh.procedures.others import Source, register as register_source, url_of

from . import access
from .models import DossierStatus


def register() -> None:
    register_source(Source(
        key="benefit", label=_("Benefit dossiers"), scoped=access.dossiers_for_user, due="due_on",
        resolved="decided_on", open=Q(status__in=[DossierStatus.RECEIVED, DossierStatus.CHECKED]), unit="commune",
        title=_title, url=lambda d: url_of("benefit-dossier-detail", d.pk), select=("person",)))


def _title(dossier: Any) -> str:
    return f"{dossier.person.full_name} — {dossier.get_kind_display()}, {dossier.get_scheme_display()}"
