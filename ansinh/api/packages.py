"""API v1 for the one-off support packages: the packages in the caller's units (list, filters
`purpose`, `unit`, `from`, `to`), one package with its tiers (the rule in words beside its values)
and totals (recipients, amounts by funding source, by tier, by payment status), and the creation
of a package by whoever may run packages of its field in its unit (`POST`, the body of a package
file: docs/package-file.md, with `unit` the unit's id or code). Creating the same package again
returns it (200) rather than a second one (201): no one is paid twice.

Every queryset comes from `ansinh.payments.access`; the totals of a package of a unit above the
caller's are those of the lines the caller sees (her communes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts.access import units_for_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Field
from ansinh.geo.models import Edition, Level, Unit
from ansinh.payments import access
from ansinh.payments.models import Package, Purpose
from ansinh.payments.packages import (category_names, create_package, package_totals, packages_around, tier_words,
                                      tiers_from_json)
from ansinh.web.shortcuts import parse_int

from .params import typed_value


class PackageSerializer(serializers.ModelSerializer[Package]):
    unit = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = ["id", "name", "purpose", "field", "legal_basis", "unit", "on", "period_start", "period_end", "state",
                  "recipients", "total", "frozen_at", "note"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                                           "name": {"type": "string"}}})
    def get_unit(self, package: Package) -> dict[str, Any]:
        return {"id": package.unit_id, "code": package.unit.code, "name": package.unit.name}


class PackageDetailSerializer(PackageSerializer):
    tiers = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField(
        help_text="recipients, total, central, local, socialised, paid (VND); by_tier; by_status "
                  "(pending, paid, partly, not_paid: recipients and amount).")

    class Meta(PackageSerializer.Meta):
        fields = [*PackageSerializer.Meta.fields, "tiers", "totals"]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_tiers(self, package: Package) -> list[dict[str, Any]]:
        tiers = list(package.tiers.all())
        names = category_names(tiers)
        return [{"id": t.pk, "order": t.order, "name": t.name, "rule": t.rule, "params": t.params, "per": t.per,
                 "amount": t.amount, "central": t.central, "local": t.local, "socialised": t.socialised,
                 "words": tier_words(t.rule, t.params, categories=names)} for t in tiers]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_totals(self, package: Package) -> dict[str, Any]:
        visible = self.context.get("lines")
        return package_totals(package, lines=visible)


def _date(request: Request, name: str) -> dt.date | None:
    value = typed_value(request, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: _("Expected a date YYYY-MM-DD.")}) from None


@extend_schema(
    parameters=[OpenApiParameter("purpose", str, enum=Purpose.values),
                OpenApiParameter("unit", int, description="Id of a unit: its packages, those inside it and above it."),
                OpenApiParameter("from", str, description="YYYY-MM-DD: packages dated on or after."),
                OpenApiParameter("to", str, description="YYYY-MM-DD: packages dated on or before.")],
    responses={200: PackageSerializer(many=True), 400: OpenApiResponse(description="A malformed parameter.")},
)
class PackageList(generics.ListAPIView[Package]):
    """Packages in the caller's units, newest first; `POST` creates one (and freezes its list)."""

    serializer_class = PackageSerializer

    def get_queryset(self) -> QuerySet[Package]:
        if getattr(self, "swagger_fake_view", False):
            return Package.objects.none()
        request = self.request
        found = access.packages_for_user(request.user).select_related("unit")
        if (purpose := typed_value(request, "purpose")) is not None:
            if purpose not in Purpose.values:
                raise ValidationError({"purpose": _("Expected one of: %(values)s.") % {
                    "values": ", ".join(Purpose.values)}})
            found = found.filter(purpose=purpose)
        if (value := typed_value(request, "unit")) is not None:
            pk = parse_int(value, low=1)
            unit = units_for_user(request.user).filter(pk=pk).first() if pk else None
            if unit is None:
                raise ValidationError({"unit": _("Expected the id of a unit within your units.")})
            found = packages_around(found, unit)
        if (start := _date(request, "from")) is not None:
            found = found.filter(on__gte=start)
        if (end := _date(request, "to")) is not None:
            found = found.filter(on__lte=end)
        return found.order_by("-on", "-pk")

    @extend_schema(request={"application/json": {"type": "object"}},
                   responses={201: PackageDetailSerializer, 200: PackageDetailSerializer,
                              400: OpenApiResponse(description="What is wrong, in the caller's language."),
                              403: OpenApiResponse(description="The caller may not run packages of this field here.")})
    def post(self, request: Request) -> Response:
        try:
            fields, tiers = tiers_from_json(request.data)
        except DjangoValidationError as error:
            raise ValidationError({"tiers": error.messages}) from None
        unit = _unit_of(fields.get("unit"))
        on = _body_date(fields.get("date") or fields.get("on"), "date")
        period = fields.get("period")
        if period is not None and (not isinstance(period, list) or len(period) != 2):
            raise ValidationError({"period": _("Expected two dates [YYYY-MM-DD, YYYY-MM-DD].")})
        field = str(fields.get("field") or "")
        if field in Field.values and not access.may_run_package(request.user, unit, field):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied(_("You may not create packages of this field in %(unit)s.") % {"unit": unit.name})
        try:
            package, created = create_package(
                name=str(fields.get("name") or ""), purpose=str(fields.get("purpose") or "tet"), field=field, unit=unit,
                on=on, tiers=tiers, actor=Actor.from_request(request._request),
                legal_basis=str(fields.get("legal_basis") or ""), note=str(fields.get("note") or ""),
                period=(_body_date(period[0], "period"), _body_date(period[1], "period")) if period else None)
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from None
        data = PackageDetailSerializer(package).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _unit_of(value: Any) -> Unit:
    text = str(value or "").strip()
    found = None
    if text.isdigit():
        found = (Unit.objects.filter(code=text, edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
                 .first() or Unit.objects.filter(pk=int(text), edition=Edition.CURRENT).first())
    if found is None:
        raise ValidationError({"unit": _("Expected the code or id of a province or commune of the current map.")})
    return found


def _body_date(value: Any, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        raise ValidationError({name: _("Expected a date YYYY-MM-DD.")}) from None


@extend_schema(responses={200: PackageDetailSerializer, 404: OpenApiResponse(description="Outside the caller's units.")})
class PackageDetail(APIView):
    """A package with its tiers and totals."""

    def get(self, request: Request, pk: int) -> Response:
        package = access.get_package_for_user(request.user, pk)
        visible = access.package_lines_for_user(request.user).filter(package=package)
        whole = visible.count() == package.recipients
        return Response(PackageDetailSerializer(package, context={"lines": None if whole else visible}).data)


__all__ = ["PackageDetail", "PackageList"]
