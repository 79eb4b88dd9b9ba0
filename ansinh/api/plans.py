"""API v1 for the indicator catalogue, plans with their targets and tasks, periodic submissions
and results.

Scoping comes from the access layer (ansinh.plans.access): a plan is visible on its unit, the
units inside it and the units below it (a commune sees the province's plan that gives it targets);
a submission only within the caller's units. Filling or submitting a form needs an editing role
on its unit; approving or returning it a role on the unit above (`get_submission_for_user` with
action "edit" or "decide": 404 outside the scope, 403 without the right). Every change goes
through `ansinh.plans.services`, which validates and audits it. A form already submitted or
approved is locked: changing it answers 409.

Results are `ansinh.plans.results.compute`: every indicator's value for the unit (counted from a
registry, declared by units, or derived by a formula, and which), its target, the percentage of
the target and the change against the same period of the previous year, and the units below it.
They are read only for a unit inside the caller's units (a commune officer asks for the commune).

Numbers are JSON numbers, not formatted text; percentages are in percent (33.24, not 0.3324).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts.access import get_scope, request_user, units_for_user
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit, current_home
from ansinh.plans import counted, results, services
from ansinh.plans.access import (
    can_decide_submission,
    get_plan_for_user,
    get_submission_for_user,
    plan_area,
    plans_for_user,
    plans_in_unit,
    submissions_for_user,
    submissions_in_unit,
)
from ansinh.plans.models import (
    SECTOR_ORDER,
    Agency,
    Indicator,
    Plan,
    PlanStatus,
    Sector,
    Source,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionValue,
    Target,
    TargetRevision,
    Task,
)
from ansinh.plans.periods import Period
from ansinh.web.shortcuts import parse_int

from .params import typed_value

# --- Helpers ----------------------------------------------------------------------------------

BAD_400 = OpenApiResponse(description="A parameter is malformed or names nothing known.")
PLAN_404 = OpenApiResponse(description="No such plan among those the caller sees.")
SUBMISSION_404 = OpenApiResponse(description="No such submission within the caller's units.")
DENIED_403 = OpenApiResponse(description="The caller sees the submission but lacks the right for this action.")
LOCKED_409 = OpenApiResponse(description="The form is not in a state that allows this action (e.g. it has been "
                                         "submitted or approved and is locked).")


def _messages(error: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    """A Django validation error as DRF error data: by field when it has fields."""
    if hasattr(error, "error_dict"):
        return {name: list(messages) for name, messages in error.message_dict.items()}
    return list(error.messages)


def _choice_param(request: Request, name: str, choices: Iterable[str]) -> str | None:
    value = typed_value(request, name)
    if value is None:
        return None
    allowed = list(choices)
    if value not in allowed:
        raise ValidationError({name: [_("Expected one of: %(values)s.") % {"values": ", ".join(allowed)}]})
    return value


def _int_param(request: Request, name: str) -> int | None:
    value = typed_value(request, name)
    if value is None:
        return None
    number = parse_int(value, low=0)
    if number is None:
        raise ValidationError({name: [_("Expected a whole number.")]})
    return number


def _period_param(request: Request, name: str = "period", *, required: bool = False) -> Period | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        if required:
            raise ValidationError({name: [_("Give the period, e.g. 2025-Q1.")]})
        return None
    try:
        return Period.parse(value)
    except DjangoValidationError as error:
        raise ValidationError({name: list(error.messages)}) from None


def _current_unit_param(request: Request, name: str = "unit") -> Unit | None:
    """A province or commune of the current map given by its code. An unknown code is a bad
    request; a unit outside the caller's units (their ancestors allowed: they narrow nothing)
    answers 404, so that a filter never widens what the caller sees."""
    code = request.query_params.get(name, "").strip()
    if not code:
        return None
    candidates = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
    found = list(candidates.filter(code=code)[:2]) or list(candidates.by_code(code)[:2])
    if len(found) != 1:
        raise ValidationError({name: [_("No province or commune of the current map has the code %(code)s.")
                                % {"code": code}]})
    unit = found[0]
    if not units_for_user(request.user).filter(pk=unit.pk).exists():
        raise NotFound(_("%(name)s (%(code)s) is outside your units.") % {"name": unit.name, "code": unit.code})
    return unit


def _area_unit(plan: Plan, code: str, name: str = "unit") -> Unit:
    """A unit of the plan's area (on the plan's map: a 2020 plan of Trà Vinh names legacy units)
    given by its code."""
    found = list(plan_area(plan).filter(code=code)[:2])
    if len(found) != 1:
        raise ValidationError({name: [_("No unit in the plan's area has the code %(code)s.") % {"code": code}]})
    return found[0]


def _number(value: float | None, decimals: int = 4) -> float | None:
    """A figure rounded to its indicator's decimals (sums of floats carry noise)."""
    return None if value is None else round(value, decimals)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- Serializers: catalogue -------------------------------------------------------------------


class BreakdownSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    dimension = serializers.CharField()


class CatalogueIndicatorSerializer(serializers.ModelSerializer[Indicator]):
    breakdowns = BreakdownSerializer(many=True, read_only=True,
                                     help_text="The “of which” parts a target or result may carry.")

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit_of_measure", "sector", "source", "query", "formula", "aggregation",
                  "over_time", "direction", "decimals", "breakdowns", "sentence", "legal_basis", "valid_from",
                  "valid_to", "order"]


# --- Serializers: plans -----------------------------------------------------------------------


class MapUnitSerializer(serializers.ModelSerializer[Unit]):
    """A unit with its map: a plan of 2020 belongs to a unit of the legacy (pre-2025) map."""

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "level", "edition"]


class AgencyRefSerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name"]


class AgencySerializer(serializers.ModelSerializer[Agency]):
    unit = MapUnitSerializer(read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "symbol", "kind", "unit"]


class PlanSerializer(serializers.ModelSerializer[Plan]):
    agency = AgencyRefSerializer(read_only=True)
    unit = MapUnitSerializer(read_only=True)
    home = MapUnitSerializer(read_only=True, help_text="The current-map unit that holds the plan (access).")

    class Meta:
        model = Plan
        fields = ["id", "doc_type", "number", "year", "title", "agency", "unit", "home", "place", "issued_on",
                  "status"]


class TaskSerializer(serializers.ModelSerializer[Task]):
    lead = AgencyRefSerializer(read_only=True, allow_null=True)
    partners = AgencyRefSerializer(many=True, read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True,
                                     help_text="The due date, or the end of the due period; null for a condition.")

    class Meta:
        model = Task
        fields = ["id", "order", "sector", "description", "lead", "partners", "due_on", "due_period",
                  "due_condition", "due_date", "status"]


class SplitLineSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(source="indicator.code")
    period = serializers.CharField()
    breakdown = serializers.CharField()
    total = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False,
                                     help_text="The target of the plan's unit.")
    split = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False,
                                     help_text="The sum of its split among the units below.")
    units = serializers.IntegerField(help_text="Units below with a share.")
    difference = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False,
                                          help_text="Total minus split: zero when the split adds up.")


# The detail serializers repeat their list's `status` as text: the same choice set in two components
# would need an ENUM_NAME_OVERRIDES entry in the settings for a warning-free schema.
STATUS_HELP = "One of: %s (see the list endpoint's enum)."


class PlanDetailSerializer(PlanSerializer):
    agency = AgencySerializer(read_only=True)  # type: ignore[assignment]
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP % ", ".join(PlanStatus.values))
    basis = serializers.SerializerMethodField(help_text="The documents the plan is based on, one per item.")
    recipients = serializers.SerializerMethodField(help_text="One recipient per item.")
    tasks = serializers.SerializerMethodField()
    split_check = serializers.SerializerMethodField(
        help_text="Each summable target of the plan's unit against the sum of its split among the units below.")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "basis", "situation", "objectives", "solutions", "recipients",
                  "signer_authority", "signer_title", "signer_name", "deadlines", "form_codes",
                  "percent_decimals", "tasks", "split_check"]

    def get_basis(self, plan: Plan) -> list[str]:
        return [line.strip() for line in plan.basis.splitlines() if line.strip()]

    def get_recipients(self, plan: Plan) -> list[str]:
        return [line.strip() for line in plan.recipients.splitlines() if line.strip()]

    @extend_schema_field(TaskSerializer(many=True))
    def get_tasks(self, plan: Plan) -> list[Any]:
        return list(TaskSerializer(self.context["tasks"], many=True).data)

    @extend_schema_field(SplitLineSerializer(many=True))
    def get_split_check(self, plan: Plan) -> list[Any]:
        return list(SplitLineSerializer(self.context["split"], many=True).data)


