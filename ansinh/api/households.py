"""API v1 for households, review rounds and assessments.

Every queryset comes from the access layer (ansinh.households.access): a commune officer sees the
commune's households and the commune's part of the province's rounds; a provincial role sees the
province. Citizen IDs are shown in full only to those who may change the household (Decree
13/2023/NĐ-CP on personal data protection: access only as far as the task needs); lists never
carry them. List endpoints do a constant number of queries per page: the current poverty status is
stored (`poverty.CurrentStatus`, kept by `ansinh.poverty.current`), a given round's status and member counts are
correlated subqueries, and deprived indicators are decoded in Python from the assessment's
bitmask with the standard's indicator codes read once per request. The reason sentence is not
stored: it is derived from the stored figures with the round's standard, for a whole page at once
(`engine.reasons_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ansinh.accounts.access import get_scope, request_user, units_for_user
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import services
from ansinh.households.access import (
    get_household_for_user,
    get_member_for_user,
    households_for_user,
    households_in_unit,
)
from ansinh.poverty.access import assessments_for_user, get_round_for_user, round_communes, rounds_for_user
from ansinh.households.forms import MEMBER_FORM_FIELDS
from ansinh.households.models import (
    Area,
    Household,
    HouseholdQuerySet,
    HouseholdStatus,
    LivingConditions,
    Member,
    Relation,
)
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.ethnicity import ethnicity_code, ethnicity_name
from ansinh.poverty import engine, figures
from ansinh.poverty.models import (
    Assessment,
    CurrentStatus,
    PovertyStandard,
    PovertyStatus,
    ReviewRound,
    RoundStatus,
    StandardIndicator,
    Transition,
)
from ansinh.web.shortcuts import parse_int
from ansinh.api.params import typed_value

# --- Helpers ----------------------------------------------------------------------------------


def deprived_codes(mask: int, codes: Sequence[str]) -> list[str]:
    """The codes of the indicators whose bit is set in the mask; pure Python, no query."""
    return [code for i, code in enumerate(codes) if mask >> i & 1]


class AssessmentListSerializer(serializers.ListSerializer[Assessment]):
    """Many assessments of one round: their reasons are computed together, before the rows are
    serialised (`engine.reasons_for`: the sentence halves once per distinct case, no query)."""

    reasons: dict[int, str] | None = None

    def to_representation(self, data: Iterable[Assessment]) -> list[Any]:  # type: ignore[override]
        items = list(data)
        self.reasons = dict(zip([a.pk for a in items], engine.reasons_for(self.context["spec"], items), strict=True))
        return super().to_representation(items)


REASON_HELP = "Why, in one Vietnamese sentence: income against the line, the deprivations, the status."


def reason_of(serializer: serializers.BaseSerializer[Assessment], assessment: Assessment) -> str:
    """The reason computed for the page by the parent `AssessmentListSerializer`, else for this
    one row with the standard's spec in the context ("spec")."""
    page = serializer.parent
    reasons = page.reasons if isinstance(page, AssessmentListSerializer) else None
    found = reasons.get(assessment.pk) if reasons else None
    return found if found is not None else assessment.reason_text(serializer.context["spec"])


def _choice_param(request: Request, name: str, choices: Sequence[str]) -> str | None:
    value = typed_value(request, name)
    if value is None:
        return None
    if value not in choices:
        raise ValidationError({name: _("Expected one of: %(values)s.") % {"values": ", ".join(choices)}})
    return value


def _flag_param(request: Request, name: str) -> bool:
    value = (typed_value(request, name) or "").lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ValidationError({name: _("Expected 1 or 0.")})


def _id_param(request: Request, name: str) -> int | None:
    value = typed_value(request, name)
    if value is None:
        return None
    number = parse_int(value, low=0)
    if number is None:
        raise ValidationError({name: _("Expected the id of a review round (a number).")})
    return number


