"""API v1 for indicators, plans, targets, submissions and results: scope, workflow, figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from ansinh.accounts.models import AuditEvent
from ansinh.accounts.services import token_create
from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans import services
from ansinh.plans.models import Indicator, SubmissionStatus
from conftest import login
from ansinh.testing import bearer
from ansinh.testing import vi as vietnamese

pytestmark = pytest.mark.django_db






def post(client, url, user, data=None):
    return client.post(url, data or {}, content_type="application/json", **bearer(user))


@pytest.fixture
def plan(people, units):
    """Vĩnh Long's 2025 labour plan: 23,000 jobs (of which 11,000 women), 2,000 of them in Xã Trà
    Cú and 1,500 in another commune; two tasks."""
    province = units.vinh_long
    agency = services.agency_create(actor=None, unit=province, name="Ủy ban nhân dân tỉnh Vĩnh Long", kind="ubnd",
                                    symbol="UBND")
    labour = services.agency_create(actor=None, unit=province, name="Sở Nội vụ", kind="so", symbol="SNV")
    bank = services.agency_create(actor=None, unit=province, name="Ngân hàng Chính sách xã hội tỉnh",
                                  kind="nhcsxh")
    made = services.plan_create(
        actor=None, agency=agency, unit=province, year=2025, number="12/KH-UBND", title="Kế hoạch lao động 2025",
        place="Vĩnh Long", issued_on=dt.date(2025, 1, 10), basis="Luật Việc làm 2013;\nNghị định 09/2019/NĐ-CP",
        recipients="Sở Nội vụ;\nUBND các xã, phường", signer_authority="KT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Văn A", deadlines={"quarter": "last:15"})
    jobs = Indicator.objects.get(code="jobs_created")
    other = other_commune(units)
    services.targets_replace(actor=None, plan=made, rows=[
        services.TargetRow(jobs, province, "2025", "", Decimal(23000)),
        services.TargetRow(jobs, province, "2025", "female", Decimal(11000)),
        services.TargetRow(jobs, units.tra_cu, "2025", "", Decimal(2000)),
        services.TargetRow(jobs, other, "2025", "", Decimal(1500)),
    ])
    services.task_create(actor=None, plan=made, description="Tổ chức phiên giao dịch việc làm", lead=labour,
                         partners=[bank], due_on=dt.date(2025, 6, 30), sector="employment")
    services.task_create(actor=None, plan=made, description="Ban hành hướng dẫn", lead=labour,
                         due_condition="khi Trung ương ban hành")
    return made


def other_commune(units):
    return (Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, parent=units.vinh_long)
            .exclude(pk=units.tra_cu.pk).order_by("code").first())


@pytest.fixture
def forms(plan, units):
    """Drafts of the first quarter: Xã Trà Cú's and another commune's."""
    mine = services.submission_open(actor=None, plan=plan, unit=units.tra_cu, period="2025-Q1")
    theirs = services.submission_open(actor=None, plan=plan, unit=other_commune(units), period="2025-Q1")
    return mine, theirs


def approve(form, values, people):
    services.submission_save(actor=None, submission=form, values=values)
    services.submission_submit(actor=None, submission=form)
    services.submission_approve(actor=people.minh, submission=form)


# --- authentication and the catalogue ------------------------------------------------------------


def test_it_answers_401_without_credentials(client, plan, forms):
    for url in ["/api/v1/indicators/", "/api/v1/indicators/jobs_created", "/api/v1/plans/",
                f"/api/v1/plans/{plan.pk}", f"/api/v1/plans/{plan.pk}/targets/",
                f"/api/v1/plans/{plan.pk}/results/?period=2025-Q1", "/api/v1/submissions/",
                f"/api/v1/submissions/{forms[0].pk}"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.post(f"/api/v1/submissions/{forms[0].pk}/submit").status_code == 401


def test_it_the_catalogue_lists_and_filters_indicators(client, people):
    headers = bearer(people.lan)
    everything = client.get("/api/v1/indicators/", **headers).json()
    assert everything["count"] == Indicator.objects.count() > 40
    counted = client.get("/api/v1/indicators/?source=counted", **headers).json()["results"]
    assert counted and {i["source"] for i in counted} == {"counted"}
    assert "poor_households" in [i["code"] for i in counted]
    employment = client.get("/api/v1/indicators/?sector=employment&source=counted", **headers).json()["results"]
    assert [i["code"] for i in employment][:3] == ["jobs_created", "jobs_added", "overseas_workers"]
    assert client.get("/api/v1/indicators/?sector=employment&source=declared", **headers).json()["count"] == 0
    jobs = client.get("/api/v1/indicators/jobs_created", **headers).json()
    assert jobs["unit_of_measure"] == "lao động" and jobs["aggregation"] == "sum"
    assert [b["code"] for b in jobs["breakdowns"]] == ["female", "ethnic_minority", "youth"]
    assert jobs["breakdowns"][0] == {"code": "female", "name": "nữ", "dimension": "sex"}
    assert client.get("/api/v1/indicators/nothing_like_it", **headers).status_code == 404
    bad = client.get("/api/v1/indicators/?sector=farming", **headers)
    assert bad.status_code == 400 and "employment" in bad.json()["sector"][0]


def test_it_the_schema_describes_the_plans_endpoints(client):
    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    for path in (b"/api/v1/plans/{id}/results/", b"/api/v1/submissions/{id}/return", b"/api/v1/indicators/{code}"):
        assert path in response.content


# --- plans and targets ---------------------------------------------------------------------------


def test_it_plans_are_scoped_and_filtered(client, people, plan):
    numbers = lambda response: [p["number"] for p in response.json()["results"]]  # noqa: E731
    # A commune sees the province's plan that gives it targets; an outsider does not.
    assert numbers(client.get("/api/v1/plans/", **bearer(people.lan))) == ["12/KH-UBND"]
    assert numbers(client.get("/api/v1/plans/", **bearer(people.binh))) == []
    assert client.get(f"/api/v1/plans/{plan.pk}", **bearer(people.binh)).status_code == 404
    assert numbers(client.get("/api/v1/plans/", **bearer(people.duc))) == ["12/KH-UBND"]
    headers = bearer(people.bao)
    assert numbers(client.get("/api/v1/plans/?year=2025&unit=86", **headers)) == ["12/KH-UBND"]
    assert numbers(client.get("/api/v1/plans/?year=2024", **headers)) == []
    assert numbers(client.get("/api/v1/plans/?unit=29461", **headers)) == []  # the plan is the province's
    assert client.get("/api/v1/plans/?unit=01", **headers).status_code == 404
    assert client.get("/api/v1/plans/?unit=99999", **headers).status_code == 400
    assert client.get("/api/v1/plans/?year=next", **headers).status_code == 400


def test_it_the_plan_detail_has_the_document_tasks_and_split(client, people, plan):
    data = client.get(f"/api/v1/plans/{plan.pk}", **bearer(people.lan)).json()
    assert data["number"] == "12/KH-UBND" and data["doc_type"] == "KH" and data["issued_on"] == "2025-01-10"
    assert data["basis"] == ["Luật Việc làm 2013;", "Nghị định 09/2019/NĐ-CP"]
    assert data["recipients"] == ["Sở Nội vụ;", "UBND các xã, phường"]
    assert (data["signer_authority"], data["signer_title"], data["signer_name"]) == (
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A")
    assert data["agency"]["symbol"] == "UBND" and data["agency"]["unit"]["code"] == "86"
    assert data["unit"] == {"id": plan.unit_id, "code": "86", "name": "Tỉnh Vĩnh Long", "level": 1,
                            "edition": "current"}
    assert data["deadlines"] == {"quarter": "last:15"}
    first, second = data["tasks"]
    assert first["description"] == "Tổ chức phiên giao dịch việc làm" and first["lead"]["name"] == "Sở Nội vụ"
    assert [p["name"] for p in first["partners"]] == ["Ngân hàng Chính sách xã hội tỉnh"]
    assert first["due_on"] == first["due_date"] == "2025-06-30" and first["status"] == "open"
    assert second["due_date"] is None and second["due_condition"] == "khi Trung ương ban hành"
    [line] = data["split_check"]
    assert line == {"indicator": "jobs_created", "period": "2025", "breakdown": "", "total": 23000.0,
                    "split": 3500.0, "units": 2, "difference": 19500.0}


def test_it_targets_carry_the_unit_and_the_revisions(client, people, units, plan):
    target = plan.targets.get(unit=units.tra_cu)
    services.target_revise(actor=people.minh, target=target, value=Decimal(2500), reason="Điều chỉnh giữa năm",
                           document="Quyết định 5/QĐ-UBND", revised_on=dt.date(2025, 7, 1))
    listed = client.get(f"/api/v1/plans/{plan.pk}/targets/", **bearer(people.lan)).json()
    assert listed["count"] == 4
    assert [(t["unit"]["code"], t["breakdown"], t["value"]) for t in listed["results"]] == [
        ("86", "", 23000.0), ("86", "female", 11000.0), *sorted(
            [("29461", "", 2500.0), (other_commune(units).code, "", 1500.0)],
            key=lambda row: Unit.objects.get(edition=Edition.CURRENT, code=row[0]).sort_key)]
    mine = client.get(f"/api/v1/plans/{plan.pk}/targets/?unit=29461", **bearer(people.lan)).json()["results"]
    [row] = mine
    assert row["indicator"] == "jobs_created" and row["period"] == "2025" and row["revision"] == 1
    assert row["unit"] == {"id": units.tra_cu.pk, "code": "29461", "name": "Xã Trà Cú", "level": 3,
                           "edition": "current"}
    assert [(r["number"], r["value"], r["previous"]) for r in row["revisions"]] == [(0, 2000.0, None),
                                                                                    (1, 2500.0, 2000.0)]
    assert row["revisions"][1]["reason"] == "Điều chỉnh giữa năm" and row["revisions"][1]["by"] == "minh"
    assert row["revisions"][1]["document"] == "Quyết định 5/QĐ-UBND"
    headers = bearer(people.bao)
    assert client.get(f"/api/v1/plans/{plan.pk}/targets/?indicator=jobs_created&period=2025",
                      **headers).json()["count"] == 4
    assert client.get(f"/api/v1/plans/{plan.pk}/targets/?period=2025-Q1", **headers).json()["count"] == 0
    assert client.get(f"/api/v1/plans/{plan.pk}/targets/?indicator=nope", **headers).status_code == 400
    assert client.get(f"/api/v1/plans/{plan.pk}/targets/?unit=00004", **headers).status_code == 400
    assert client.get(f"/api/v1/plans/{plan.pk}/targets/", **bearer(people.hoa)).status_code == 404


# --- submissions ---------------------------------------------------------------------------------


def test_it_submissions_are_scoped(client, people, units, plan, forms):
    mine, theirs = forms
    ids = lambda response: sorted(s["id"] for s in response.json()["results"])  # noqa: E731
    assert ids(client.get("/api/v1/submissions/", **bearer(people.lan))) == [mine.pk]
    assert client.get(f"/api/v1/submissions/{theirs.pk}", **bearer(people.lan)).status_code == 404
    assert ids(client.get("/api/v1/submissions/", **bearer(people.bao))) == sorted([mine.pk, theirs.pk])
    assert ids(client.get("/api/v1/submissions/", **bearer(people.binh))) == []
    assert client.get(f"/api/v1/submissions/{mine.pk}", **bearer(people.binh)).status_code == 404
    assert ids(client.get("/api/v1/submissions/", **bearer(people.duc))) == sorted([mine.pk, theirs.pk])
    headers = bearer(people.bao)
    assert ids(client.get("/api/v1/submissions/?unit=29461", **headers)) == [mine.pk]
    assert ids(client.get(f"/api/v1/submissions/?plan={plan.pk}&period=2025-q1&status=draft", **headers)) == sorted(
        [mine.pk, theirs.pk])
    assert ids(client.get("/api/v1/submissions/?period=2025-Q2", **headers)) == []
    assert ids(client.get("/api/v1/submissions/?status=approved", **headers)) == []
    assert client.get("/api/v1/submissions/?status=late", **headers).status_code == 400
    bad = client.get("/api/v1/submissions/?period=2025-Q5", **headers)
    assert bad.status_code == 400 and "2025-Q5" in bad.json()["period"][0]
    assert client.get("/api/v1/submissions/?unit=00004", **headers).status_code == 404
    listed = client.get("/api/v1/submissions/?unit=29461", **headers).json()["results"][0]
    assert listed["plan"]["number"] == "12/KH-UBND" and listed["unit"]["code"] == "29461"
    assert listed["status"] == "draft" and listed["locked"] is False and listed["deadline"] == "2025-03-15"


def test_it_a_national_viewer_reads_but_changes_nothing(client, people, forms):
    mine = forms[0]
    detail = client.get(f"/api/v1/submissions/{mine.pk}", **bearer(people.duc)).json()
    assert detail["can_edit"] is False and detail["can_decide"] is False
    values = {"values": [{"indicator": "jobs_created", "value": 10}]}
    assert post(client, f"/api/v1/submissions/{mine.pk}/values", people.duc, values).status_code == 403
    assert post(client, f"/api/v1/submissions/{mine.pk}/submit", people.duc).status_code == 403
    assert post(client, f"/api/v1/submissions/{mine.pk}/approve", people.duc).status_code == 403
    assert post(client, f"/api/v1/submissions/{mine.pk}/values", people.binh, values).status_code == 404
    assert not mine.values.exists()


def test_it_the_workflow_through_the_api(client, people, forms):
    mine = forms[0]
    url = f"/api/v1/submissions/{mine.pk}"
    detail = client.get(url, **bearer(people.lan)).json()
    assert detail["can_edit"] is True and detail["can_decide"] is False and detail["values"] == []
    assert [i["code"] for i in detail["form"]] == ["jobs_created"]

    # Figures in Vietnamese form ("7.645") or as numbers; an unknown breakdown is refused whole.
    bad = post(client, f"{url}/values", people.lan, {"values": [
        {"indicator": "jobs_created", "value": "7.645"}, {"indicator": "jobs_created", "breakdown": "martians",
                                                         "value": 1}]})
    assert bad.status_code == 400 and "martians" in str(bad.json()["values"])
    assert not mine.values.exists()
    not_a_number = post(client, f"{url}/values", people.lan, {"values": [{"indicator": "jobs_created",
                                                                         "value": "nhiều"}]})
    assert not_a_number.status_code == 400 and "nhiều" in str(not_a_number.json())
    twice = post(client, f"{url}/values", people.lan, {"values": [
        {"indicator": "jobs_created", "breakdown": "female", "value": 1},
        {"indicator": "jobs_created", "breakdown": "female", "value": 2}]})
    assert twice.status_code == 400
    assert twice.json()["values"] == [vietnamese("The figure %(figure)s appears twice.") % {
        "figure": "jobs_created (female)"}]
    saved = post(client, f"{url}/values", people.lan, {"values": [
        {"indicator": "jobs_created", "value": "7.645"}, {"indicator": "jobs_created", "breakdown": "female",
                                                         "value": 3899}]})
    assert saved.status_code == 200, saved.content
    assert {(v["indicator"], v["breakdown"], v["value"]) for v in saved.json()["values"]} == {
        ("jobs_created", "", 7645.0), ("jobs_created", "female", 3899.0)}
    # Replacing: the figure not sent again is removed.
    saved = post(client, f"{url}/values", people.lan, {"values": [{"indicator": "jobs_created", "value": 7000}]})
    assert [(v["breakdown"], v["value"]) for v in saved.json()["values"]] == [("", 7000.0)]

    assert post(client, f"{url}/approve", people.lan).status_code == 403  # not the unit above
    submitted = post(client, f"{url}/submit", people.lan)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_by"] == "lan" and submitted.json()["locked"] is True

    # The submitted form is locked: 409, with the message in Vietnamese.
    locked = post(client, f"{url}/values", people.lan, {"values": [{"indicator": "jobs_created", "value": 1}]})
    assert locked.status_code == 409
    assert locked.json()["detail"] == vietnamese("This form has been submitted; it can no longer be changed.")
    assert post(client, f"{url}/submit", people.lan).status_code == 409

    no_reason = post(client, f"{url}/return", people.minh, {"reason": "  "})
    assert no_reason.status_code == 400
    assert no_reason.json()["reason"] == [vietnamese("Say why the form is returned.")]
    assert post(client, f"{url}/return", people.minh).status_code == 400
    returned = post(client, f"{url}/return", people.minh, {"reason": "Thiếu số liệu lao động nữ"})
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "Thiếu số liệu lao động nữ"
    assert post(client, f"{url}/approve", people.minh).status_code == 409  # only a submitted form

    post(client, f"{url}/values", people.lan, {"values": [{"indicator": "jobs_created", "value": "7.645"},
                                                          {"indicator": "jobs_created", "breakdown": "female",
                                                           "value": "3.899"}]})
    assert post(client, f"{url}/submit", people.lan).json()["status"] == "submitted"
    approved = post(client, f"{url}/approve", people.bao)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "bao" and approved.json()["can_edit"] is False
    assert [e["action"] for e in approved.json()["events"]] == ["create", "save", "save", "submit", "return",
                                                                 "save", "submit", "approve"]
    final = post(client, f"{url}/values", people.lan, {"values": [{"indicator": "jobs_created", "value": 1}]})
    assert final.status_code == 409
    assert post(client, f"{url}/return", people.minh, {"reason": "Sai"}).status_code == 409
    mine.refresh_from_db()
    assert mine.status == SubmissionStatus.APPROVED
    assert sorted(mine.values.values_list("breakdown", "value")) == [("", Decimal(7645)), ("female", Decimal(3899))]
    assert AuditEvent.objects.filter(action="plans.submission.approve", object_id=str(mine.pk),
                                     actor=people.bao).exists()


def test_it_an_empty_form_cannot_be_submitted(client, people, forms):
    response = post(client, f"/api/v1/submissions/{forms[0].pk}/submit", people.lan)
    assert response.status_code == 400
    assert vietnamese("The form is empty: enter the figures before submitting.") in str(response.json())


def test_it_a_session_works_for_changes_too(client, people, forms):
    login(client, people.lan)
    response = client.post(f"/api/v1/submissions/{forms[0].pk}/values",
                           {"values": [{"indicator": "jobs_created", "value": 12}]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["values"][0]["value"] == 12.0


def test_it_lists_take_a_fixed_number_of_queries(client, people, units, plan, forms):
    headers = bearer(people.bao)

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, **headers)
        assert response.status_code == 200 and response.json().get("count", 1) > 0
        return len(context)

    urls = [f"/api/v1/plans/{plan.pk}/targets/", "/api/v1/submissions/", "/api/v1/plans/", f"/api/v1/plans/{plan.pk}"]
    queries(urls[0])  # the token's first use writes its last_used_at (then at most once a minute)
    before = [queries(url) for url in urls]
    # More targets (revised), more forms (submitted and decided), more tasks and plans: the same queries.
    jobs = Indicator.objects.get(code="jobs_created")
    communes = list(Unit.objects.filter(parent=units.vinh_long, level=Level.COMMUNE).order_by("code")[2:8])
    rows = [services.TargetRow(t.indicator, t.unit, t.period, t.breakdown, t.value) for t in plan.targets.all()]
    services.targets_replace(actor=None, plan=plan, rows=rows + [
        services.TargetRow(jobs, commune, "2025", "", Decimal(100)) for commune in communes])
    for target in plan.targets.all()[:3]:
        services.target_revise(actor=people.minh, target=target, value=target.value + 1, reason="Điều chỉnh")
    for commune in communes:
        form = services.submission_open(actor=None, plan=plan, unit=commune, period="2025-Q1")
        approve(form, {("jobs_created", ""): Decimal(5)}, people)
    services.task_create(actor=None, plan=plan, description="Thêm việc", lead=plan.agency, partners=[plan.agency])
    services.plan_create(actor=None, agency=plan.agency, unit=units.vinh_long, year=2025, number="13/KH-UBND",
                         title="Kế hoạch khác", place="Vĩnh Long")
    assert [queries(url) for url in urls] == before


# --- results ---------------------------------------------------------------------------------------


@pytest.fixture
def reported(people, units, plan, forms):
    """Q1 2025: Xã Trà Cú 7,000 jobs (3,500 women), the other commune 645; Q1 2024 (an older plan):
    Xã Trà Cú 5,000."""
    mine, theirs = forms
    approve(mine, {("jobs_created", ""): Decimal(7000), ("jobs_created", "female"): Decimal(3500)}, people)
    approve(theirs, {("jobs_created", ""): Decimal(645)}, people)
    older = services.plan_create(actor=None, agency=plan.agency, unit=units.vinh_long, year=2024,
                                 number="30/KH-UBND", title="Kế hoạch lao động 2024", place="Vĩnh Long")
    last_year = services.submission_open(actor=None, plan=older, unit=units.tra_cu, period="2024-Q1")
    approve(last_year, {("jobs_created", ""): Decimal(5000)}, people)
    return plan


def test_it_results_give_the_percent_of_target_and_the_units_below(client, people, units, reported):
    response = client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025-Q1", **bearer(people.bao))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["period"] == "2025-Q1" and data["unit"]["code"] == "86" and data["expected_share"] == 25.0
    assert data["period_label"] == vietnamese("quarter %(roman)s of %(year)d") % {"roman": "I", "year": 2025}
    jobs = next(i for i in data["indicators"] if i["code"] == "jobs_created")
    assert (jobs["value"], jobs["target"], jobs["source"]) == (7645, 23000, "declared")
    assert jobs["percent"] == 33.24 and round(7645 / 23000 * 100, 2) == 33.24
    assert jobs["previous_value"] == 5000 and jobs["change"] == 2645
    assert jobs["lagging"] is False  # 33.2% done after a quarter, ahead of 25%
    assert jobs["breakdowns"] == [{"code": "female", "name": "nữ", "value": 3500, "target": 11000,
                                   "percent": round(3500 / 11000 * 100, 2)}]
    # Every indicator of the catalogue in force in the period is there, in the report's order, with
    # or without a figure (the social pension's rows begin on 1 Jul 2025, after this quarter).
    in_force = [i for i in Indicator.objects.all() if i.in_force(dt.date(2025, 3, 31))]
    assert len(data["indicators"]) == len(in_force) < Indicator.objects.count()
    overseas = next(i for i in data["indicators"] if i["code"] == "overseas_workers")
    assert overseas["value"] is None and overseas["percent"] is None and overseas["source"] == ""
    # The communes below: value, target and percent of each.
    children = {c["code"]: c for c in data["children"]}
    assert len(children) == Unit.objects.filter(parent=units.vinh_long, level=Level.COMMUNE).count()
    assert children["29461"]["figures"]["jobs_created"] == {"value": 7000, "target": 2000, "percent": 350.0}
    other = children[other_commune(units).code]["figures"]["jobs_created"]
    assert other == {"value": 645, "target": 1500, "percent": 43.0}
    quiet = [c for code, c in children.items() if code not in ("29461", other_commune(units).code)]
    assert all(c["figures"] == {} for c in quiet)


def test_it_results_of_the_commune_for_its_officer(client, people, units, reported):
    headers = bearer(people.lan)
    # The province's figures and its communes' are outside a commune officer's units.
    outside = client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025-Q1", **headers)
    assert outside.status_code == 404 and "Tỉnh Vĩnh Long" in outside.json()["detail"]
    other = other_commune(units)
    assert client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025-Q1&unit={other.code}",
                      **headers).status_code == 404
    data = client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025-Q1&unit=29461", **headers).json()
    jobs = next(i for i in data["indicators"] if i["code"] == "jobs_created")
    assert data["unit"]["name"] == "Xã Trà Cú" and data["children"] == []
    assert (jobs["value"], jobs["target"], jobs["percent"], jobs["previous_value"], jobs["change"]) == (
        7000, 2000, 350.0, 5000, 2000)
    # A year made of its quarters so far.
    year = client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025&unit=29461", **headers).json()
    assert next(i for i in year["indicators"] if i["code"] == "jobs_created")["value"] == 7000


def test_it_results_refuse_a_bad_period_or_unit(client, people, reported):
    headers = bearer(people.bao)
    bad = client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025-Q5", **headers)
    assert bad.status_code == 400
    assert bad.json()["period"] == [vietnamese("“%(text)s” is not a period: write 2025, 2025-H1, 2025-Q1 or 2025-03.")
                                    % {"text": "2025-Q5"}]
    missing = client.get(f"/api/v1/plans/{reported.pk}/results/", **headers)
    assert missing.status_code == 400 and "period" in missing.json()
    assert client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025-Q1&unit=00004",
                      **headers).status_code == 400  # Ba Đình is not in the plan's area
    assert client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025-Q1",
                      **bearer(people.hoa)).status_code == 404
    # The national viewer reads any unit's results.
    assert client.get(f"/api/v1/plans/{reported.pk}/results/?period=2025-Q1",
                      **bearer(people.duc)).status_code == 200


def test_it_results_of_a_legacy_plan_on_the_legacy_map(client, people, units):
    """The 2020 plan of Trà Vinh (legacy code 84): 7,645 jobs of 23,000 in the first quarter."""
    province = units.legacy_tra_vinh
    agency = services.agency_create(actor=None, unit=province, name="Ủy ban nhân dân tỉnh Trà Vinh", kind="ubnd")
    old = services.plan_create(actor=None, agency=agency, unit=province, year=2020, number="25/KH-UBND",
                               title="Kế hoạch lao động 2020", place="Trà Vinh")
    jobs = Indicator.objects.get(code="jobs_created")
    services.targets_replace(actor=None, plan=old, rows=[services.TargetRow(jobs, province, "2020", "",
                                                                            Decimal(23000))])
    form = services.submission_open(actor=None, plan=old, unit=province, period="2020-Q1")
    services.submission_save(actor=None, submission=form, values={("jobs_created", ""): Decimal(7645)})
    services.submission_submit(actor=None, submission=form)
    data = client.get(f"/api/v1/plans/{old.pk}/results/?period=2020-Q1", **bearer(people.bao)).json()
    assert data["unit"] == {"id": province.pk, "code": "84", "name": province.name, "level": 1, "edition": "legacy"}
    jobs_row = next(i for i in data["indicators"] if i["code"] == "jobs_created")
    assert jobs_row["value"] == 7645 and jobs_row["target"] == 23000
    assert round(jobs_row["percent"], 1) == 33.2
    # Its submission is the province's (home: Vĩnh Long): a provincial officer lists it, a commune does not.
    assert [s["unit"]["edition"] for s in client.get("/api/v1/submissions/?period=2020-Q1",
                                                     **bearer(people.minh)).json()["results"]] == ["legacy"]
    assert client.get("/api/v1/submissions/?period=2020-Q1", **bearer(people.lan)).json()["count"] == 0


# --- hostile bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [5_000, 100_000, 40])
def test_it_refuses_a_deeply_nested_body_with_400(client, people, forms, depth):
    """A body of thousands of nested arrays raised RecursionError in the JSON parser: a 500."""
    body = '{"values": ' + "[" * depth + "]" * depth + "}"
    response = client.post(f"/api/v1/submissions/{forms[0].pk}/values", body, content_type="application/json",
                           **bearer(people.lan))
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert not forms[0].values.exists()


def test_it_still_reads_ordinary_bodies(client, people, forms):
    body = {"values": [{"indicator": "jobs_created", "value": 12}]}
    assert post(client, f"/api/v1/submissions/{forms[0].pk}/values", people.lan, body).status_code == 200
