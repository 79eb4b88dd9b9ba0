"""Workflows on users: typed, keyword-only, atomic, audited; they raise ValidationError."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.geo.loader import COUNTRY_CODE
from ansinh.geo.models import Edition, Level, Unit

from . import audit
from .models import ROLE_LEVEL, ApiToken, AuditAction, Field, Role, RoleAssignment, User, hash_token
from .passwords import generate_password
from .audit import Actor



Action = AuditAction  # the audit actions of this module



# The API writes a token's last use at most this often, not on every request.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


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


def _check_role(*, role: str, unit: Unit, field: str) -> None:
    """The role exists, its unit is of the role's level, and a field is given where (and only
    where) the role needs one: a provincial officer works in one field."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s; one of: %(roles)s") % {"role": role, "roles": ", ".join(Role.values)})
    if unit.level != ROLE_LEVEL[Role(role)]:
        raise ValidationError(_("The role %(role)s must be bound to a unit of another level.") % {"role": role})
    if role == Role.PROVINCIAL_OFFICER and field not in Field.values:
        raise ValidationError(
            _("A provincial officer needs a field; one of: %(fields)s") % {"fields": ", ".join(Field.values)}
        )
    if role != Role.PROVINCIAL_OFFICER and field:
        raise ValidationError(_("Only a provincial officer has a field."))


def home_unit(user: User) -> Unit | None:
    """The unit a user's audit rows are filed under: that of her first role (so that the leader
    of her province reads them); None for a user without a role."""
    first = RoleAssignment.objects.filter(user=user).select_related("unit").order_by("pk").first()
    return first.unit if first is not None else None


def active_admin_ids() -> set[int]:
    """The active administrators, locked until the transaction ends (on PostgreSQL; SQLite
    serialises writers anyway), so that two administrators deactivating each other at once
    cannot leave the system without one."""
    ids = set(RoleAssignment.objects.filter(role=Role.ADMIN, user__is_active=True).values_list("user_id", flat=True))
    list(User.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    return ids


def _sync_admin_flags(user: User) -> None:
    """An administrator is staff and superuser (the Django admin); nobody else is."""
    is_admin = RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists()
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    unit: Unit,
    field: str = "",
    full_name: str = "",
    email: str = "",
    is_demo: bool = False,
    actor: Actor | None = None,
) -> User:
    """Creates a user with one role on one unit.

    1. Check the username (Django's rules, free whatever its case), the e-mail, the role against
       the unit's level and the field against the role.
    2. Check the password (settings.AUTH_PASSWORD_VALIDATORS: 12 characters, not common, not like
       the username, not the demo password).
    3. Create the user (password hashed with Argon2) and the role, and audit both.
    """
    username = username.strip()
    if not username:
        raise ValidationError(_("Give a username."))
    User.username_validator(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username %(username)s is already taken.") % {"username": username})
    email = email.strip()
    if email:
        validate_email(email)
    _check_role(role=role, unit=unit, field=field)
    user = User(username=username, full_name=full_name.strip(), email=email, is_demo=is_demo,
                is_staff=(role == Role.ADMIN))
    validate_password(password, user)
    user.set_password(password)
    user.is_superuser = role == Role.ADMIN
    user.set_derived_fields()
    user.save()
    RoleAssignment.objects.create(user=user, role=role, unit=unit, field=field)
    audit.record(
        actor=actor or Actor.system(), action=Action.USER_CREATE, obj=user, unit=unit,
        after={"username": username, "full_name": user.full_name, "email": email, "role": role, "unit": unit.code,
               "field": field, "is_demo": is_demo},
    )
    return user


@transaction.atomic
def user_update(*, user: User, full_name: str, email: str, actor: Actor) -> User:
    """Changes a user's full name and e-mail (the username stays: audit rows and logs name it)."""
    email = email.strip()
    if email:
        validate_email(email)
    before = {"full_name": user.full_name, "email": user.email}
    user.full_name, user.email = full_name.strip(), email
    after = {"full_name": user.full_name, "email": user.email}
    if before == after:
        return user
    user.set_derived_fields()
    user.save(update_fields=["full_name", "email", "search_name"])
    audit.record(actor=actor, action=Action.USER_UPDATE, obj=user, unit=home_unit(user),
                 before=before, after=after)
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: Actor) -> None:
    """Stops a user from logging in and from using her API tokens (her records and audit rows
    stay). Nobody deactivates herself, nor the last active administrator."""
    acting = audit.user_of(actor)  # tests still hand a bare user
    if acting is not None and acting.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    admins = active_admin_ids()
    if user.pk in admins and len(admins) <= 1:
        raise ValidationError(_("%(user)s is the last active administrator: make another administrator first.")
                              % {"user": user.username})
    if not User.objects.filter(pk=user.pk, is_active=True).update(is_active=False):
        raise ValidationError(_("This account is already deactivated."))
    user.is_active = False
    audit.record(actor=actor, action=Action.USER_DEACTIVATE, obj=user, unit=home_unit(user),
                 before={"is_active": True}, after={"is_active": False})


