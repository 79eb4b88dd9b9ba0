"""The law's pages and API: read by everyone signed in, changed by administrators (national rows)
and a province's officers of the scheme's field (its own rows), validated, audited — and a new
decree typed into the form changes the amounts with no code change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from ansinh.accounts.models import AuditEvent
from ansinh.accounts.services import user_create
from ansinh.benefits.law import RuleBook, amount
from ansinh.benefits.models import AmountRule, BaseLevel, Category, TopUp
from ansinh.testing import bearer, login

pytestmark = pytest.mark.django_db

D = dt.date


def client_for(user: Any) -> Client:
    return login(Client(), user)


@pytest.fixture
def sa_officer(units: Any) -> Any:
    """A provincial officer of Vĩnh Long, field social assistance."""
    return user_create(username="thu", password="correct-horse-battery", role="provincial_officer",
                       unit=units.vinh_long, field="social_assistance")


def base_form(**changes: str) -> dict[str, str]:
    data = {"kind": "sa_base", "province": "", "amount": "600000", "valid_from": "2027-01-01",
            "decided_on": "2026-12-20", "legal_basis": "Nghị định 999/2026/NĐ-CP", "note": ""}
    data.update(changes)
    return data


def test_it_shows_the_tables_in_force_to_everyone_signed_in(people: Any) -> None:
    response = client_for(people.lan).get("/benefits/law/?on=2024-07-01")
    assert response.status_code == 200
    page = response.content.decode()
    assert "500.000" in page and "360.000" in page and "2.789.000" in page  # Vietnamese number format
    assert "tạm tính — chưa đối chiếu văn bản gốc" in page  # the 500.000 of Decree 76/2024
    assert "merit_war_invalid" in page and "sa_orphan" in page and "7.240.000 đ (81%)" in page
    assert "social_pension" not in page.split('data-testid="law-rules-social_pension"')[1].split("</table>")[0]
    assert "Quy định mức hưởng đang áp dụng" in page and "Trợ giúp xã hội hằng tháng — Nghị định 20/2021" in page
    assert "/benefits/law/base/new" not in page  # a commune officer changes nothing


def test_it_answers_400_to_a_bad_date_and_redirects_anonymous_users(people: Any) -> None:
    assert client_for(people.lan).get("/benefits/law/?on=2024-13-01").status_code == 400
    assert Client().get("/benefits/law/").status_code == 302


def test_it_lets_an_administrator_add_a_base_level_that_changes_the_amounts(people: Any) -> None:
    """The point of the issue: a 2027 decree is a row typed into a form, audited, and the engine
    prices the next months with it, no code change."""
    on = D(2027, 3, 1)
    assert amount("sa_hiv_poor", on).amount == 810_000  # 1,5 × 540.000
    client = client_for(people.tung)
    assert client.get("/benefits/law/base/new").status_code == 200
    response = client.post("/benefits/law/base/new", base_form())
    assert response.status_code == 302
    row = BaseLevel.objects.get(kind="sa_base", valid_from=D(2027, 1, 1))
    assert row.amount == 600_000 and row.decided_on == D(2026, 12, 20) and row.province is None
    assert amount("sa_hiv_poor", on).amount == 900_000  # 1,5 × 600.000
    assert amount("sa_hiv_poor", D(2026, 12, 31)).amount == 810_000  # the day before: the old level
    event = AuditEvent.objects.get(object_type="benefits.baselevel", object_id=str(row.pk))
    assert event.action == "benefits.law.change" and event.actor == people.tung
    assert event.after["amount"] == 600_000


def test_it_keeps_the_input_of_an_invalid_form(people: Any) -> None:
    client = client_for(people.tung)
    response = client.post("/benefits/law/base/new", base_form(amount="0", legal_basis="Nghị định giữ lại"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Nghị định giữ lại"' in page
    response = client.post("/benefits/law/base/new", base_form(valid_from="2024-07-01", amount="700000"))
    assert response.status_code == 400
    assert "Đã có mức cho loại này, phạm vi này và ngày này." in response.content.decode()
    assert not BaseLevel.objects.filter(amount=700_000).exists()


def test_it_forbids_the_forms_to_those_who_may_not_change_the_law(people: Any, sa_officer: Any) -> None:
    for user in (people.lan, people.minh, people.duc):
        client = client_for(user)
        assert client.get("/benefits/law/base/new").status_code == 403
        assert client.get("/benefits/law/top-ups/new").status_code == 403
        assert client.get("/benefits/law/rules/new").status_code == 403
    rule = AmountRule.objects.filter(category__code="sa_orphan").first()
    assert rule is not None
    assert client_for(sa_officer).get(f"/benefits/law/rules/{rule.pk}/edit").status_code == 403
    # A provincial officer may not set a national level (the form has no "whole country" choice).
    response = client_for(sa_officer).post("/benefits/law/base/new", base_form())
    assert response.status_code == 400 and not BaseLevel.objects.filter(valid_from=D(2027, 1, 1)).exists()


def test_it_lets_a_provincial_officer_set_her_provinces_base_and_top_up(people: Any, units: Any,
                                                                      sa_officer: Any) -> None:
    client = client_for(sa_officer)
    province = str(units.vinh_long.pk)
    response = client.post("/benefits/law/base/new", base_form(province=province, valid_from="2026-01-01",
                                                               amount="450000"))
    assert response.status_code == 400  # lower than the national 500.000
    assert "không được thấp hơn mức chung" in response.content.decode()
    response = client.post("/benefits/law/base/new", base_form(province=province, valid_from="2026-01-01",
                                                               amount="650000"))
    assert response.status_code == 302
    # Merit base levels belong to the field "meritorious": not hers.
    response = client.post("/benefits/law/base/new", base_form(kind="merit_base", province=province))
    assert response.status_code == 403
    pension = Category.objects.get(code="social_pension")
    data = {"province": province, "category": str(pension.pk), "amount": "150000", "valid_from": "2026-01-01",
            "valid_to": "", "legal_basis": "Nghị quyết 1/2025/NQ-HĐND"}
    assert client.post("/benefits/law/top-ups/new", data).status_code == 302
    assert client.post("/benefits/law/top-ups/new", {**data, "valid_from": "2026-06-01"}).status_code == 400
    book = RuleBook.load(D(2026, 3, 1), province_id=units.vinh_long.pk)
    lines = book.lines("social_pension", D(2026, 3, 1))
    assert [(line.amount, line.kind) for line in lines] == [(500_000, "allowance"), (150_000, "allowance")]
    assert "hỗ trợ thêm của tỉnh" in lines[1].text
    assert book.amount("sa_hiv_poor", D(2026, 3, 1)).amount == 975_000  # 1,5 × the province's 650.000
    assert book.amount("social_pension", D(2026, 3, 1)).amount == 500_000  # own allowance: no top-up
    assert RuleBook.load(D(2026, 3, 1)).amount("sa_hiv_poor", D(2026, 3, 1)).amount == 750_000
    assert AuditEvent.objects.filter(object_type="benefits.topup", actor=sa_officer).count() == 1
    # A merit top-up is not for her field.
    hero = Category.objects.get(code="merit_hero")
    assert client.post("/benefits/law/top-ups/new", {**data, "category": str(hero.pk)}).status_code == 403
    assert TopUp.objects.count() == 1


def rule_form(category: Category, **changes: str) -> dict[str, str]:
    data = {"category": str(category.pk), "valid_from": "2026-07-01", "valid_to": "", "method": "fixed", "base": "",
            "coefficient": "", "amount": "2524000", "per_unit": "", "age_from": "", "age_to": "", "rate_from": "",
            "rate_to": "", "count_from": "", "count_to": "", "flag": "", "legal_basis": "Phụ lục I Nghị định 321/2026",
            "provisional": "on", "close_previous": "on"}
    data.update(changes)
    return data


def test_it_adds_a_rule_that_closes_the_one_it_replaces(people: Any) -> None:
    hero = Category.objects.get(code="merit_hero")
    client = client_for(people.tung)
    assert client.get(f"/benefits/law/rules/new?category=merit_hero").status_code == 200
    assert client.post("/benefits/law/rules/new", rule_form(hero)).status_code == 302
    old = AmountRule.objects.get(category=hero, valid_from=D(2024, 7, 1))
    assert old.valid_to == D(2026, 6, 30)
    assert amount("merit_hero", D(2026, 6, 30)).amount == 2_337_000
    found = amount("merit_hero", D(2026, 7, 1))
    assert found.amount == 2_524_000 and found.provisional
    assert AuditEvent.objects.filter(object_type="benefits.amountrule", action="benefits.law.change").count() == 2


def test_it_refuses_an_inconsistent_or_overlapping_rule(people: Any) -> None:
    hero = Category.objects.get(code="merit_hero")
    client = client_for(people.tung)
    cases = [
        (rule_form(hero, method="coefficient", coefficient="1.5", amount="", base=""), "mức chuẩn nhân với hệ số"),
        (rule_form(hero, coefficient="1.5"), "Mức tiền cố định không có hệ số"),
        (rule_form(hero, valid_to="2026-01-01"), "Ngày hết áp dụng phải sau"),
        (rule_form(hero, rate_from="81", rate_to="100"), "không tính theo tỷ lệ tổn thương"),
        (rule_form(hero, valid_from="2024-07-01", close_previous=""), "Trùng thời gian"),
        (rule_form(hero, valid_from="2021-01-01"), "Bảng mức bắt đầu từ 01/07/2021"),
    ]
    for data, message in cases:
        if data.get("close_previous") == "":
            data.pop("close_previous")
        response = client.post("/benefits/law/rules/new", data)
        assert response.status_code == 400, message
        assert message in response.content.decode()
    assert AmountRule.objects.filter(category=hero).count() == 2


def test_it_edits_a_rule_audited(people: Any) -> None:
    rule = AmountRule.objects.get(category__code="merit_hero", valid_from=D(2024, 7, 1))
    client = client_for(people.tung)
    assert client.get(f"/benefits/law/rules/{rule.pk}/edit").status_code == 200
    data = rule_form(rule.category, valid_from="2024-07-01", amount="2338000", provisional="")
    data.pop("category"), data.pop("close_previous")
    assert client.post(f"/benefits/law/rules/{rule.pk}/edit", data).status_code == 302
    rule.refresh_from_db()
    assert rule.amount == 2_338_000
    event = AuditEvent.objects.get(object_type="benefits.amountrule", object_id=str(rule.pk))
    assert event.before["amount"] == 2_337_000 and event.after["amount"] == 2_338_000
    assert client.get("/benefits/law/rules/999999/edit").status_code == 404


# --- API -------------------------------------------------------------------------------------


def test_it_lists_the_rules_in_force_in_the_api(people: Any) -> None:
    client = Client()
    response = client.get("/api/v1/benefit-rules/?on=2024-07-01&category=merit_war_invalid", **bearer(people.lan))
    assert response.status_code == 200
    body = response.json()
    assert body["on"] == "2024-07-01"
    assert len(body["results"]) == 80
    row = next(rule for rule in body["results"] if rule["rate_from"] == 81)
    assert row["amount"] == 7_240_000 and row["method"] == "fixed" and not row["provisional"]
    assert {base["kind"]: base["amount"] for base in body["bases"]} == {
        "sa_base": 500_000, "merit_base": 2_789_000, "base_salary": 2_340_000}
    sa = client.get("/api/v1/benefit-rules/?on=2025-07-01&scheme=social_pension", **bearer(people.lan)).json()
    assert [(rule["category"], rule["coefficient"], rule["base"]) for rule in sa["results"]] == [
        ("social_pension", "1.00", "social_pension")]


@pytest.mark.parametrize("query", ["on=2024-02-30", "on=", "scheme=unknown", "category=nope"])
def test_it_answers_400_to_bad_api_parameters(people: Any, query: str) -> None:
    assert Client().get(f"/api/v1/benefit-rules/?{query}", **bearer(people.lan)).status_code == 400


def test_it_needs_a_token_for_the_api() -> None:
    assert Client().get("/api/v1/benefit-rules/").status_code in (401, 403)


def test_it_reads_the_law_page_in_a_constant_number_of_queries(people: Any, units: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.tung)
    client.get("/benefits/law/?on=2024-07-01")  # the session and the scope, once
    with CaptureQueriesContext(connection) as first:
        assert client.get("/benefits/law/?on=2024-07-01").status_code == 200
    pension = Category.objects.get(code="social_pension")
    for province in (units.vinh_long, units.ha_noi):
        TopUp.objects.create(province=province, category=pension, amount=150_000, valid_from=D(2026, 1, 1),
                             legal_basis="Nghị quyết của Hội đồng nhân dân tỉnh")
    with CaptureQueriesContext(connection) as second:
        page = client.get("/benefits/law/?on=2026-03-01").content.decode()
    assert "150.000" in page and "Hà Nội" in page
    assert len(second.captured_queries) == len(first.captured_queries) <= 15