def _unit_param(request: Request, name: str, levels: Sequence[int], unknown: str) -> Unit | None:
    """A unit of the current map given by its code in a query parameter.

    An unknown code is a bad request (400, with the `unknown` message, "%(code)s" being the code);
    a unit outside the caller's units answers 404, so that a filter can never widen what the caller
    sees. The caller's ancestors (their province, for a commune officer) are allowed: they narrow
    nothing but are not an error.
    """
    code = request.query_params.get(name, "").strip()
    if not code:
        return None
    candidates = Unit.objects.filter(edition=Edition.CURRENT, level__in=levels)
    # Official codes are zero-padded per level; "4" may mean 00004, so try the padded forms too.
    found = list(candidates.filter(code=code)[:2]) or list(candidates.by_code(code)[:2])
    if not found:
        raise ValidationError({name: unknown % {"code": code}})
    if len(found) > 1:
        raise ValidationError({name: _("The code %(code)s matches several units; write it in full, with its "
                                       "leading zeros.") % {"code": code}})
    unit = found[0]
    if not units_for_user(request.user).filter(pk=unit.pk).exists():
        raise NotFound(_("%(name)s (%(code)s) is outside your units.") % {"name": unit.name, "code": unit.code})
    return unit


def _latest_first(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Latest round first: by reference date (a periodic round of year Y is taken on 14 Dec Y, a
    regular one on its month's last day), then by the round's id for two rounds of the same day."""
    return assessments.order_by("-round__reference_date", "-round_id")


# --- Serializers ------------------------------------------------------------------------------


class UnitRefSerializer(serializers.Serializer[Unit]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class EthnicitySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


@extend_schema_field(EthnicitySerializer)
class EthnicityField(serializers.Field):  # type: ignore[type-arg]
    """An ethnicity code with its name (the GSO list), e.g. {"code": "05", "name": "Khmer"}."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> dict[str, str]:
        return {"code": value, "name": ethnicity_name(value)}


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    commune = UnitRefSerializer(read_only=True)
    hamlet = UnitRefSerializer(read_only=True, allow_null=True)
    legacy_commune = UnitRefSerializer(read_only=True, allow_null=True,
                                       help_text="Where the household was registered under the pre-2025 map.")
    head_ethnicity = EthnicityField()
    member_count = serializers.IntegerField(read_only=True, help_text="Members living in the household now.")
    poverty_status = serializers.ChoiceField(
        source="shown_status", choices=PovertyStatus.choices, read_only=True, allow_null=True,
        help_text="Status in the household's latest assessment, rounds still open included (or in the round "
                  "given by `round`); null if not assessed.")
    poverty_round = serializers.IntegerField(source="shown_round", read_only=True, allow_null=True,
                                             help_text="The review round `poverty_status` comes from.")

    class Meta:
        model = Household
        fields = ["id", "code", "commune", "hamlet", "legacy_commune", "address", "area", "head_name",
                  "head_ethnicity", "member_count", "status", "ended_on", "poverty_status", "poverty_round", "version"]


class MemberSerializer(serializers.ModelSerializer[Member]):
    citizen_id = serializers.SerializerMethodField(
        help_text="In full for those who keep the register of the household's commune (its commune officer, the "
                  "province's poverty officers, administrators; each reading is audited); otherwise only the last "
                  "three digits.")
    ethnicity = EthnicityField()
    present = serializers.SerializerMethodField(help_text="Alive and not moved out.")

    class Meta:
        model = Member
        fields = ["id", "full_name", "citizen_id", "sex", "birth_date", "relation", "ethnicity", "present",
                  "died_on", "left_on", "health_insurance", "schooling", "education", "in_training", "employment",
                  "can_work", "disability", "pension", "social_allowance", "meritorious", "stunted", "underweight",
                  "uses_internet", "sick_untreated", "version"]

    def get_citizen_id(self, member: Member) -> str | None:
        if not member.citizen_id:
            return None
        return member.citizen_id if self.context.get("full_citizen_id") else mask_citizen_id(member.citizen_id)

    def get_present(self, member: Member) -> bool:
        return member.died_on is None and member.left_on is None


class LivingConditionsSerializer(serializers.ModelSerializer[LivingConditions]):
    floor_area = serializers.DecimalField(max_digits=7, decimal_places=1, coerce_to_string=False, read_only=True)
    income_per_capita = serializers.IntegerField(read_only=True, allow_null=True,
                                                 help_text="Declared income, VND per person per month.")

    class Meta:
        model = LivingConditions
        fields = ["year", "housing", "floor_area", "water_source", "latrine", "waste_treated", "has_tv",
                  "has_radio", "has_computer", "has_phone", "hears_loudspeaker", "income_per_capita",
                  "b1_answers", "b2_flags", "needs_credit", "needs_housing", "needs_water", "needs_latrine",
                  "needs_training", "needs_job", "needs_monthly_support", "surveyed_on"]


class RoundRefSerializer(serializers.ModelSerializer[ReviewRound]):
    class Meta:
        model = ReviewRound
        fields = ["id", "year", "kind", "month", "status"]


class HouseholdAssessmentSerializer(serializers.ModelSerializer[Assessment]):
    round = RoundRefSerializer(read_only=True)
    standard = serializers.CharField(source="round.standard.code", read_only=True)
    deprived = serializers.SerializerMethodField(help_text="Codes of the indicators the household is deprived in.")
    income_per_capita = serializers.IntegerField(read_only=True, help_text="VND per person per month.")
    reason = serializers.SerializerMethodField(help_text=REASON_HELP)

    class Meta:
        model = Assessment
        fields = ["id", "round", "standard", "status", "previous_status", "transition", "size", "deprivation_count",
                  "deprived", "income_per_capita", "income_method", "reason"]
        list_serializer_class = AssessmentListSerializer

    def get_deprived(self, assessment: Assessment) -> list[str]:
        return deprived_codes(assessment.deprivations, self.context.get("indicator_codes", []))

    def get_reason(self, assessment: Assessment) -> str:
        return reason_of(self, assessment)


class HouseholdDetailSerializer(HouseholdSerializer):
    members = serializers.SerializerMethodField(help_text="Present members first, then former ones.")
    conditions = serializers.SerializerMethodField(help_text="Living conditions surveyed, latest year first.")
    latest_assessment = serializers.SerializerMethodField()

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "area_overridden", "successor", "members", "conditions",
                  "latest_assessment"]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, household: Household) -> list[Any]:
        return list(MemberSerializer(self.context["members"], many=True, context=self.context).data)

    @extend_schema_field(LivingConditionsSerializer(many=True))
    def get_conditions(self, household: Household) -> list[Any]:
        return list(LivingConditionsSerializer(self.context["conditions"], many=True).data)

    @extend_schema_field(HouseholdAssessmentSerializer(allow_null=True))
    def get_latest_assessment(self, household: Household) -> dict[str, Any] | None:
        latest = self.context.get("latest")
        return None if latest is None else dict(HouseholdAssessmentSerializer(latest, context=self.context).data)


