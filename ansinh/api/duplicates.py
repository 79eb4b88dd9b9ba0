"""API v1 for possible duplicates (issue 12 item 4): the review queue, a pair, and its decision.

Every queryset comes from `ansinh.dedup.access`: a pair is seen by whoever reads the register of
either record's commune, decided by whoever may change the register of both. Citizen IDs are
masked unless the caller may see them in full for that record's commune
(`households.access.may_see_citizen_ids`), each full reading audited. The evidence is given as the
comparison levels and in Vietnamese words. A decision is final: deciding a decided pair is 409.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.dedup import services
from ansinh.dedup.access import get_pair_for_user, pairs_for_user
from ansinh.dedup.models import DuplicatePair, Method, PairStatus
from ansinh.dedup.views_review import evidence_of
from ansinh.households.access import may_see_citizen_ids
from ansinh.households.models import Member
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.web.shortcuts import parse_int

from .params import typed_value

PERSON_SCHEMA = {"type": "object", "properties": {
    "id": {"type": "integer"}, "full_name": {"type": "string"}, "birth_date": {"type": "string", "format": "date"},
    "sex": {"type": "string"}, "household": {"type": "string", "description": "The household code."},
    "commune": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "citizen_id": {"type": "string", "nullable": True,
                   "description": "Masked (last three digits) unless the caller may see it in full."},
    "died_on": {"type": "string", "format": "date", "nullable": True},
    "left_on": {"type": "string", "format": "date", "nullable": True}}}


class DuplicateSerializer(serializers.ModelSerializer[DuplicatePair]):
    left = serializers.SerializerMethodField()
    right = serializers.SerializerMethodField()
    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DuplicatePair
        fields = ["id", "left", "right", "method", "probability", "status", "kept", "note", "decided_by",
                  "decided_at", "first_seen", "last_seen"]

    def _person(self, member: Member) -> dict[str, Any]:
        full = self.context.get("full", {}).get(member.pk, False)
        number = member.citizen_id
        commune = member.household.commune
        return {"id": member.pk, "full_name": member.full_name, "birth_date": member.birth_date, "sex": member.sex,
                "household": member.household.code, "commune": {"id": commune.pk, "name": commune.name},
                "citizen_id": (number if full else mask_citizen_id(number)) if number else None,
                "died_on": member.died_on, "left_on": member.left_on}

    @extend_schema_field(PERSON_SCHEMA)
    def get_left(self, pair: DuplicatePair) -> dict[str, Any]:
        return self._person(pair.left)

    @extend_schema_field(PERSON_SCHEMA)
    def get_right(self, pair: DuplicatePair) -> dict[str, Any]:
        return self._person(pair.right)


class DuplicateDetailSerializer(DuplicateSerializer):
    evidence = serializers.JSONField(help_text="Per comparison, the level reached and its weight (log₂).")
    evidence_words = serializers.SerializerMethodField(help_text="The evidence in Vietnamese, strongest first.")

    class Meta(DuplicateSerializer.Meta):
        fields = [*DuplicateSerializer.Meta.fields, "evidence", "evidence_words"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_evidence_words(self, pair: DuplicatePair) -> list[str]:
        return evidence_of(pair)


class DecideSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=sorted(services.DECISIONS))
    keep = serializers.IntegerField(required=False, allow_null=True,
                                    help_text="For merge: the id of the record kept (left or right; default left).")
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_LENGTH)


STATUSES = [*PairStatus.values, "all"]
PAIR_404 = OpenApiResponse(description="No such pair within the caller's units.")


def _related(found: QuerySet[DuplicatePair]) -> QuerySet[DuplicatePair]:
    return found.select_related("left__household__commune", "right__household__commune", "decided_by")


@extend_schema(parameters=[
    OpenApiParameter("status", str, enum=STATUSES, description="Default open (to review)."),
    OpenApiParameter("method", str, enum=Method.values),
    OpenApiParameter("commune", int, description="Id of a commune: pairs with a record there."),
    OpenApiParameter("min_probability", float, description="From 0 to 1."),
], responses={200: DuplicateSerializer(many=True), 400: OpenApiResponse(description="A malformed parameter.")})
class DuplicateList(generics.ListAPIView[DuplicatePair]):
    """Possible duplicates in the caller's units, most likely first. Citizen IDs masked."""

    serializer_class = DuplicateSerializer

    def get_queryset(self) -> QuerySet[DuplicatePair]:
        if getattr(self, "swagger_fake_view", False):
            return DuplicatePair.objects.none()
        request = self.request
        found = pairs_for_user(request.user)
        state = typed_value(request, "status") or PairStatus.OPEN
        if state not in STATUSES:
            raise ValidationError({"status": _("Expected one of: %(values)s.") % {"values": ", ".join(STATUSES)}})
        if state != "all":
            found = found.filter(status=state)
        if (method := typed_value(request, "method")) is not None:
            if method not in Method.values:
                raise ValidationError({"method": _("Expected one of: %(values)s.") % {
                    "values": ", ".join(Method.values)}})
            found = found.filter(method=method)
        if (commune := typed_value(request, "commune")) is not None:
            pk = parse_int(commune, low=1)
            if pk is None:
                raise ValidationError({"commune": _("Expected the id of a unit (a number).")})
            found = found.filter(Q(left__household__commune_id=pk) | Q(right__household__commune_id=pk))
        if (low := typed_value(request, "min_probability")) is not None:
            try:
                value = float(low)
            except ValueError:
                value = -1.0
            if not 0 <= value <= 1:
                raise ValidationError({"min_probability": _("Expected a number from 0 to 1.")})
            found = found.filter(probability__gte=value)
        return _related(found).order_by("-probability", "pk")


def _detail(request: Request, pair: DuplicatePair) -> Response:
    pair = _related(DuplicatePair.objects.filter(pk=pair.pk)).get()
    full = {m.pk: may_see_citizen_ids(request.user, m.household.commune) for m in (pair.left, pair.right)}
    shown = [m for m in (pair.left, pair.right) if full[m.pk] and m.citizen_id]
    if shown:
        with transaction.atomic():
            for member in shown:
                audit.record(actor=Actor.from_request(request), action="personal_data.read", obj=member.household,
                             unit=member.household.commune, after={"citizen_ids": 1, "via": "api"})
    return Response(DuplicateDetailSerializer(pair, context={"full": full}).data)


class DuplicateDetail(APIView):
    """A possible duplicate with its evidence; citizen IDs in full for whoever may see them (audited)."""

    @extend_schema(responses={200: DuplicateDetailSerializer, 404: PAIR_404})
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, get_pair_for_user(request.user, pk))


class DuplicateDecide(APIView):
    """Decides a pair: merge (keeping `keep`), link or dismiss. Final: a decided pair is 409."""

    @extend_schema(request=DecideSerializer, responses={
        200: DuplicateDetailSerializer, 400: OpenApiResponse(description="A refused decision, with the reason."),
        403: OpenApiResponse(description="The caller may not change both records' communes."), 404: PAIR_404,
        409: OpenApiResponse(description="The pair is already decided.")})
    def post(self, request: Request, pk: int) -> Response:
        pair = get_pair_for_user(request.user, pk, change=True)
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            services.decide(pair, actor=Actor.from_request(request), decision=data["decision"],
                            keep=data.get("keep"), note=data.get("note") or "")
        except services.PairDecided as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError({k: list(v) for k, v in error.message_dict.items()}) from None
            raise ValidationError(list(error.messages)) from None
        return _detail(request, pair)


__all__ = ["DuplicateDecide", "DuplicateDetail", "DuplicateList"]
