"""API v1 for procedure dossiers: the dossiers of the caller's units and fields
(`ansinh.procedures.access`), filtered like the page (`tab`: open, today, week, overdue, done;
`unit`; `received_from`, `received_to`), a dossier with its timeline, and the catalogue.
Citizen IDs of applicants are in full for those who handle the dossier, masked otherwise."""

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

from ansinh.geo.models import Unit
from ansinh.procedures import access
from ansinh.procedures.models import Dossier, DossierEvent, Procedure
from ansinh.procedures.views import TABS, filter_tab
from ansinh.web.shortcuts import parse_int

from .params import typed_value


class ProcedureSerializer(serializers.ModelSerializer[Procedure]):
    class Meta:
        model = Procedure
        fields = ["id", "code", "name", "field", "receiving_level", "deciding_level", "days", "fee", "legal_basis",
                  "valid_from", "valid_to", "provisional", "counts_from_next_day", "used_for"]


class ProcedureDossierSerializer(serializers.ModelSerializer[Dossier]):
    procedure = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    timeliness = serializers.SerializerMethodField()
    applicant_id_number = serializers.SerializerMethodField(
        help_text="In full for those who handle the dossier; masked (last four digits) for the others.")

    class Meta:
        model = Dossier
        fields = ["id", "code", "procedure", "field", "channel", "applicant_name", "applicant_id_number", "unit",
                  "agency", "received_at", "start_on", "days", "extra_days", "due_on", "new_due_on", "status",
                  "outcome", "resolved_at", "returned_at", "timeliness"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                                           "name": {"type": "string"}}})
    def get_procedure(self, dossier: Dossier) -> dict[str, Any]:
        return {"id": dossier.procedure_id, "code": dossier.procedure.code, "name": dossier.procedure.name}

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                                           "name": {"type": "string"}}})
    def get_unit(self, dossier: Dossier) -> dict[str, Any]:
        return {"id": dossier.unit_id, "code": dossier.unit.code, "name": dossier.unit.name}

    @extend_schema_field(serializers.CharField())
    def get_timeliness(self, dossier: Dossier) -> str:
        return dossier.timeliness(timezone.localdate())

    @extend_schema_field(serializers.CharField())
    def get_applicant_id_number(self, dossier: Dossier) -> str:
        number = dossier.applicant_id_number
        if not number or access.may_handle(self.context["request"].user, dossier.unit, dossier.field):
            return number
        return "•" * (len(number) - 4) + number[-4:]


class EventSerializer(serializers.ModelSerializer[DossierEvent]):
    class Meta:
        model = DossierEvent
        fields = ["kind", "at", "actor_id", "from_agency", "to_agency", "due_on", "note"]


def _date(request: Request, name: str) -> dt.date | None:
    value = typed_value(request, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: _("Expected a date YYYY-MM-DD.")}) from None


@extend_schema(
    parameters=[OpenApiParameter("tab", str, enum=list(TABS)), OpenApiParameter("unit", int),
                OpenApiParameter("received_from", str, description="YYYY-MM-DD"),
                OpenApiParameter("received_to", str, description="YYYY-MM-DD")],
    responses={200: ProcedureDossierSerializer(many=True), 400: OpenApiResponse(description="A malformed parameter.")},
)
class DossierList(generics.ListAPIView[Dossier]):
    """Dossiers in the caller's units and fields, the earliest due first."""

    serializer_class = ProcedureDossierSerializer

    def get_queryset(self) -> QuerySet[Dossier]:
        if getattr(self, "swagger_fake_view", False):
            return Dossier.objects.none()
        request = self.request
        found = access.dossiers_for_user(request.user).select_related("procedure", "unit")
        tab = typed_value(request, "tab")
        if tab is not None:
            if tab not in TABS:
                raise ValidationError({"tab": _("Expected one of: %(values)s.") % {"values": ", ".join(TABS)}})
            found = filter_tab(found, tab, timezone.localdate())
        if (value := typed_value(request, "unit")) is not None:
            pk = parse_int(value, low=1)
            if pk is None:
                raise ValidationError({"unit": _("Expected the id of a unit (a number).")})
            unit = Unit.objects.filter(pk=pk).first()
            if unit is None:
                raise ValidationError({"unit": _("No unit has this id.")})
            found = access.in_unit(found, unit)
        if (first := _date(request, "received_from")) is not None:
            found = found.filter(received_on__gte=first)
        if (last := _date(request, "received_to")) is not None:
            found = found.filter(received_on__lte=last)
        return found.order_by("due_on", "pk")


@extend_schema(responses={200: ProcedureDossierSerializer, 404: OpenApiResponse(description="Outside the caller's scope.")})
class DossierDetail(APIView):
    """A dossier with its timeline."""

    def get(self, request: Request, pk: int) -> Response:
        dossier = access.get_dossier_for_user(request.user, pk)
        data = dict(ProcedureDossierSerializer(dossier, context={"request": request}).data)
        data["events"] = EventSerializer(dossier.events.all(), many=True).data
        return Response(data)


class ProcedureList(generics.ListAPIView[Procedure]):
    """The catalogue of procedures (every version, dated)."""

    serializer_class = ProcedureSerializer
    queryset = Procedure.objects.all()


__all__ = ["DossierDetail", "DossierList", "ProcedureList"]