class StandardRefSerializer(serializers.ModelSerializer[PovertyStandard]):
    class Meta:
        model = PovertyStandard
        fields = ["code", "name"]


class RoundSerializer(serializers.ModelSerializer[ReviewRound]):
    unit = UnitRefSerializer(read_only=True)
    standard = StandardRefSerializer(read_only=True)

    class Meta:
        model = ReviewRound
        fields = ["id", "year", "kind", "month", "unit", "standard", "reference_date", "status", "previous",
                  "classified_at", "decision_number", "decided_on"]


class IndicatorSerializer(serializers.ModelSerializer[StandardIndicator]):
    class Meta:
        model = StandardIndicator
        fields = ["position", "code", "dimension", "name", "definition", "basis", "provisional"]


class StandardSerializer(serializers.ModelSerializer[PovertyStandard]):
    indicators = IndicatorSerializer(many=True, read_only=True)
    poverty_line_rural = serializers.IntegerField(read_only=True)
    poverty_line_urban = serializers.IntegerField(read_only=True)
    near_poor_line_rural = serializers.IntegerField(read_only=True, allow_null=True)
    near_poor_line_urban = serializers.IntegerField(read_only=True, allow_null=True)
    average_line_rural = serializers.IntegerField(read_only=True, allow_null=True)
    average_line_urban = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = PovertyStandard
        fields = ["code", "name", "basis", "valid_from", "valid_to", "rule", "poverty_line_rural",
                  "poverty_line_urban", "near_poor_line_rural", "near_poor_line_urban", "average_line_rural",
                  "average_line_urban", "min_deprivations", "provisional", "indicators"]


