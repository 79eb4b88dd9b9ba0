"""Users, the roles that bind them to administrative units, API tokens and the audit log."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Level


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True, help_text="Personal data.")
    is_demo = models.BooleanField(
        default=False, help_text="Made by `ansinh demo setup`: may log in only while ANSINH_DEMO is on."
    )

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    PROVINCIAL_LEADER = "provincial_leader", _("Provincial leader")
    NATIONAL_VIEWER = "national_viewer", _("National viewer")
    ADMIN = "admin", _("System administrator")


class Field(models.TextChoices):
    POVERTY = "poverty", _("Poverty reduction")
    MERITORIOUS = "meritorious", _("Meritorious people")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    LABOUR = "labour", _("Labour and employment")
    CHILDREN = "children", _("Children")
    PLANNING = "planning", _("General planning")


# The level of unit each role is bound to; a role on a unit covers the unit's descendants.
ROLE_LEVEL = {
    Role.COMMUNE_OFFICER: Level.COMMUNE,
    Role.PROVINCIAL_OFFICER: Level.PROVINCE,
    Role.PROVINCIAL_LEADER: Level.PROVINCE,
    Role.NATIONAL_VIEWER: Level.COUNTRY,
    Role.ADMIN: Level.COUNTRY,
}
EDITING_ROLES = {Role.COMMUNE_OFFICER, Role.PROVINCIAL_OFFICER, Role.ADMIN}
AUDIT_ROLES = {Role.PROVINCIAL_LEADER, Role.ADMIN}


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("field"), max_length=24, choices=Field.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit", "field"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(role="provincial_officer", field__gt="") | ~models.Q(role="provincial_officer"),
                name="provincial_officer_has_field",
            ),
        ]

    def __str__(self) -> str:
        field = f" ({self.get_field_display()})" if self.field else ""
        return f"{self.get_role_display()}{field} — {self.unit}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def new_secret() -> str:
        return "ans_" + secrets.token_urlsafe(32)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class AuditEvent(models.Model):
    """Who changed what, where, when, before and after, from which address.

    Written in the same transaction as the change (see `ansinh.accounts.audit.record`).
    Decree 13/2023/NĐ-CP, Art. 27: processing of personal data is logged.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("user"), max_length=150, help_text="The username at the time, or 'system'.")
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