class TargetRevisionSerializer(serializers.ModelSerializer[TargetRevision]):
    value = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False, read_only=True)
    previous = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False, read_only=True,
                                        allow_null=True)
    by = serializers.SerializerMethodField()

    class Meta:
        model = TargetRevision
        fields = ["number", "value", "previous", "reason", "document", "revised_on", "by"]

    def get_by(self, revision: TargetRevision) -> str | None:
        return str(revision.by) if revision.by is not None else None


class TargetSerializer(serializers.ModelSerializer[Target]):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    unit = MapUnitSerializer(read_only=True)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False, read_only=True)
    revisions = TargetRevisionSerializer(many=True, read_only=True,
                                         help_text="Every value the target has had, number 0 as issued.")

    class Meta:
        model = Target
        fields = ["id", "indicator", "unit", "period", "breakdown", "value", "note", "revision", "revisions"]


# --- Serializers: submissions -----------------------------------------------------------------


class PlanRefSerializer(serializers.ModelSerializer[Plan]):
    class Meta:
        model = Plan
        fields = ["id", "number", "year", "title"]


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    plan = PlanRefSerializer(read_only=True)
    unit = MapUnitSerializer(read_only=True)
    locked = serializers.BooleanField(read_only=True, help_text="Submitted or approved: the figures are final.")
    submitted_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = ["id", "plan", "unit", "period", "status", "locked", "deadline", "submitted_at", "submitted_by",
                  "decided_at", "decided_by", "return_reason"]

    def get_submitted_by(self, submission: Submission) -> str | None:
        return str(submission.submitted_by) if submission.submitted_by_id else None

    def get_decided_by(self, submission: Submission) -> str | None:
        return str(submission.decided_by) if submission.decided_by_id else None


class SubmissionValueSerializer(serializers.ModelSerializer[SubmissionValue]):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False, read_only=True)

    class Meta:
        model = SubmissionValue
        fields = ["indicator", "breakdown", "value", "note"]


class SubmissionEventSerializer(serializers.ModelSerializer[SubmissionEvent]):
    by = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionEvent
        fields = ["action", "by", "at", "reason"]

    def get_by(self, event: SubmissionEvent) -> str | None:
        return str(event.by) if event.by is not None else None


class FormIndicatorSerializer(serializers.ModelSerializer[Indicator]):
    breakdowns = BreakdownSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit_of_measure", "decimals", "breakdowns"]


class SubmissionDetailSerializer(SubmissionSerializer):
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP % ", ".join(SubmissionStatus.values))
    home = MapUnitSerializer(read_only=True, help_text="The current-map unit that holds the form (access).")
    values = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField(help_text="What happened to the form, oldest first.")
    form = serializers.SerializerMethodField(help_text="The indicators the plan's periodic form asks for.")
    can_edit = serializers.SerializerMethodField(help_text="The caller may fill and submit the form.")
    can_decide = serializers.SerializerMethodField(help_text="The caller may approve or return the form.")

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "home", "values", "events", "form", "can_edit", "can_decide"]

    @extend_schema_field(SubmissionValueSerializer(many=True))
    def get_values(self, submission: Submission) -> list[Any]:
        rows = submission.values.select_related("indicator").order_by("indicator__order", "indicator__code",
                                                                      "breakdown")
        return list(SubmissionValueSerializer(rows, many=True).data)

    @extend_schema_field(SubmissionEventSerializer(many=True))
    def get_events(self, submission: Submission) -> list[Any]:
        return list(SubmissionEventSerializer(submission.events.select_related("by"), many=True).data)

    @extend_schema_field(FormIndicatorSerializer(many=True))
    def get_form(self, submission: Submission) -> list[Any]:
        return list(FormIndicatorSerializer(services.form_indicators(submission.plan), many=True).data)

    def get_can_edit(self, submission: Submission) -> bool:
        user = self.context["request"].user
        return not submission.locked and get_scope(user).can_change(submission.home)

    def get_can_decide(self, submission: Submission) -> bool:
        user = self.context["request"].user
        return submission.status == SubmissionStatus.SUBMITTED and can_decide_submission(user, submission)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True, "example": "7.645"})