@transaction.atomic
def user_reactivate(*, user: User, actor: Actor) -> None:
    """Lets a deactivated user log in again (audited as an update of `is_active`)."""
    if not User.objects.filter(pk=user.pk, is_active=False).update(is_active=True):
        raise ValidationError(_("This account is already active."))
    user.is_active = True
    audit.record(actor=actor, action=Action.USER_UPDATE, obj=user, unit=home_unit(user),
                 before={"is_active": False}, after={"is_active": True})


@transaction.atomic
def user_password_reset(*, user: User, actor: Actor, password: str | None = None) -> str:
    """Sets a new password for someone else: the one given, or a generated one; returns it, to be
    shown once. The password itself is never audited."""
    generated = password is None or password == ""
    new = generate_password() if generated else str(password)
    validate_password(new, user)
    user.set_password(new)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action=Action.USER_PASSWORD_RESET, obj=user, unit=home_unit(user),
                 after={"generated": generated})
    return new


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str, actor: Actor | None = None) -> None:
    """A user changes her own password: the old one must be right, the new one pass the rules."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Your old password was entered incorrectly.")})
    if new_password == old_password:
        raise ValidationError({"new_password1": _("The new password is the same as the old one.")})
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(actor=actor or Actor(user=user), action=Action.USER_PASSWORD_CHANGE, obj=user, unit=home_unit(user))


@transaction.atomic
def role_grant(*, user: User, role: str, unit: Unit, field: str = "", actor: Actor) -> RoleAssignment:
    """Gives a user a role on a unit (with a field for a provincial officer)."""
    _check_role(role=role, unit=unit, field=field)
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit, field=field).exists():
        raise ValidationError(_("%(user)s already has this role on this unit.") % {"user": user.username})
    assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit, field=field)
    _sync_admin_flags(user)
    audit.record(actor=actor, action=Action.ROLE_GRANT, obj=user, unit=unit,
                 after={"role": role, "unit": unit.code, "field": field})
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: Actor) -> None:
    """Takes a role away. A user keeps at least one role (deactivate her instead), and the last
    active administrator keeps hers."""
    user = assignment.user
    if not RoleAssignment.objects.filter(user=user).exclude(pk=assignment.pk).exists():
        raise ValidationError(_("This is the user's only role: deactivate the account instead."))
    if assignment.role == Role.ADMIN and user.is_active:
        admins = active_admin_ids()
        others = RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exclude(pk=assignment.pk).exists()
        if not others and admins <= {user.pk}:
            raise ValidationError(_("%(user)s is the last active administrator: make another administrator first.")
                                  % {"user": user.username})
    unit = assignment.unit
    before = {"role": assignment.role, "unit": unit.code, "field": assignment.field}
    if not RoleAssignment.objects.filter(pk=assignment.pk).delete()[0]:
        raise ValidationError(_("This role was already taken away."))
    _sync_admin_flags(user)
    audit.record(actor=actor, action=Action.ROLE_REVOKE, obj=user, unit=unit, before=before)


@transaction.atomic
def token_create(*, user: User, actor: Actor | None = None, days: int | None = None) -> str:
    """A new API token for the user; returns the secret, which is not stored and not shown again.

    It expires `days` days from now (default settings.API_TOKEN_DAYS; 0: never)."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if days < 0 or days > 3650:
        raise ValidationError(_("A token lasts from 1 to 3650 days (0: it never expires)."))
    secret = ApiToken.new_secret()
    expires_at = timezone.now() + dt.timedelta(days=days) if days else None
    token = ApiToken.objects.create(user=user, key_hash=hash_token(secret), prefix=secret[:10], expires_at=expires_at)
    audit.record(actor=actor or Actor.system(), action=Action.TOKEN_CREATE, obj=token, unit=home_unit(user),
                 after={"prefix": token.prefix, "user": user.username,
                        "expires_at": expires_at.isoformat() if expires_at else None})
    return secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor) -> None:
    """Revokes a token for good: the API refuses it from now on."""
    now = timezone.now()
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        raise ValidationError(_("This token was already revoked."))
    token.revoked_at = now
    audit.record(actor=actor, action=Action.TOKEN_REVOKE, obj=token, unit=home_unit(token.user),
                 before={"prefix": token.prefix, "user": token.user.username})


def token_touch(token: ApiToken, *, now: dt.datetime | None = None) -> None:
    """Records that a token was used, at most once a minute (no write on every API request)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
