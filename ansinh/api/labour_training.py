"""API v1 of vocational training (read): `/api/v1/labour/training-providers/`, `courses/`,
`enrolments/`. Every queryset comes from `ansinh.labour.access`; citizen IDs are full for those who
change training records of the person's commune, masked for the other readers. Filters:
`unit` (id of one of the caller's units), `period` (2025, 2025-Q1, 2025-03: enrolled, or started,
in it), `level` (code), `field`, `status`, `q` (a name, accent-insensitive)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from ansinh.accounts.access import own_units_for_user
from ansinh.geo.models import Unit
from ansinh.labour import access, training
from ansinh.labour.models import Course, Enrolment, EnrolmentStatus, TrainingField, TrainingProvider
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.vietnamese import fold
from ansinh.plans.periods import Period
from ansinh.web.shortcuts import parse_int

from .params import typed_value

UNIT_FIELD = {"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                               "name": {"type": "string"}}}


def _unit(unit: Unit) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


class ProviderSerializer(serializers.ModelSerializer[TrainingProvider]):
    unit = serializers.SerializerMethodField()
    courses = serializers.IntegerField(source="course_count", read_only=True)

    class Meta:
        model = TrainingProvider
        fields = ["id", "name", "kind", "unit", "address", "decision_number", "decision_date", "closed_on", "courses"]

    @extend_schema_field(UNIT_FIELD)
    def get_unit(self, provider: TrainingProvider) -> dict[str, Any]:
        return _unit(provider.unit)


class CourseSerializer(serializers.ModelSerializer[Course]):
    provider = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    enrolled = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = ["id", "provider", "occupation", "level", "field", "funding", "unit", "starts_on", "ends_on",
                  "enrolled"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_provider(self, course: Course) -> dict[str, Any]:
        return {"id": course.provider_id, "name": course.provider.name}

    @extend_schema_field({"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                                           "provisional": {"type": "boolean"}}})
    def get_level(self, course: Course) -> dict[str, Any]:
        return {"code": course.level.code, "name": course.level.name, "provisional": course.level.provisional}

    @extend_schema_field(UNIT_FIELD)
    def get_unit(self, course: Course) -> dict[str, Any]:
        return _unit(course.unit)


class EnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    person = serializers.SerializerMethodField()
    commune = serializers.SerializerMethodField()
    course = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = ["id", "person", "commune", "course", "enrolled_on", "status", "completed_on", "certificate_number",
                  "certificate_on"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "full_name": {"type": "string"},
                                                           "citizen_id": {"type": "string"}}})
    def get_person(self, enrolment: Enrolment) -> dict[str, Any]:
        allowed: dict[int, bool] = self.__dict__.setdefault("_personal", {})  # per response
        if enrolment.commune_id not in allowed:
            allowed[enrolment.commune_id] = access.may_see_personal(self.context["request"].user, enrolment.commune,
                                                                    "training")
        number = enrolment.person.citizen_id or ""
        shown = number if allowed[enrolment.commune_id] else mask_citizen_id(number) if number else ""
        return {"id": enrolment.person_id, "full_name": enrolment.person.full_name, "citizen_id": shown}

    @extend_schema_field(UNIT_FIELD)
    def get_commune(self, enrolment: Enrolment) -> dict[str, Any]:
        return _unit(enrolment.commune)

    @extend_schema_field({"type": "object"})
    def get_course(self, enrolment: Enrolment) -> dict[str, Any]:
        course = enrolment.course
        return {"id": course.pk, "occupation": course.occupation, "level": course.level.code, "field": course.field,
                "provider": course.provider.name, "starts_on": course.starts_on}


def _unit_param(request: Request) -> Unit | None:
    if (value := typed_value(request, "unit")) is None:
        return None
    pk = parse_int(value, low=1)
    unit = own_units_for_user(request.user).filter(pk=pk).first() if pk else None
    if unit is None:
        raise ValidationError({"unit": _("Expected the id of a unit within your units.")})
    return unit


def _period_param(request: Request) -> Period | None:
    if (value := typed_value(request, "period")) is None:
        return None
    try:
        return Period.parse(value)
    except DjangoValidationError as error:
        raise ValidationError({"period": error.messages}) from None


def _choice(request: Request, name: str, values: list[str]) -> str | None:
    value = typed_value(request, name)
    if value is not None and value not in values:
        raise ValidationError({name: _("Expected one of: %(values)s.") % {"values": ", ".join(values)}})
    return value


FILTERS = [OpenApiParameter("unit", int, description="Id of one of your units: the records in it."),
           OpenApiParameter("period", str, description="2025, 2025-Q1, 2025-H1 or 2025-03.")]


@extend_schema(parameters=[OpenApiParameter("q", str, description="Part of the name (accent-insensitive).")])
class TrainingProviderList(generics.ListAPIView[TrainingProvider]):
    """Training providers in the caller's units and above them."""

    serializer_class = ProviderSerializer

    def get_queryset(self) -> QuerySet[TrainingProvider]:
        if getattr(self, "swagger_fake_view", False):
            return TrainingProvider.objects.none()
        found = access.providers_for_user(self.request.user).select_related("unit")
        if (q := typed_value(self.request, "q")) is not None:
            found = found.filter(search_name__contains=fold(q))
        return found.annotate(course_count=Count("courses")).order_by("search_name", "pk")