class FigureField(serializers.Field):  # type: ignore[type-arg]
    """A figure as a JSON number (7645, 21.3) or as text in Vietnamese or plain form ("7.645",
    "21,3"); null or "" removes it from the form. Read as a number by the serializer above,
    which knows the indicator to name in an error."""

    def to_internal_value(self, data: Any) -> int | float | str:
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            raise serializers.ValidationError(_("Expected a number."))
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class ValueInSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(help_text="Code of the indicator, e.g. jobs_created.")
    breakdown = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text="Code of a breakdown (female, taiwan, …); empty for the total.")
    value = FigureField(allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["indicator"], attrs["breakdown"] = attrs["indicator"].strip(), attrs.get("breakdown", "").strip()
        label = attrs["indicator"] + (f" ({attrs['breakdown']})" if attrs["breakdown"] else "")
        try:
            attrs["value"] = services.parse_value(attrs.get("value"), label=label)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"value": list(error.messages)}) from None
        return attrs


class ValuesInSerializer(serializers.Serializer[Any]):
    values = ValueInSerializer(many=True, help_text="Every figure of the form: the figures not listed are removed.")


class ReturnInSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, help_text="Why the form goes back to the unit (required).")


# --- Serializers: results ---------------------------------------------------------------------


class FigureSerializer(serializers.Serializer[Any]):
    value = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    percent = serializers.FloatField(allow_null=True, help_text="Value as a percentage of the target.")


class BreakdownFigureSerializer(FigureSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class IndicatorResultSerializer(FigureSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit_of_measure = serializers.CharField()
    sector = serializers.ChoiceField(choices=Sector.choices)
    source = serializers.CharField(  # type: ignore[assignment]  # DRF pops declared fields
        help_text="How this unit's figure arose: counted (from a registry), declared "
                                             "(by units' forms), derived (by a formula); empty without a figure.")
    note = serializers.CharField(help_text="Where counted figures come from (e.g. the review round).")
    previous_value = serializers.FloatField(allow_null=True, help_text="The same period of the previous year.")
    change = serializers.FloatField(allow_null=True, help_text="Value minus the previous year's value.")
    lagging = serializers.BooleanField(help_text="Behind the year's pace (flows) or on the wrong side of the "
                                                 "target (stocks).")
    records_url = serializers.CharField(allow_null=True, help_text="For a counted figure: the records behind it.")
    breakdowns = BreakdownFigureSerializer(many=True)


class ChildResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    estimated = serializers.BooleanField(help_text="Holds a share of a split legacy commune guessed without data.")
    figures = serializers.DictField(child=FigureSerializer(), help_text="By indicator code; indicators with "
                                    "neither a value nor a target are left out.")


class ResultsSerializer(serializers.Serializer[Any]):
    plan = serializers.IntegerField()
    period = serializers.CharField()
    period_label = serializers.CharField()
    expected_share = serializers.FloatField(help_text="How much of a yearly flow target should be done by the "
                                                      "end of the period, in percent (Q1: 25).")
    unit = MapUnitSerializer()
    estimated = serializers.BooleanField()
    indicators = IndicatorResultSerializer(many=True)
    children = ChildResultSerializer(many=True)


# --- Views: catalogue -------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("sector", str, enum=Sector.values),
        OpenApiParameter("source", str, enum=Source.values),
    ],
    responses={200: CatalogueIndicatorSerializer(many=True), 400: BAD_400},
)
class IndicatorList(generics.ListAPIView[Indicator]):
    """The indicator catalogue, in the catalogue's order (the same for every user)."""

    serializer_class = CatalogueIndicatorSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        indicators = Indicator.objects.all()
        if sector := _choice_param(self.request, "sector", Sector.values):
            indicators = indicators.filter(sector=sector)
        if source := _choice_param(self.request, "source", Source.values):
            indicators = indicators.filter(source=source)
        return indicators.order_by("order", "code")


class IndicatorDetail(generics.RetrieveAPIView[Indicator]):
    """One indicator of the catalogue, by its code."""

    serializer_class = CatalogueIndicatorSerializer
    queryset = Indicator.objects.all()
    lookup_field = "code"


