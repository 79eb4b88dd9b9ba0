"""API v1. Every queryset comes from the access layer (ansinh.accounts.access)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts.access import audit_events_for_user, get_scope, request_user, units_for_user
from ansinh.accounts.models import AuditEvent
from ansinh.geo.models import Level, Unit

from .params import typed_value
from .serializers import AuditEventSerializer, RoleSerializer, UnitDetailSerializer, UnitSerializer

LEVELS = {"country": 0, "province": 1, "district": 2, "commune": 3, "hamlet": 4}


def _date_param(request: Request, name: str) -> dt.date | None:
    value = typed_value(request, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: "Expected a date YYYY-MM-DD."}) from None


@extend_schema(
    parameters=[
        OpenApiParameter("on", OpenApiTypes.DATE, description="Units in force on this date (default: today)."),
        OpenApiParameter("level", str, enum=[*LEVELS, "0", "1", "2", "3", "4"]),
        OpenApiParameter("parent", str, description="Code of the parent unit, in the map in force on `on`."),
        OpenApiParameter("q", str, description="Accent-insensitive search in names ('tra cu' finds 'Trà Cú')."),
    ]
)
class UnitList(generics.ListAPIView[Unit]):
    """Administrative units in the caller's scope, in force on a date."""

    serializer_class = UnitSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        on = _date_param(self.request, "on") or timezone.localdate()
        units = units_for_user(self.request.user).on(on).select_related("parent")
        level = typed_value(self.request, "level")
        if level is not None:
            number = LEVELS.get(level, int(level) if level.isdigit() else -1)
            if number not in Level.values:
                raise ValidationError({"level": f"One of {', '.join(LEVELS)} (or 0-4)."})
            units = units.filter(level=number)
        parent = self.request.query_params.get("parent")
        if parent:
            parents = Unit.objects.on(on).by_code(parent).values("pk")
            units = units.filter(parent__in=parents)
        if query := self.request.query_params.get("q"):
            units = units.search(query)
        return units.vietnamese_order()


class UnitDetail(generics.RetrieveAPIView[Unit]):
    """A unit, its ancestors and its crosswalk (successors of a legacy unit, sources of a current one)."""

    serializer_class = UnitDetailSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        return units_for_user(self.request.user).select_related("parent")


class MeSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = RoleSerializer(many=True)


class Me(APIView):
    """The caller and the roles that make up their scope."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request_user(request)
        data = {"username": user.username, "full_name": user.full_name, "roles": get_scope(user).assignments}
        return Response(MeSerializer(data).data)


class AuditList(generics.ListAPIView[AuditEvent]):
    """The audit trail of the caller's units (provincial leaders and administrators)."""

    serializer_class = AuditEventSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return audit_events_for_user(self.request.user).select_related("unit")


class NotFound(APIView):
    """Any other path under /api/v1/ (an id that is not a number, a code that cannot exist):
    a JSON 404 like the API's own, after authentication (401 without credentials), not the site's
    HTML page."""

    schema = None  # not an operation of the API

    def _not_found(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound()

    get = post = put = patch = delete = _not_found
