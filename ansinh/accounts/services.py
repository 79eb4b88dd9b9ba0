"""Workflows on users: typed, keyword-only, atomic, audited; they raise ValidationError."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.geo.loader import COUNTRY_CODE
from ansinh.geo.models import Edition, Level, Unit

from . import audit
from .audit import Actor
from .models import ROLE_LEVEL, ApiToken, AuditAction, Field, Role, RoleAssignment, User, hash_token


def unit_for_role(*, role: str, code: str | None, on: dt.date | None = None) -> Unit:
    """The current-map unit a role is bound to: a commune, a province, or the country."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s; one of: %(roles)s") % {"role": role, "roles": ", ".join(Role.values)})
    level = ROLE_LEVEL[Role(role)]
    if level == Level.COUNTRY:
        if code not in (None, "", COUNTRY_CODE):
            raise ValidationError(_("The role %(role)s covers the whole country: give --unit VN or none.") % {"role": role})
        code = COUNTRY_CODE
    if not code:
        raise ValidationError(_("The role %(role)s needs a unit code.") % {"role": role})
    on = on or timezone.localdate()
    candidates = Unit.objects.on(on).by_code(code).filter(level=level)
    if level != Level.COUNTRY:
        candidates = candidates.filter(edition=Edition.CURRENT)
    unit = candidates.first()
    if unit is None:
        raise ValidationError(
            _("No %(level)s with code %(code)s in the current map.") % {"level": Level(level).label, "code": code}
        )
    return unit


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    unit: Unit,
    field: str = "",
    full_name: str = "",
    is_demo: bool = False,
    actor: Actor | None = None,
) -> User:
    """Creates a user with one role on one unit.

    1. Check the username is free, the role fits the unit's level and the field the role.
    2. Check the password's strength (Django's validators, minimum 10 characters).
    3. Create the user (password hashed with Argon2) and the role, and audit both.
    """
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username %(username)s is already taken.") % {"username": username})
    if unit.level != ROLE_LEVEL[Role(role)]:
        raise ValidationError(_("The role %(role)s must be bound to a unit of another level.") % {"role": role})
    if role == Role.PROVINCIAL_OFFICER and field not in Field.values:
        raise ValidationError(
            _("A provincial officer needs a field; one of: %(fields)s") % {"fields": ", ".join(Field.values)}
        )
    if role != Role.PROVINCIAL_OFFICER and field:
        raise ValidationError(_("Only a provincial officer has a field."))
    user = User(username=username, full_name=full_name, is_demo=is_demo, is_staff=(role == Role.ADMIN))
    validate_password(password, user)
    user.set_password(password)
    user.is_superuser = role == Role.ADMIN
    user.save()
    RoleAssignment.objects.create(user=user, role=role, unit=unit, field=field)
    audit.record(
        actor=actor or Actor.system(), action=AuditAction.USER_CREATE, obj=user, unit=unit,
        after={"username": username, "role": role, "unit": unit.code, "field": field, "is_demo": is_demo},
    )
    return user


@transaction.atomic
def token_create(*, user: User, actor: Actor | None = None) -> str:
    """A new API token for the user; returns the secret, which is not stored and not shown again."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, key_hash=hash_token(secret), prefix=secret[:10])
    audit.record(actor=actor or Actor.system(), action=AuditAction.TOKEN_CREATE, obj=token, after={"prefix": token.prefix})
    return secret
