"""The pages of the two lists and of the figures: scope (a commune officer sees her commune, a
provincial officer the schemes of her field), filters, numbers in Vietnamese, no 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ansinh.accounts.services import unit_for_role, user_create
from ansinh.households.models import Member
from ansinh.testing import login

from .checks_data import entitle, household, member, other_commune

pytestmark = pytest.mark.django_db

NOV = "2025-11"


@pytest.fixture
def register(units):  # type: ignore[no-untyped-def]
    """In Trà Cú: a man of 85 with nothing, a dead war invalid still paid, a dead social pensioner
    still paid. In another commune of Vĩnh Long: a woman of 90 with nothing."""
    h = household(units.tra_cu)
    member(h, "Cụ Trà Cú", dt.date(1940, 1, 1), sex="male")
    invalid = member(h, "Thương Binh Đã Mất", dt.date(1950, 1, 1), relation="spouse", died_on=dt.date(2025, 5, 1))
    entitle(invalid, "merit_war_invalid", rate=41)
    pensioner = member(h, "Hưu Trí Đã Mất", dt.date(1945, 1, 1), relation="parent", died_on=dt.date(2025, 8, 1))
    entitle(pensioner, "social_pension", start=dt.date(2025, 7, 1))
    elsewhere = other_commune(units.vinh_long, units.tra_cu)
    member(household(elsewhere), "Cụ Xã Khác", dt.date(1935, 1, 1))
    return elsewhere


def sa_officer():  # type: ignore[no-untyped-def]
    return user_create(username="thu", password="correct-horse-battery", role="provincial_officer",
                       unit=unit_for_role(role="provincial_officer", code="86"), field="social_assistance")


def test_it_shows_a_commune_officer_her_commune_only(client: Client, people, units, register) -> None:  # type: ignore[no-untyped-def]
    login(client, people.lan)
    page = client.get(reverse("benefit-eligible-unpaid"), {"month": NOV}).content.decode()
    assert "Cụ Trà Cú" in page and "Cụ Xã Khác" not in page
    assert "Điều 21 Luật Bảo hiểm xã hội số 41/2024/QH15" in page
    assert "Đủ điều kiện nhưng chưa hưởng" in page and "1 dòng, 1 người" in page
    assert reverse("benefit-person", args=[Member.objects.get(full_name="Cụ Trà Cú").pk]) in page
    asked = client.get(reverse("benefit-eligible-unpaid"), {"month": NOV, "unit": units.vinh_long.pk})
    assert asked.status_code == 200
    assert "Cụ Xã Khác" not in asked.content.decode()  # the province asked: still her commune's lines only
    outside = client.get(reverse("benefit-eligible-unpaid"), {"month": NOV, "unit": register.pk})
    assert outside.status_code == 404


def test_it_shows_a_provincial_officer_the_schemes_of_her_field(client: Client, people, units, register) -> None:  # type: ignore[no-untyped-def]
    login(client, sa_officer())
    page = client.get(reverse("benefit-paid-ineligible"), {"month": NOV}).content.decode()
    assert "Hưu Trí Đã Mất" in page and "Thương Binh Đã Mất" not in page  # merit is another field's
    eligible = client.get(reverse("benefit-eligible-unpaid"), {"month": NOV}).content.decode()
    assert "Cụ Trà Cú" in eligible and "Cụ Xã Khác" in eligible
    login(client, people.minh)  # the poverty officer: none of the records
    page = client.get(reverse("benefit-paid-ineligible"), {"month": NOV}).content.decode()
    assert "Hưu Trí Đã Mất" not in page and "Thương Binh Đã Mất" not in page


def test_it_filters_by_commune_and_reason(client: Client, people, units, register) -> None:  # type: ignore[no-untyped-def]
    login(client, people.bao)  # provincial leader: reads every scheme
    url = reverse("benefit-paid-ineligible")
    page = client.get(url, {"month": NOV}).content.decode()
    assert "Hưu Trí Đã Mất" in page and "Thương Binh Đã Mất" in page
    assert 'data-kind="died">2<' in page
    only = client.get(url, {"month": NOV, "commune": register.pk}).content.decode()
    assert "Hưu Trí Đã Mất" not in only
    eligible = client.get(reverse("benefit-eligible-unpaid"), {"month": NOV, "kind": "pension_75",
                                                             "commune": units.tra_cu.pk}).content.decode()
    assert "Cụ Trà Cú" in eligible and "Cụ Xã Khác" not in eligible


def test_it_asks_a_national_user_for_a_province_and_refuses_bad_input(client: Client, people, units, register) -> None:  # type: ignore[no-untyped-def]
    login(client, people.duc)
    page = client.get(reverse("benefit-eligible-unpaid")).content.decode()
    assert 'name="unit"' in page and "Cụ Trà Cú" not in page
    page = client.get(reverse("benefit-eligible-unpaid"), {"unit": units.vinh_long.pk, "month": "bad"})
    assert page.status_code == 200
    assert client.get(reverse("benefit-eligible-unpaid"), {"unit": "x"}).status_code == 404
    assert client.get(reverse("benefit-figures"), {"unit": units.legacy_tra_vinh.pk}).status_code == 404
    client.logout()
    assert client.get(reverse("benefit-figures")).status_code == 302


def test_it_shows_the_figures_by_commune_in_vietnamese(client: Client, people, units) -> None:  # type: ignore[no-untyped-def]
    h = household(units.tra_cu, status="poor")
    for i in range(3):
        entitle(member(h, f"Người {i}", dt.date(1990, 1, 1), relation="child"), "sa_disability_severe")
    entitle(member(h, "Thương Binh", dt.date(1950, 1, 1)), "merit_war_invalid", rate=41)
    login(client, people.bao)
    page = client.get(reverse("benefit-figures"), {"month": NOV}).content.decode()
    assert units.tra_cu.name in page
    assert ">3<" in page and "2,3" in page  # 3 × 750.000 đ = 2,25 → 2,3 million đồng
    assert "3,7" in page  # 3.667.000 đ
    assert "thương binh" in page.lower() and "Trợ cấp xã hội hằng tháng" in page and "Triệu đồng" in page
    drill = (f'href="{reverse("entitlement-list")}?scheme=social_assistance&amp;month={NOV}&amp;status=active'
             f'&amp;commune={units.tra_cu.pk}"')
    assert drill in page  # the people behind a figure
    commune = client.get(reverse("benefit-figures"), {"month": NOV, "unit": units.tra_cu.pk}).content.decode()
    assert "2,3" in commune


def test_it_lists_with_a_constant_number_of_queries(client: Client, people, units, register) -> None:  # type: ignore[no-untyped-def]
    login(client, people.bao)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("benefit-eligible-unpaid"), {"month": NOV}).status_code == 200
        return len(ctx)

    few = queries()
    for i in range(5):
        member(household(units.tra_cu), f"Cụ Thêm {i}", dt.date(1940, 1, 1))
    assert queries() == few


def body(content: bytes) -> list[list[object]]:
    """The rows under the header row (STT, Họ và tên, …) of an exported list."""
    import io

    from ansinh.lib.spreadsheets import read_rows

    rows = [cells for _n, cells in read_rows(io.BytesIO(content))]
    header = next(i for i, row in enumerate(rows) if row[:3] == ["STT", "Họ và tên", "Ngày sinh"])
    return rows[header + 1:]


def test_it_exports_the_list_shown_to_a_workbook_audited(client: Client, people, units, register) -> None:  # type: ignore[no-untyped-def]
    from ansinh.accounts.models import AuditEvent

    login(client, people.lan)  # a commune officer of Trà Cú: her commune only
    page = client.get(reverse("benefit-paid-ineligible"), {"month": NOV}).content.decode()
    assert "format=xlsx" in page and "Tải danh sách (Excel)" in page
    response = client.get(reverse("benefit-paid-ineligible"), {"month": NOV, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dang-huong-khong-con-du-2025-11-')
    import io
    rows = body(response.content)
    names = {row[1] for row in rows}
    assert names == {name for name in ("Thương Binh Đã Mất", "Hưu Trí Đã Mất") if name in page}  # as the page
    assert "Thương Binh Đã Mất" in names
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert all(row[5] and "Nghị định" in str(row[6]) for row in rows), rows  # the reason and its article
    event = AuditEvent.objects.get(action="benefit_checks.export")
    assert event.after["lines"] == len(rows) and event.after["month"] == NOV
    # The chosen reason narrows the file too; the other commune's people never leave it.
    response = client.get(reverse("benefit-eligible-unpaid"), {"month": NOV, "format": "xlsx"})
    assert {row[1] for row in body(response.content)} == {"Cụ Trà Cú"}
    assert AuditEvent.objects.filter(action="benefit_checks.export").count() == 2