# --- Views: plans -----------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("year", int),
        OpenApiParameter("unit", str, description="Code of a province or commune of the current map: the plans "
                         "of that unit and of the units inside it (a plan on the legacy map counts under the "
                         "current unit that took it over). A unit outside the caller's units answers 404."),
    ],
    responses={200: PlanSerializer(many=True), 400: BAD_400, 404: OpenApiResponse(
        description="The unit is outside the caller's units.")},
)
class PlanList(generics.ListAPIView[Plan]):
    """Plans of the caller's units and of the units above them, latest year first."""

    serializer_class = PlanSerializer

    def get_queryset(self) -> QuerySet[Plan]:
        if getattr(self, "swagger_fake_view", False):
            return Plan.objects.none()
        plans = plans_for_user(self.request.user).select_related("agency", "unit", "home")
        if (year := _int_param(self.request, "year")) is not None:
            plans = plans.filter(year=year)
        if unit := _current_unit_param(self.request):
            plans = plans_in_unit(plans, unit)
        return plans.order_by("-year", "home__sort_key", "number", "pk")


class PlanDetail(APIView):
    """A plan: the document's fields, the issuing agency, the unit (with its map), the tasks with
    their lead and partner agencies, and the split check of its targets."""

    @extend_schema(responses={200: PlanDetailSerializer, 404: PLAN_404})
    def get(self, request: Request, pk: int) -> Response:
        plan = get_plan_for_user(request.user, pk)
        plan = Plan.objects.select_related("agency__unit", "unit", "home").get(pk=plan.pk)
        tasks = list(plan.tasks.select_related("lead").prefetch_related("partners").order_by("order", "pk"))
        context = {"tasks": tasks, "split": services.split_check(plan)}
        return Response(PlanDetailSerializer(plan, context=context).data)


@extend_schema(
    parameters=[
        OpenApiParameter("indicator", str, description="Code of an indicator."),
        OpenApiParameter("unit", str, description="Code of a unit of the plan's area, on the plan's map."),
        OpenApiParameter("period", str, description="A period key: 2025, 2025-H1, 2025-Q1 or 2025-03."),
    ],
    responses={200: TargetSerializer(many=True), 400: BAD_400, 404: PLAN_404},
)
class PlanTargetList(generics.ListAPIView[Target]):
    """The plan's targets, each with its unit (and map), period, breakdown, current value and the
    history of its revisions; in the catalogue's order, then by unit."""

    serializer_class = TargetSerializer

    def get_queryset(self) -> QuerySet[Target]:
        if getattr(self, "swagger_fake_view", False):
            return Target.objects.none()
        plan = get_plan_for_user(self.request.user, self.kwargs["pk"])
        targets = plan.targets.select_related("indicator", "unit").prefetch_related(
            Prefetch("revisions", queryset=TargetRevision.objects.select_related("by").order_by("number")))
        if code := self.request.query_params.get("indicator", "").strip():
            if not Indicator.objects.filter(code=code).exists():
                raise ValidationError({"indicator": [_("Unknown indicator: %(code)s.") % {"code": code}]})
            targets = targets.filter(indicator__code=code)
        if code := self.request.query_params.get("unit", "").strip():
            targets = targets.filter(unit=_area_unit(plan, code))
        if period := _period_param(self.request):
            targets = targets.filter(period=period.key)
        return targets.order_by("indicator__order", "indicator__code", "unit__level", "unit__sort_key", "period",
                                "breakdown", "pk")


# --- Views: submissions -----------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("plan", int, description="Id of a plan."),
        OpenApiParameter("period", str, description="A period key: 2025, 2025-H1, 2025-Q1 or 2025-03."),
        OpenApiParameter("status", str, enum=SubmissionStatus.values),
        OpenApiParameter("unit", str, description="Code of a province or commune of the current map: the forms of "
                         "that unit and of the units inside it. A unit outside the caller's units answers 404."),
    ],
    responses={200: SubmissionSerializer(many=True), 400: BAD_400, 404: OpenApiResponse(
        description="The unit is outside the caller's units.")},
)
class SubmissionList(generics.ListAPIView[Submission]):
    """Periodic forms within the caller's units (a commune officer sees the commune's forms)."""

    serializer_class = SubmissionSerializer

    def get_queryset(self) -> QuerySet[Submission]:
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        request = self.request
        forms = submissions_for_user(request.user).select_related("plan", "unit", "submitted_by", "decided_by")
        if (plan := _int_param(request, "plan")) is not None:
            forms = forms.filter(plan_id=plan)
        if period := _period_param(request):
            forms = forms.filter(period=period.key)
        if state := _choice_param(request, "status", SubmissionStatus.values):
            forms = forms.filter(status=state)
        if unit := _current_unit_param(request):
            forms = submissions_in_unit(forms, unit)
        return forms.order_by("-plan__year", "plan_id", "period", "unit__sort_key", "pk")


