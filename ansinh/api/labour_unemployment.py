"""API v1 of the unemployment registry (issue 13, lane ui):

- `GET /api/v1/labour/unemployment/`: dossiers in the caller's scope (`labour.access`), newest
  first, filtered by `state`, `unit` (its subtree), `period` (YYYY, YYYY-Qn, YYYY-MM) by `by`
  (received or decided);
- `POST /api/v1/labour/unemployment/`: receive a dossier (the person by citizen ID; the service
  `unemployment_receive`, scoped and audited);
- `GET /api/v1/labour/ui-benefit?contract_end=…&months=…&average_salary=…&region=…
  [&state_pay_scale=1][&contract_kind=…][&filed_on=…]`: the calculator, with its steps and articles.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.households.models import Member
from ansinh.labour import access
from ansinh.labour.models import ContractKind, DossierState, UnemploymentDossier
from ansinh.labour.ui_law import compute
from ansinh.labour.unemployment import (
    AWARDED_FILTER,
    dossiers_in_period,
    dossiers_in_state,
    dossiers_in_unit,
    unemployment_receive,
)
from ansinh.plans.periods import Period

from .params import typed_value


class UnemploymentDossierSerializer(serializers.ModelSerializer[UnemploymentDossier]):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    state = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(DossierState.values) + ".")

    class Meta:
        model = UnemploymentDossier
        fields = ["id", "person", "person_name", "commune_code", "received_on", "employer_name", "region",
                  "contract_kind", "contract_end", "months_contributed", "average_salary", "state_pay_scale", "state",
                  "decision_due", "decided_on", "decision_number", "monthly_amount", "benefit_months", "starts_on",
                  "ends_on", "total_amount", "refusal_reason", "stopped_on", "stop_reason"]
        read_only_fields = fields


class ReceiveSerializer(serializers.Serializer[Any]):
    citizen_id = serializers.RegexField(r"^\d{12}$")
    received_on = serializers.DateField()
    employer_name = serializers.CharField(max_length=255)
    employer_unit = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    region = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)
    contract_kind = serializers.ChoiceField(choices=ContractKind.values, default=ContractKind.INDEFINITE)
    contract_end = serializers.DateField()
    months_contributed = serializers.IntegerField(min_value=0, max_value=600)
    average_salary = serializers.IntegerField(min_value=1, max_value=1_000_000_000)
    state_pay_scale = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


@extend_schema(parameters=[OpenApiParameter("state", str, enum=[*DossierState.values, AWARDED_FILTER]), OpenApiParameter("unit", int),
                           OpenApiParameter("period", str), OpenApiParameter("by", str, enum=["received", "decided"])])
class UnemploymentDossierList(generics.ListCreateAPIView[UnemploymentDossier]):
    """Unemployment insurance dossiers in the caller's scope; POST receives one."""

    serializer_class = UnemploymentDossierSerializer

    def get_queryset(self) -> QuerySet[UnemploymentDossier]:
        if getattr(self, "swagger_fake_view", False):
            return UnemploymentDossier.objects.none()
        found = access.unemployment_for_user(self.request.user).select_related("person", "commune")
        state = typed_value(self.request, "state")
        if state is not None:
            if state not in [*DossierState.values, AWARDED_FILTER]:
                raise ValidationError({"state": "Một trong: " + ", ".join([*DossierState.values, AWARDED_FILTER]) + "."})
            found = dossiers_in_state(found, state)
        unit = typed_value(self.request, "unit")
        if unit is not None:
            root = Unit.objects.filter(pk=int(unit)).first() if unit.isdigit() else None
            if root is None:
                raise ValidationError({"unit": "Không có đơn vị này."})
            found = dossiers_in_unit(found, root)
        by = typed_value(self.request, "by") or "received"
        if by not in ("received", "decided"):
            raise ValidationError({"by": "Một trong: received, decided."})
        period = typed_value(self.request, "period")
        if period is not None:
            try:
                parsed = Period.parse(period)
            except DjangoValidationError as error:
                raise ValidationError({"period": error.messages}) from None
            found = dossiers_in_period(found, parsed, by=by)
        return found.order_by("-received_on", "-pk")

    @extend_schema(request=ReceiveSerializer, responses={201: UnemploymentDossierSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ReceiveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        person = (Member.objects.select_related("household__commune")
                  .filter(citizen_id=data["citizen_id"], died_on__isnull=True, left_on__isnull=True).first())
        if person is None or not access.may_change(request.user, person.household.commune, "unemployment"):
            raise ValidationError({"citizen_id": "Không có người này trong sổ hộ của các đơn vị bạn phụ trách."})
        employer_unit = Unit.objects.filter(pk=data.get("employer_unit") or 0).first()
        try:
            dossier = unemployment_receive(
                actor=Actor.from_request(request), person=person, received_on=data["received_on"],
                employer_name=data["employer_name"], employer_unit=employer_unit, region=data.get("region"),
                contract_kind=data["contract_kind"], contract_end=data["contract_end"],
                months_contributed=data["months_contributed"], average_salary=data["average_salary"],
                state_pay_scale=data["state_pay_scale"], note=data["note"])
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from None
        return Response(UnemploymentDossierSerializer(dossier).data, status=status.HTTP_201_CREATED)


class BenefitQuery(serializers.Serializer[Any]):
    contract_end = serializers.DateField()
    months = serializers.IntegerField(min_value=0, max_value=600)
    average_salary = serializers.IntegerField(min_value=1, max_value=1_000_000_000)
    region = serializers.IntegerField(min_value=1, max_value=4)
    state_pay_scale = serializers.BooleanField(default=False)
    contract_kind = serializers.ChoiceField(choices=ContractKind.values, default=ContractKind.INDEFINITE)
    filed_on = serializers.DateField(required=False, allow_null=True)


class UnemploymentBenefit(APIView):
    """The unemployment benefit by the law in force on the contract's end (any signed-in caller)."""

    @extend_schema(parameters=[BenefitQuery], responses={
        200: OpenApiResponse(response=OpenApiTypes.OBJECT, description=(
            "The decision: monthly (VND), months, starts (YYYY-MM-DD or null), eligible, reason and the steps "
            "with their articles.")),
        400: OpenApiResponse(description="A malformed parameter.")})
    def get(self, request: Request) -> Response:
        query = BenefitQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        decision = compute(contract_end=data["contract_end"], months=data["months"],
                           average_salary=data["average_salary"], region=data["region"],
                           state_pay_scale=data["state_pay_scale"], contract_kind=data["contract_kind"],
                           filed_on=data.get("filed_on"))
        return Response({**decision.as_json(), "eligible": decision.eligible, "reason": decision.reason,
                         "law": decision.rule.law if decision.rule else None, "cap": decision.cap,
                         "total": decision.total, "ends": decision.ends.isoformat() if decision.ends else None,
                         "steps": [{"text": s.text, "article": s.article} for s in decision.steps]})
