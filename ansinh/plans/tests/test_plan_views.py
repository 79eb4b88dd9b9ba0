"""The plans pages: scope (404 outside, 403 read-only), the plan form keeping what was typed, the
targets grid with its split check, revisions with their history, tasks with a condition or a
period, progress notes, the catalogue and the agencies, and a fixed number of queries for a plan."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ansinh.accounts.models import AuditEvent
from ansinh.geo.models import Edition, Unit
from ansinh.plans import services
from ansinh.plans.models import Agency, Indicator, Plan, Target, TargetRevision, Task, TaskStatus
from ansinh.plans.templatetags.plans import figure_input, percent_of, period_label, progress_bar, unit_label
from conftest import login

pytestmark = pytest.mark.django_db

YEAR = 2026


def communes_of(unit: Unit, count: int = 2) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit).vietnamese_order()[:count])


@pytest.fixture
def plan(people, units):  # type: ignore[no-untyped-def]
    """A 2026 plan of Vĩnh Long (current map), made by its provincial officer Minh."""
    agency = services.agency_create(actor=people.minh, unit=units.vinh_long, name="Ủy ban nhân dân tỉnh Vĩnh Long",
                                    kind="ubnd", symbol="UBND")
    return services.plan_create(actor=people.minh, agency=agency, unit=units.vinh_long, year=YEAR,
                                number="45/KH-UBND", title="Kế hoạch giải quyết việc làm năm 2026", place="Vĩnh Long",
                                issued_on=dt.date(2026, 1, 20), objectives="Giải quyết việc làm cho 3.200 lao động.",
                                deadlines={"quarter": "last:15", "half": "05-30", "year": "12-05"},
                                signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH",
                                signer_name="Nguyễn Văn A")


def jobs() -> Indicator:
    return Indicator.objects.get(code="jobs_created")


def set_targets(plan: Plan, values: dict[Unit, int | str], *, breakdown: str = "", actor=None) -> None:  # type: ignore[no-untyped-def]
    rows = [services.TargetRow(jobs(), unit, str(YEAR), breakdown, Decimal(value)) for unit, value in values.items()]
    services.targets_replace(actor=actor, plan=plan, rows=rows)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


# --- Scope -----------------------------------------------------------------------------------


def test_it_list_and_detail_are_scoped(client, people, units, plan):  # type: ignore[no-untyped-def]
    login(client, people.minh)
    html = text(client.get(reverse("plan-list")))
    assert "45/KH-UBND" in html and "Kế hoạch giải quyết việc làm năm 2026" in html
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 200

    login(client, people.hoa)  # Hà Nội: an outsider
    assert "45/KH-UBND" not in text(client.get(reverse("plan-list")))
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plan-edit", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plan-targets", args=[plan.pk])).status_code == 404


def test_it_a_commune_officer_reads_the_provinces_plan_but_cannot_change_it(client, people, units, plan):  # type: ignore[no-untyped-def]
    set_targets(plan, {units.vinh_long: 3200})
    task = services.task_create(actor=None, plan=plan, description="Tổ chức phiên giao dịch việc làm")
    target = plan.targets.get()
    login(client, people.lan)
    assert "45/KH-UBND" in text(client.get(reverse("plan-list")))
    html = text(client.get(reverse("plan-detail", args=[plan.pk])))
    assert "3.200" in html and 'data-testid="plan-actions"' not in html
    assert reverse("plan-edit", args=[plan.pk]) not in html
    for name, pk in (("plan-edit", plan.pk), ("plan-targets", plan.pk), ("task-create", plan.pk),
                     ("task-edit", task.pk), ("task-note", task.pk), ("target-revise", target.pk)):
        assert client.get(reverse(name, args=[pk])).status_code == 403, name
        assert client.post(reverse(name, args=[pk]), {}).status_code == 403, name
    assert client.get(reverse("plan-create")).status_code == 200  # she may make plans for her commune
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch giải quyết việc làm năm 2026"


def test_it_a_leader_reads_but_makes_no_plan(client, people, plan):  # type: ignore[no-untyped-def]
    login(client, people.bao)  # provincial leader: no editing role
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("plan-create")).status_code == 403
    assert client.get(reverse("plan-edit", args=[plan.pk])).status_code == 403


def test_it_list_filters_by_year_unit_without_accents_and_status(client, people, units, plan):  # type: ignore[no-untyped-def]
    legacy = services.agency_create(actor=None, unit=units.legacy_tra_vinh, name="Ủy ban nhân dân tỉnh Trà Vinh",
                                    kind="ubnd", symbol="UBND")
    old = services.plan_create(actor=None, agency=legacy, unit=units.legacy_tra_vinh, year=2020, number="25/KH-UBND",
                               title="Kế hoạch lao động 2020", place="Trà Vinh", status="issued")
    task = services.task_create(actor=None, plan=old, description="Báo cáo sơ kết", due_period="2020-H1")
    services.task_create(actor=None, plan=old, description="Đã xong", due_on=dt.date(2020, 3, 1), status="done")
    login(client, people.minh)
    html = text(client.get(reverse("plan-list")))
    assert "45/KH-UBND" in html and "25/KH-UBND" in html
    assert "Tỉnh Trà Vinh (" in html  # the legacy unit is marked as of the former map
    # the open task of the first half of 2020 is overdue; the one done is not
    row = next(r for r in html.split('data-testid="plan-row"') if "25/KH-UBND" in r)
    assert re.search(r'data-testid="overdue-count">1<', row), row
    assert task.pk
    html = text(client.get(reverse("plan-list"), {"q": "tra vinh"}))
    assert "25/KH-UBND" in html and "45/KH-UBND" not in html
    html = text(client.get(reverse("plan-list"), {"year": "2026"}))
    assert "45/KH-UBND" in html and "25/KH-UBND" not in html
    html = text(client.get(reverse("plan-list"), {"status": "issued"}))
    assert "25/KH-UBND" in html and "45/KH-UBND" not in html
    partial = client.get(reverse("plan-list"), {"q": "vĩnh long"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "45/KH-UBND" in partial.content.decode()


# --- The plan form ---------------------------------------------------------------------------


def plan_post(units, **changes):  # type: ignore[no-untyped-def]
    data = {
        "unit": units.vinh_long.pk, "agency": "", "new_agency": "Sở Nội vụ tỉnh Vĩnh Long", "new_agency_kind": "so",
        "new_agency_symbol": "SNV", "doc_type": "KH", "number": "12/KH-SNV", "year": "2026", "place": "Vĩnh Long",
        "issued_on": "15/01/2026", "title": "Kế hoạch đào tạo nghề năm 2026",
        "basis": "Luật Giáo dục nghề nghiệp năm 2014;\nQuyết định số 1/QĐ-UBND", "situation": "",
        "objectives": "Đào tạo nghề cho 200 lao động", "recipients": "Sở Tài chính;\nUBND các xã",
        "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Trần Thị B",
        "deadline_month": "", "deadline_quarter": "last:15", "deadline_half": "05-30", "deadline_year": "12-05",
        "form_codes": ["trained_workers", "jobs_created"], "percent_decimals": "1", "status": "draft",
    }
    data.update(changes)
    return data


def test_it_creating_a_plan_with_a_bad_field_keeps_what_was_typed(client, people, units):  # type: ignore[no-untyped-def]
    login(client, people.minh)
    response = client.post(reverse("plan-create"), plan_post(units, deadline_quarter="ngày 15", issued_on="32/01/2026"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-deadline_quarter"' in html and 'data-testid="error-issued_on"' in html
    for typed in ("12/KH-SNV", "Kế hoạch đào tạo nghề năm 2026", "Sở Nội vụ tỉnh Vĩnh Long", "ngày 15", "32/01/2026",
                  "Trần Thị B", "Quyết định số 1/QĐ-UBND", "05-30"):
        assert typed in html, typed
    assert re.search(r'value="trained_workers"[^>]*checked', html)
    assert not Plan.objects.exists() and not Agency.objects.exists()  # nothing half-made

    response = client.post(reverse("plan-create"), plan_post(units))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plan-detail", args=[plan.pk])
    assert plan.agency.name == "Sở Nội vụ tỉnh Vĩnh Long" and plan.agency.unit == units.vinh_long
    assert plan.deadlines == {"quarter": "last:15", "half": "05-30", "year": "12-05"}
    assert plan.form_codes == ["trained_workers", "jobs_created"] and plan.issued_on == dt.date(2026, 1, 15)
    assert plan.home == units.vinh_long and plan.created_by == people.minh
    assert AuditEvent.objects.filter(action="plans.plan.create").exists()

    # a clash of numbers comes back from the service onto the field
    response = client.post(reverse("plan-create"), plan_post(units, agency=str(plan.agency_id), new_agency=""))
    assert response.status_code == 400 and 'data-testid="error-number"' in response.content.decode()
    assert Plan.objects.count() == 1


def test_it_the_plan_form_refuses_units_and_agencies_out_of_reach(client, people, units):  # type: ignore[no-untyped-def]
    ha_noi_agency = services.agency_create(actor=None, unit=units.ha_noi, name="UBND thành phố Hà Nội", kind="ubnd")
    login(client, people.lan)
    response = client.post(reverse("plan-create"), plan_post(units))  # Vĩnh Long: not hers
    assert response.status_code == 400 and 'data-testid="error-unit"' in response.content.decode()
    response = client.post(reverse("plan-create"), plan_post(units, unit=units.tra_cu.pk, new_agency="",
                                                             agency=str(ha_noi_agency.pk)))
    assert response.status_code == 400 and 'data-testid="error-agency"' in response.content.decode()
    response = client.post(reverse("plan-create"), plan_post(units, unit=units.tra_cu.pk, number="3/KH-UBND",
                                                             new_agency="UBND xã Trà Cú", new_agency_kind="ubnd"))
    assert response.status_code == 302
    assert Plan.objects.get().unit == units.tra_cu


def test_it_the_unit_search_narrows_the_choices_and_offers_legacy_units(client, people, units):  # type: ignore[no-untyped-def]
    login(client, people.minh)
    response = client.post(reverse("plan-create"), {"refresh": "1", "unit_q": "tra vinh", "number": "9/KH"})
    html = response.content.decode()
    assert response.status_code == 200 and 'value="9/KH"' in html
    assert f'value="{units.legacy_tra_vinh.pk}"' in html  # legacy Trà Vinh: all of it is now Vĩnh Long
    assert 'data-testid="error-number"' not in html  # a refresh shows no errors
    login(client, people.lan)
    html = client.post(reverse("plan-create"), {"refresh": "1", "unit_q": "tra"}).content.decode()
    assert f'value="{units.tra_cu.pk}"' in html
    assert f'value="{units.legacy_tra_vinh.pk}"' not in html  # its home is the province, not her commune


def test_it_editing_a_plan(client, people, units, plan):  # type: ignore[no-untyped-def]
    login(client, people.minh)
    page = client.get(reverse("plan-edit", args=[plan.pk])).content.decode()
    assert 'value="45/KH-UBND"' in page and 'value="last:15"' in page and "20/01/2026" in page
    data = plan_post(units, agency=str(plan.agency_id), new_agency="", number="45/KH-UBND", status="issued",
                     deadline_month="next:05", form_codes=[])
    response = client.post(reverse("plan-edit", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "issued" and plan.deadlines["month"] == "next:05" and plan.title == data["title"]


# --- Targets ---------------------------------------------------------------------------------


def grid_post(plan, values: dict[Unit, str], *, columns: list[str] | None = None, **extra):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"col": columns or [f"jobs_created||{YEAR}"], "save": "1", "reason": ""}
    for unit, value in values.items():
        data[f"c0_{unit.pk}"] = value
    data.update(extra)
    return data


def test_it_targets_grid_saves_and_states_the_split_difference(client, people, units, plan):  # type: ignore[no-untyped-def]
    first, second = communes_of(units.vinh_long)
    login(client, people.minh)
    page = client.get(reverse("plan-targets", args=[plan.pk])).content.decode()
    assert 'data-testid="no-columns"' in page
    # add the column, then type: the province's 3.200 against 1.000 + 1.700
    response = client.post(reverse("plan-targets", args=[plan.pk]),
                           {"add": "1", "add_column": "jobs_created|", "add_period": str(YEAR)})
    assert response.status_code == 200
    assert f'name="c0_{units.vinh_long.pk}"' in response.content.decode()
    response = client.post(reverse("plan-targets", args=[plan.pk]),
                           grid_post(plan, {units.vinh_long: "3.200", first: "1.000", second: "1.700"},
                                     reason="Giao chỉ tiêu đầu năm"))
    assert response.status_code == 302
    values = dict(plan.targets.values_list("unit_id", "value"))
    assert values == {units.vinh_long.pk: 3200, first.pk: 1000, second.pk: 1700}
    assert TargetRevision.objects.filter(target__plan=plan, number=0, reason="Giao chỉ tiêu đầu năm").count() == 3

    page = text(client.get(reverse("plan-targets", args=[plan.pk])))
    assert 'value="3.200"' in page and 'value="1.700"' in page
    assert re.search(r'data-testid="grid-difference">\+500<', page)
    assert 'data-testid="split-short"' in page and "500" in page
    detail = text(client.get(reverse("plan-detail", args=[plan.pk])))
    assert re.search(r'data-testid="difference-cell">\+500<', detail)
    assert 'data-testid="split-ok"' not in detail

    # fixed: the second commune takes 2.200; it adds up, and the change is a revision
    response = client.post(reverse("plan-targets", args=[plan.pk]),
                           grid_post(plan, {units.vinh_long: "3.200", first: "1.000", second: "2.200"},
                                     reason="Điều chỉnh phân bổ"))
    assert response.status_code == 302
    detail = text(client.get(reverse("plan-detail", args=[plan.pk])))
    assert re.search(r'data-testid="difference-cell">0<', detail) and 'data-testid="split-ok"' in detail
    revision = TargetRevision.objects.get(target__unit=second, number=1)
    assert (revision.previous, revision.value, revision.reason) == (1700, 2200, "Điều chỉnh phân bổ")


def test_it_targets_grid_keeps_what_was_typed_on_error(client, people, units, plan):  # type: ignore[no-untyped-def]
    first, second = communes_of(units.vinh_long)
    login(client, people.minh)
    response = client.post(reverse("plan-targets", args=[plan.pk]),
                           grid_post(plan, {units.vinh_long: "3.200", first: "mười", second: "21,5"},
                                     columns=[f"jobs_created||{YEAR}", f"jobs_created|female|{YEAR}"],
                                     **{f"c1_{units.vinh_long.pk}": "1.500"}, reason="Lý do đã gõ"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="mười"' in html and 'value="21,5"' in html and 'value="3.200"' in html and 'value="1.500"' in html
    assert 'value="Lý do đã gõ"' in html and "mười" in html.split('data-testid="form-errors"')[1]
    assert re.search(r'name="c0_%d" value="mười"[^>]*aria-invalid="true"' % first.pk, html)
    assert not Target.objects.exists()


def test_it_targets_grid_with_breakdowns_and_removing_a_column(client, people, units, plan):  # type: ignore[no-untyped-def]
    first, _second = communes_of(units.vinh_long)
    login(client, people.minh)
    cols = [f"jobs_created||{YEAR}", f"jobs_created|female|{YEAR}", f"trained_workers||{YEAR}-Q2"]
    data = grid_post(plan, {units.vinh_long: "3.200", first: "3.200"}, columns=cols)
    data.update({f"c1_{units.vinh_long.pk}": "1.600", f"c1_{first.pk}": "1.600", f"c2_{units.vinh_long.pk}": "50"})
    assert client.post(reverse("plan-targets", args=[plan.pk]), data).status_code == 302
    assert set(plan.targets.values_list("indicator__code", "breakdown", "period")) == {
        ("jobs_created", "", "2026"), ("jobs_created", "female", "2026"), ("trained_workers", "", "2026-Q2")}
    detail = text(client.get(reverse("plan-detail", args=[plan.pk])))
    assert "nữ: 1.600" in detail
    grid = client.get(reverse("plan-targets", args=[plan.pk])).content.decode()
    assert f'name="c1_{units.vinh_long.pk}" value="1.600"' in grid and f'value="trained_workers||{YEAR}-Q2"' in grid
    # removing a column shows the grid without it; saving then removes its targets
    data["remove"] = "2"
    del data["save"]
    response = client.post(reverse("plan-targets", args=[plan.pk]), data)
    assert response.status_code == 200 and "trained_workers||" not in response.content.decode()
    assert plan.targets.count() == 5
    data = grid_post(plan, {units.vinh_long: "3.200", first: "3.200"}, columns=cols[:2])
    data.update({f"c1_{units.vinh_long.pk}": "1.600", f"c1_{first.pk}": "1.600"})
    assert client.post(reverse("plan-targets", args=[plan.pk]), data).status_code == 302
    assert plan.targets.count() == 4
    # a period outside the plan's year cannot be added
    response = client.post(reverse("plan-targets", args=[plan.pk]),
                           {"col": cols[:1], "add": "1", "add_column": "jobs_created|", "add_period": "2025-Q1"})
    assert 'data-testid="form-errors"' in response.content.decode()


def test_it_revising_a_target_keeps_its_history(client, people, units, plan):  # type: ignore[no-untyped-def]
    set_targets(plan, {units.vinh_long: 3200}, actor=people.minh)
    target = plan.targets.get()
    login(client, people.minh)
    response = client.post(reverse("target-revise", args=[target.pk]), {"value": "3.500", "reason": ""})
    assert response.status_code == 400 and 'data-testid="error-reason"' in response.content.decode()
    assert 'value="3.500"' in response.content.decode()
    response = client.post(reverse("target-revise", args=[target.pk]), {
        "value": "3.500", "reason": "Bổ sung chỉ tiêu giữa năm", "document": "Quyết định số 15/QĐ-UBND",
        "revised_on": "10/06/2026"})
    assert response.status_code == 302
    response = client.post(reverse("target-revise", args=[target.pk]), {"value": "3.400", "reason": "Giảm lại"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == 3400 and target.revision == 2
    assert list(target.revisions.values_list("number", "previous", "value")) == [
        (0, None, 3200), (1, 3200, 3500), (2, 3500, 3400)]
    detail = text(client.get(reverse("plan-detail", args=[plan.pk])))
    history = detail.split('data-testid="revisions"')[1]
    assert "3.200" in history and "→ 3.500" in history and "Quyết định số 15/QĐ-UBND" in history
    assert "Bổ sung chỉ tiêu giữa năm" in history and "minh" in history and "10/06/2026" in history
    page = text(client.get(reverse("target-revise", args=[target.pk])))
    assert page.count('data-testid="history-row"') == 3 and "Giảm lại" in page


# --- Tasks -----------------------------------------------------------------------------------


def test_it_tasks_with_a_condition_a_period_and_notes(client, people, units, plan):  # type: ignore[no-untyped-def]
    lead = services.agency_create(actor=None, unit=units.vinh_long, name="Sở Nội vụ", kind="so")
    partner = services.agency_create(actor=None, unit=units.vinh_long, name="Sở Tài chính", kind="so")
    commune = services.agency_create(actor=None, unit=units.tra_cu, name="UBND xã Trà Cú", kind="ubnd")
    login(client, people.minh)
    form = client.get(reverse("task-create", args=[plan.pk])).content.decode()
    assert "UBND xã Trà Cú" in form  # an agency of a commune below carries tasks too
    response = client.post(reverse("task-create", args=[plan.pk]), {
        "description": "Triển khai chính sách hỗ trợ mới", "sector": "employment", "lead": lead.pk,
        "partners": [partner.pk, commune.pk], "due_condition": "khi Trung ương ban hành", "status": "open"})
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.due_condition == "khi Trung ương ban hành" and task.due_date() is None
    assert set(task.partners.all()) == {partner, commune}
    # two dues at once: kept as typed, with the error
    response = client.post(reverse("task-create", args=[plan.pk]), {
        "description": "Sơ kết 6 tháng", "due_on": "30/06/2026", "due_period": "2026-H1", "status": "open"})
    assert response.status_code == 400 and "Sơ kết 6 tháng" in response.content.decode()
    response = client.post(reverse("task-create", args=[plan.pk]), {
        "description": "Sơ kết 6 tháng", "due_period": "2026-q2", "status": "in_progress", "sector": "employment"})
    assert response.status_code == 302
    late = Task.objects.get(description="Sơ kết 6 tháng")
    assert late.due_period == "2026-Q2"
    detail = text(client.get(reverse("plan-detail", args=[plan.pk])))
    assert "khi Trung ương ban hành" in detail and "Sở Tài chính; UBND xã Trà Cú" in detail
    assert period_label("2026-Q2") in detail
    row = re.search(r'<tr id="task-%d"[^>]*>' % late.pk, detail)
    assert row and 'data-overdue="1"' in row.group(0)  # the second quarter of 2026 is over
    row = re.search(r'<tr id="task-%d"[^>]*>' % task.pk, detail)
    assert row and "data-overdue" not in row.group(0)
    # a note that closes the task
    response = client.post(reverse("task-note", args=[late.pk]), {
        "text": "Đã tổ chức sơ kết ngày 20/6", "status": "done", "written_on": "20/06/2026"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == TaskStatus.DONE and late.notes.get().text == "Đã tổ chức sơ kết ngày 20/6"
    detail = text(client.get(reverse("plan-detail", args=[plan.pk])))
    assert "Đã tổ chức sơ kết ngày 20/6" in detail and 'data-overdue="1"' not in detail
    # editing keeps the partners chosen
    page = client.get(reverse("task-edit", args=[task.pk])).content.decode()
    assert re.search(r'value="%d"[^>]*checked' % partner.pk, page)
    response = client.post(reverse("task-edit", args=[task.pk]), {
        "description": "Triển khai chính sách hỗ trợ mới", "lead": lead.pk, "partners": [partner.pk],
        "due_condition": "khi Trung ương ban hành", "status": "in_progress"})
    assert response.status_code == 302
    assert list(task.partners.all()) == [partner]


# --- The catalogue and the agencies ------------------------------------------------------------


def test_it_the_indicator_catalogue(client, people):  # type: ignore[no-untyped-def]
    login(client, people.lan)
    html = text(client.get(reverse("indicator-list")))
    assert 'data-testid="indicator-jobs_created"' in html and 'data-testid="indicator-poor_rate"' in html
    # officers read the formula in words; the codes are for administrators
    assert "Số hộ nghèo / Tổng số hộ dân cư × 100" in html and "Đài Loan" in html
    assert "poor_households / households * 100" not in html
    assert html.index('data-testid="sector-employment"') < html.index('data-testid="sector-poverty"')
    # the province's sentences are for its officers: a commune officer is not offered a link to a 403
    assert 'data-testid="sentence-jobs_created"' not in html
    login(client, people.minh)
    assert 'data-testid="sentence-jobs_created"' in text(client.get(reverse("indicator-list")))


def test_it_agencies_are_scoped_and_added_by_officers(client, people, units):  # type: ignore[no-untyped-def]
    services.agency_create(actor=None, unit=units.ha_noi, name="UBND thành phố Hà Nội", kind="ubnd")
    top = services.agency_create(actor=None, unit=units.vinh_long, name="UBND tỉnh Vĩnh Long", kind="ubnd")
    login(client, people.lan)
    html = text(client.get(reverse("agency-list")))
    assert "UBND tỉnh Vĩnh Long" in html and "UBND thành phố Hà Nội" not in html
    response = client.post(reverse("agency-list"), {"name": "Công an xã Trà Cú", "kind": "khac",
                                                    "unit": units.tra_cu.pk, "parent": top.pk})
    assert response.status_code == 302
    assert Agency.objects.get(name="Công an xã Trà Cú").parent == top
    response = client.post(reverse("agency-list"), {"name": "Sở Y tế", "kind": "so", "unit": units.vinh_long.pk})
    assert response.status_code == 400 and "Sở Y tế" in response.content.decode()  # not her unit; kept as typed
    assert not Agency.objects.filter(name="Sở Y tế").exists()
    login(client, people.bao)
    assert client.post(reverse("agency-list"), {"name": "X", "kind": "so", "unit": units.vinh_long.pk}).status_code == 403


def test_it_an_officer_renames_and_retires_an_agency_of_her_units(client, people, units):  # type: ignore[no-untyped-def]
    top = services.agency_create(actor=None, unit=units.vinh_long, name="UBND tỉnh Vĩnh Long", kind="ubnd")
    police = services.agency_create(actor=None, unit=units.tra_cu, name="Công an xã", kind="khac")
    login(client, people.lan)
    html = text(client.get(reverse("agency-list")))
    assert f'data-testid="agency-edit-{police.pk}"' in html and f'data-testid="agency-edit-{top.pk}"' not in html
    url = reverse("agency-edit", args=[police.pk])
    assert client.get(reverse("agency-edit", args=[top.pk])).status_code == 403  # the province's, not hers
    response = client.post(url, {"name": "  ", "kind": "khac", "symbol": "CA"})
    assert response.status_code == 400 and 'value="CA"' in response.content.decode()  # kept as typed
    response = client.post(url, {"name": "Công an xã Trà Cú", "kind": "khac", "symbol": "CA", "parent": top.pk})
    assert response.status_code == 302
    police.refresh_from_db()
    assert (police.name, police.symbol, police.parent, police.active) == ("Công an xã Trà Cú", "CA", top, False)
    event = AuditEvent.objects.get(action="plans.agency.update")
    assert event.before["name"] == "Công an xã" and event.after["active"] is False and event.actor == people.lan
    login(client, people.binh)  # another province's commune
    assert client.get(url).status_code == 404


# --- Queries ---------------------------------------------------------------------------------


def test_it_plan_detail_queries_do_not_grow_with_targets_and_tasks(client, people, units, plan,  # type: ignore[no-untyped-def]
                                                                django_assert_max_num_queries):
    lead = services.agency_create(actor=None, unit=units.vinh_long, name="Sở Nội vụ", kind="so")
    partner = services.agency_create(actor=None, unit=units.vinh_long, name="Sở Tài chính", kind="so")
    communes = communes_of(units.vinh_long, 30)
    set_targets(plan, {units.vinh_long: 3200, communes[0]: 3200})
    target = plan.targets.get(unit=units.vinh_long)
    services.target_revise(actor=people.minh, target=target, value=Decimal(3300), reason="r")
    task = services.task_create(actor=None, plan=plan, description="T", lead=lead, partners=[partner])
    services.task_note_add(actor=people.minh, task=task, text="n")
    login(client, people.minh)
    client.get(reverse("plan-detail", args=[plan.pk]))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 200

    set_targets(plan, {units.vinh_long: 9000, **{c: 300 for c in communes}})
    services.targets_replace(actor=None, plan=plan, rows=[
        *[services.TargetRow(jobs(), u, str(YEAR), b, Decimal(v)) for u, v in [(units.vinh_long, 9000),
                                                                              *[(c, 300) for c in communes]]
          for b in ("", "female")]])
    for target in plan.targets.all()[:10]:
        services.target_revise(actor=people.minh, target=target, value=target.value + 1, reason="r")
    for n in range(15):
        t = services.task_create(actor=None, plan=plan, description=f"Nhiệm vụ {n}", lead=lead, partners=[partner],
                                 sector="employment" if n % 2 else "poverty", due_period="2026-Q1")
        services.task_note_add(actor=people.minh, task=t, text=f"ghi chú {n}")
    with django_assert_max_num_queries(len(small)):
        html = text(client.get(reverse("plan-detail", args=[plan.pk])))
    assert html.count('data-testid="task"') == 16 and html.count('data-testid="revision"') >= 11


# --- Template filters ------------------------------------------------------------------------


def test_it_template_filters(units):  # type: ignore[no-untyped-def]
    assert figure_input(Decimal("7645.0000")) == "7.645" and figure_input(Decimal("21.3000")) == "21,3"
    assert services.parse_value(figure_input(Decimal("13747.5")), label="x") == Decimal("13747.5")
    assert round(percent_of(7645, 23000) or 0, 1) == 33.2 and percent_of(1, 0) is None
    assert unit_label(units.legacy_tra_vinh).endswith(")") and unit_label(units.vinh_long) == units.vinh_long.name
    bar = str(progress_bar(33.24))
    assert 'width="33.2"' in bar and "plans-bar-under" in bar
    assert "plans-bar-over" in str(progress_bar(120)) and 'width="100" height="10"/></svg>' in str(progress_bar(120))
    assert units.legacy_tra_vinh.edition == Edition.LEGACY