class RoundCountsSerializer(serializers.Serializer[Any]):
    households = serializers.IntegerField()
    poor = serializers.IntegerField()
    near_poor = serializers.IntegerField()
    average = serializers.IntegerField()
    not_poor = serializers.IntegerField()
    transitions = serializers.DictField(child=serializers.IntegerField(), help_text="Households per transition.")


class RoundDetailSerializer(RoundSerializer):
    standard = StandardSerializer(read_only=True)  # type: ignore[assignment]
    counts = serializers.SerializerMethodField(help_text="Assessments of the round within the caller's units.")

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "counts"]

    @extend_schema_field(RoundCountsSerializer)
    def get_counts(self, round_: ReviewRound) -> dict[str, Any]:
        return dict(RoundCountsSerializer(self.context["counts"]).data)


class RoundAssessmentSerializer(serializers.ModelSerializer[Assessment]):
    """An assessment with its household's code and head, read with select_related: no per-row query."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    hamlet_code = serializers.CharField(source="hamlet.code", read_only=True, allow_null=True, default=None)
    deprived = serializers.SerializerMethodField(help_text="Codes of the indicators the household is deprived in.")
    income_per_capita = serializers.IntegerField(read_only=True, help_text="VND per person per month.")
    reason = serializers.SerializerMethodField(help_text=REASON_HELP)

    class Meta:
        model = Assessment
        fields = ["id", "household", "household_code", "head_name", "commune_code", "hamlet_code", "status",
                  "previous_status", "transition", "deprivation_count", "deprived", "income_per_capita",
                  "income_method", "reason"]
        list_serializer_class = AssessmentListSerializer

    def get_deprived(self, assessment: Assessment) -> list[str]:
        return deprived_codes(assessment.deprivations, self.context["indicator_codes"])

    def get_reason(self, assessment: Assessment) -> str:
        return reason_of(self, assessment)


class DeprivedShareSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    households = serializers.IntegerField()
    share = serializers.FloatField(help_text="Percent of the households.")


class FiguresRowSerializer(serializers.Serializer[Any]):
    unit_id = serializers.IntegerField(allow_null=True)
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    households = serializers.IntegerField()
    poor = serializers.IntegerField()
    near_poor = serializers.IntegerField()
    average = serializers.IntegerField()
    poor_rate = serializers.FloatField(help_text="Percent of the households.")
    near_poor_rate = serializers.FloatField(help_text="Percent of the households.")
    khmer = serializers.IntegerField()
    khmer_poor = serializers.IntegerField()
    khmer_near_poor = serializers.IntegerField()
    khmer_poor_rate = serializers.FloatField(help_text="Percent of the Khmer households.")
    minority_poor = serializers.IntegerField()
    minority_near_poor = serializers.IntegerField()
    poor_no_working_capacity = serializers.IntegerField()
    poor_meritorious = serializers.IntegerField()
    poor_social_protection = serializers.IntegerField()
    near_poor_no_working_capacity = serializers.IntegerField()
    deprived = DeprivedShareSerializer(many=True)
    needs = serializers.DictField(child=serializers.IntegerField(),
                                  help_text="Poor and near-poor households needing each kind of support.")
    transitions = serializers.DictField(child=serializers.IntegerField())


class FiguresSerializer(serializers.Serializer[Any]):
    round = serializers.IntegerField()
    standard = serializers.CharField()
    by = serializers.ChoiceField(choices=["commune", "hamlet"])
    indicators = serializers.ListField(child=serializers.CharField())
    rows = FiguresRowSerializer(many=True)
    total = FiguresRowSerializer()


# --- Households -------------------------------------------------------------------------------

ASSESSMENT_COLUMNS = ["id", "round_id", "household_id", "commune_id", "hamlet_id", "status", "previous_status",
                      "transition", "area", "deprivations", "deprivation_count", "income_per_capita", "income_method"]
UNIT_404 = OpenApiResponse(description="The unit (or round) is outside the caller's units.")
BAD_400 = OpenApiResponse(description="A parameter is malformed or names no unit of the current map.")


@extend_schema(
    parameters=[
        OpenApiParameter("unit", str, description="Code of a province, commune or hamlet of the current map: "
                         "the households under it. A unit outside the caller's units answers 404."),
        OpenApiParameter("hamlet", str, description="Code of a hamlet of the current map (e.g. 29461-01)."),
        OpenApiParameter("status", str, enum=PovertyStatus.values,
                         description="Poverty status in the latest assessment (or in `round`)."),
        OpenApiParameter("round", int, description="Take `poverty_status` from this review round, not the latest."),
        OpenApiParameter("ethnicity", str, description="Ethnicity of the head: GSO code (05) or name (Khmer)."),
        OpenApiParameter("q", str, description="Accent-insensitive search in the head's name, the code and the "
                         "address ('thach van soc' finds 'Thạch Văn Sóc')."),
        OpenApiParameter("include_ended", OpenApiTypes.BOOL,
                         description="Also merged and dissolved households (default: active ones only)."),
    ],
    responses={200: HouseholdSerializer(many=True), 400: BAD_400, 404: UNIT_404},
)
class HouseholdList(generics.ListAPIView[Household]):
    """Households registered in communes inside the caller's units, by the head's name."""

    serializer_class = HouseholdSerializer
    chosen_round: ReviewRound | None = None  # `?round=`: the statuses shown are that round's

    def get_queryset(self) -> QuerySet[Household]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Household.objects.none()
        request, user = self.request, self.request.user
        households = households_for_user(user).select_related("commune", "hamlet", "legacy_commune")
        if not _flag_param(request, "include_ended"):
            households = households.filter(status=HouseholdStatus.ACTIVE)
        if unit := _unit_param(request, "unit", [Level.PROVINCE, Level.COMMUNE, Level.HAMLET],
                               _("No province, commune or hamlet of the current map has the code %(code)s.")):
            if unit.level == Level.HAMLET:
                households = households.filter(hamlet=unit)
            else:
                households = households_in_unit(households, unit)
        if hamlet := _unit_param(request, "hamlet", [Level.HAMLET],
                                 _("No hamlet of the current map has the code %(code)s.")):
            households = households.filter(hamlet=hamlet)
        if ethnicity := request.query_params.get("ethnicity", "").strip():
            code = ethnicity_code(ethnicity)
            if code is None:
                raise ValidationError({"ethnicity": _("Unknown ethnicity: %(value)s.") % {"value": ethnicity}})
            households = households.filter(head_ethnicity=code)
        if query := request.query_params.get("q", "").strip():
            households = households.search(query)

        # The poverty status: in the given round (its assessments, by the (round, household)
        # index), or the stored current status (`CurrentStatus`, by join): the filter and the
        # count evaluate nothing per household.
        status = _choice_param(request, "status", PovertyStatus.values)
        self.chosen_round = None
        if (round_id := _id_param(request, "round")) is not None:
            self.chosen_round = get_round_for_user(user, round_id)
            if status:
                households = households.filter(pk__in=assessments_for_user(user).filter(
                    round=self.chosen_round, status=status).values("household_id"))
        elif status:
            households = households.filter(poverty_current__status=status)
        return households.order_by("sort_key", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page's ids first (the count and the ordered slice read the household table and its
        indexes only), then the page's rows with what each shows: its status, the round it comes
        from and the number of members, subqueries run for those rows alone (SQLite evaluated them
        for every matching household before sorting)."""
        ids = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values_list("pk", flat=True))
        assert ids is not None  # the view always paginates
        assessments = assessments_for_user(request.user).filter(household=OuterRef("pk"))
        shown_status: Any
        if self.chosen_round is not None:
            assessments = assessments.filter(round=self.chosen_round).order_by()
            shown_status = Subquery(assessments.values("status")[:1])
        else:
            assessments = _latest_first(assessments)
            shown_status = F("poverty_current__status")
        present = (Member.objects.present().filter(household=OuterRef("pk")).order_by().values("household")
                   .annotate(n=Count("pk")).values("n"))
        rows = Household.objects.filter(pk__in=list(ids)).select_related("commune", "hamlet", "legacy_commune").annotate(
            shown_status=shown_status,
            shown_round=Subquery(assessments.values("round_id")[:1]),
            member_count=Coalesce(Subquery(present, output_field=IntegerField()), 0),
        )
        by_id = {household.pk: household for household in rows}
        page = [by_id[pk] for pk in ids if pk in by_id]  # a row gone meanwhile is left out
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _household_detail(request: Request, household: Household) -> Response:
    """The household with its members, conditions and latest assessment; full citizen IDs (and an
    audit row for reading them) only for those who keep the register of its commune."""
    user = request.user
    members = sorted(
        household.members.all(),
        key=lambda m: (m.died_on is not None or m.left_on is not None, m.relation != Relation.HEAD,
                       m.birth_date, m.pk))
    latest = _latest_first(assessments_for_user(user).filter(household=household)).select_related(
        "round__standard").first()
    spec = engine.spec_for(latest.round.standard) if latest else None
    household.member_count = sum(1 for m in members if m.died_on is None and m.left_on is None)  # type: ignore[attr-defined]
    household.shown_status = (CurrentStatus.objects.filter(household=household)  # type: ignore[attr-defined]
                              .values_list("status", flat=True).first())
    household.shown_round = latest.round_id if latest else None  # type: ignore[attr-defined]
    context = {
        "members": members,
        "conditions": list(household.conditions.order_by("-year")),
        "latest": latest,
        "spec": spec,
        "indicator_codes": spec.codes if spec else [],
        "full_citizen_id": get_scope(user).may_see_citizen_ids(household.commune),
    }
    shown = sum(1 for m in members if m.citizen_id) if context["full_citizen_id"] else 0
    if shown:
        # Full citizen IDs left the register: one audit row per reading (Decree 13/2023/NĐ-CP, Art. 27).
        services.personal_data_read(actor=Actor.from_request(request), household=household, citizen_ids=shown,
                                    via="api")
    response = Response(HouseholdDetailSerializer(household, context=context).data)
    response["ETag"] = f'"{household.version}"'
    return response