def _detail(request: Request, submission: Submission, code: int = status.HTTP_200_OK) -> Response:
    fresh = Submission.objects.select_related("plan", "unit", "home", "submitted_by", "decided_by").get(
        pk=submission.pk)
    return Response(SubmissionDetailSerializer(fresh, context={"request": request}).data, status=code)


def _conflict(message: str) -> Response:
    return Response({"detail": message}, status=status.HTTP_409_CONFLICT)


class SubmissionDetail(APIView):
    """A periodic form with its figures, its history, the indicators it asks for and what the
    caller may do with it."""

    @extend_schema(responses={200: SubmissionDetailSerializer, 404: SUBMISSION_404})
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, get_submission_for_user(request.user, pk))


class SubmissionValues(APIView):
    """Replaces the figures of a draft or returned form (the figures not sent are removed).
    Needs an editing role on the form's unit. A submitted or approved form is locked: 409."""

    @extend_schema(request=ValuesInSerializer, responses={
        200: SubmissionDetailSerializer, 400: BAD_400, 403: DENIED_403, 404: SUBMISSION_404, 409: LOCKED_409})
    def post(self, request: Request, pk: int) -> Response:
        submission = get_submission_for_user(request.user, pk, action="edit")
        if submission.locked:
            return _conflict(_("This form has been submitted; it can no longer be changed."))
        incoming = ValuesInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values: dict[services.Key, Decimal | None] = {}
        for row in incoming.validated_data["values"]:
            key = (row["indicator"], row["breakdown"])
            if key in values:
                figure = f"{key[0]} ({key[1]})" if key[1] else key[0]
                raise ValidationError({"values": [_("The figure %(figure)s appears twice.") % {"figure": figure}]})
            values[key] = row["value"]
        try:
            services.submission_save(actor=Actor.from_request(request), submission=submission, values=values)
        except DjangoValidationError as error:
            raise ValidationError({"values": _messages(error)}) from None
        return _detail(request, submission)


class SubmissionSubmit(APIView):
    """Submits a draft or returned form to the unit above; it is then locked. Needs an editing
    role on the form's unit."""

    @extend_schema(request=None, responses={
        200: SubmissionDetailSerializer, 400: BAD_400, 403: DENIED_403, 404: SUBMISSION_404, 409: LOCKED_409})
    def post(self, request: Request, pk: int) -> Response:
        submission = get_submission_for_user(request.user, pk, action="edit")
        if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
            return _conflict(_("This form has already been submitted."))
        try:
            services.submission_submit(actor=Actor.from_request(request), submission=submission)
        except DjangoValidationError as error:
            raise ValidationError(_messages(error)) from None
        return _detail(request, submission)


class SubmissionApprove(APIView):
    """Approves a submitted form (the unit above): its figures are final."""

    @extend_schema(request=None, responses={
        200: SubmissionDetailSerializer, 403: DENIED_403, 404: SUBMISSION_404, 409: LOCKED_409})
    def post(self, request: Request, pk: int) -> Response:
        submission = get_submission_for_user(request.user, pk, action="decide")
        if submission.status != SubmissionStatus.SUBMITTED:
            return _conflict(_("Only a submitted form can be approved."))
        try:
            services.submission_approve(actor=Actor.from_request(request), submission=submission)
        except DjangoValidationError as error:
            raise ValidationError(_messages(error)) from None
        return _detail(request, submission)


class SubmissionReturn(APIView):
    """Returns a submitted form to its unit with a reason (the unit above); the unit can then
    correct and submit it again."""

    @extend_schema(request=ReturnInSerializer, responses={
        200: SubmissionDetailSerializer, 400: BAD_400, 403: DENIED_403, 404: SUBMISSION_404, 409: LOCKED_409})
    def post(self, request: Request, pk: int) -> Response:
        submission = get_submission_for_user(request.user, pk, action="decide")
        incoming = ReturnInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        reason = incoming.validated_data["reason"].strip()
        if not reason:
            raise ValidationError({"reason": [_("Say why the form is returned.")]})
        if submission.status != SubmissionStatus.SUBMITTED:
            return _conflict(_("Only a submitted form can be returned."))
        try:
            services.submission_return(actor=Actor.from_request(request), submission=submission, reason=reason)
        except DjangoValidationError as error:
            raise ValidationError(_messages(error)) from None
        return _detail(request, submission)


