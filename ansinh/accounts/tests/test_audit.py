"""The audit trail as a record people read: an Actor's address on every row (plans' too), actions
named in Vietnamese, a before/after table of changed fields, filters, paging with counts, masked
citizen IDs for those who may not see them, an audited export, and `--as` checked on the console."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, AuditEvent, action_label
from ansinh.accounts.services import unit_for_role, user_create
from ansinh.households import services as households
from ansinh.plans import services as plans
from ansinh.plans.models import Submission
from conftest import login

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
CITIZEN_ID = "084080000001"
MASKED = "•" * 9 + "001"


def _household(people, units, ip: str = "198.51.100.4"):  # type: ignore[no-untyped-def]
    actor = Actor(user=people.lan, ip=ip)
    household = households.household_create(actor=actor, commune=units.tra_cu, code="HH-1", address="Ấp Chợ")
    households.household_update(actor=actor, household=household, address="Ấp Giồng Lớn")
    households.member_add(actor=actor, household=household, full_name="Thạch Văn Sóc", citizen_id=CITIZEN_ID,
                          sex="male", birth_date=dt.date(1980, 5, 1), relation="head", ethnicity="05")
    return household


def _plan(units):  # type: ignore[no-untyped-def]
    from ansinh.plans.tests.test_reporting_views import make_plan

    return make_plan(units)


# --- the Actor ---------------------------------------------------------------------------------


def test_it_writes_the_client_address_on_plans_rows(client, people, units):
    plan = _plan(units)
    login(client, people.lan)
    response = client.post(f"/plans/{plan.pk}/submissions/open", {"unit": units.tra_cu.pk, "period": "2025-Q1"},
                           REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    form = Submission.objects.get(plan=plan, unit=units.tra_cu, period="2025-Q1")
    event = AuditEvent.objects.get(action=AuditAction.SUBMISSION_CREATE, object_id=str(form.pk))
    assert (event.ip, event.actor, event.actor_name) == ("203.0.113.7", people.lan, "lan")
    response = client.post(f"/plans/submissions/{form.pk}/", {"v.jobs_created": "12", "v.trained_workers": "3"},
                           REMOTE_ADDR="203.0.113.7")
    assert response.status_code in (200, 302)
    client.post(f"/plans/submissions/{form.pk}/submit", {"confirm": "1"}, REMOTE_ADDR="203.0.113.7")
    submitted = AuditEvent.objects.get(action=AuditAction.SUBMISSION_SUBMIT, object_id=str(form.pk))
    assert submitted.ip == "203.0.113.7"
    assert (submitted.before, submitted.after) == ({"status": "draft"}, {"status": "submitted"})


def test_it_records_status_transitions_with_before_and_after(people, units):
    plan = _plan(units)
    officer, leader = Actor.cli(people.lan), Actor(user=people.minh, ip="192.0.2.10")
    form = plans.submission_open(actor=officer, plan=plan, unit=units.tra_cu, period="2025-Q1")
    jobs = plan.targets.first().indicator
    plans.submission_save(actor=officer, submission=form, values={(jobs.code, ""): Decimal(5)})
    plans.submission_submit(actor=officer, submission=form)
    plans.submission_return(actor=leader, submission=form, reason="Thiếu số liệu nữ")
    returned = AuditEvent.objects.get(action=AuditAction.SUBMISSION_RETURN)
    assert returned.before == {"status": "submitted"} and returned.after["status"] == "returned"
    assert returned.ip == "192.0.2.10" and returned.actor == people.minh
    task = plans.task_create(actor=leader, plan=plan, description="Tổ chức phiên giao dịch việc làm")
    plans.task_note_add(actor=leader, task=task, text="Đã xong", status="done")
    noted = AuditEvent.objects.get(action=AuditAction.TASK_NOTE)
    assert noted.before == {"status": "open"} and noted.after["status"] == "done"


def test_it_record_still_takes_a_bare_user_with_an_address(people, units):
    with transaction.atomic():
        event = audit.record(actor=people.lan, action="household.create", obj=units.tra_cu, ip="192.0.2.1")
        system = audit.record(actor=Actor.system(), action=AuditAction.MAP_LOAD, obj=units.tra_cu)
    assert (event.actor, event.ip, event.actor_name) == (people.lan, "192.0.2.1", "lan")
    assert (system.actor, system.ip, system.actor_name) == (None, None, "system")


def test_it_every_action_the_code_writes_is_a_declared_choice():
    written = set()
    for path in (ROOT / "ansinh").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit\.record\((.{0,400}?)\)", text, re.S):
            written |= set(re.findall(r'action="([a-z_.]+)"', call.group(1)))
            written |= set(re.findall(r'"([a-z_]+\.[a-z_.]+)" if ', call.group(1)))
    assert written, "no audit.record call found"
    assert written <= set(AuditAction.values), written - set(AuditAction.values)


def test_it_names_legacy_and_unknown_actions():
    assert action_label("accounts.user.create") == str(AuditAction.USER_CREATE.label)
    assert action_label("households.frobnicate_all") == "Households frobnicate all"
    with translation.override("vi"):
        assert action_label("household.update") == "Sửa thông tin hộ"
        assert action_label("citizen_id.checked_elsewhere") == "Kiểm tra số định danh đã có ở địa phương khác"


# --- the page ----------------------------------------------------------------------------------


def test_it_shows_vietnamese_names_and_a_before_after_table_of_changed_fields(client, people, units):
    _household(people, units)
    login(client, people.bao)
    body = client.get("/audit/").content.decode()
    assert "Sửa thông tin hộ" in body and "Thêm thành viên" in body and "Thêm hộ" in body
    row = re.search(r'<tr data-action="household.update">.*?</tr>\s*</tbody>\s*</table>', body, re.S)
    assert row, "the update row"
    table = row.group(0)
    assert "Trước thay đổi" in table and "Sau thay đổi" in table
    assert re.search(r'<th scope="row">Địa chỉ[^<]*</th><td>Ấp Chợ</td><td>Ấp Giồng Lớn</td>', table)
    assert table.count('<th scope="row">') == 1  # only what changed
    assert "198.51.100.4" in body
    assert "{&#x27;" not in body and "{'" not in body  # never a raw dictionary
    assert 'data-action="household.update"' in body and "household.update</td>" not in body


def test_it_masks_citizen_ids_for_a_leader_and_shows_them_to_those_who_may_see_them(client, people, units):
    _household(people, units)
    login(client, people.bao)  # the provincial leader reads the trail, but not full IDs
    body = client.get("/audit/").content.decode()
    assert CITIZEN_ID not in body and MASKED in body
    login(client, people.tung)
    body = client.get("/audit/").content.decode()
    assert CITIZEN_ID in body
    assert get_scope(people.lan).may_see_citizen_ids(units.tra_cu)  # the commune officer
    assert get_scope(people.minh).may_see_citizen_ids(units.tra_cu)  # the poverty officer of the province
    assert not get_scope(people.binh).may_see_citizen_ids(units.tra_cu)  # another commune's officer
    assert not get_scope(people.bao).may_see_citizen_ids(units.tra_cu)
    labour = user_create(username="lao", password="correct-horse-battery", role="provincial_officer",
                         unit=unit_for_role(role="provincial_officer", code="86"), field="labour")
    assert not get_scope(labour).may_see_citizen_ids(units.tra_cu)


def _events(units, n: int, **fields):  # type: ignore[no-untyped-def]
    """n events of Trà Cú (by default), a minute apart; the people fixture's own rows are dropped."""
    AuditEvent.objects.filter(action=AuditAction.USER_CREATE).delete()
    now = timezone.now()
    base = {"actor_name": "lan", "action": "household.update", "object_type": "households.household",
            "object_id": "1", "object_repr": "HH-1", "unit": units.tra_cu, "unit_path": units.tra_cu.path,
            "before": {"address": "a"}, "after": {"address": "b"}}
    base.update(fields)
    AuditEvent.objects.bulk_create([AuditEvent(at=now - dt.timedelta(minutes=i), **base) for i in range(n)])


