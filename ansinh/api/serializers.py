from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import mask_snapshot
from ansinh.accounts.models import AuditEvent, RoleAssignment
from ansinh.geo.models import Unit


class UnitSerializer(serializers.ModelSerializer[Unit]):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "kind_display", "level", "edition", "parent", "parent_code",
                  "valid_from", "valid_to", "official"]


class CrosswalkEntrySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="unit.pk")
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    level = serializers.IntegerField(source="unit.level")
    edition = serializers.CharField(source="unit.edition")
    partial = serializers.BooleanField(  # type: ignore[assignment]  # DRF pops declared fields
        allow_null=True, help_text="The legacy unit was split: only part of it went into the current one."
    )


class UnitDetailSerializer(UnitSerializer):
    ancestors = UnitSerializer(many=True, read_only=True)
    crosswalk = serializers.SerializerMethodField(
        help_text="Legacy unit: its current successors. Current unit: its legacy sources."
    )

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "basis", "ancestors", "crosswalk"]

    @extend_schema_field(CrosswalkEntrySerializer(many=True))
    def get_crosswalk(self, unit: Unit) -> list[dict[str, object]]:
        entries = [{"unit": other, "partial": partial} for other, partial in unit.crosswalk()]
        return list(CrosswalkEntrySerializer(entries, many=True).data)


class RoleSerializer(serializers.ModelSerializer[RoleAssignment]):
    unit = UnitSerializer(read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "field", "unit"]


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    unit_code = serializers.CharField(source="unit.code", default=None, read_only=True)
    # A plain string: rows older than the action choices keep their raw value.
    action = serializers.CharField(read_only=True)
    action_label = serializers.CharField(read_only=True)

    def to_representation(self, instance: AuditEvent) -> dict[str, Any]:
        """Citizen IDs in the snapshots masked for a caller who may not see them in full, as on the page."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not get_scope(request.user).may_see_citizen_ids(instance.unit):
            data["before"], data["after"] = mask_snapshot(data["before"]), mask_snapshot(data["after"])
        return data

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor_name", "action", "action_label", "object_type", "object_id", "object_repr",
                  "unit", "unit_code", "ip", "before", "after"]
