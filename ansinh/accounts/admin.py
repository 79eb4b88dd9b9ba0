"""The Django admin, for system administrators, is read-only: changes go through the audited
services (CLI, UI), so nothing can change data without an audit row."""

from typing import Any

from django.contrib import admin

from .models import ApiToken, AuditEvent, RoleAssignment, User


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "is_active", "is_demo", "last_login"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "field", "unit"]
    list_filter = ["role", "field"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "object_repr", "unit", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr"]