@extend_schema(parameters=[*FILTERS, OpenApiParameter("level", str), OpenApiParameter("field", str,
                                                                                       enum=TrainingField.values)])
class CourseList(generics.ListAPIView[Course]):
    """Courses taught in the caller's units (`period`: by start date)."""

    serializer_class = CourseSerializer

    def get_queryset(self) -> QuerySet[Course]:
        if getattr(self, "swagger_fake_view", False):
            return Course.objects.none()
        request = self.request
        found = access.courses_for_user(request.user).select_related("provider", "level", "unit")
        if (unit := _unit_param(request)) is not None:
            found = training.within(found, "unit", unit)
        if (period := _period_param(request)) is not None:
            found = found.filter(starts_on__gte=period.start, starts_on__lte=period.end)
        if (level := typed_value(request, "level")) is not None:
            found = found.filter(level__code=level)
        if (field := _choice(request, "field", TrainingField.values)) is not None:
            found = found.filter(field=field)
        return found.annotate(enrolled=Count("enrolments")).order_by("-starts_on", "pk")


@extend_schema(parameters=[*FILTERS, OpenApiParameter("level", str),
                           OpenApiParameter("field", str, enum=TrainingField.values),
                           OpenApiParameter("status", str, enum=EnrolmentStatus.values),
                           OpenApiParameter("q", str, description="Part of the name (accent-insensitive).")])
class EnrolmentList(generics.ListAPIView[Enrolment]):
    """People in training in the caller's communes (`period`: by enrolment date)."""

    serializer_class = EnrolmentSerializer

    def get_queryset(self) -> QuerySet[Enrolment]:
        if getattr(self, "swagger_fake_view", False):
            return Enrolment.objects.none()
        request = self.request
        found = access.enrolments_for_user(request.user).select_related("person", "commune", "course__level",
                                                                         "course__provider")
        if (unit := _unit_param(request)) is not None:
            found = training.within(found, "commune", unit)
        if (period := _period_param(request)) is not None:
            found = found.filter(enrolled_on__gte=period.start, enrolled_on__lte=period.end)
        if (level := typed_value(request, "level")) is not None:
            found = found.filter(course__level__code=level)
        if (field := _choice(request, "field", TrainingField.values)) is not None:
            found = found.filter(course__field=field)
        if (status := _choice(request, "status", EnrolmentStatus.values)) is not None:
            found = found.filter(status=status)
        if (q := typed_value(request, "q")) is not None:
            found = found.filter(person__search_name__contains=fold(q))
        return found.order_by("-enrolled_on", "-pk")
