"""API v1 of workers abroad, foreign workers and work permits (`/api/v1/labour/…`), scoped through
`ansinh.labour.access`; filtered like the pages (`unit`, `period`, `country` by its Vietnamese
name or ISO code, `status`). Countries come with their Vietnamese names; citizen IDs and passport
numbers in full for those who change the records, masked for the others."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request

from ansinh.accounts.access import get_unit_for_user
from ansinh.geo.models import Unit
from ansinh.labour import access
from ansinh.labour.abroad_queries import in_unit
from ansinh.labour.countries import COUNTRIES, country_code, country_name
from ansinh.labour.models import AbroadStatus, Departure, ForeignWorker, PermitState, WorkPermit
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.plans.periods import Period
from ansinh.web.shortcuts import parse_int

from .params import typed_value

COUNTRY = {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}


def _country(code: str) -> dict[str, str]:
    return {"code": code, "name": country_name(code)}


class DepartureSerializer(serializers.ModelSerializer[Departure]):
    person = serializers.SerializerMethodField()
    commune = serializers.SerializerMethodField()
    destination = serializers.SerializerMethodField()

    class Meta:
        model = Departure
        fields = ["id", "person", "commune", "destination", "sender_kind", "enterprise", "job", "contract_months",
                  "departed_on", "returned_on", "status", "labour_code"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "full_name": {"type": "string"},
                                                           "citizen_id": {"type": "string"}}})
    def get_person(self, d: Departure) -> dict[str, Any]:
        full = self.context["full"](d.commune)
        cid = d.person.citizen_id or ""
        return {"id": d.person_id, "full_name": d.person.full_name, "citizen_id": cid if full else mask_citizen_id(cid)}

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_commune(self, d: Departure) -> dict[str, Any]:
        return {"id": d.commune_id, "name": d.commune.name}

    @extend_schema_field(COUNTRY)
    def get_destination(self, d: Departure) -> dict[str, str]:
        return _country(d.destination)


class ForeignWorkerSerializer(serializers.ModelSerializer[ForeignWorker]):
    nationality = serializers.SerializerMethodField()
    passport_number = serializers.SerializerMethodField()
    employer = serializers.SerializerMethodField()
    workplace = serializers.SerializerMethodField()

    class Meta:
        model = ForeignWorker
        fields = ["id", "full_name", "passport_number", "nationality", "sex", "birth_date", "employer", "position",
                  "job_title", "workplace"]

    @extend_schema_field(COUNTRY)
    def get_nationality(self, w: ForeignWorker) -> dict[str, str]:
        return _country(w.nationality)

    @extend_schema_field(serializers.CharField())
    def get_passport_number(self, w: ForeignWorker) -> str:
        return w.passport_number if self.context["full"](w.workplace) else mask_citizen_id(w.passport_number)

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                                           "tax_code": {"type": "string"}}})
    def get_employer(self, w: ForeignWorker) -> dict[str, Any]:
        return {"id": w.employer_id, "name": w.employer.name, "tax_code": w.employer.tax_code}

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_workplace(self, w: ForeignWorker) -> dict[str, Any]:
        return {"id": w.workplace_id, "name": w.workplace.name}


class WorkPermitSerializer(serializers.ModelSerializer[WorkPermit]):
    worker = serializers.SerializerMethodField()

    class Meta:
        model = WorkPermit
        fields = ["id", "worker", "kind", "received_on", "due_on", "state", "decided_on", "number", "valid_from",
                  "valid_to", "refusal_reason"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"},
                                                           "full_name": {"type": "string"}}})
    def get_worker(self, p: WorkPermit) -> dict[str, Any]:
        return {"id": p.worker_id, "full_name": p.worker.full_name}


def _unit(request: Request) -> Unit | None:
    value = typed_value(request, "unit")
    if value is None:
        return None
    pk = parse_int(value, low=1)
    if pk is None:
        raise ValidationError({"unit": _("Expected the id of a unit (a number).")})
    try:
        unit = get_unit_for_user(request.user, pk)
    except Exception:  # Http404: a unit outside the caller's scope
        raise NotFound() from None
    return unit


def _period(request: Request) -> Period | None:
    value = typed_value(request, "period")
    if value is None:
        return None
    try:
        return Period.parse(value)
    except Exception:
        raise ValidationError({"period": _("Expected a period: 2025, 2025-H1, 2025-Q1 or 2025-03.")}) from None


def _country_param(request: Request) -> str | None:
    value = typed_value(request, "country")
    if value is None:
        return None
    code = value.upper() if value.upper() in COUNTRIES else country_code(value)
    if code is None:
        raise ValidationError({"country": _("Unknown country “%(name)s”: write its Vietnamese name.") % {
            "name": value}})
    return code


PARAMS = [OpenApiParameter("unit", int, description="Id of a unit (its subtree)."),
          OpenApiParameter("period", str, description="2025, 2025-H1, 2025-Q1 or 2025-03."),
          OpenApiParameter("country", str, description="Vietnamese name (or ISO code) of the country.")]


def _personal(request: Request, kind: str) -> Any:
    cache: dict[int, bool] = {}

    def full(unit: Any) -> bool:
        if unit.pk not in cache:
            cache[unit.pk] = access.may_see_personal(request.user, unit, kind)
        return cache[unit.pk]
    return full


@extend_schema(parameters=[*PARAMS, OpenApiParameter("status", str, enum=AbroadStatus.values)],
               responses={200: DepartureSerializer(many=True), 400: OpenApiResponse(description="A bad parameter.")})
class DepartureList(generics.ListAPIView[Departure]):
    """Workers abroad under contract in the caller's units (departures in the period by date)."""

    serializer_class = DepartureSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "full": _personal(self.request, "departure")}

    def get_queryset(self) -> QuerySet[Departure]:
        if getattr(self, "swagger_fake_view", False):
            return Departure.objects.none()
        request = self.request
        found = in_unit(access.departures_for_user(request.user), "commune", _unit(request))
        if (period := _period(request)) is not None:
            found = found.filter(departed_on__gte=period.start, departed_on__lte=period.end)
        if (code := _country_param(request)) is not None:
            found = found.filter(destination=code)
        if (status := typed_value(request, "status")) is not None:
            if status not in AbroadStatus.values:
                raise ValidationError({"status": _("Expected one of: %(values)s.") % {
                    "values": ", ".join(AbroadStatus.values)}})
            found = found.filter(status=status)
        return found.select_related("person", "commune").order_by("-departed_on", "-pk")