def test_it_pages_with_counts_in_the_vietnamese_format(client, people, units):
    _events(units, 1234)
    login(client, people.bao)
    body = client.get("/audit/").content.decode()
    assert "1–50 trên 1.234 bản ghi" in body
    assert body.count('<tr data-action="household.update">') == 50
    body = client.get("/audit/?page=2").content.decode()
    assert "51–100 trên 1.234 bản ghi" in body
    assert "Trang 2/25" in body
    body = client.get("/audit/?page=999").content.decode()
    assert "1.201–1.234 trên 1.234 bản ghi" in body
    assert client.get("/audit/?page=abc").status_code == 200


def test_it_reads_a_page_in_a_fixed_number_of_queries(client, people, units):
    login(client, people.bao)
    _events(units, 5)
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    _events(units, 60, actor=people.lan, action="member.update", object_type="households.member")
    with CaptureQueriesContext(connection) as many:
        client.get("/audit/")
    assert len(many) == len(few)
    counts = [q["sql"] for q in many.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1


def test_it_filters_by_person_action_object_unit_and_dates(client, people, units):
    _events(units, 3)
    _events(units, 2, action="member.died", actor_name="minh", object_type="households.member", object_id="77",
            object_repr="Thạch Văn Sóc")
    other = units.vinh_long.children.exclude(pk=units.tra_cu.pk).filter(edition=units.tra_cu.edition).first()
    _events(units, 4, unit=other, unit_path=other.path)
    AuditEvent.objects.filter(pk__in=AuditEvent.objects.filter(action="household.update").values("pk")[:1]).update(
        at=timezone.make_aware(dt.datetime(2024, 1, 10, 9)))
    login(client, people.bao)

    def count(query: str) -> int:
        response = client.get(f"/audit/?{query}")
        assert response.status_code == 200
        return response.content.decode().count("<tr data-action=")

    assert count("") == 9
    assert count("user=minh") == 2
    assert count("action=member.died") == 2
    assert count("action=household") == 7  # a dotted prefix, as older links had it
    assert count("type=households.member") == 2
    assert count("object=77") == 2 and count("object=Sóc") == 2
    assert count(f"unit={units.tra_cu.code}") == 5
    assert count("since=2024-01-01&until=2024-01-31") == 1
    assert count(f"until={(timezone.localdate() - dt.timedelta(days=1)).isoformat()}") == 1
    body = client.get("/audit/?unit=00004").content.decode()  # Ba Đình, outside Vĩnh Long
    assert "Không có đơn vị mã 00004 trong phạm vi của bạn." in body
    body = client.get("/audit/?since=31/02/2024&action=nothing.at_all").content.decode()
    assert "không phải ngày" in body and "Không có thao tác" in body
    assert '<option value="member.died">Ghi nhận thành viên qua đời</option>' in body


def test_it_exports_the_filtered_rows_masked_and_audits_the_export(client, people, units):
    _household(people, units)
    _events(units, 3, action="member.died")
    login(client, people.bao)
    response = client.get("/audit/?export=xlsx&action=member.create", REMOTE_ADDR="192.0.2.55")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thời gian", "Người dùng", "Thao tác")
    assert {row[2] for row in rows[1:]} == {"Thêm thành viên"}
    cells = [str(cell) for row in rows[1:] for cell in row if cell is not None]
    assert MASKED in cells and CITIZEN_ID not in " ".join(cells)
    assert isinstance(rows[1][0], dt.datetime)
    export = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORT)
    assert export.actor == people.bao and export.ip == "192.0.2.55"
    assert export.after == {"format": "xlsx", "rows": 1, "filters": {"action": "member.create"}}
    assert export.unit == units.vinh_long  # in the trail of the province it copied

    response = client.get("/audit/?export=csv&action=member.died")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 3 and "Ghi nhận thành viên qua đời" in lines[1]
    login(client, people.tung)
    response = client.get("/audit/?export=xlsx&action=member.create")
    cells = [str(c) for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
             for c in row if c is not None]
    assert CITIZEN_ID in cells


