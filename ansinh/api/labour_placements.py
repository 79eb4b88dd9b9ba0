"""API v1 for job placements, counselling and job fairs (/api/v1/labour/placements/, …/counselling/,
…/sessions/): lists with the pages' filters (`unit`, `period` 2026|2026-Q1|2026-03, `channel`,
`new_job`, `breakdown`, `q` accent-insensitive, `person`), scoped by `ansinh.labour.access`;
citizen IDs full for those who may change the record (one audit row per response that shows any),
masked for the others. POST on placements records one (`labour.placements.placement_create`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.households.access import members_for_user
from ansinh.labour import access
from ansinh.labour.forms_placements import CounsellingFilterForm, PlacementFilterForm, SessionFilterForm
from ansinh.labour.models import Counselling, CounsellingSession, Placement, PlacementChannel
from ansinh.labour.placements import employer_text, placement_create
from ansinh.lib.citizen_id import mask_citizen_id

FILTERS = [
    OpenApiParameter("unit", int, description="Primary key of a province or commune."),
    OpenApiParameter("period", str, description="2026, 2026-Q1, 2026-H1 or 2026-03 (calendar dates)."),
    OpenApiParameter("q", str, description="Part of the person's name, accents ignored."),
    OpenApiParameter("person", int, description="Primary key of the person (a member of the register)."),
]


def _filtered(request: Request, form_class: type[Any], found: QuerySet[Any]) -> QuerySet[Any]:
    form = form_class(request.query_params, user=request.user)
    found = form.filter(found)
    if form.errors:
        raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    return found


class PersonRecordSerializer(serializers.ModelSerializer[Any]):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    citizen_id = serializers.SerializerMethodField(help_text="Full for those who may change the record, else "
                                                             "masked (the last three digits).")
    commune_name = serializers.CharField(source="commune.name", read_only=True)

    def get_citizen_id(self, record: Any) -> str | None:
        number = record.person.citizen_id
        if not number:
            return None
        full = self.context["full"].get(record.commune_id, False)
        return number if full else mask_citizen_id(number)


class PlacementSerializer(PersonRecordSerializer):
    channel = serializers.CharField(help_text="One of: " + ", ".join(PlacementChannel.values) + ".")
    employer = serializers.SerializerMethodField(help_text="The listed employer's name, else as written.")

    class Meta:
        model = Placement
        fields = ["id", "person", "person_name", "citizen_id", "commune", "commune_name", "placed_on", "channel",
                  "employer", "new_job", "note"]

    def get_employer(self, placement: Placement) -> str:
        return employer_text(placement)


class PlacementCreateSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField(min_value=1)
    placed_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=PlacementChannel.values)
    employer_name = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    tax_code = serializers.CharField(required=False, allow_blank=True, max_length=14, default="")
    new_job = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class CounsellingSerializer(PersonRecordSerializer):
    session_title = serializers.CharField(source="session.title", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Counselling
        fields = ["id", "person", "person_name", "citizen_id", "commune", "commune_name", "counselled_on", "topic",
                  "on_unemployment_benefit", "session", "session_title", "note"]


class SessionSerializer(serializers.ModelSerializer[CounsellingSession]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = CounsellingSession
        fields = ["id", "kind", "unit", "unit_name", "held_on", "title", "organiser", "attendance", "employers",
                  "vacancies", "hired", "note"]


class _PersonList(generics.ListAPIView[Any]):
    kind = "placement"

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "full": {}}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page if page is not None else self.get_queryset())
        full: dict[int, bool] = {}
        for row in rows:
            if row.commune_id not in full:
                full[row.commune_id] = access.may_see_personal(request.user, row.commune, self.kind)
        shown = sum(1 for row in rows if full[row.commune_id] and row.person.citizen_id)
        if shown:
            with transaction.atomic():
                audit.record(actor=Actor.from_request(request), action="personal_data.read",
                             obj=rows[0]._meta.model, after={"citizen_ids": shown, "via": "api"})
        serializer = self.get_serializer(rows, many=True, context={**self.get_serializer_context(), "full": full})
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)


@extend_schema(parameters=[*FILTERS,
                           OpenApiParameter("channel", str, enum=PlacementChannel.values),
                           OpenApiParameter("new_job", str, enum=["0", "1"]),
                           OpenApiParameter("breakdown", str, enum=["female", "ethnic_minority", "youth"])])
class PlacementList(_PersonList):
    """Job placements in the caller's scope, newest first; POST records one."""

    kind = "placement"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return PlacementCreateSerializer if self.request.method == "POST" else PlacementSerializer

    def get_queryset(self) -> QuerySet[Placement]:
        if getattr(self, "swagger_fake_view", False):
            return Placement.objects.none()
        found = _filtered(self.request, PlacementFilterForm, access.placements_for_user(self.request.user))
        return found.select_related("person", "commune", "employer").order_by("-placed_on", "-pk")

    @extend_schema(request=PlacementCreateSerializer, responses={201: PlacementSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PlacementCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = members_for_user(request.user).select_related("household__commune").filter(pk=v["person"]).first()
        if person is None:
            raise ValidationError({"person": [_("No person of the register in your scope has this number.")]})
        try:
            placement = placement_create(actor=Actor.from_request(request), person=person, placed_on=v["placed_on"],
                                         channel=v["channel"], employer_name=v["employer_name"],
                                         tax_code=v["tax_code"], new_job=v["new_job"], note=v["note"])
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None) from None
        except DjangoValidationError as error:
            detail = ({k: [str(m) for m in DjangoValidationError(e).messages] for k, e in error.error_dict.items()}
                      if hasattr(error, "error_dict") else {"non_field_errors": error.messages})
            raise ValidationError(detail) from None
        body = PlacementSerializer(placement, context={"full": {placement.commune_id: True}}).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[*FILTERS, OpenApiParameter("breakdown", str, enum=["unemployment_insurance"]),
                           OpenApiParameter("session", int, description="Primary key of the session.")])
class CounsellingList(_PersonList):
    """Lượt of counselling in the caller's scope, newest first."""

    kind = "counselling"
    serializer_class = CounsellingSerializer

    def get_queryset(self) -> QuerySet[Counselling]:
        if getattr(self, "swagger_fake_view", False):
            return Counselling.objects.none()
        found = _filtered(self.request, CounsellingFilterForm, access.counselling_for_user(self.request.user))
        return found.select_related("person", "commune", "session").order_by("-counselled_on", "-pk")


@extend_schema(parameters=[OpenApiParameter("unit", int), OpenApiParameter("period", str),
                           OpenApiParameter("q", str, description="Part of the title."),
                           OpenApiParameter("kind", str)])
class SessionList(generics.ListAPIView[CounsellingSession]):
    """Counselling sessions and job fairs in (or above) the caller's units, newest first."""

    serializer_class = SessionSerializer

    def get_queryset(self) -> QuerySet[CounsellingSession]:
        if getattr(self, "swagger_fake_view", False):
            return CounsellingSession.objects.none()
        found = _filtered(self.request, SessionFilterForm, access.sessions_around_user(self.request.user))
        return found.select_related("unit").order_by("-held_on", "-pk")


__all__ = ["CounsellingList", "PlacementList", "SessionList"]