VERSION_HELP = ("The version the change is made from (as read in `version` or the ETag); instead of this field, "
                "an If-Match header. A record changed since is not overwritten: 409.")
STALE_409 = OpenApiResponse(description="The record was changed by someone else since the version given: read it "
                                        "again and decide.")
VERSION_428 = OpenApiResponse(description="No version given (If-Match header or `version`).")
DENIED_403 = OpenApiResponse(description="The caller sees the record but may not change it (a read-only role, or a "
                                         "provincial officer of another field than poverty).")
HOUSEHOLD_404 = OpenApiResponse(description="No such household within the caller's units.")


class _Precondition(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _expected_version(request: Request, given: int | None) -> int:
    """The version a change is made from: the If-Match header ("3", W/"3") or the body's `version`."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        value = header.removeprefix("W/").strip('"')
        if not value.isdigit():
            raise ValidationError({"If-Match": [_("Expected the version read (a number, as in the ETag).")]})
        return int(value)
    if given is not None:
        return given
    raise _Precondition(Response({"detail": _("Give the version you read: the If-Match header or the `version` "
                                              "field.")}, status=status.HTTP_428_PRECONDITION_REQUIRED))


def _stale(error: services.StaleEdit, version: int) -> Response:
    return Response({"detail": " ".join(error.messages), "version": version}, status=status.HTTP_409_CONFLICT)


def _service_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError({name: list(messages) for name, messages in error.message_dict.items()})
    return ValidationError(list(error.messages))


class HouseholdChangeSerializer(serializers.Serializer[Any]):
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    area = serializers.ChoiceField(choices=Area.choices, required=False)
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)


class MemberChangeSerializer(serializers.ModelSerializer[Member]):
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)
    citizen_id = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                       help_text="12 digits; checked against the sex and the birth year.")

    class Meta:
        model = Member
        fields = [*MEMBER_FORM_FIELDS, "version"]
        validators: list[Any] = []  # uniqueness and the one head are the service's checks, with their messages


class HouseholdDetail(APIView):
    """A household with its members (present and former), its living conditions by year and its
    latest assessment. Citizen IDs are in full only for those who keep the register of its commune
    (each such reading is audited). PATCH changes its address or area (the register's field:
    commune officers, the province's poverty officers, administrators), from the version read."""

    @extend_schema(responses={200: HouseholdDetailSerializer, 404: HOUSEHOLD_404})
    def get(self, request: Request, pk: int) -> Response:
        return _household_detail(request, get_household_for_user(request.user, pk))

    @extend_schema(request=HouseholdChangeSerializer, parameters=[OpenApiParameter(
        "If-Match", str, OpenApiParameter.HEADER, description="The ETag read (or `version` in the body).")],
        responses={200: HouseholdDetailSerializer, 400: BAD_400, 403: DENIED_403, 404: HOUSEHOLD_404,
                   409: STALE_409, 428: VERSION_428})
    def patch(self, request: Request, pk: int) -> Response:
        household = get_household_for_user(request.user, pk, change=True)
        incoming = HouseholdChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        try:
            version = _expected_version(request, changes.pop("version", None))
        except _Precondition as missing:
            return missing.response
        try:
            services.household_update(actor=Actor.from_request(request), household=household, version=version,
                                      **changes)
        except services.StaleEdit as error:
            return _stale(error, Household.objects.values_list("version", flat=True).get(pk=household.pk))
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return _household_detail(request, get_household_for_user(request.user, pk))


class MemberDetail(APIView):
    """PATCH changes a member's facts (moves and deaths are the register's own workflows), from the
    version read; the same checks as the member form (a citizen ID registered in another province
    is answered without naming its household)."""

    @extend_schema(request=MemberChangeSerializer, parameters=[OpenApiParameter(
        "If-Match", str, OpenApiParameter.HEADER, description="The member's version read (or `version`).")],
        responses={200: MemberSerializer, 400: BAD_400, 403: DENIED_403,
                   404: OpenApiResponse(description="No such member within the caller's units."),
                   409: STALE_409, 428: VERSION_428})
    def patch(self, request: Request, pk: int) -> Response:
        member = get_member_for_user(request.user, pk, change=True)
        incoming = MemberChangeSerializer(member, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        try:
            version = _expected_version(request, changes.pop("version", None))
        except _Precondition as missing:
            return missing.response
        try:
            services.member_update(actor=Actor.from_request(request), member=member, version=version,
                                   **changes)
        except services.StaleEdit as error:
            return _stale(error, Member.objects.values_list("version", flat=True).get(pk=member.pk))
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        full = get_scope(request.user).may_see_citizen_ids(member.household.commune)
        response = Response(MemberSerializer(member, context={"full_citizen_id": full}).data)
        response["ETag"] = f'"{member.version}"'
        return response


# --- Review rounds ----------------------------------------------------------------------------


@extend_schema(parameters=[
    OpenApiParameter("year", int),
    OpenApiParameter("status", str, enum=RoundStatus.values),
])
class RoundList(generics.ListAPIView[ReviewRound]):
    """Review rounds the caller follows: on their units, or on a unit above them (a commune
    officer follows the province's round, seeing only the commune's part of it)."""

    serializer_class = RoundSerializer

    def get_queryset(self) -> QuerySet[ReviewRound]:
        if getattr(self, "swagger_fake_view", False):
            return ReviewRound.objects.none()
        rounds = rounds_for_user(self.request.user).select_related("unit", "standard")
        year = typed_value(self.request, "year")
        if year is not None:
            number = parse_int(year, low=0, high=9999)
            if number is None:
                raise ValidationError({"year": _("Expected a year, e.g. 2025.")})
            rounds = rounds.filter(year=number)
        if status := _choice_param(self.request, "status", RoundStatus.values):
            rounds = rounds.filter(status=status)
        return rounds.order_by("-year", "-month", "-pk")


def _counts(assessments: QuerySet[Assessment]) -> dict[str, Any]:
    """Households per status and per transition, in one query."""
    aggregates: dict[str, Any] = {"households": Count("id")}
    for status in PovertyStatus.values:
        aggregates[status] = Count("id", filter=Q(status=status))
    for transition in Transition.values:
        aggregates[f"t_{transition}"] = Count("id", filter=Q(transition=transition))
    values = assessments.aggregate(**aggregates)
    counts = {key: values[key] for key in ("households", *PovertyStatus.values)}
    counts["transitions"] = {t: values[f"t_{t}"] for t in Transition.values}
    return counts


class RoundDetail(APIView):
    """A review round with its standard (lines and indicators) and its counts within the caller's units."""

    @extend_schema(responses={200: RoundDetailSerializer, 404: OpenApiResponse(
        description="No such round among those the caller follows.")})
    def get(self, request: Request, pk: int) -> Response:
        round_ = get_round_for_user(request.user, pk)
        # The standard's indicators in one query (the serializer reads standard.indicators.all()).
        prefetch_related_objects([round_.standard], "indicators")
        counts = _counts(assessments_for_user(request.user).filter(round=round_))
        return Response(RoundDetailSerializer(round_, context={"counts": counts}).data)


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=PovertyStatus.values),
        OpenApiParameter("commune", str, description="Code of a commune of the current map. A commune outside "
                         "the caller's units answers 404."),
        OpenApiParameter("transition", str, enum=Transition.values),
    ],
    responses={200: RoundAssessmentSerializer(many=True), 400: BAD_400, 404: UNIT_404},
)
class RoundAssessmentList(generics.ListAPIView[Assessment]):
    """The assessments of a round within the caller's units, in household id order."""

    serializer_class = RoundAssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        request, user = self.request, self.request.user
        round_ = get_round_for_user(user, self.kwargs["pk"])
        self.spec = engine.spec_for(round_.standard)
        assessments = assessments_for_user(user).filter(round=round_)
        if status := _choice_param(request, "status", PovertyStatus.values):
            assessments = assessments.filter(status=status)
        if transition := _choice_param(request, "transition", Transition.values):
            assessments = assessments.filter(transition=transition)
        if commune := _unit_param(request, "commune", [Level.COMMUNE],
                                  _("No commune of the current map has the code %(code)s.")):
            assessments = assessments.filter(commune=commune)
        # Household id order: the (round, household) unique index serves it, so deep pages stay fast.
        return assessments.select_related("household", "commune", "hamlet").only(
            *ASSESSMENT_COLUMNS, "household__code", "household__head_name", "commune__code", "hamlet__code",
        ).order_by("household_id")

    def get_serializer_context(self) -> dict[str, Any]:
        spec: engine.StandardSpec | None = getattr(self, "spec", None)
        return {**super().get_serializer_context(), "spec": spec, "indicator_codes": spec.codes if spec else []}


