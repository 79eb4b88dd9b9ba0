"""The periodic reporting pages: a commune fills and submits its form, the province returns it with
a reason and approves it, approved figures are locked; scope (404 outside, 403 without the right);
the timeliness table; results with drill-down; the dashboard."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from ansinh.accounts.models import AuditEvent
from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans import services
from ansinh.plans.models import Indicator, Plan, Submission, SubmissionEvent, SubmissionStatus, SubmissionValue
from ansinh.plans.periods import Period
from ansinh.poverty.models import ReviewRound
from conftest import login

pytestmark = pytest.mark.django_db


def vi(msgid: str) -> str:
    """A message as the Vietnamese page shows it, whether or not its translation is compiled yet."""
    with translation.override("vi"):
        return translation.gettext(msgid)


def make_plan(units, year: int = 2025, number: str = "45/KH-UBND") -> Plan:  # type: ignore[no-untyped-def]
    """Vĩnh Long's plan: jobs 3.200 (Trà Cú 100, of which 40 women) and training 200 (Trà Cú 20);
    quarterly reports before the 15th of the quarter's last month (seed 004)."""
    province = units.vinh_long
    agency = services.agency_for(province, "Ủy ban nhân dân tỉnh Vĩnh Long", "ubnd", symbol="UBND")
    plan = services.plan_create(actor=None, agency=agency, unit=province, year=year, number=number,
                                title=f"Kế hoạch lao động, việc làm năm {year}", place="Vĩnh Long",
                                deadlines={"quarter": "last:15", "half": "05-30", "year": "12-05"})
    jobs, trained = Indicator.objects.get(code="jobs_created"), Indicator.objects.get(code="trained_workers")
    y = str(year)
    rows = [services.TargetRow(jobs, province, y, "", Decimal(3200)), services.TargetRow(jobs, units.tra_cu, y, "", Decimal(100)),
            services.TargetRow(jobs, units.tra_cu, y, "female", Decimal(40)),
            services.TargetRow(trained, province, y, "", Decimal(200)),
            services.TargetRow(trained, units.tra_cu, y, "", Decimal(20))]
    services.targets_replace(actor=None, plan=plan, rows=rows)
    return plan


@pytest.fixture
def plan(units) -> Plan:  # type: ignore[no-untyped-def]
    return make_plan(units)


def communes(units, n: int) -> list[Unit]:  # type: ignore[no-untyped-def]
    """The first n communes of Vĩnh Long other than Trà Cú."""
    return list(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=units.vinh_long.path)
                .exclude(pk=units.tra_cu.pk).order_by("code")[:n])


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def values_of(submission: Submission) -> dict[tuple[str, str], Decimal]:
    return {(c, b): v for c, b, v in SubmissionValue.objects.filter(submission=submission)
            .values_list("indicator__code", "breakdown", "value")}


# --- the workflow ----------------------------------------------------------------------------------