@extend_schema(parameters=PARAMS, responses={200: ForeignWorkerSerializer(many=True),
                                             400: OpenApiResponse(description="A bad parameter.")})
class ForeignWorkerList(generics.ListAPIView[ForeignWorker]):
    """Foreign workers in the caller's units; with `period`, those with a permit valid on its last day."""

    serializer_class = ForeignWorkerSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "full": _personal(self.request, "foreign_worker")}

    def get_queryset(self) -> QuerySet[ForeignWorker]:
        if getattr(self, "swagger_fake_view", False):
            return ForeignWorker.objects.none()
        request = self.request
        found = in_unit(access.foreign_workers_for_user(request.user), "workplace", _unit(request))
        if (period := _period(request)) is not None:
            day = period.end
            found = found.filter(pk__in=WorkPermit.objects.filter(
                state=PermitState.GRANTED, valid_from__lte=day, valid_to__gte=day).values("worker_id"))
        if (code := _country_param(request)) is not None:
            found = found.filter(nationality=code)
        return found.select_related("employer", "workplace").order_by("search_name", "pk")


@extend_schema(parameters=[OpenApiParameter("unit", int, description="Id of a unit (its subtree)."),
                           OpenApiParameter("state", str, enum=PermitState.values)],
               responses={200: WorkPermitSerializer(many=True), 400: OpenApiResponse(description="A bad parameter.")})
class WorkPermitList(generics.ListAPIView[WorkPermit]):
    """Work permits of the foreign workers in the caller's units, latest received first."""

    serializer_class = WorkPermitSerializer

    def get_queryset(self) -> QuerySet[WorkPermit]:
        if getattr(self, "swagger_fake_view", False):
            return WorkPermit.objects.none()
        request = self.request
        found = in_unit(access.permits_for_user(request.user), "worker__workplace", _unit(request))
        if (state := typed_value(request, "state")) is not None:
            if state not in PermitState.values:
                raise ValidationError({"state": _("Expected one of: %(values)s.") % {
                    "values": ", ".join(PermitState.values)}})
            found = found.filter(state=state)
        return found.select_related("worker").order_by("-received_on", "-pk")


__all__ = ["DepartureList", "ForeignWorkerList", "WorkPermitList"]