def _figures_row(row: figures.Row, codes: list[str], unit_codes: dict[int, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit_id": row.unit_id, "code": unit_codes.get(row.unit_id) if row.unit_id else None, "name": row.name,
        "poor_rate": round(row.poor_rate, 2), "near_poor_rate": round(row.near_poor_rate, 2),
        "khmer_poor_rate": round(row.khmer_poor_rate, 2),
        "deprived": [{"code": code, "households": row.deprived[i], "share": round(row.deprived_share(i), 2)}
                     for i, code in enumerate(codes)],
        "needs": row.needs, "transitions": row.transitions,
    }
    for name in ("households", "poor", "near_poor", "average", "khmer", "khmer_poor", "khmer_near_poor",
                 "minority_poor", "minority_near_poor", "poor_no_working_capacity", "poor_meritorious",
                 "poor_social_protection", "near_poor_no_working_capacity"):
        data[name] = getattr(row, name)
    return data


class RoundFigures(APIView):
    """The round's figures by commune (or hamlet) and in total, within the caller's units: counts as
    integers, rates and shares as percentages (numbers, not formatted text)."""

    @extend_schema(
        parameters=[OpenApiParameter("by", str, enum=["commune", "hamlet"], description="Default: commune.")],
        responses={200: FiguresSerializer, 400: BAD_400, 404: OpenApiResponse(
            description="No such round among those the caller follows.")},
    )
    def get(self, request: Request, pk: int) -> Response:
        round_ = get_round_for_user(request.user, pk)
        by = _choice_param(request, "by", ["commune", "hamlet"]) or "commune"
        spec = engine.spec_for(round_.standard)
        # the counts kept per commune, of the round's communes the caller may see (as the page)
        rows, total = figures.round_summary(
            round_, spec, round_communes(request.user, round_).values_list("pk", flat=True), by=by)
        unit_codes = dict(Unit.objects.filter(pk__in=[r.unit_id for r in rows if r.unit_id])
                          .values_list("pk", "code"))
        data = {
            "round": round_.pk, "standard": spec.code, "by": by, "indicators": spec.codes,
            "rows": [_figures_row(row, spec.codes, unit_codes) for row in rows],
            "total": _figures_row(total, spec.codes, unit_codes),
        }
        return Response(FiguresSerializer(data).data)
