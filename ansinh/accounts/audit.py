"""Writing the audit log: every change to data calls `record` inside its own transaction.

Services take an `Actor` (who, from which address) rather than a bare user, so that every row
carries the client address where there is one: `Actor.from_request(request)` in views and the
API, `Actor.cli(user)` in management commands, `Actor.system()` for demo data and loaders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from ansinh.lib.citizen_id import mask_citizen_id

from .models import AuditEvent, User

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Actor:
    """Who does something, and from which client address.

    `ip` is None for the command line and the system: a console has no client address, and the
    column holds IP addresses only (a GenericIPAddressField), so no placeholder is invented.
    """

    user: User | None
    ip: str | None = None

    @classmethod
    def from_request(cls, request: Any) -> Actor:
        """The logged-in user (or None for an anonymous request) and the client's address."""
        user = getattr(request, "user", None)
        return cls(user=user if isinstance(user, User) else None, ip=client_ip(request))

    @classmethod
    def system(cls) -> Actor:
        """The system itself: demo data, map loads, an operator at the console without --as."""
        return cls(user=None)

    @classmethod
    def cli(cls, user: User | None) -> Actor:
        """A management command run as `user` (None: as the system)."""
        return cls(user=user)

    @classmethod
    def of(cls, actor: Actor | User | None, ip: str | None = None) -> Actor:
        """An Actor from what older callers pass (a user, or None, with `ip=`), during the move
        to Actors; an Actor stays as it is unless `ip` fills its missing address."""
        if isinstance(actor, Actor):
            return actor if ip is None or actor.ip is not None else cls(user=actor.user, ip=ip)
        return cls(user=actor, ip=ip)

    @property
    def name(self) -> str:
        return self.user.username if self.user is not None else "system"


def user_of(actor: Actor | User | None) -> User | None:
    """The user behind an actor, for the columns that store who did something (created_by …)."""
    return actor.user if isinstance(actor, Actor) else actor


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
    actor: Actor | User | None,
    action: str,
    obj: models.Model | type[models.Model],
    unit: Any = None,
    before: JsonDict | None = None,
    after: JsonDict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Appends one audit row. Must run inside the transaction that makes the change.

    `actor` is an Actor; a bare user with `ip=` is still accepted while callers move over.
    `obj` is the record acted on, or a model class for an action on many (an export).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction that changes the data")
    who = Actor.of(actor, ip)
    if isinstance(obj, models.Model):
        object_type, object_id, object_repr = obj._meta.label_lower, str(obj.pk), str(obj)[:200]
    else:
        object_type, object_id, object_repr = obj._meta.label_lower, "", str(obj._meta.verbose_name_plural)[:200]
    return AuditEvent.objects.create(
        actor=who.user,
        actor_name=who.name,
        action=str(action),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        unit=unit,
        unit_path=unit.path if unit is not None else "",
        ip=who.ip,
        before=before,
        after=after,
    )


def mask_snapshot(snapshot: Any) -> Any:
    """A snapshot with the values of its citizen-ID keys masked (for the API's raw snapshots)."""
    if not isinstance(snapshot, dict):
        return snapshot
    return {key: mask_citizen_id(str(value)) if "citizen_id" in key and value not in (None, "") else value
            for key, value in snapshot.items()}


def client_ip(request: Any) -> str | None:
    """The client's address; behind a proxy, set the proxy to overwrite REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None
