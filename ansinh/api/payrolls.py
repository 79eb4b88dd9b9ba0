"""API v1 for payrolls: the payrolls in the caller's units and field (`ansinh.payments.access`),
with their control totals, filtered like the page (`month`, `commune`, `field`, `state`); a
payroll with its lines (amount, rule, legal basis, channel and the paying agent's result). Bank
accounts are in full for those who pay them (`access.may_see_personal`), masked otherwise."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.benefits.months import parse_month
from ansinh.payments import access
from ansinh.payments.models import PayField, Payroll, PayrollLine, PayrollState
from ansinh.web.shortcuts import parse_int

from .params import typed_value


def _mask(number: str) -> str:
    return "•" * max(0, len(number) - 4) + number[-4:] if len(number) > 4 else "•" * len(number)


class PayrollSerializer(serializers.ModelSerializer[Payroll]):
    commune = serializers.SerializerMethodField()

    class Meta:
        model = Payroll
        fields = ["id", "commune", "month", "field", "sequence", "state", "lines_count", "people_count", "total",
                  "recovery_total", "computed_at", "approved_at", "sent_at", "reconciled_at", "version"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                                           "name": {"type": "string"}}})
    def get_commune(self, payroll: Payroll) -> dict[str, Any]:
        return {"id": payroll.commune_id, "code": payroll.commune.code, "name": payroll.commune.name}


class PayrollLineSerializer(serializers.ModelSerializer[PayrollLine]):
    person = serializers.SerializerMethodField()
    rule = serializers.CharField(source="basis.rule", read_only=True, help_text="How the amount was computed.")
    legal_basis = serializers.CharField(source="basis.legal_basis", read_only=True)
    account_number = serializers.SerializerMethodField(
        help_text="In full for those who pay the payroll; masked (last four characters) for the others.")

    class Meta:
        model = PayrollLine
        fields = ["id", "person", "scheme", "for_month", "kind", "amount", "rule", "legal_basis", "provisional",
                  "hamlet_id", "channel", "account_number", "carried_from_id", "status", "paid_amount", "paid_on"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "full_name": {"type": "string"},
                                                           "birth_year": {"type": "integer"}}})
    def get_person(self, line: PayrollLine) -> dict[str, Any]:
        return {"id": line.person_id, "full_name": line.person.full_name, "birth_year": line.person.birth_date.year}

    @extend_schema_field(serializers.CharField())
    def get_account_number(self, line: PayrollLine) -> str:
        return line.account_number if self.context.get("full") else _mask(line.account_number)


class PayrollDetailSerializer(PayrollSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(PayrollSerializer.Meta):
        fields = [*PayrollSerializer.Meta.fields, "lines"]

    @extend_schema_field(PayrollLineSerializer(many=True))
    def get_lines(self, payroll: Payroll) -> list[Any]:
        lines = payroll.lines.select_related("person", "basis").order_by("hamlet_id", "person_id", "scheme", "for_month", "kind")
        return list(PayrollLineSerializer(lines, many=True, context=self.context).data)


@extend_schema(
    parameters=[
        OpenApiParameter("month", str, description="YYYY-MM"),
        OpenApiParameter("commune", int, description="Id of a commune."),
        OpenApiParameter("field", str, enum=PayField.values),
        OpenApiParameter("state", str, enum=PayrollState.values),
    ],
    responses={200: PayrollSerializer(many=True), 400: OpenApiResponse(description="A malformed parameter.")},
)
class PayrollList(generics.ListAPIView[Payroll]):
    """Payrolls in the caller's units and field, latest month first, with their control totals."""

    serializer_class = PayrollSerializer

    def get_queryset(self) -> QuerySet[Payroll]:
        if getattr(self, "swagger_fake_view", False):
            return Payroll.objects.none()
        request = self.request
        found = access.payrolls_for_user(request.user).select_related("commune")
        if (value := typed_value(request, "month")) is not None:
            month = parse_month(value)
            if month is None:
                raise ValidationError({"month": _("Expected a month YYYY-MM.")})
            found = found.filter(month=month)
        if (value := typed_value(request, "commune")) is not None:
            pk = parse_int(value, low=1)
            if pk is None:
                raise ValidationError({"commune": _("Expected the id of a unit (a number).")})
            found = found.filter(commune_id=pk)
        for name, values in (("field", PayField.values), ("state", PayrollState.values)):
            if (value := typed_value(request, name)) is not None:
                if value not in values:
                    raise ValidationError({name: _("Expected one of: %(values)s.") % {"values": ", ".join(values)}})
                found = found.filter(**{name: value})
        return found.order_by("-month", "commune__sort_key", "field", "sequence")


@extend_schema(responses={200: PayrollDetailSerializer,
                          404: OpenApiResponse(description="The payroll is outside the caller's units or field.")})
class PayrollDetail(APIView):
    """A payroll with its control totals and every line."""

    def get(self, request: Request, pk: int) -> Response:
        payroll = access.get_payroll_for_user(request.user, pk)
        full = access.may_see_personal(request.user, payroll.commune, payroll.field)
        response = Response(PayrollDetailSerializer(payroll, context={"full": full}).data)
        response["ETag"] = f'"{payroll.version}"'
        return response


__all__ = ["PayrollDetail", "PayrollList"]
