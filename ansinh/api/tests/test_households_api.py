"""API v1 for households, review rounds and assessments: scope, masking, filters, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.services import token_create
from ansinh.geo.models import Edition, Level, Unit
from ansinh.geo.services import hamlet_create
from ansinh.households import services
from ansinh.poverty import engine
from ansinh.poverty import services as poverty_services
from ansinh.poverty.models import Assessment, StandardIndicator
from conftest import login
from ansinh.testing import bearer, make_household


pytestmark = pytest.mark.django_db

# Citizen IDs valid for the sex and birth year: province 084, sex/century digit, year, 6 digits.
HEAD_ID = "084080000001"  # male, 1980
WIFE_ID = "084182000002"  # female, 1982





def codes(response):
    assert response.status_code == 200, response.content
    return sorted(h["code"] for h in response.json()["results"])


def other_commune_of(province, *, besides):
    return (Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=province.path)
            .exclude(pk=besides.pk).order_by("code").first())


@pytest.fixture
def registry(people, units):
    """Two households in Xã Trà Cú (one poor, one not), one in Phường Ba Đình (Hà Nội)."""
    poor = make_household(people.lan, units.tra_cu, "TC-1", ids=(HEAD_ID, WIFE_ID))
    rich = make_household(people.lan, units.tra_cu, "TC-2", income=3_500_000, head="Nguyễn Văn Bình",
                          ethnicity="01")
    hanoi = make_household(people.binh, units.ba_dinh, "BD-1", head="Trần Văn Hà", ethnicity="01")
    return poor, rich, hanoi


def test_it_answers_401_without_credentials(client, registry):
    for url in ["/api/v1/households/", f"/api/v1/households/{registry[0].pk}", "/api/v1/rounds/",
                "/api/v1/rounds/1", "/api/v1/rounds/1/assessments/", "/api/v1/rounds/1/figures/"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_a_token_and_a_session_both_work(client, people, registry):
    assert codes(client.get("/api/v1/households/", **bearer(people.lan))) == ["TC-1", "TC-2"]
    login(client, people.lan)
    assert codes(client.get("/api/v1/households/")) == ["TC-1", "TC-2"]


def test_it_a_commune_officer_sees_only_the_communes_households(client, people, registry):
    poor, rich, hanoi = registry
    headers = bearer(people.lan)
    listed = client.get("/api/v1/households/", **headers).json()
    assert listed["count"] == 2
    first = next(h for h in listed["results"] if h["code"] == "TC-1")
    assert first["commune"] == {"id": poor.commune_id, "code": "29461", "name": "Xã Trà Cú"}
    assert first["head_name"] == "Thạch Văn Sóc" and first["head_ethnicity"] == {"code": "05", "name": "Khmer"}
    assert first["member_count"] == 2 and first["poverty_status"] is None
    assert "citizen_id" not in str(listed)  # never in lists
    assert client.get(f"/api/v1/households/{hanoi.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/households/{poor.pk}", **headers).status_code == 200
    # A unit filter narrows; it never widens: a unit outside the caller's units answers 404.
    assert codes(client.get("/api/v1/households/?unit=86", **headers)) == ["TC-1", "TC-2"]
    assert codes(client.get("/api/v1/households/?unit=29461", **headers)) == ["TC-1", "TC-2"]
    outside = client.get("/api/v1/households/?unit=00004", **headers)
    assert outside.status_code == 404 and "00004" in outside.json()["detail"]
    assert client.get("/api/v1/households/?unit=01", **headers).status_code == 404
    unknown = client.get("/api/v1/households/?unit=99999", **headers)
    assert unknown.status_code == 400 and "99999" in unknown.json()["unit"]


def test_it_a_provincial_leader_sees_the_province_and_not_another(client, people, registry):
    assert codes(client.get("/api/v1/households/", **bearer(people.bao))) == ["TC-1", "TC-2"]
    assert codes(client.get("/api/v1/households/", **bearer(people.hoa))) == ["BD-1"]
    assert codes(client.get("/api/v1/households/?unit=00004", **bearer(people.hoa))) == ["BD-1"]
    assert codes(client.get("/api/v1/households/", **bearer(people.duc))) == ["BD-1", "TC-1", "TC-2"]
    assert client.get(f"/api/v1/households/{registry[2].pk}", **bearer(people.bao)).status_code == 404


def test_it_citizen_ids_are_in_full_only_for_those_who_may_change(client, people, registry):
    poor = registry[0]
    full = client.get(f"/api/v1/households/{poor.pk}", **bearer(people.lan)).json()
    assert [m["citizen_id"] for m in full["members"]] == [HEAD_ID, WIFE_ID]
    masked = client.get(f"/api/v1/households/{poor.pk}", **bearer(people.bao)).json()
    assert [m["citizen_id"] for m in masked["members"]] == ["•••••••••001", "•••••••••002"]
    assert masked["members"][0]["relation"] == "head" and masked["members"][0]["present"] is True


def test_it_the_detail_has_former_members_conditions_and_the_latest_assessment(client, people, units, registry):
    poor = registry[0]
    wife = poor.members.get(relation="spouse")
    services.member_died(actor=people.lan, member=wife, on=dt.date(2025, 10, 1))
    headers = bearer(people.lan)
    detail = client.get(f"/api/v1/households/{poor.pk}", **headers).json()
    assert detail["member_count"] == 1
    assert [(m["full_name"], m["present"], m["died_on"]) for m in detail["members"]] == [
        ("Thạch Văn Sóc", True, None), ("Kim Thị Sa Ri", False, "2025-10-01")]
    assert [c["year"] for c in detail["conditions"]] == [2025]
    assert detail["conditions"][0]["income_per_capita"] == 1_200_000
    assert detail["conditions"][0]["floor_area"] == 30.0
    assert detail["latest_assessment"] is None
    round_ = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    poverty_services.review_round_run(round=round_, actor=people.lan)
    latest = client.get(f"/api/v1/households/{poor.pk}", **headers).json()["latest_assessment"]
    assessment = Assessment.objects.get(round=round_, household=poor)
    assert latest["round"]["id"] == round_.pk and latest["round"]["year"] == 2025
    assert latest["standard"] == "2022-2025" and latest["status"] == assessment.status
    ordered = list(StandardIndicator.objects.filter(standard=round_.standard).order_by("position")
                   .values_list("code", flat=True))
    assert latest["deprived"] == [c for i, c in enumerate(ordered) if assessment.deprivations >> i & 1]
    assert len(latest["deprived"]) == latest["deprivation_count"] == assessment.deprivation_count > 0
    assert latest["income_per_capita"] == 1_200_000 and latest["income_method"] == "declared"
    spec = engine.spec_for(round_.standard)
    assert latest["reason"] == engine.reason(spec, urban=False, income=1_200_000, mask=assessment.deprivations,
                                             status=engine.POOR)
    assert latest["reason"].endswith("→ hộ nghèo.")
    assert client.get("/api/v1/households/999999", **headers).status_code == 404


def test_it_filters_by_status_in_the_latest_round_or_a_given_one(client, people, units, registry):
    headers = bearer(people.lan)
    first = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2024)
    poverty_services.review_round_run(round=first, actor=people.lan)  # 2024: no survey → last known facts
    rich = registry[1]
    services.conditions_record(actor=people.lan, household=rich, year=2025, income_per_capita=Decimal(900_000),
                               housing="simple", floor_area=Decimal("20"))
    second = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    poverty_services.review_round_run(round=second, actor=people.lan)
    statuses = dict(Assessment.objects.filter(round=second).values_list("household__code", "status"))
    assert statuses["TC-1"] == "poor" and statuses["TC-2"] in ("poor", "near_poor")
    assert codes(client.get("/api/v1/households/?status=poor", **headers)) == sorted(
        c for c, s in statuses.items() if s == "poor")
    listed = client.get("/api/v1/households/", **headers).json()["results"]
    assert {h["poverty_round"] for h in listed} == {second.pk}
    earlier = dict(Assessment.objects.filter(round=first).values_list("household__code", "status"))
    by_round = client.get(f"/api/v1/households/?round={first.pk}", **headers).json()["results"]
    assert {h["code"]: h["poverty_status"] for h in by_round} == earlier
    assert {h["poverty_round"] for h in by_round} == {first.pk}
    assert client.get("/api/v1/households/?status=rich", **headers).status_code == 400
    assert client.get("/api/v1/households/?round=abc", **headers).status_code == 400
    assert client.get("/api/v1/households/?round=999999", **headers).status_code == 404


def test_it_filters_by_ethnicity_hamlet_search_and_ended(client, people, units, registry):
    poor, rich, _ = registry
    hamlet = hamlet_create(actor=people.lan, commune=units.tra_cu, name="Ấp Chợ", kind="ap")
    in_hamlet = make_household(people.lan, units.tra_cu, "TC-3", head="Lâm Thị Mai", hamlet=hamlet)
    headers = bearer(people.lan)
    assert codes(client.get("/api/v1/households/?ethnicity=05", **headers)) == ["TC-1", "TC-3"]
    assert codes(client.get("/api/v1/households/?ethnicity=Khmer", **headers)) == ["TC-1", "TC-3"]
    assert client.get("/api/v1/households/?ethnicity=martian", **headers).status_code == 400
    assert codes(client.get(f"/api/v1/households/?hamlet={hamlet.code}", **headers)) == ["TC-3"]
    assert codes(client.get(f"/api/v1/households/?unit={hamlet.code}", **headers)) == ["TC-3"]
    assert client.get("/api/v1/households/?hamlet=29461", **headers).status_code == 400  # a commune
    assert codes(client.get("/api/v1/households/?q=thach%20van%20soc", **headers)) == ["TC-1"]
    assert codes(client.get("/api/v1/households/?q=NGUYỄN", **headers)) == ["TC-2"]
    services.household_merge(actor=people.lan, household=in_hamlet, into=poor, on=dt.date(2025, 9, 1))
    assert codes(client.get("/api/v1/households/", **headers)) == ["TC-1", "TC-2"]
    ended = client.get("/api/v1/households/?include_ended=1", **headers).json()["results"]
    assert {h["code"]: h["status"] for h in ended} == {"TC-1": "active", "TC-2": "active", "TC-3": "merged"}
    assert client.get("/api/v1/households/?include_ended=maybe", **headers).status_code == 400


@pytest.fixture
def province_round(people, units, registry):
    """The province's 2025 round over Trà Cú's two households and one in another commune of Vĩnh Long."""
    other = other_commune_of(units.vinh_long, besides=units.tra_cu)
    make_household(people.minh, other, "VL-1", head="Sơn Thị Nga")
    round_ = poverty_services.review_round_open(actor=people.minh, unit=units.vinh_long, year=2025)
    poverty_services.review_round_run(round=round_, actor=people.minh)
    return round_, other


def test_it_rounds_are_those_the_caller_follows(client, people, units, province_round):
    round_, _ = province_round
    own = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2024)
    assert {r["id"] for r in client.get("/api/v1/rounds/", **bearer(people.lan)).json()["results"]} == {
        round_.pk, own.pk}
    assert [r["id"] for r in client.get("/api/v1/rounds/", **bearer(people.binh)).json()["results"]] == []
    assert client.get(f"/api/v1/rounds/{round_.pk}", **bearer(people.binh)).status_code == 404
    assert [r["year"] for r in client.get("/api/v1/rounds/?year=2024", **bearer(people.lan)).json()["results"]] == [
        2024]
    assert client.get("/api/v1/rounds/?year=last", **bearer(people.lan)).status_code == 400
    # The province's round, seen by the commune officer: counts of the commune's part only.
    detail = client.get(f"/api/v1/rounds/{round_.pk}", **bearer(people.lan)).json()
    assert detail["unit"]["code"] == "86" and detail["standard"]["code"] == "2022-2025"
    assert [i["code"] for i in detail["standard"]["indicators"]] == list(
        StandardIndicator.objects.filter(standard=round_.standard).order_by("position").values_list("code", flat=True))
    assert detail["standard"]["poverty_line_rural"] == 1_500_000
    assert detail["counts"]["households"] == 2
    province = client.get(f"/api/v1/rounds/{round_.pk}", **bearer(people.bao)).json()["counts"]
    assert province["households"] == 3
    assert province["poor"] + province["near_poor"] + province["average"] + province["not_poor"] == 3
    assert sum(province["transitions"].values()) == 3


def test_it_round_assessments_are_scoped_and_filtered(client, people, units, province_round):
    round_, other = province_round
    url = f"/api/v1/rounds/{round_.pk}/assessments/"
    lan = client.get(url, **bearer(people.lan)).json()
    assert sorted(a["household_code"] for a in lan["results"]) == ["TC-1", "TC-2"]
    row = next(a for a in lan["results"] if a["household_code"] == "TC-1")
    stored = Assessment.objects.get(round=round_, household__code="TC-1")
    assert row["household"] == stored.household_id and row["commune_code"] == "29461"
    assert row["status"] == "poor" and row["transition"] == "new_poor" and row["previous_status"] == ""
    assert len(row["deprived"]) == row["deprivation_count"] == stored.deprivation_count
    assert row["income_per_capita"] == 1_200_000 and "citizen_id" not in row
    bao = bearer(people.bao)
    assert client.get(url, **bao).json()["count"] == 3
    assert [a["household_code"] for a in client.get(f"{url}?commune={other.code}", **bao).json()["results"]] == ["VL-1"]
    poor = client.get(f"{url}?status=poor", **bao).json()["results"]
    assert {a["status"] for a in poor} == {"poor"}
    assert client.get(f"{url}?transition=new_poor", **bao).json()["count"] == len(poor)
    assert client.get(f"{url}?commune={other.code}", **bearer(people.lan)).status_code == 404
    assert client.get(f"{url}?commune=00000", **bao).status_code == 400
    assert client.get(f"{url}?transition=sideways", **bao).status_code == 400
    assert client.get(f"/api/v1/rounds/{round_.pk}/assessments/", **bearer(people.binh)).status_code == 404


def test_it_each_listed_assessment_has_its_reason_derived_from_its_figures(client, people, units, province_round,
                                                                       monkeypatch):
    """The reason is not stored: the page's reasons are computed together (one call for the page)
    from each row's stored figures and the round's standard, and each is the engine's sentence for that row."""
    round_, _ = province_round
    spec = engine.spec_for(round_.standard)
    stored = {a.household_id: a for a in Assessment.objects.filter(round=round_)}
    url = f"/api/v1/rounds/{round_.pk}/assessments/"
    calls = []
    reasons_for = engine.reasons_for

    def spy(spec, assessments):
        calls.append(len(assessments))
        return reasons_for(spec, assessments)

    monkeypatch.setattr(engine, "reasons_for", spy)
    listed = client.get(url, **bearer(people.bao)).json()["results"]
    assert calls == [3]
    assert len(listed) == 3 and len({row["reason"] for row in listed}) >= 2
    for row in listed:
        a = stored[row["household"]]
        assert row["reason"] == engine.reason(spec, urban=a.area == "urban", income=float(a.income_per_capita),
                                              mask=a.deprivations, status=engine.STATUS_INDEX[a.status])
        assert f"{row['income_per_capita']:,} đồng".replace(",", ".") in row["reason"]


