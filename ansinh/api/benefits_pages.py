"""API v1 for the people served: entitlements, with their amount of a month.

Every queryset comes from `ansinh.benefits.access` (a commune officer sees her commune's
entitlements of every scheme; a provincial officer of field `social_assistance` the monthly
social assistance and the social pension of her province, of field `meritorious` the merit
allowances; leaders and viewers read their units; officers of other fields see none). The list
takes the filters of the entitlement page (`scheme`, `category`, `commune`, `province`, `month`,
`status`, `q`) and pages like the households API (`page_size` 1–500); it reads the page's ids
first, then that page's rows and their amounts of the month (`ansinh.benefits.monthly`, for the
page's people only): a constant number of queries whatever the page size. Citizen IDs: masked in
the list; in full on the detail for whoever may see them (`access.may_see_citizen_ids`), each
reading audited (Decree 13/2023/NĐ-CP, Art. 27).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts import audit
from ansinh.accounts.access import units_for_user
from ansinh.accounts.audit import Actor
from ansinh.benefits import access, monthly
from ansinh.benefits.forms_pages import STATUS_ACTIVE, STATUS_ALL, STATUS_STOPPED, parse_month, this_month
from ansinh.benefits.models import Entitlement, Scheme
from ansinh.geo.models import Level
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.vietnamese import fold
from ansinh.web.shortcuts import parse_int

from .params import typed_value

STATUSES = [STATUS_ACTIVE, STATUS_STOPPED, STATUS_ALL]


class LineSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(help_text="The category code of the line (a supplement or carer allowance has "
                                               "its own).")
    kind = serializers.CharField(help_text="allowance, supplement or carer.")
    amount = serializers.IntegerField(help_text="VND per month.")
    text = serializers.CharField(help_text="How it was computed, in Vietnamese.")
    legal_basis = serializers.CharField()
    provisional = serializers.BooleanField(help_text="The rule behind it is not yet checked against the original "
                                                     "text (tạm tính).")
    paid = serializers.BooleanField(help_text="False when precedence excludes it (the amount is what it would be).")
    excluded = serializers.CharField(help_text="Why it is not paid, in Vietnamese; empty when paid.")


class RefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class EntitlementSerializer(serializers.ModelSerializer[Entitlement]):
    person = serializers.SerializerMethodField()
    household_code = serializers.CharField(source="person.household.code", read_only=True)
    commune = RefSerializer(read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    month_amount = serializers.SerializerMethodField(
        help_text="What the entitlement pays in the month asked for (`month`, default this month), VND; null when "
                  "it pays nothing that month.")

    class Meta:
        model = Entitlement
        fields = ["id", "person", "household_code", "commune", "scheme", "category", "category_name", "rate",
                  "martyr_count", "children", "years", "especially_severe", "living_alone", "decision_number",
                  "decision_date", "decision_signer", "recognised_on", "start_month", "stop_month", "stop_reason",
                  "month_amount", "version"]

    @extend_schema_field({"type": "object", "properties": {
        "id": {"type": "integer"}, "full_name": {"type": "string"}, "birth_date": {"type": "string", "format": "date"},
        "citizen_id": {"type": "string", "nullable": True,
                       "description": "Masked (last three digits) unless the caller may see it in full."}}})
    def get_person(self, entitlement: Entitlement) -> dict[str, Any]:
        person = entitlement.person
        full = bool(self.context.get("full_citizen_id"))
        number = person.citizen_id
        return {"id": person.pk, "full_name": person.full_name, "birth_date": person.birth_date,
                "citizen_id": (number if full else mask_citizen_id(number)) if number else None}

    @extend_schema_field(OpenApiTypes.INT)
    def get_month_amount(self, entitlement: Entitlement) -> int | None:
        lines = self.context.get("lines", {}).get(entitlement.pk)
        if not lines:
            return None
        return sum(line.amount for line in lines if line.paid)


class EntitlementDetailSerializer(EntitlementSerializer):
    month = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField(help_text="This month's lines with the rule behind each.")

    class Meta(EntitlementSerializer.Meta):
        fields = [*EntitlementSerializer.Meta.fields, "month", "lines"]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_month(self, entitlement: Entitlement) -> dt.date:
        month: dt.date = self.context["month"]
        return month

    @extend_schema_field(LineSerializer(many=True))
    def get_lines(self, entitlement: Entitlement) -> list[Any]:
        return list(LineSerializer(self.context.get("lines", {}).get(entitlement.pk, []), many=True).data)


def _lines(entitlements: list[Entitlement], month: dt.date) -> dict[int, list[monthly.MonthLine]]:
    """The month's lines of these entitlements, precedence computed over all of their people's
    entitlements (a page's worth)."""
    if not entitlements:
        return {}
    wanted = {e.pk for e in entitlements}
    out: dict[int, list[monthly.MonthLine]] = defaultdict(list)
    people = {e.person_id for e in entitlements}
    for line in monthly.month_lines(Entitlement.objects.filter(person_id__in=people), month):
        if line.entitlement_id in wanted:
            out[line.entitlement_id].append(line)
    return out


def _month(request: Request) -> dt.date:
    value = typed_value(request, "month")
    if value is None:
        return this_month()
    month = parse_month(value)
    if month is None:
        raise ValidationError({"month": _("Expected a month YYYY-MM.")})
    return month


def _unit(request: Request, name: str, level: int) -> int | None:
    value = typed_value(request, name)
    if value is None:
        return None
    pk = parse_int(value, low=1)
    if pk is None:
        raise ValidationError({name: _("Expected the id of a unit (a number).")})
    if not units_for_user(request.user).filter(pk=pk, level=level).exists():
        raise NotFound(_("No such unit within your units."))
    return pk


UNIT_404 = OpenApiResponse(description="The unit (or entitlement) is outside the caller's units or schemes.")


@extend_schema(
    parameters=[
        OpenApiParameter("scheme", str, enum=Scheme.values),
        OpenApiParameter("category", str, description="A category code, e.g. sa_disability_severe."),
        OpenApiParameter("commune", int, description="Id of a commune (the paying commune)."),
        OpenApiParameter("province", int, description="Id of a province."),
        OpenApiParameter("month", str, description="YYYY-MM (default: this month): `status` and `month_amount` "
                                                   "refer to it."),
        OpenApiParameter("status", str, enum=STATUSES, description="active: paying in the month (default); "
                                                                   "stopped: stopped by the month; all."),
        OpenApiParameter("q", str, description="Accent-insensitive search in the person's name, or a citizen ID."),
    ],
    responses={200: EntitlementSerializer(many=True), 400: OpenApiResponse(description="A malformed parameter."),
               404: UNIT_404},
)
class EntitlementList(generics.ListAPIView[Entitlement]):
    """Entitlements in the caller's units and schemes, by the person's name (Vietnamese order)."""

    serializer_class = EntitlementSerializer

    def get_queryset(self) -> QuerySet[Entitlement]:
        if getattr(self, "swagger_fake_view", False):
            return Entitlement.objects.none()
        request = self.request
        found = access.entitlements_for_user(request.user)
        if (scheme := typed_value(request, "scheme")) is not None:
            if scheme not in Scheme.values:
                raise ValidationError({"scheme": _("Expected one of: %(values)s.") % {
                    "values": ", ".join(Scheme.values)}})
            found = found.filter(scheme=scheme)
        if (category := typed_value(request, "category")) is not None:
            found = found.filter(category__code=category)
        if (commune := _unit(request, "commune", Level.COMMUNE)) is not None:
            found = found.filter(commune_id=commune)
        if (province := _unit(request, "province", Level.PROVINCE)) is not None:
            found = found.filter(commune__parent_id=province)
        month = self.month = _month(request)
        status = typed_value(request, "status") or STATUS_ACTIVE
        if status not in STATUSES:
            raise ValidationError({"status": _("Expected one of: %(values)s.") % {"values": ", ".join(STATUSES)}})
        if status == STATUS_ACTIVE:
            found = found.filter(start_month__lte=month).filter(Q(stop_month__isnull=True) | Q(stop_month__gt=month))
        elif status == STATUS_STOPPED:
            found = found.filter(stop_month__lte=month)
        if query := request.query_params.get("q", "").strip():
            compact = "".join(query.split())
            if compact.isdigit() and len(compact) == 12:
                found = found.filter(person__citizen_id=compact)
            else:
                for word in fold(query).split():
                    found = found.filter(person__search_name__contains=word)
        return found.order_by("person__sort_key", "person_id", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ids = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True))
        assert ids is not None  # the view always paginates
        found = {e.pk: e for e in Entitlement.objects.filter(pk__in=list(ids))
                 .select_related("person__household", "commune", "category")}
        page = [found[pk] for pk in ids if pk in found]
        context = {**self.get_serializer_context(), "lines": _lines(page, self.month)}
        return self.get_paginated_response(EntitlementSerializer(page, many=True, context=context).data)


@extend_schema(parameters=[OpenApiParameter("month", str, description="YYYY-MM (default: this month).")],
               responses={200: EntitlementDetailSerializer, 404: UNIT_404})
class EntitlementDetail(APIView):
    """An entitlement with its lines of the month and the rule behind each."""

    def get(self, request: Request, pk: int) -> Response:
        entitlement = access.get_entitlement_for_user(request.user, pk)
        month = _month(request)
        full = access.may_see_citizen_ids(request.user, entitlement.commune, entitlement.scheme)
        if full and entitlement.person.citizen_id:
            with transaction.atomic():
                audit.record(actor=Actor.from_request(request), action="personal_data.read", obj=entitlement,
                             unit=entitlement.commune, after={"citizen_ids": 1, "via": "api"})
        context = {"month": month, "lines": _lines([entitlement], month), "full_citizen_id": full}
        response = Response(EntitlementDetailSerializer(entitlement, context=context).data)
        response["ETag"] = f'"{entitlement.version}"'
        return response


__all__ = ["EntitlementDetail", "EntitlementList"]
