"""API v1 for benefit dossiers (hồ sơ tăng, giảm): list and detail, read-only, scoped by
`ansinh.benefits.access` (a commune officer her commune's dossiers, a provincial officer those of
her field's schemes in her province). A constant number of queries per page (select_related)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.benefits.access import dossiers_for_user, get_dossier_for_user
from ansinh.benefits.models import Dossier, DossierKind, DossierStatus, DossierStep, Scheme
from ansinh.web.shortcuts import parse_int

from .params import typed_value

OPEN = (DossierStatus.RECEIVED, DossierStatus.CHECKED)


# Plain strings with their values in the help text: the same field names (status, kind) carry
# other choices elsewhere in the API, and one schema enum per name keeps the schema clean.
STATUS_HELP = "One of: " + ", ".join(DossierStatus.values) + "."


class DossierStepSerializer(serializers.ModelSerializer[DossierStep]):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True, default=None)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)

    class Meta:
        model = DossierStep
        fields = ["status", "on", "actor", "note"]


class DossierSerializer(serializers.ModelSerializer[Dossier]):
    category = serializers.CharField(source="category.code", read_only=True, allow_null=True, default=None)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    to_commune_code = serializers.CharField(source="to_commune.code", read_only=True, allow_null=True, default=None)
    overdue = serializers.SerializerMethodField(help_text="Still open after its due date.")
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(DossierKind.values) + ".")
    scheme = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Scheme.values) + ".")
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    stop_reason = serializers.CharField(read_only=True, help_text="Why the entitlement is to stop (stop dossiers).")

    class Meta:
        model = Dossier
        fields = ["id", "kind", "scheme", "category", "person", "person_name", "entitlement", "commune_code",
                  "to_commune_code", "rate", "martyr_count", "children", "stop_reason", "received_on", "due_on",
                  "status", "decided_on", "decision_number", "decision_signer", "refusal_reason", "note", "overdue"]

    def get_overdue(self, dossier: Dossier) -> bool:
        today: dt.date = self.context.get("today") or timezone.localdate()
        return dossier.status in OPEN and dossier.due_on < today


class DossierDetailSerializer(DossierSerializer):
    steps = DossierStepSerializer(many=True, read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "steps"]


def _choice(request: Request, name: str, choices: list[str]) -> str | None:
    value = typed_value(request, name)
    if value is not None and value not in choices:
        raise ValidationError({name: _("One of: %(choices)s.") % {"choices": ", ".join(choices)}})
    return value


@extend_schema(parameters=[
    OpenApiParameter("status", str, enum=DossierStatus.values),
    OpenApiParameter("scheme", str, enum=Scheme.values),
    OpenApiParameter("kind", str, enum=DossierKind.values),
    OpenApiParameter("commune", int, description="Primary key of the commune."),
    OpenApiParameter("due", str, enum=["today", "week", "overdue"], description="Open dossiers due today, "
                     "within seven days, or past their due date."),
])
class BenefitDossierList(generics.ListAPIView[Dossier]):
    """Benefit dossiers in the caller's scope, newest first."""

    serializer_class = DossierSerializer

    def get_queryset(self) -> QuerySet[Dossier]:
        if getattr(self, "swagger_fake_view", False):
            return Dossier.objects.none()
        found = dossiers_for_user(self.request.user).select_related("category", "person", "commune", "to_commune")
        if status := _choice(self.request, "status", DossierStatus.values):
            found = found.filter(status=status)
        if scheme := _choice(self.request, "scheme", Scheme.values):
            found = found.filter(scheme=scheme)
        if kind := _choice(self.request, "kind", DossierKind.values):
            found = found.filter(kind=kind)
        commune = typed_value(self.request, "commune")
        if commune is not None:
            pk = parse_int(commune, low=1)
            if pk is None:
                raise ValidationError({"commune": _("Expected the number of a commune.")})
            found = found.filter(commune_id=pk)
        if due := _choice(self.request, "due", ["today", "week", "overdue"]):
            found = due_filter(found, due, timezone.localdate())
        return found.order_by("-received_on", "-pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


def due_filter(found: QuerySet[Dossier], due: str, today: dt.date) -> QuerySet[Dossier]:
    """Open dossiers due today, within the week (the next seven days) or overdue."""
    found = found.filter(status__in=OPEN)
    if due == "today":
        return found.filter(due_on=today)
    if due == "week":
        return found.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=7))
    return found.filter(due_on__lt=today)


class BenefitDossierDetail(APIView):
    """A dossier with its steps (who, when)."""

    @extend_schema(responses={200: DossierDetailSerializer, 404: OpenApiResponse(
        description="No such dossier among those the caller sees.")})
    def get(self, request: Request, pk: int) -> Response:
        dossier = get_dossier_for_user(request.user, pk)  # Http404 → the API's JSON 404 (DRF)
        dossier = (Dossier.objects.select_related("category", "person", "commune", "to_commune")
                   .prefetch_related("steps__actor").get(pk=dossier.pk))
        return Response(DossierDetailSerializer(dossier, context={"today": timezone.localdate()}).data)
