"""API v1 for children in special circumstances (`/api/v1/care/children/…`), read-only, through
`ansinh.care.access_children` like the pages: the register filtered like the list page (`q`,
`unit`, `group`, `age`, `from`, `to`, `supported`, `abused`), a child with her groups, support from
every source, case notes (each reading audited) and, for those who change her records, abuse cases;
and the child-friendly assessments (`unit`, `year`, `status`, `recognised`). Citizen IDs in full
for those who change the record, masked otherwise."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.care import access_children as access
from ansinh.care.forms_children import AssessmentFilterForm, ChildFilterForm
from ansinh.care.models_children import Child, ChildFriendlyAssessment
from ansinh.care.support_children import support_of
from ansinh.lib.citizen_id import mask_citizen_id

PAGE = 100


def _shown(number: str | None, full: bool) -> str:
    return "" if not number else (number if full else mask_citizen_id(number))


def _child(child: Child, full: bool) -> dict[str, Any]:
    return {"id": child.pk, "person_id": child.person_id, "full_name": child.person.full_name,
            "citizen_id": _shown(child.person.citizen_id, full), "birth_date": child.person.birth_date,
            "commune": {"id": child.commune_id, "code": child.commune.code, "name": child.commune.name},
            "registered_on": child.registered_on, "leaves_on": child.leaves_on}


def _errors(form: Any) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@extend_schema(parameters=[OpenApiParameter(n, str) for n in ("q", "unit", "group", "age", "from", "to", "supported",
                                                            "abused", "page")],
               responses={200: OpenApiResponse(description="A page of children."),
                          400: OpenApiResponse(description="A malformed parameter.")})
class ChildList(APIView):
    """Children in special circumstances in the caller's units."""

    @extend_schema(operation_id="care_children_list")
    def get(self, request: Request) -> Response:
        user = request.user
        if not access.reads_children(user):
            raise PermissionDenied
        form = ChildFilterForm(request.query_params or None, user=user)
        if form.is_bound and not form.is_valid():
            raise ValidationError(_errors(form))
        found = form.filter(access.children_for_user(user)).select_related("person", "commune").order_by(
            "person__sort_key", "pk")
        page = request.query_params.get("page", "1")
        number = int(page) if page.isdigit() and len(page) <= 7 and int(page) > 0 else None
        if number is None:
            raise ValidationError({"page": ["Số trang không hợp lệ."]})
        rows = list(found[(number - 1) * PAGE:number * PAGE])
        allowed: dict[int, bool] = {}
        out = []
        for child in rows:
            if child.commune_id not in allowed:
                allowed[child.commune_id] = access.may_see_personal(user, child.commune)
            out.append(_child(child, allowed[child.commune_id]))
        return Response({"count": found.count(), "page": number, "results": out})


@extend_schema(responses={200: OpenApiResponse(description="A child with groups, support and case notes."),
                          404: OpenApiResponse(description="Outside the caller's scope.")})
class ChildDetail(APIView):
    @extend_schema(operation_id="care_child_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        user = request.user
        child = access.get_child_for_user(user, pk)
        full = access.may_change(user, child.commune)
        data = _child(child, full)
        data["groups"] = [{"code": c.group.code, "number": c.group.number, "name": c.group.name, "since": c.since,
                           "until": c.until, "end_reason": c.end_reason}
                          for c in child.circumstances.select_related("group")]
        data["support"] = [{"source": s.source, "on": s.on, "until": s.until, "what": s.what, "by": s.by,
                            "amount": s.amount} for s in support_of(child)]
        notes = list(child.notes.all())
        data["case_notes"] = [{"written_at": n.written_at, "author": n.author_name, "text": n.text} for n in notes]
        if access.may_see_abuse(user, child):
            data["abuse_cases"] = [{"kind": a.kind, "occurred_on": a.occurred_on} for a in child.abuse_cases.all()]
        with transaction.atomic():
            audit.record(actor=Actor.from_request(request), action="personal_data.read", obj=child, unit=child.commune,
                         after={"case_notes": len(notes), "citizen_ids": 1 if full else 0, "via": "api children"})
        return Response(data)


@extend_schema(parameters=[OpenApiParameter(n, str) for n in ("unit", "year", "status", "recognised")],
               responses={200: OpenApiResponse(description="Assessments of communes."),
                          400: OpenApiResponse(description="A malformed parameter.")})
class AssessmentList(APIView):
    @extend_schema(operation_id="care_child_assessments_list")
    def get(self, request: Request) -> Response:
        user = request.user
        if not access.reads_children(user):
            raise PermissionDenied
        form = AssessmentFilterForm(request.query_params or None, user=user)
        if form.is_bound and not form.is_valid():
            raise ValidationError(_errors(form))
        found: list[ChildFriendlyAssessment] = list(
            form.filter(access.assessments_for_user(user)).select_related("commune").prefetch_related(
                "scores__criterion").order_by("-year", "commune__sort_key")[:5000])
        return Response([{"id": a.pk, "commune": {"id": a.commune_id, "code": a.commune.code, "name": a.commune.name},
                          "year": a.year, "commune_kind": a.commune_kind, "status": a.status, "total": a.total,
                          "threshold": a.threshold, "recognised": a.recognised,
                          "scores": {str(s.criterion.number): s.points for s in a.scores.all()}} for a in found])


__all__ = ["AssessmentList", "ChildDetail", "ChildList"]
