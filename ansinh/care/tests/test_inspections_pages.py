"""The inspectorate's pages, API and command: scope (an inspector of another province sees nothing,
commune and field officers see nothing, a leader reads and changes nothing), the forms keep what
was typed, ids unlocalized, audit rows, no 500 on bad parameters; the inspector role in the user
pages and the `users` command."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from ansinh.accounts.models import AuditEvent, RoleAssignment, User
from ansinh.accounts.services import token_create, unit_for_role, user_create
from ansinh.care import services_inspections as services
from ansinh.care.models_inspections import FollowUp, Inspection, Petition, PetitionStatus, Reception
from conftest import login

D = dt.date
pytestmark = pytest.mark.django_db
STRONG = "Mua-thu-2026-mua-dong"


def inspector(username: str, code: str) -> User:
    return user_create(username=username, password=STRONG, role="inspector",
                       unit=unit_for_role(role="inspector", code=code), field="")


@pytest.fixture
def thanh(db: Any) -> User:
    return inspector("thanh", "86")


@pytest.fixture
def records(units: Any, people: Any) -> dict[str, Any]:
    inspection = services.inspection_save(actor=people.tung, inspection=Inspection(
        unit=units.tra_cu, team="team_178", legal_area="social_evils", subject_name="Quán karaoke Hoa Mai",
        started_on=D(2025, 2, 10), violations_count=1, violation_kind="no_contract",
        violations="Sử dụng nhân viên không ký kết hợp đồng lao động", sanction_note="Nhắc nhở"))
    reception = services.reception_save(actor=people.tung, reception=Reception(
        unit=units.vinh_long, received_on=D(2025, 2, 11), receiver="Cán bộ tiếp công dân", citizen_name="Sơn Thị Út",
        headcount=1, subject="Hỏi chế độ bảo hiểm xã hội một lần", outcome="answered"))
    letter = services.petition_receive(actor=people.tung, petition=Petition(
        code="KN-01", unit=units.vinh_long, kind="complaint", petitioner_name="Kim Văn Sang",
        subject="Khiếu nại quyết định thôi hưởng trợ cấp", received_on=D(2025, 3, 3)))
    return {"inspection": inspection, "reception": reception, "letter": letter}


PAGES = ["/care/inspections/", "/care/inspections/follow-ups/", "/care/inspections/plans/",
         "/care/inspections/receptions/", "/care/inspections/letters/"]


def test_it_shows_an_inspector_her_provinces_records_and_the_menu(client: Any, thanh: User, records: Any) -> None:
    login(client, thanh)
    assert 'data-testid="nav-inspections"' in client.get("/").content.decode()
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    page = client.get("/care/inspections/").content.decode()
    assert "Quán karaoke Hoa Mai" in page
    assert f'href="/care/inspections/{records["inspection"].pk}/"' in page
    assert "Sơn Thị Út" in client.get("/care/inspections/receptions/").content.decode()
    assert "KN-01" in client.get("/care/inspections/letters/?tab=all").content.decode()
    assert client.get(f"/care/inspections/{records['inspection'].pk}/").status_code == 200
    assert client.get(f"/care/inspections/letters/{records['letter'].pk}/").status_code == 200


def test_it_shows_an_inspector_of_another_province_nothing(client: Any, records: Any) -> None:
    login(client, inspector("hanoi", "01"))
    assert "Quán karaoke" not in client.get("/care/inspections/").content.decode()
    assert "Sơn Thị Út" not in client.get("/care/inspections/receptions/").content.decode()
    assert "KN-01" not in client.get("/care/inspections/letters/?tab=all").content.decode()
    assert client.get(f"/care/inspections/{records['inspection'].pk}/").status_code == 404
    assert client.get(f"/care/inspections/letters/{records['letter'].pk}/").status_code == 404
    assert client.post(f"/care/inspections/letters/{records['letter'].pk}/accept/", {"on": "2025-03-04"}).status_code == 404
    assert client.get(f"/care/inspections/{records['inspection'].pk}/edit/").status_code == 404


def test_it_refuses_commune_and_field_officers(client: Any, people: Any, records: Any) -> None:
    """A denunciation names its denouncer (Law 25/2018/QH14, Art. 47): the inspectorate's records are
    not read by commune officers or by officers of the fields."""
    for person in (people.lan, people.minh):
        login(client, person)
        assert 'data-testid="nav-inspections"' not in client.get("/").content.decode()
        for url in PAGES:
            assert client.get(url).status_code == 403, (person.username, url)
        client.logout()


def test_it_lets_a_leader_read_but_not_record(client: Any, people: Any, records: Any) -> None:
    login(client, people.bao)
    assert "Quán karaoke Hoa Mai" in client.get("/care/inspections/").content.decode()
    assert client.get("/care/inspections/new/").status_code == 403
    assert client.post("/care/inspections/receptions/new/", {}).status_code == 403
    assert client.post(f"/care/inspections/letters/{records['letter'].pk}/accept/", {"on": "2025-03-04"}).status_code == 403
    assert Petition.objects.get(pk=records["letter"].pk).status == PetitionStatus.RECEIVED
    login(client, people.hoa)  # the leader of Hà Nội
    assert "Quán karaoke" not in client.get("/care/inspections/").content.decode()


def test_it_records_an_inspection_keeping_what_was_typed_on_error(client: Any, thanh: User, units: Any) -> None:
    login(client, thanh)
    data = {"unit": units.tra_cu.pk, "kind": "check", "team": "team_178", "legal_area": "social_evils",
            "subject_kind": "establishment", "subject_name": "Cơ sở massage Ánh Dương", "started_on": "2025-02-12",
            "violations_count": "2", "violation_kind": "", "violations": "", "sanction_amount": "0"}
    response = client.post("/care/inspections/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cơ sở massage Ánh Dương" in page and "ghi rõ nội dung vi phạm" in page
    data.update(violation_kind="no_contract", violations="Không ký hợp đồng lao động với 2 nhân viên",
                sanction_amount="7500000")
    response = client.post("/care/inspections/new/", data)
    assert response.status_code == 302
    made = Inspection.objects.get(subject_name="Cơ sở massage Ánh Dương")
    assert made.province == units.vinh_long and made.sanction_amount == Decimal(7500000)
    assert AuditEvent.objects.filter(action="inspection.save", object_id=str(made.pk), actor=thanh).exists()
    detail = client.get(f"/care/inspections/{made.pk}/").content.decode()
    assert "7.500.000" in detail
    other = dict(data, unit=units.ba_dinh.pk, subject_name="Ở Hà Nội")
    assert client.post("/care/inspections/new/", other).status_code == 400
    assert not Inspection.objects.filter(subject_name="Ở Hà Nội").exists()


def test_it_adds_and_closes_follow_ups_once(client: Any, thanh: User, records: Any) -> None:
    login(client, thanh)
    pk = records["inspection"].pk
    bad = client.post(f"/care/inspections/{pk}/follow-ups/new/", {"action": "Ký hợp đồng", "due_on": "2025-01-01"})
    assert bad.status_code == 400 and "Hạn thực hiện" in bad.content.decode()
    assert client.post(f"/care/inspections/{pk}/follow-ups/new/",
                       {"action": "Ký hợp đồng lao động", "due_on": "2025-03-12"}).status_code == 302
    item = FollowUp.objects.get(inspection_id=pk)
    overdue = client.get("/care/inspections/follow-ups/?tab=overdue").content.decode()
    assert "Ký hợp đồng lao động" in overdue
    assert client.post(f"/care/inspections/follow-ups/{item.pk}/done/", {"done_on": "2025-03-10"}).status_code == 302
    item.refresh_from_db()
    assert item.done_on == D(2025, 3, 10)
    client.post(f"/care/inspections/follow-ups/{item.pk}/done/", {"done_on": "2025-03-11"}, follow=True)
    item.refresh_from_db()
    assert item.done_on == D(2025, 3, 10)  # the second click changes nothing
    assert AuditEvent.objects.filter(action="inspection.follow_up").count() == 2


def test_it_turns_a_letter_received_at_reception_into_a_letter_with_its_deadline(client: Any, thanh: User,
                                                                                   units: Any) -> None:
    login(client, thanh)
    data = {"unit": units.vinh_long.pk, "received_on": "2025-01-22", "kind": "regular", "receiver": "Chánh Thanh tra",
            "citizen_name": "Nhóm công nhân Công ty Hồng Phát", "headcount": "7", "subject": "Bị nợ lương 3 tháng",
            "legal_area": "labour", "outcome": "letter", "letter_kind": "complaint", "letter_code": ""}
    response = client.post("/care/inspections/receptions/new/", data)
    assert response.status_code == 400 and "Nhóm công nhân Công ty Hồng Phát" in response.content.decode()
    data["letter_code"] = "KN-07"
    assert client.post("/care/inspections/receptions/new/", data).status_code == 302
    letter = Petition.objects.get(code="KN-07")
    assert letter.reception is not None and letter.reception.is_group
    assert letter.due_on == D(2025, 2, 3)  # 10 days end inside Tết 2025 → Monday 3/2
    page = client.get("/care/inspections/receptions/").content.decode()
    assert "1 lượt, 7 người, 1 đoàn đông người." in page


def test_it_lists_letters_due_this_week_and_overdue(client: Any, thanh: User, units: Any, people: Any) -> None:
    today = dt.date.today()
    fresh = services.petition_receive(actor=people.tung, petition=Petition(
        code="TC-new", unit=units.vinh_long, kind="denunciation", petitioner_name="A", subject="Tố cáo",
        received_on=today))
    old = services.petition_receive(actor=people.tung, petition=Petition(
        code="TC-old", unit=units.vinh_long, kind="denunciation", petitioner_name="B", subject="Tố cáo",
        received_on=today - dt.timedelta(days=40)))
    login(client, thanh)
    overdue = client.get("/care/inspections/letters/?tab=overdue").content.decode()
    assert "TC-old" in overdue and "TC-new" not in overdue
    assert fresh.due_on is not None and old.due_on is not None and old.due_on < today
    response = client.post(f"/care/inspections/letters/{old.pk}/resolve/", {"on": today.isoformat(), "text": "x"})
    assert response.status_code == 400 and "thụ lý" in response.content.decode()
    assert client.post(f"/care/inspections/letters/{old.pk}/accept/",
                       {"on": today.isoformat(), "complexity": "normal"}).status_code == 302
    old.refresh_from_db()
    assert old.status == PetitionStatus.ACCEPTED and old.due_on > today
    assert client.post(f"/care/inspections/letters/{old.pk}/nonsense/", {}).status_code == 404


@pytest.mark.parametrize("url", [
    "/care/inspections/?from=2025-13-01", "/care/inspections/?unit=abc", "/care/inspections/?unit=99999999999",
    "/care/inspections/?page=x", "/care/inspections/letters/?tab=zzz&kind=zzz", "/care/inspections/receptions/?to=x",
    "/care/inspections/99999999999999999999/", "/care/inspections/letters/0/",
])
def test_it_answers_bad_parameters_without_a_500(client: Any, thanh: User, url: str) -> None:
    login(client, thanh)
    assert client.get(url).status_code in (200, 400, 404), url


def test_it_serves_the_api_in_scope(client: Any, thanh: User, records: Any) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=thanh)}"}
    body = client.get("/api/v1/care/inspections/?violations=yes", **auth).json()
    assert [row["subject_name"] for row in body["results"]] == ["Quán karaoke Hoa Mai"]
    detail = client.get(f"/api/v1/care/inspections/{records['inspection'].pk}", **auth).json()
    assert detail["violations_count"] == 1 and detail["follow_ups"] == []
    assert client.get("/api/v1/care/inspections/receptions/?from=2025-01-01", **auth).json()["count"] == 1
    letters = client.get("/api/v1/care/inspections/letters/?kind=complaint", **auth).json()
    assert letters["results"][0]["due_on"] == "2025-03-13"
    assert client.get("/api/v1/care/inspections/letters/?tab=nope", **auth).status_code == 400
    assert client.get("/api/v1/care/inspections/?from=", **auth).status_code == 400
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=inspector('hanoi', '01'))}"}
    assert client.get("/api/v1/care/inspections/", **other).json()["count"] == 0
    assert client.get(f"/api/v1/care/inspections/{records['inspection'].pk}", **other).status_code == 404


def test_it_lists_deadlines_on_the_command_line(units: Any, people: Any) -> None:
    services.petition_receive(actor=people.tung, petition=Petition(
        code="KN-CLI", unit=units.tra_cu, kind="complaint", petitioner_name="Lê Thị Hoa", subject="Khiếu nại",
        received_on=D(2025, 3, 3)))
    out = io.StringIO()
    call_command("care", "inspections-due", "--unit", "86", "--on", "2025-03-20", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [row["code"] for row in data["overdue"]] == ["KN-CLI"] and data["overdue"][0]["due_on"] == "2025-03-13"
    out = io.StringIO()
    call_command("care", "inspections-due", "--unit", units.tra_cu.code, "--on", "2025-03-10", stdout=out)
    assert "Đơn đến hạn trong tuần: 1" in out.getvalue() and "KN-CLI" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không có xã hoặc tỉnh"):
        call_command("care", "inspections-due", "--unit", "XX")


def test_it_lets_a_leader_give_the_inspector_role_on_her_province_only(client: Any, people: Any, units: Any) -> None:
    login(client, people.bao)
    form = client.get("/accounts/users/new/").content.decode()
    assert 'value="inspector"' in form
    base = {"username": "thu", "full_name": "Đặng Thị Thu", "email": "", "role": "inspector", "field": "",
            "password_mode": "set", "password1": STRONG, "password2": STRONG}
    response = client.post("/accounts/users/new/", dict(base, unit=str(units.tra_cu.pk)))
    assert response.status_code in (200, 400) and not User.objects.filter(username="thu").exists()
    response = client.post("/accounts/users/new/", dict(base, unit=str(units.vinh_long.pk)))
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user__username="thu", role="inspector", unit=units.vinh_long).exists()
    assert AuditEvent.objects.filter(action="user.create", object_repr__contains="Thu").exists() or \
        AuditEvent.objects.filter(action="user.create").exists()


def test_it_creates_an_inspector_with_the_users_command(units: Any) -> None:
    out = io.StringIO()
    call_command("users", "create", "--username", "tt", "--password", STRONG, "--role", "inspector", "--unit", "86",
                 stdout=out)
    assert RoleAssignment.objects.filter(user__username="tt", role="inspector", unit=units.vinh_long).exists()


def test_it_makes_a_demo_inspector_with_demo_setup(settings: Any, units: Any) -> None:
    settings.DEMO = True
    out = io.StringIO()
    call_command("demo", "setup", stdout=out)
    assert "thanhtra" in out.getvalue()
    assert RoleAssignment.objects.filter(user__username="thanhtra", role="inspector", unit=units.vinh_long).exists()


def test_it_reads_the_lists_in_a_fixed_number_of_queries(client: Any, thanh: User, units: Any,
                                                          django_assert_max_num_queries: Any) -> None:
    """The demo's hundred inspections and two hundred receptions: each list page costs the same few
    queries whatever its rows (no query per row)."""
    from ansinh.care import demo_inspections

    demo_inspections.run(province=units.vinh_long, write=lambda _line: None)
    login(client, thanh)
    for url in PAGES + ["/care/inspections/letters/?tab=all", "/care/inspections/follow-ups/?tab=done"]:
        client.get(url)  # warm the session and the scope
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200, url


def test_it_gives_an_inspector_no_register_records(client: Any, thanh: User, units: Any, people: Any) -> None:
    """The inspector's role reaches the inspectorate's records only (Decree 13/2023): no household,
    person or dossier of her province through it, while the map's units stay visible."""
    from ansinh.accounts.access import get_scope, units_for_user
    from ansinh.accounts.audit import Actor
    from ansinh.households.access import households_for_user
    from ansinh.testing import make_household

    household = make_household(Actor(user=people.lan), units.tra_cu, "TC-INSP-1", head="Kim Thị Sa Rum")
    scope = get_scope(thanh)
    assert "inspector" in scope.roles and not scope.assignments
    assert not households_for_user(thanh).filter(pk=household.pk).exists()
    assert units_for_user(thanh).filter(pk=units.tra_cu.pk).exists()
    login(client, thanh)
    assert client.get(f"/households/{household.pk}/").status_code in (403, 404)
    assert "Kim Thị Sa Rum" not in client.get("/households/?q=Kim").content.decode()
    assert client.get("/care/inspections/").status_code == 200