def test_it_list_endpoints_take_a_constant_number_of_queries(client, people, units, province_round,
                                                         django_assert_max_num_queries):
    round_, other = province_round
    login(client, people.bao)
    urls = ["/api/v1/households/", "/api/v1/households/?status=poor&unit=86",
            f"/api/v1/rounds/{round_.pk}/assessments/", "/api/v1/rounds/", f"/api/v1/rounds/{round_.pk}/figures/"]

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = {url: queries(url) for url in urls}
    for n in range(4):
        make_household(people.minh, other, f"VL-{n + 2}", head=f"Sơn Văn {n}")
    poverty_services.review_round_run(round=round_, actor=people.minh)
    assert client.get(urls[2]).json()["count"] == 7
    after = {url: queries(url) for url in urls}
    assert after == before
    for url in urls:
        with django_assert_max_num_queries(12):
            client.get(url)


def test_it_figures_are_numbers(client, people, province_round):
    round_, other = province_round
    data = client.get(f"/api/v1/rounds/{round_.pk}/figures/", **bearer(people.bao)).json()
    stored = Assessment.objects.filter(round=round_)
    assert data["standard"] == "2022-2025" and data["by"] == "commune"
    assert data["total"]["households"] == 3 and data["total"]["poor"] == stored.filter(status="poor").count()
    assert data["total"]["khmer"] == 2 and isinstance(data["total"]["poor_rate"], float)
    assert data["total"]["poor_rate"] == round(100 * data["total"]["poor"] / 3, 2)
    assert {r["code"] for r in data["rows"]} == {"29461", other.code}
    assert [d["code"] for d in data["total"]["deprived"]] == data["indicators"]
    assert all(isinstance(d["households"], int) for d in data["total"]["deprived"])
    lan = client.get(f"/api/v1/rounds/{round_.pk}/figures/", **bearer(people.lan)).json()
    assert [r["code"] for r in lan["rows"]] == ["29461"] and lan["total"]["households"] == 2
    assert client.get(f"/api/v1/rounds/{round_.pk}/figures/?by=hamlet", **bearer(people.lan)).status_code == 200
    assert client.get(f"/api/v1/rounds/{round_.pk}/figures/?by=district", **bearer(people.lan)).status_code == 400


def test_it_the_openapi_schema_has_the_endpoints_without_warnings(client):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    for path in [b"/api/v1/households/", b"/api/v1/households/{id}", b"/api/v1/rounds/{id}/assessments/",
                 b"/api/v1/rounds/{id}/figures/"]:
        assert path in response.content
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(api_version="1").get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    GENERATOR_STATS.reset()
