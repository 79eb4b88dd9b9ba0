"""API v1 of the inspectorate (`/api/v1/care/inspections/…`): inspections, citizen receptions and
letters (complaints, denunciations, recommendations) of the caller's provinces
(`ansinh.care.access_inspections`), filtered like the pages. Read only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.care import access_inspections as access
from ansinh.care.models_inspections import (
    FollowUp, Inspection, LegalArea, Petition, PetitionKind, Reception, SubjectKind,
)
from ansinh.care.views_inspections import LETTER_TABS, filter_letters
from ansinh.geo.models import Unit
from ansinh.web.shortcuts import parse_int

from .params import typed_value

UNIT_SCHEMA = {"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                                "name": {"type": "string"}}}


class UnitMixin(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.SerializerMethodField()

    @extend_schema_field(UNIT_SCHEMA)
    def get_unit(self, record: Any) -> dict[str, Any]:
        return {"id": record.unit_id, "code": record.unit.code, "name": record.unit.name}


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    class Meta:
        model = FollowUp
        fields = ["id", "action", "due_on", "done_on", "note"]


class InspectionSerializer(UnitMixin, serializers.ModelSerializer[Inspection]):
    class Meta:
        model = Inspection
        fields = ["id", "plan_id", "unit", "kind", "team", "legal_area", "subject_kind", "employer_id", "subject_name",
                  "started_on", "ended_on", "members", "findings", "violations_count", "violation_kind", "violations",
                  "recommendations", "sanction_amount", "sanction_note"]


class ReceptionSerializer(UnitMixin, serializers.ModelSerializer[Reception]):
    class Meta:
        model = Reception
        fields = ["id", "unit", "received_on", "kind", "receiver", "citizen_name", "headcount", "subject",
                  "legal_area", "outcome"]


class PetitionSerializer(UnitMixin, serializers.ModelSerializer[Petition]):
    class Meta:
        model = Petition
        fields = ["id", "code", "unit", "kind", "instance", "remote_area", "complexity", "petitioner_name", "subject",
                  "legal_area", "received_on", "accepted_on", "extensions", "due_on", "rule", "resolved_on", "outcome",
                  "status"]


def _date(request: Request, name: str) -> dt.date | None:
    value = typed_value(request, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: _("Expected a date YYYY-MM-DD.")}) from None


def _choice(request: Request, name: str, allowed: list[str]) -> str | None:
    value = typed_value(request, name)
    if value is not None and value not in allowed:
        raise ValidationError({name: _("Expected one of: %(values)s.") % {"values": ", ".join(allowed)}})
    return value


def _common(request: Request, found: QuerySet[Any], day_field: str) -> QuerySet[Any]:
    if (value := typed_value(request, "unit")) is not None:
        pk = parse_int(value, low=1)
        if pk is None:
            raise ValidationError({"unit": _("Expected the id of a unit (a number).")})
        unit = Unit.objects.filter(pk=pk).first()
        if unit is None:
            raise ValidationError({"unit": _("No unit has this id.")})
        found = access.in_unit(found, unit)
    if (first := _date(request, "from")) is not None:
        found = found.filter(**{f"{day_field}__gte": first})
    if (last := _date(request, "to")) is not None:
        found = found.filter(**{f"{day_field}__lte": last})
    return found


COMMON = [OpenApiParameter("unit", int), OpenApiParameter("from", str, description="YYYY-MM-DD"),
          OpenApiParameter("to", str, description="YYYY-MM-DD")]
BAD = OpenApiResponse(description="A malformed parameter.")


@extend_schema(parameters=[*COMMON, OpenApiParameter("subject_kind", str, enum=SubjectKind.values),
                           OpenApiParameter("legal_area", str, enum=LegalArea.values),
                           OpenApiParameter("violations", str, enum=["yes", "no"])],
               responses={200: InspectionSerializer(many=True), 400: BAD})
class InspectionList(generics.ListAPIView[Inspection]):
    """Inspections and checks in the caller's provinces, the latest first."""

    serializer_class = InspectionSerializer

    def get_queryset(self) -> QuerySet[Inspection]:
        if getattr(self, "swagger_fake_view", False):
            return Inspection.objects.none()
        request = self.request
        found = _common(request, access.inspections_for_user(request.user).select_related("unit"), "started_on")
        if (kind := _choice(request, "subject_kind", SubjectKind.values)) is not None:
            found = found.filter(subject_kind=kind)
        if (area := _choice(request, "legal_area", LegalArea.values)) is not None:
            found = found.filter(legal_area=area)
        if (violations := _choice(request, "violations", ["yes", "no"])) is not None:
            found = found.filter(violations_count__gt=0) if violations == "yes" else found.filter(violations_count=0)
        return found.order_by("-started_on", "-pk")


@extend_schema(responses={200: InspectionSerializer, 404: OpenApiResponse(description="Outside the caller's scope.")})
class InspectionDetail(APIView):
    """An inspection with its follow-ups."""

    def get(self, request: Request, pk: int) -> Response:
        inspection = access.get_for_user(request.user, Inspection, pk)
        data = dict(InspectionSerializer(inspection).data)
        data["follow_ups"] = FollowUpSerializer(inspection.follow_ups.all(), many=True).data
        return Response(data)


@extend_schema(parameters=COMMON, responses={200: ReceptionSerializer(many=True), 400: BAD})
class ReceptionList(generics.ListAPIView[Reception]):
    """Citizen receptions (one row a lượt) in the caller's provinces, the latest first."""

    serializer_class = ReceptionSerializer

    def get_queryset(self) -> QuerySet[Reception]:
        if getattr(self, "swagger_fake_view", False):
            return Reception.objects.none()
        request = self.request
        found = _common(request, access.receptions_for_user(request.user).select_related("unit"), "received_on")
        return found.order_by("-received_on", "-pk")


@extend_schema(parameters=[*COMMON, OpenApiParameter("tab", str, enum=list(LETTER_TABS)),
                           OpenApiParameter("kind", str, enum=PetitionKind.values)],
               responses={200: PetitionSerializer(many=True), 400: BAD})
class PetitionList(generics.ListAPIView[Petition]):
    """Complaints, denunciations and recommendations in the caller's provinces, the earliest due first."""

    serializer_class = PetitionSerializer

    def get_queryset(self) -> QuerySet[Petition]:
        if getattr(self, "swagger_fake_view", False):
            return Petition.objects.none()
        request = self.request
        found = _common(request, access.petitions_for_user(request.user).select_related("unit"), "received_on")
        if (tab := _choice(request, "tab", list(LETTER_TABS))) is not None:
            found = filter_letters(found, tab, timezone.localdate())
        if (kind := _choice(request, "kind", PetitionKind.values)) is not None:
            found = found.filter(kind=kind)
        return found.order_by("due_on", "-received_on", "pk")


__all__ = ["InspectionDetail", "InspectionList", "PetitionList", "ReceptionList"]
