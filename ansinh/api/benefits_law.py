"""API v1 for the law of the people served: the amount rules and base levels in force on a date.

`GET /api/v1/benefit-rules/?on=YYYY-MM-DD&scheme=&category=` (read-only, everyone signed in: the
law is public): the national base levels in force and, per category in force, its rules in force,
each with its legal basis and whether it is provisional. Amounts are JSON numbers (đồng);
coefficients are strings ("1.50") so that no float rounding creeps in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.benefits.law import NotInForce, Rule, RuleBook
from ansinh.benefits.models import BaseKind, Scheme

from .params import typed_value

RULE_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.IntegerField(), "category": serializers.CharField(), "category_name": serializers.CharField(),
    "scheme": serializers.CharField(), "kind": serializers.CharField(), "method": serializers.CharField(),
    "base": serializers.CharField(), "coefficient": serializers.CharField(allow_null=True),
    "amount": serializers.IntegerField(allow_null=True), "per_unit": serializers.BooleanField(),
    "age_from": serializers.IntegerField(allow_null=True), "age_to": serializers.IntegerField(allow_null=True),
    "rate_from": serializers.IntegerField(allow_null=True), "rate_to": serializers.IntegerField(allow_null=True),
    "count_from": serializers.IntegerField(allow_null=True), "count_to": serializers.IntegerField(allow_null=True),
    "flag": serializers.CharField(), "valid_from": serializers.DateField(),
    "valid_to": serializers.DateField(allow_null=True), "legal_basis": serializers.CharField(),
    "provisional": serializers.BooleanField(), "description": serializers.CharField(),
}
BASE_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "kind": serializers.CharField(), "amount": serializers.IntegerField(), "valid_from": serializers.DateField(),
    "decided_on": serializers.DateField(allow_null=True), "legal_basis": serializers.CharField(),
    "provisional": serializers.BooleanField(),
}


def _rule(rule: Rule, book: RuleBook) -> dict[str, Any]:
    cat = book.categories[rule.code]
    return {
        "id": rule.id, "category": rule.code, "category_name": cat.name, "scheme": cat.scheme, "kind": cat.kind,
        "method": rule.method, "base": rule.base,
        "coefficient": None if rule.coefficient is None else f"{rule.coefficient:.2f}",
        "amount": rule.amount, "per_unit": rule.per_unit, "age_from": rule.age_from, "age_to": rule.age_to,
        "rate_from": rule.rate_from, "rate_to": rule.rate_to, "count_from": rule.count_from,
        "count_to": rule.count_to, "flag": rule.flag, "valid_from": rule.valid_from.isoformat(),
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else None, "legal_basis": rule.legal_basis,
        "provisional": rule.provisional, "description": rule.describe("năm" if cat.uses_years else "con"),
    }


@extend_schema(
    parameters=[
        OpenApiParameter("on", dt.date, description="The date (YYYY-MM-DD); default today."),
        OpenApiParameter("scheme", str, enum=Scheme.values),
        OpenApiParameter("category", str, description="A category code (e.g. sa_orphan, merit_war_invalid)."),
    ],
    responses={200: inline_serializer("BenefitRules", fields={
        "on": serializers.DateField(), "bases": inline_serializer("BenefitBaseLevel", fields=BASE_FIELDS, many=True),
        "results": inline_serializer("BenefitRule", fields=RULE_FIELDS, many=True)}),
        400: OpenApiResponse(description="A parameter is malformed or names nothing known.")},
)
class BenefitRuleList(APIView):
    """The amount rules of the categories in force on a date, and the national base levels then."""

    def get(self, request: Request) -> Response:
        on = timezone.localdate()
        if (raw := typed_value(request, "on")) is not None:
            try:
                on = dt.date.fromisoformat(raw)
            except ValueError:
                raise ValidationError({"on": [_("Give a date as YYYY-MM-DD.")]}) from None
        scheme = typed_value(request, "scheme")
        if scheme is not None and scheme not in Scheme.values:
            raise ValidationError({"scheme": [_("Unknown scheme.")]})
        code = typed_value(request, "category")
        book = RuleBook.load(on)
        if code is not None and code not in book.categories:
            raise ValidationError({"category": [_("Unknown category.")]})
        results = [_rule(rule, book) for cat in book.categories_on(on, scheme=scheme)
                   if code is None or cat.code == code for rule in book.rules_on(cat.code, on)]
        bases = []
        for kind in BaseKind.values:
            try:
                row = book.base(kind, on)
            except NotInForce:
                continue
            bases.append({"kind": kind, "amount": row.amount, "valid_from": row.valid_from.isoformat(),
                          "decided_on": row.decided_on.isoformat() if row.decided_on else None,
                          "legal_basis": row.legal_basis, "provisional": row.provisional})
        return Response({"on": on.isoformat(), "bases": bases, "results": results})
