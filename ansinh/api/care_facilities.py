"""API v1 for care facilities and drug rehabilitation: the facilities of the caller's units and
fields (`ansinh.care.access_facilities`) with their residents today, a facility's monthly
occupancy, and the residents filtered like the page (`facility`, `unit`, `kind`, `status`,
`group`, `rehab_kind`, `reason`, `q`, `admitted_from`/`to`, `discharged_from`/`to`, `present_on`).
Citizen IDs of residents are in full for those who change the facility, masked otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import BadRequest
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.care import access_facilities as access
from ansinh.care import filters_facilities as filters
from ansinh.care import services_facilities as services
from ansinh.care.models_facilities import CategoryGroup, Facility, RehabKind, Resident
from ansinh.lib.citizen_id import mask_citizen_id

UNIT = {"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                         "name": {"type": "string"}}}


class CareFacilitySerializer(serializers.ModelSerializer[Facility]):
    unit = serializers.SerializerMethodField()
    residents_today = serializers.IntegerField(read_only=True, source="present")

    class Meta:
        model = Facility
        fields = ["id", "code", "name", "kind", "ownership", "field", "unit", "capacity", "residents_today",
                  "address", "opened_on", "closed_on"]

    @extend_schema_field(UNIT)
    def get_unit(self, facility: Facility) -> dict[str, Any]:
        return {"id": facility.unit_id, "code": facility.unit.code, "name": facility.unit.name}


class CareResidentSerializer(serializers.ModelSerializer[Resident]):
    facility = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    citizen_id = serializers.SerializerMethodField(
        help_text="In full for those who change the facility; masked (last four digits) for the others.")
    member_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Resident
        fields = ["id", "facility", "member_id", "full_name", "sex", "birth_date", "citizen_id", "category",
                  "admission_number", "admitted_on", "admission_decided_by", "admission_reason", "rehab_kind", "stage",
                  "term_months", "discharge_number", "discharged_on", "discharge_reason", "aftercare_until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._full_ids: dict[int, bool] = {}  # whether the caller sees full IDs, asked once per facility

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_facility(self, resident: Resident) -> dict[str, Any]:
        return {"id": resident.facility_id, "name": resident.facility.name}

    @extend_schema_field({"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                                           "group": {"type": "string"}}})
    def get_category(self, resident: Resident) -> dict[str, Any]:
        return {"code": resident.category.code, "name": resident.category.name, "group": resident.category.group}

    @extend_schema_field(serializers.CharField())
    def get_citizen_id(self, resident: Resident) -> str:
        number = resident.citizen_id
        if not number:
            return ""
        full: dict[int, bool] = self._full_ids
        if resident.facility_id not in full:
            full[resident.facility_id] = access.may_see_personal(self.context["request"].user, resident.facility)
        return number if full[resident.facility_id] else mask_citizen_id(number)


@extend_schema(responses={200: CareFacilitySerializer(many=True)})
class CareFacilityList(generics.ListAPIView[Facility]):
    """Facilities in the caller's units and fields, with their residents today."""

    serializer_class = CareFacilitySerializer

    def get_queryset(self) -> QuerySet[Facility]:
        if getattr(self, "swagger_fake_view", False):
            return Facility.objects.none()
        return (access.facilities_for_user(self.request.user).select_related("unit")
                .annotate(present=Count("residents", filter=Q(residents__discharged_on__isnull=True)))
                .order_by("name", "pk"))


def _month(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise ValidationError({name: "Cần một tháng dạng YYYY-MM."}) from None


@extend_schema(
    parameters=[OpenApiParameter("from", str, description="YYYY-MM"), OpenApiParameter("to", str, description="YYYY-MM")],
    responses={200: OpenApiResponse(description="The facility and its residents on the last day of each month."),
               400: OpenApiResponse(description="A malformed month."),
               404: OpenApiResponse(description="Outside the caller's scope.")})
class CareFacilityOccupancy(APIView):
    """Residents of a facility on the last day of each month (at most 24), against its capacity."""

    def get(self, request: Request, pk: int) -> Response:
        facility = access.get_facility_for_user(request.user, pk)
        today = timezone.localdate()
        first = _month(request.query_params.get("from"), "from") or dt.date(today.year, 1, 1)
        last = _month(request.query_params.get("to"), "to") or today
        ends = services.month_ends(first, last)
        if not ends or len(ends) > 24:
            raise ValidationError({"to": "Chọn từ 1 đến 24 tháng, tháng đầu không sau tháng cuối."})
        row = services.occupancy([facility], ends)[0]
        return Response({"facility": {"id": facility.pk, "name": facility.name, "capacity": facility.capacity},
                         "months": [{"month": f"{end:%Y-%m}", "residents": n, "rate": round(rate, 1)}
                                    for end, n, rate in zip(ends, row.counts, row.rates(), strict=True)]})


@extend_schema(
    parameters=[OpenApiParameter("facility", int), OpenApiParameter("unit", int),
                OpenApiParameter("kind", str, enum=["care", "rehab"]),
                OpenApiParameter("status", str, enum=list(filters.STATUSES)),
                OpenApiParameter("group", str, enum=list(CategoryGroup.values)),
                OpenApiParameter("rehab_kind", str, enum=list(RehabKind.values)),
                OpenApiParameter("reason", str, enum=["reintegrated"]), OpenApiParameter("q", str),
                *[OpenApiParameter(name, str, description="YYYY-MM-DD") for name in filters.DATE_PARAMS]],
    responses={200: CareResidentSerializer(many=True), 400: OpenApiResponse(description="A malformed parameter."),
               404: OpenApiResponse(description="A facility or unit outside the caller's scope.")})
class CareResidentList(generics.ListAPIView[Resident]):
    """Residents (stays) in the caller's facilities; present ones by default."""

    serializer_class = CareResidentSerializer

    def get_queryset(self) -> QuerySet[Resident]:
        if getattr(self, "swagger_fake_view", False):
            return Resident.objects.none()
        user = self.request.user
        try:
            chosen = filters.parse(self.request.query_params)
        except BadRequest as error:
            raise ValidationError({"detail": str(error)}) from None
        found = filters.apply(user, access.residents_for_user(user), chosen)
        return found.select_related("facility", "category").order_by("search_name", "pk")


@extend_schema(responses={200: CareResidentSerializer, 404: OpenApiResponse(description="Outside the caller's scope.")})
class CareResidentDetail(APIView):
    """One resident's stay."""

    def get(self, request: Request, pk: int) -> Response:
        resident = access.get_resident_for_user(request.user, pk)
        if resident.citizen_id and access.may_see_personal(request.user, resident.facility):
            with transaction.atomic():  # who read a full citizen ID (Decree 13/2023/NĐ-CP)
                audit.record(actor=Actor.from_request(request), action=AuditAction.CARE_RESIDENT_VIEW_ID,
                             obj=resident, unit=resident.facility.unit, after={"via": "api"})
        return Response(CareResidentSerializer(resident, context={"request": request}).data)


__all__ = ["CareFacilityList", "CareFacilityOccupancy", "CareResidentDetail", "CareResidentList"]
