"""Unemployment dossiers and work permits on the procedures' pages (due today, this week,
overdue; on-time rates): the records the user may read (`labour.access`), due on the catalogue's
deadline (`decision_due`, `due_on`), decided on `decided_on`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ansinh.procedures.others import Source, register as register_source, url_of

from . import access
from .models import DossierState, PermitState


def register() -> None:
    register_source(Source(
        key="unemployment", label=_("Unemployment insurance dossiers"), scoped=access.unemployment_for_user,
        due="decision_due", resolved="decided_on", open=Q(state=DossierState.RECEIVED), unit="commune",
        title=lambda d: d.person.full_name, url=lambda d: url_of("unemployment-detail", d.pk), select=("person",)))
    register_source(Source(
        key="work_permit", label=_("Work permits"), scoped=access.permits_for_user, due="due_on",
        resolved="decided_on", open=Q(state=PermitState.PENDING), unit="worker__workplace", title=_permit_title,
        url=lambda p: url_of("foreign-worker-detail", p.worker_id), select=("worker",)))


def _permit_title(permit: Any) -> str:
    return f"{permit.worker.full_name} — {permit.get_kind_display()}"
