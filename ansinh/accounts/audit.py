"""Writing the audit log: every change to data calls `record` inside its own transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from .models import AuditEvent, User

JsonDict = dict[str, Any]


def snapshot(obj: models.Model, fields: list[str]) -> JsonDict:
    """The named fields of a record, as JSON-able values (dates as ISO strings, FKs as ids)."""
    out: JsonDict = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[name] = value
    return out


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    unit: Any = None,
    before: JsonDict | None = None,
    after: JsonDict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Appends one audit row. Must run inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction that changes the data")
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.username if actor else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        unit_path=unit.path if unit is not None else "",
        ip=ip,
        before=before,
        after=after,
    )


def client_ip(request: Any) -> str | None:
    """The client's address; behind a proxy, set the proxy to overwrite REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None