def test_it_a_commune_fills_and_submits_and_the_province_returns_then_approves(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    list_url = f"/plans/{plan.pk}/submissions?period=2025-Q1"
    login(client, people.lan)
    response = client.get(list_url)
    assert response.status_code == 200
    body = page(response)
    assert 'data-unit="29461"' in body  # her own row …
    assert body.count("<tr data-unit=") == 1  # … and only hers
    assert f'data-testid="start-29461"' in body

    response = client.post(f"/plans/{plan.pk}/submissions/open", {"unit": units.tra_cu.pk, "period": "2025-Q1"})
    form = Submission.objects.get(plan=plan, unit=units.tra_cu, period="2025-Q1")
    assert response.status_code == 302 and response["Location"] == f"/plans/submissions/{form.pk}/"
    url = response["Location"]
    body = page(client.get(url))
    for name in ("v.jobs_created", "v.jobs_created.female", "v.jobs_created.ethnic_minority", "v.trained_workers"):
        assert f'name="{name}"' in body
    assert vi("Sustainable poverty reduction") not in body  # only the form's fields
    assert re.search(r'name="v\.jobs_created" value=""', body)
    assert ">100</td>" in body and ">40</td>" in body  # the commune's targets for the year
    # the data period of Decree 09/2019/NĐ-CP, Art. 12: 15 Dec of the year before to 14 Mar
    assert re.search(r'data-testid="cutoff">15/12/2024 – 14/03/2025', body)

    # a figure that is not a number: 400, the field named, everything typed kept, nothing saved
    response = client.post(url, {"v.jobs_created": "1.250", "v.jobs_created.female": "6OO", "v.trained_workers": "21"})
    assert response.status_code == 400
    body = page(response)
    assert "nữ: “6OO”" in body and 'value="6OO"' in body and 'value="1.250"' in body
    # people are counted whole: 12,5 workers is refused, beside the field, and kept as typed
    response = client.post(url, {"v.jobs_created": "12,5", "v.trained_workers": "21"})
    assert response.status_code == 400 and 'value="12,5"' in page(response)
    assert vi("%(indicator)s counts whole %(unit)s: %(value)s is not a whole number.") % {
        "indicator": "Số lao động được giải quyết việc làm", "unit": "lao động", "value": "12,5"} in page(response)
    assert 'aria-invalid="true"' in body
    assert not SubmissionValue.objects.filter(submission=form).exists()

    response = client.post(url, {"v.jobs_created": "1.250", "v.jobs_created.female": "600", "v.trained_workers": "21"})
    assert response.status_code == 302
    assert values_of(form) == {("jobs_created", ""): 1250, ("jobs_created", "female"): 600,
                               ("trained_workers", ""): Decimal("21")}
    body = page(client.get(url))
    assert 'value="1.250"' in body and 'value="21"' in body  # shown back the Vietnamese way

    # submit: the figures typed are saved, then a confirmation, then submitted
    response = client.post(f"{url}submit", {"v.jobs_created": "1.260", "v.jobs_created.female": "600",
                                             "v.trained_workers": "21"})
    assert response.status_code == 200 and 'data-testid="confirm"' in page(response) and "1.260" in page(response)
    form.refresh_from_db()
    assert form.status == SubmissionStatus.DRAFT and values_of(form)[("jobs_created", "")] == 1260
    response = client.post(f"{url}submit", {"confirm": "1"})
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.status == SubmissionStatus.SUBMITTED and form.submitted_by == people.lan

    # submitted: read-only for the commune, and she cannot decide
    body = page(client.get(url))
    assert "disabled" in body and 'data-testid="save"' not in body and 'data-testid="approve"' not in body
    response = client.post(url, {"v.jobs_created": "1"})
    assert response.status_code == 400 and values_of(form)[("jobs_created", "")] == 1260
    assert client.post(f"{url}approve").status_code == 403
    assert client.post(f"{url}return", {"reason": "x"}).status_code == 403
    form.refresh_from_db()
    assert form.status == SubmissionStatus.SUBMITTED

    # the province: an empty reason is refused, the form unchanged
    login(client, people.minh)
    body = page(client.get(url))
    assert 'data-testid="approve"' in body and 'data-testid="return"' in body
    response = client.post(f"{url}return", {"reason": "   "})
    assert response.status_code == 400 and vi("Say why the form is returned.") in page(response)
    form.refresh_from_db()
    assert form.status == SubmissionStatus.SUBMITTED and values_of(form)[("jobs_created", "")] == 1260
    reason = "Thiếu số liệu lao động là thanh niên"
    assert client.post(f"{url}return", {"reason": reason}).status_code == 302
    form.refresh_from_db()
    assert form.status == SubmissionStatus.RETURNED and form.return_reason == reason

    # the commune sees why, corrects and submits again
    login(client, people.lan)
    body = page(client.get(url))
    assert reason in body and 'data-testid="return-reason"' in body and 'data-testid="save"' in body
    response = client.post(f"{url}submit", {"v.jobs_created": "1.300", "v.jobs_created.female": "600",
                                             "v.jobs_created.youth": "400", "v.trained_workers": "21",
                                             "confirm": "1"})
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.status == SubmissionStatus.SUBMITTED and values_of(form)[("jobs_created", "youth")] == 400

    login(client, people.minh)
    confirm = client.post(f"{url}approve")  # a step to confirm first: nothing approved yet
    assert confirm.status_code == 200 and 'name="confirm" value="1"' in page(confirm)
    form.refresh_from_db()
    assert form.status == SubmissionStatus.SUBMITTED
    assert client.post(f"{url}approve", {"confirm": "1"}).status_code == 302
    form.refresh_from_db()
    assert form.status == SubmissionStatus.APPROVED and form.decided_by == people.minh

    # approved: locked for good
    login(client, people.lan)
    before = values_of(form)
    response = client.post(url, {"v.jobs_created": "5"})
    assert response.status_code == 400
    assert vi("This form has been approved; it can no longer be changed.") in page(response)
    assert client.post(f"{url}submit", {"v.jobs_created": "5", "confirm": "1"}).status_code == 400
    assert values_of(form) == before
    body = page(client.get(url))
    assert re.search(r'name="v\.jobs_created" value="1\.300" [^>]*disabled', body)
    history = re.findall(r'data-action="(\w+)"', body)
    assert history == ["create", "save", "save", "submit", "return", "save", "submit", "approve"]
    assert reason in body.split('data-testid="history"')[1]
    assert set(AuditEvent.objects.filter(object_id=str(form.pk), action__startswith="plans.submission").values_list("action", flat=True)) >= {
        "plans.submission.create", "plans.submission.save", "plans.submission.submit",
        "plans.submission.return", "plans.submission.approve"}


def test_it_an_outsider_gets_404_and_a_commune_cannot_open_anothers_form(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    form = services.submission_open(actor=people.lan, plan=plan, unit=units.tra_cu, period="2025-Q1")
    login(client, people.binh)  # Hà Nội
    assert client.get(f"/plans/{plan.pk}/submissions").status_code == 404
    assert client.get(f"/plans/submissions/{form.pk}/").status_code == 404
    assert client.post(f"/plans/submissions/{form.pk}/", {"v.jobs_created": "1"}).status_code == 404
    assert client.post(f"/plans/submissions/{form.pk}/approve").status_code == 404
    assert client.get(f"/plans/{plan.pk}/results").status_code == 404
    assert client.post(f"/plans/{plan.pk}/submissions/open", {"unit": units.tra_cu.pk, "period": "2025-Q1"}).status_code == 404
    login(client, people.lan)
    [neighbour] = communes(units, 1)
    assert client.post(f"/plans/{plan.pk}/submissions/open", {"unit": neighbour.pk, "period": "2025-Q1"}).status_code == 403
    other = services.submission_open(actor=people.minh, plan=plan, unit=neighbour, period="2025-Q1")
    assert client.get(f"/plans/submissions/{other.pk}/").status_code == 404
    assert not SubmissionValue.objects.exists()
    client.logout()
    assert client.get(f"/plans/submissions/{form.pk}/").status_code == 302  # to the login page


def _sent(form: Submission, at: dt.datetime) -> None:
    """Dates the first submission of a form (the tests cannot wait for a deadline to pass)."""
    SubmissionEvent.objects.filter(submission=form, action="submit").update(at=at)
    Submission.objects.filter(pk=form.pk).update(submitted_at=at)


def test_it_the_timeliness_table_tells_on_time_late_missing_and_not_due(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    late_unit, returned_unit = communes(units, 2)
    tz = timezone.get_current_timezone()
    for unit, when in ((units.tra_cu, dt.datetime(2025, 3, 10, 9, tzinfo=tz)),
                       (late_unit, dt.datetime(2025, 3, 20, 9, tzinfo=tz))):
        form = services.submission_open(actor=None, plan=plan, unit=unit, period="2025-Q1")
        services.submission_save(actor=None, submission=form, values={("jobs_created", ""): Decimal(5)})
        services.submission_submit(actor=None, submission=form)
        _sent(form, when)
    # a draft never submitted is missing; its deadline is the plan's (15 Mar 2025)
    draft = services.submission_open(actor=None, plan=plan, unit=returned_unit, period="2025-Q1")
    assert draft.deadline == dt.date(2025, 3, 15)
    total = Unit.objects.filter(parent=units.vinh_long).count()

    login(client, people.minh)
    body = page(client.get(f"/plans/{plan.pk}/submissions?period=2025-Q1"))
    rows = dict(re.findall(r'<tr data-unit="(\d+)" data-state="(\w+)"', body))
    assert len(rows) == total
    assert rows[units.tra_cu.code] == "on_time" and rows[late_unit.code] == "late"
    assert rows[returned_unit.code] == "missing"
    assert sum(1 for s in rows.values() if s == "missing") == total - 2
    late_row = body.split(f'data-unit="{late_unit.code}"')[1].split("</tr>")[0]
    days = translation.ngettext("late by %(days)d day", "late by %(days)d days", 5) % {"days": 5}
    with translation.override("vi"):
        days_vi = translation.ngettext("late by %(days)d day", "late by %(days)d days", 5) % {"days": 5}
    assert days_vi in late_row or days in late_row
    assert re.search(r'data-testid="count-on-time">1<', body) and re.search(r'data-testid="count-late">1<', body)
    assert re.search(rf'data-testid="count-missing">{total - 2}<', body)
    behind = body.split('data-testid="behind"')[1]
    assert late_unit.name in behind and returned_unit.name in behind and units.tra_cu.name not in behind

    # the default period: the latest whose deadline has passed (for a 2025 plan, the fourth quarter)
    body = page(client.get(f"/plans/{plan.pk}/submissions"))
    assert '<option value="2025-Q4" selected>' in body

    # the commune officer sees her own row only
    login(client, people.lan)
    body = page(client.get(f"/plans/{plan.pk}/submissions?period=2025-Q1"))
    assert dict(re.findall(r'<tr data-unit="(\d+)" data-state="(\w+)"', body)) == {units.tra_cu.code: "on_time"}
    assert re.search(r'data-testid="count-total">1<', body)

    # a plan of a year still to come: nothing is due yet
    future = make_plan(units, year=timezone.localdate().year + 1, number="46/KH-UBND")
    login(client, people.minh)
    body = page(client.get(f"/plans/{future.pk}/submissions?period={future.year}-Q1"))
    states = set(re.findall(r'<tr data-unit="\d+" data-state="(\w+)"', body))
    assert states == {"not_due"} and re.search(r'data-testid="count-missing">0<', body)


# --- results and the dashboard -------------------------------------------------------------------------


def _approved(plan: Plan, unit: Unit, period: str, values: dict[tuple[str, str], Decimal], people) -> Submission:  # type: ignore[no-untyped-def]
    form = services.submission_open(actor=None, plan=plan, unit=unit, period=period)
    services.submission_save(actor=None, submission=form, values=values)
    services.submission_submit(actor=None, submission=form)
    return services.submission_approve(actor=people.minh, submission=form)


def test_it_a_form_whose_parts_exceed_their_total_says_so(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    form = services.submission_open(actor=None, plan=plan, unit=units.tra_cu, period="2025-Q1")
    services.submission_save(actor=None, submission=form, values={("jobs_created", ""): Decimal(100),
                                                                  ("jobs_created", "female"): Decimal(120)})
    login(client, people.lan)
    body = page(client.get(f"/plans/submissions/{form.pk}/"))
    warning = body.split('data-testid="part-warnings"')[1].split("</div>")[0]
    assert "Số lao động được giải quyết việc làm: các chi tiết theo" in warning and "120" in warning
    confirm = page(client.post(f"/plans/submissions/{form.pk}/submit"))  # asked before it goes up
    assert 'data-testid="confirm"' in confirm and 'data-testid="part-warnings"' in confirm
    services.submission_save(actor=None, submission=form, values={("jobs_created", ""): Decimal(100),
                                                                  ("jobs_created", "female"): Decimal(40)})
    assert 'data-testid="part-warnings"' not in page(client.get(f"/plans/submissions/{form.pk}/"))


def test_it_results_show_percent_of_target_and_drill_down_to_the_communes(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    _approved(plan, units.tra_cu, "2025-Q1", {("jobs_created", ""): Decimal(1300),
                                              ("jobs_created", "female"): Decimal(600)}, people)
    login(client, people.minh)
    response = client.get(f"/plans/{plan.pk}/results?period=2025-Q1")
    assert response.status_code == 200
    body = page(response)
    row = body.split('data-code="jobs_created" data-part=""')[1].split("</tr>")[0]
    assert "1.300" in row and "3.200" in row and "40,6%" in row  # 1.300 / 3.200
    assert vi("reported by units") in row
    assert 'class="progress-svg"' in row
    female = body.split('data-code="jobs_created" data-part="female"')[1].split("</tr>")[0]
    assert ">600<" in female
    assert vi("Figures recorded under the former map (before 1 July 2025) are re-aggregated to the "
              "current units through the official crosswalk.") in body

    response = client.get(f"/plans/{plan.pk}/results?period=2025-Q1&unit={units.vinh_long.pk}&drill=jobs_created")
    drill = page(response).split('data-testid="drill"')[1]
    tra_cu = drill.split(f'data-unit="{units.tra_cu.code}"')[1].split("</tr>")[0]
    assert "1.300" in tra_cu and ">100<" in tra_cu and "1.300,0%" in tra_cu
    assert drill.count("<tr data-unit=") == Unit.objects.filter(parent=units.vinh_long).count()

    # a commune officer sees her commune's results, not the province's
    login(client, people.lan)
    body = page(client.get(f"/plans/{plan.pk}/results?period=2025-Q1"))
    assert units.tra_cu.name in body.split("</h1>")[0]
    row = body.split('data-code="jobs_created" data-part=""')[1].split("</tr>")[0]
    assert "1.300" in row and "1.300,0%" in row
    assert client.get(f"/plans/{plan.pk}/results?unit={units.vinh_long.pk}").status_code == 404

    # the year so far is its first quarter: the page says which periods no form covers yet
    login(client, people.minh)
    body = page(client.get(f"/plans/{plan.pk}/results?period=2025"))
    with translation.override("vi"):
        missing = ", ".join(str(p.label()) for p in (Period.parse("2025-Q2"), Period.parse("2025-H2")))
    assert vi("No form covers %(periods)s yet: the figures are those of the periods reported.") % {
        "periods": missing} in body


def test_it_results_of_counted_figures_link_to_the_household_records(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    from ansinh.plans.tests.test_results import _decided_round

    _decided_round(people, units)
    login(client, people.minh)
    body = page(client.get(f"/plans/{plan.pk}/results?period=2025&unit={units.vinh_long.pk}&drill=poor_households"))
    row = body.split('data-code="poor_households" data-part=""')[1].split("</tr>")[0]
    assert vi("counted from the household registry") in row
    notes = body.split('data-testid="notes"')[1].split("</div>")[0]
    # The crosswalk, and one line for every figure of the round (the labour figures counted from the
    # register since issue 13 have a line of their own).
    lines = notes.split("<p")[1:]
    assert sum("địa giới cũ" in line for line in lines) == 1
    assert sum("Số hộ nghèo, " in line and "kỳ rà soát" in line for line in lines) == 1
    assert "Số hộ nghèo, " in notes and "Số hộ cận nghèo" in notes
    drill = body.split('data-testid="drill"')[1]
    tra_cu = drill.split(f'data-unit="{units.tra_cu.code}"')[1].split("</tr>")[0]
    link = re.search(r'href="(/households/\?[^"]+)"', tra_cu)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    review = ReviewRound.objects.get()
    assert url == f"/households/?round={review.pk}&commune={units.tra_cu.pk}&status=poor"
    # the link lists the households the round counted, with the round's classification
    listed = page(client.get(url))
    assert vi("Status in the round") in listed and 'data-testid="round-filter"' in listed
    assert "HH-1" in listed and "HH-3" not in listed
    khmer = page(client.get(url + "&group=khmer"))
    assert "HH-1" in khmer
    assert khmer.split('data-testid="round-filter-only">')[1].startswith(vi("Khmer households") + "</strong>")
    assert "HH-1" not in page(client.get(url + "&group=no_working_capacity"))
    # a round outside the user's units answers 404
    login(client, people.hoa)
    assert client.get(url).status_code == 404


def test_it_the_dashboard_shows_targets_lagging_units_tasks_and_late_reports(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    lead = services.agency_for(units.vinh_long, "Sở Nội vụ", "so", symbol="SNV")
    services.task_create(actor=None, plan=plan, description="Tổ chức phiên giao dịch việc làm", lead=lead,
                         due_on=dt.date(2025, 6, 30))
    services.task_create(actor=None, plan=plan, description="Hoàn thành khi Trung ương ban hành",
                         due_condition="khi Trung ương ban hành")
    _approved(plan, units.tra_cu, "2025-Q1", {("jobs_created", ""): Decimal(10)}, people)  # 10 of 100: lagging
    login(client, people.bao)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/plans/dashboard")
    assert response.status_code == 200
    body = page(response)
    assert plan.number in body
    targets = body.split('data-testid="targets"')[1].split("</section>")[0]
    # the indicator's row and the line under it naming the lagging units
    jobs = "</tr>".join(targets.split('data-code="jobs_created"')[1].split("</tr>")[:2])
    assert ">10<" in jobs and "3.200" in jobs and "0,3%" in jobs and units.tra_cu.name in jobs
    assert 'class="progress-svg"' in jobs
    tasks = body.split('data-testid="tasks"')[1].split("</section>")[0]
    assert "Sở Nội vụ" in tasks and "phiên giao dịch" in tasks and "Trung ương ban hành" not in tasks
    late = body.split('data-testid="late-reports"')[1].split("</section>")[0]
    assert "<svg" in late and "2025-Q4" in late  # the latest period due: nobody has sent the fourth quarter
    total = Unit.objects.filter(parent=units.vinh_long).count()
    assert re.search(rf'data-testid="behind-count">{total}<', body)
    assert late.count("<li>") == 10 and f">{total - 10}<" not in late and str(total - 10) in late  # ten, and the rest counted
    # the same number of queries with more communes reporting (set-based)
    for unit in communes(units, 3):
        _approved(plan, unit, "2025-Q1", {("jobs_created", ""): Decimal(50)}, people)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/plans/dashboard").status_code == 200
    assert len(more) == len(few)
    # a commune officer's dashboard: her commune under the province's plan
    login(client, people.lan)
    body = page(client.get("/plans/dashboard"))
    assert units.tra_cu.name in body.split("</h1>")[0]
    jobs = body.split('data-testid="targets"')[1].split('data-code="jobs_created"')[1].split("</tr>")[0]
    assert ">10<" in jobs and ">100<" in jobs and "10,0%" in jobs


def test_it_the_dashboard_shows_the_poverty_rates_counted_from_the_registry(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    from ansinh.plans.tests.test_results import _decided_round

    login(client, people.minh)
    assert 'data-testid="poverty"' not in page(client.get("/plans/dashboard"))  # no round: no headline
    _decided_round(people, units)  # Trà Cú: one poor household of two
    body = page(client.get("/plans/dashboard"))
    poverty = body.split('data-testid="poverty"')[1].split("</section>")[0]
    assert "50,00%" in poverty and "0,00%" in poverty and ">2<" in poverty


def test_it_a_national_viewer_picks_a_plan_and_cannot_start_forms(client, people, units, plan) -> None:  # type: ignore[no-untyped-def]
    login(client, people.duc)
    body = page(client.get("/plans/dashboard"))
    assert 'data-testid="no-plan"' in body and f'<option value="{plan.pk}"' in body  # no plan of the country
    body = page(client.get(f"/plans/dashboard?plan={plan.pk}"))
    assert 'data-testid="targets"' in body and units.vinh_long.name in body.split("</h1>")[0]
    body = page(client.get(f"/plans/{plan.pk}/submissions?period=2025-Q1"))
    assert body.count("<tr data-unit=") == Unit.objects.filter(parent=units.vinh_long).count()
    assert 'data-testid="start-' not in body  # a viewer changes nothing
    assert vi("Import forms from .xlsx") not in body  # nor is offered an import that would answer 403
    response = client.post(f"/plans/{plan.pk}/submissions/open", {"unit": units.tra_cu.pk, "period": "2025-Q1"})
    assert response.status_code == 403 and not Submission.objects.exists()