def test_it_the_page_and_export_stay_closed_to_officers(client, people):
    login(client, people.lan)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/?export=xlsx").status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_EXPORT).exists()


# --- the console -------------------------------------------------------------------------------


def poverty(*args: str) -> str:
    out = StringIO()
    call_command("poverty", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_refuses_cli_as_outside_the_persons_scope_or_field(people, units):
    with pytest.raises(CommandError, match="ngoài phạm vi"):  # Ba Đình's officer on Trà Cú
        poverty("review", "run", "--year", "2025", "--unit", "29461", "--actor", "binh")
    with pytest.raises(CommandError, match="ngoài phạm vi"):  # a commune officer on her province's round
        poverty("review", "run", "--year", "2025", "--unit", "86", "--actor", "lan")
    user_create(username="lao", password="correct-horse-battery", role="provincial_officer",
                unit=unit_for_role(role="provincial_officer", code="86"), field="labour")
    with pytest.raises(CommandError, match="lĩnh vực"):
        poverty("review", "decide", "--year", "2025", "--unit", "86", "--actor", "lao", "--number", "1/QĐ",
                "--date", "2025-12-20")
    with pytest.raises(CommandError, match="vai trò"):  # a leader does not change data
        poverty("review", "run", "--year", "2025", "--unit", "86", "--actor", "bao")
    with pytest.raises(CommandError, match="quản trị"):
        poverty("standards", "--load", "x.json", "--actor", "minh")
    assert not AuditEvent.objects.filter(action__startswith="review_round").exists()


def test_it_refuses_an_import_as_an_officer_of_another_commune(people, tmp_path):
    from ansinh.households.importer import template_xlsx
    from ansinh.households.models import Household

    path = tmp_path / "tra-cu.xlsx"
    path.write_bytes(template_xlsx(sample=True))
    with pytest.raises(CommandError, match="Không nhập gì"):
        call_command("households", "import", str(path), "--as", "binh", stdout=StringIO(), stderr=StringIO())
    assert not Household.objects.exists()
    out = StringIO()
    call_command("households", "import", str(path), "--as", "lan", stdout=out, stderr=StringIO())
    assert "Đã nhập 5 hộ" in out.getvalue()
    event = AuditEvent.objects.get(action=AuditAction.HOUSEHOLDS_IMPORT)
    assert (event.actor, event.ip) == (people.lan, None)  # the console has no client address


def test_it_the_api_masks_citizen_ids_in_snapshots_for_a_leader(client, people, units):
    from ansinh.testing import bearer

    _household(people, units)
    rows = client.get("/api/v1/audit/?page_size=50", **bearer(people.bao)).json()["results"]
    member = next(row for row in rows if row["action"] == "member.create")
    assert member["after"]["citizen_id"] == MASKED and member["action_label"] in ("Add member", "Thêm thành viên")
    rows = client.get("/api/v1/audit/?page_size=50", **bearer(people.tung)).json()["results"]
    assert next(row for row in rows if row["action"] == "member.create")["after"]["citizen_id"] == CITIZEN_ID


def test_it_names_what_an_action_records_about_itself(client, people, units):
    """Keys that are no field of the audited record (a role given, a token's expiry, a job's
    parameters) are named in Vietnamese, codes by their names, ids as they are."""
    tra_cu = units.tra_cu
    with transaction.atomic():
        AuditEvent.objects.create(
            actor=people.tung, actor_name="tung", action="role.grant", object_type="accounts.user",
            object_id=str(people.lan.pk), object_repr="lan", unit=tra_cu, unit_path=tra_cu.path,
            after={"role": "commune_officer", "field": "poverty", "expires_at": "2027-01-02T08:08:10+00:00",
                   "params": {"plan": 4, "units": [13785, 13787]}})
    login(client, people.tung)
    page = client.get("/audit/?action=role.grant").content.decode()
    assert "Công chức văn hóa - xã hội cấp xã" in page and "commune_officer" not in page
    assert "Hết hạn" in page and "02/01/2027" in page and "2027-01-02T" not in page
    assert "13785" in page and "13.785" not in page