# --- Views: results ---------------------------------------------------------------------------


def _figure(figures: results.Results, unit_id: int, code: str, decimals: int, breakdown: str = "") -> dict[str, Any]:
    return {
        "value": _number(figures.value(unit_id, code, breakdown), decimals),
        "target": _number(figures.target(unit_id, code, breakdown)),
        "percent": _percent(figures.percent(unit_id, code, breakdown)),
    }


def _records_url(indicator: Indicator, unit: Unit, figures: results.Results) -> str | None:
    if figures.source(unit.pk, indicator.code) != Source.COUNTED:
        return None
    return counted.records_url(indicator.query, unit, "", figures.record_keys)


def results_data(figures: results.Results, plan: Plan, unit: Unit) -> dict[str, Any]:
    """The results of `unit` and of the units below it, as the API answers them."""
    indicators = sorted(figures.indicators.values(),
                        key=lambda i: (SECTOR_ORDER.get(i.sector, len(SECTOR_ORDER)), i.order, i.code))
    rows = []
    for indicator in indicators:
        code, decimals = indicator.code, indicator.decimals
        row = {
            "code": code, "name": indicator.name, "unit_of_measure": indicator.unit_of_measure,
            "sector": indicator.sector, "source": figures.source(unit.pk, code), "note": figures.notes.get(code, ""),
            **_figure(figures, unit.pk, code, decimals),
            "previous_value": _number(figures.previous_value(unit.pk, code), decimals),
            "change": _number(figures.change(unit.pk, code), decimals),
            "lagging": figures.lagging(unit.pk, code),
            "records_url": _records_url(indicator, unit, figures),
            "breakdowns": [
                {"code": part["code"], "name": part["name"],
                 **_figure(figures, unit.pk, code, decimals, str(part["code"]))}
                for part in indicator.breakdowns
                if figures.value(unit.pk, code, str(part["code"])) is not None
                or figures.target(unit.pk, code, str(part["code"])) is not None
            ],
        }
        rows.append(row)
    children = []
    for node in figures.child_nodes(unit.pk):
        by_code = {}
        for indicator in indicators:
            figure = _figure(figures, node.id, indicator.code, indicator.decimals)
            if figure["value"] is not None or figure["target"] is not None:
                by_code[indicator.code] = figure
        children.append({"id": node.id, "code": node.code, "name": node.name, "level": node.level,
                         "estimated": node.id in figures.estimated, "figures": by_code})
    return {
        "plan": plan.pk, "period": figures.period.key, "period_label": figures.period.label(),
        "expected_share": round(figures.expected_share(), 2), "unit": unit, "estimated": unit.pk in figures.estimated,
        "indicators": rows, "children": children,
    }


class PlanResults(APIView):
    """Results of a unit for a period against the plan: every indicator's value (counted from a
    registry, declared by units or derived by a formula, and which), its target, the percentage
    of the target, the same period of the previous year and the change; its breakdowns; and the
    units below it with their value, target and percentage. Only for a unit inside the caller's
    units: by default the plan's unit (a commune officer names the commune)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, required=True,
                             description="The period: 2025 (year), 2025-H1, 2025-Q1 or 2025-03 (month)."),
            OpenApiParameter("unit", str, description="Code of a unit of the plan's area, on the plan's map "
                             "(default: the plan's unit)."),
        ],
        responses={200: ResultsSerializer, 400: BAD_400, 404: OpenApiResponse(
            description="No such plan among those the caller sees, or the unit is outside the caller's units.")},
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = get_plan_for_user(request.user, pk)
        period = _period_param(request, required=True)
        assert period is not None
        code = request.query_params.get("unit", "").strip()
        unit = _area_unit(plan, code) if code else plan.unit
        scope = get_scope(request.user)
        if not scope.national and not scope.covers(current_home(unit)):
            raise NotFound(_("%(name)s (%(code)s) is outside your units.") % {"name": unit.name, "code": unit.code})
        figures = results.compute(unit, period, plan)
        return Response(ResultsSerializer(results_data(figures, plan, unit)).data)

