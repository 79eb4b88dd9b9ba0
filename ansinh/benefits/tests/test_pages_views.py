"""The people-served pages for each kind of user: a commune officer (every scheme of her
commune), provincial officers of social assistance and of merit (their schemes only), a labour
officer (none), a leader (reads, never changes), an outsider; the forms' unhappy paths; the
list's queries constant in its rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ansinh.accounts.models import AuditEvent
from ansinh.benefits import monthly
from ansinh.benefits.forms_pages import add_months, this_month
from ansinh.benefits.models import Entitlement, Martyr
from ansinh.testing import login

from .pages_setup import beneficiaries, more_disabled, officers

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    return officers()


@pytest.fixture
def people(who):  # type: ignore[no-untyped-def]
    return beneficiaries()


def as_(user) -> Client:  # type: ignore[no-untyped-def]
    return login(Client(), user)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def month_paid(entitlement: Entitlement, month: dt.date) -> int:
    lines = monthly.month_lines(Entitlement.objects.filter(person_id=entitlement.person_id), month)
    return sum(line.amount for line in lines if line.paid and line.entitlement_id == entitlement.pk)


def vn(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


# --- Who sees what ------------------------------------------------------------------------------


def test_it_shows_a_commune_officer_every_scheme_of_her_commune(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    page = text(client.get(reverse("entitlement-list")))
    assert "Thạch Văn Sóc" in page and "Nguyễn Thị Ba" in page and "Lê Văn Dũng" in page
    assert "Trần Văn Hà" not in page  # Hà Nội
    assert "084070000001" not in page and "•••••••••001" in page  # masked in the list
    assert vn(month_paid(people.disability, this_month())) in page
    home = text(client.get(reverse("benefits-home")))
    assert 'data-testid="nav-benefits"' in home
    assert 'data-testid="scheme-meritorious"' in home and 'data-testid="scheme-social_assistance"' in home
    assert "Trợ cấp xã hội hằng tháng" in home and "Người hưởng chính sách" in home  # in Vietnamese


def test_it_shows_a_social_assistance_officer_assistance_and_pensions_but_not_merit(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.an)
    page = text(client.get(reverse("entitlement-list")))
    assert "Thạch Văn Sóc" in page and "Nguyễn Thị Ba" in page
    assert "Lê Văn Dũng" not in page
    assert client.get(reverse("entitlement-detail", args=[people.invalid.pk])).status_code == 404
    assert client.get(reverse("entitlement-detail", args=[people.pension.pk])).status_code == 200
    assert client.get(reverse("martyr-list")).status_code == 404
    home = text(client.get(reverse("benefits-home")))
    assert 'data-testid="scheme-meritorious"' not in home
    # The form offers the categories of her schemes only.
    form = text(client.get(reverse("entitlement-create") + f"?person={people.soc.pk}"))
    assert "sa_disability_severe" not in form  # names, not codes
    assert "Người khuyết tật nặng" in form and "Thương binh" not in form


def test_it_shows_a_merit_officer_merit_but_not_assistance(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.cong)
    page = text(client.get(reverse("entitlement-list")))
    assert "Lê Văn Dũng" in page
    assert "Thạch Văn Sóc" not in page and "Nguyễn Thị Ba" not in page
    assert client.get(reverse("entitlement-detail", args=[people.disability.pk])).status_code == 404
    assert client.get(reverse("martyr-list")).status_code == 200
    assert client.get(reverse("martyr-create")).status_code == 200


def test_it_shows_a_labour_officer_nothing(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.lao)
    for name in ("benefits-home", "entitlement-list", "martyr-list", "benefit-import"):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("entitlement-detail", args=[people.disability.pk])).status_code == 404
    assert client.get(reverse("benefit-person", args=[people.soc.pk])).status_code == 404
    assert 'data-testid="nav-benefits"' not in text(client.get("/"))


def test_it_lets_a_leader_read_but_not_change(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.bao)
    assert "Lê Văn Dũng" in text(client.get(reverse("entitlement-list")))
    detail = client.get(reverse("entitlement-detail", args=[people.disability.pk]))
    assert detail.status_code == 200
    assert "084070000001" not in text(detail) and "•••••••••001" in text(detail)  # masked for a leader
    assert 'data-testid="edit"' not in text(detail)
    assert client.get(reverse("benefit-person", args=[people.soc.pk])).status_code == 200
    for url in (reverse("entitlement-create"), reverse("entitlement-create") + f"?person={people.soc.pk}",
                reverse("entitlement-edit", args=[people.disability.pk]),
                reverse("entitlement-stop", args=[people.disability.pk]), reverse("martyr-create"),
                reverse("benefit-import")):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("entitlement-stop", args=[people.disability.pk]),
                           {"stop_month": "01/2027", "reason": "died"})
    assert response.status_code == 403
    assert Entitlement.objects.get(pk=people.disability.pk).stop_month is None


def test_it_hides_another_provinces_records(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    assert client.get(reverse("entitlement-detail", args=[people.elsewhere.pk])).status_code == 404
    assert client.get(reverse("benefit-person", args=[people.hanoi.pk])).status_code == 404
    assert as_(who.binh).get(reverse("entitlement-detail", args=[people.disability.pk])).status_code == 404


# --- The list's filters ------------------------------------------------------------------------


def test_it_filters_by_scheme_category_commune_month_status_and_name(who, people, units):  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    url = reverse("entitlement-list")
    assert "Lê Văn Dũng" not in text(client.get(url, {"scheme": "social_assistance"}))
    only = text(client.get(url, {"category": "merit_war_invalid"}))
    assert "Lê Văn Dũng" in only and "Thạch Văn Sóc" not in only
    assert "Thạch Văn Sóc" in text(client.get(url, {"q": "thach van soc"}))  # accent-insensitive
    assert "Thạch Văn Sóc" not in text(client.get(url, {"q": "nguyen"}))
    assert "Thạch Văn Sóc" in text(client.get(url, {"q": "084070000001"}))
    assert "Thạch Văn Sóc" in text(client.get(url, {"commune": units.tra_cu.pk}))
    # Before the pension's decision month (08/2025) only the others were paid.
    july = text(client.get(url, {"month": "2025-07"}))
    assert "Nguyễn Thị Ba" not in july and "Thạch Văn Sóc" in july
    assert "Nguyễn Thị Ba" in text(client.get(url, {"month": "2025-07", "status": "all"}))
    stopped = text(client.get(url, {"status": "stopped"}))
    assert "Thạch Văn Sóc" not in stopped
    # Nonsense in the parameters is ignored, never a 500.
    assert client.get(url, {"month": "2025-13", "status": "x", "commune": "abc", "page": "zz"}).status_code == 200


def test_it_orders_names_in_vietnamese(who, people):  # type: ignore[no-untyped-def]
    page = text(as_(who.lan).get(reverse("entitlement-list")))
    # L < N < T, and Đ after D in Vietnamese (not after Z).
    assert page.index("Lê Văn Dũng") < page.index("Nguyễn Thị Ba") < page.index("Thạch Văn Sóc")


def test_it_reads_the_list_in_a_constant_number_of_queries(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    url = reverse("entitlement-list")
    client.get(url)  # sessions, scope caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more_disabled(12)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(url))
    assert "Người Số 21" in page
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- A person and an entitlement ---------------------------------------------------------------


def test_it_shows_each_months_amount_with_the_rule_behind_it(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    response = client.get(reverse("benefit-person", args=[people.soc.pk]))
    page = text(response)
    assert response.status_code == 200
    rows = re.findall(r'<tr[^>]*>\s*<th scope="row">(\d\d/\d{4})', page)
    assert len(rows) == 15  # this month, the 11 before and the 3 after
    assert rows[0] == f"{add_months(this_month(), -11):%m/%Y}" and rows[-1] == f"{add_months(this_month(), 3):%m/%Y}"
    assert "data-testid=\"current-month\"" in page
    assert vn(month_paid(people.disability, this_month())) in page
    assert "Điều" in page or "Nghị định" in page  # the legal basis behind each line
    assert "084070000001" in page  # she keeps the register: in full
    assert AuditEvent.objects.filter(action="personal_data.read", object_id=str(people.soc.pk)).exists()


def test_it_marks_provisional_rules(who, people):  # type: ignore[no-untyped-def]
    lines = [line for _, month_lines in monthly.person_months(people.soc, add_months(this_month(), -11),
                                                              add_months(this_month(), 3)) for line in month_lines]
    page = text(as_(who.lan).get(reverse("benefit-person", args=[people.soc.pk])))
    if any(line.provisional for line in lines):
        assert "tạm tính" in page
    else:
        assert "tạm tính" not in page


def test_it_shows_an_entitlement_with_its_month_lines(who, people):  # type: ignore[no-untyped-def]
    page = text(as_(who.lan).get(reverse("entitlement-detail", args=[people.invalid.pk])))
    assert "Lê Văn Dũng" in page and "61%" in page and "7/QĐ-SNV" in page
    assert vn(month_paid(people.invalid, this_month())) in page


# --- The forms ------------------------------------------------------------------------------------


def test_it_finds_the_person_in_the_register_then_records_an_entitlement(who, people):  # type: ignore[no-untyped-def]
    from .pages_setup import person

    client = as_(who.lan)
    newcomer = person("TC-9", "Đặng Thị Hoa", dt.date(1958, 4, 4), sex="female")
    found = text(client.get(reverse("entitlement-create"), {"q": "dang thi hoa"}))
    assert f'data-testid="pick-{newcomer.pk}"' in found
    form = client.get(reverse("entitlement-create"), {"person": newcomer.pk})
    assert form.status_code == 200
    from ansinh.benefits.models import Category

    category = Category.objects.get(code="sa_disability_severe")
    response = client.post(reverse("entitlement-create"), {
        "person": newcomer.pk, "category": category.pk, "decision_number": "99/QĐ-UBND",
        "decision_date": "02/11/2026", "decision_signer": "Chủ tịch UBND xã"})
    assert response.status_code == 302, text(response)
    created = Entitlement.objects.get(person=newcomer)
    assert response["Location"] == reverse("entitlement-detail", args=[created.pk])
    assert created.start_month == dt.date(2026, 11, 1)
    assert AuditEvent.objects.filter(action="entitlement.create", object_id=str(created.pk)).exists()


def test_it_keeps_what_was_typed_when_the_form_is_wrong(who, people):  # type: ignore[no-untyped-def]
    from ansinh.benefits.models import Category

    client = as_(who.lan)
    invalid = Category.objects.get(code="merit_war_invalid")
    response = client.post(reverse("entitlement-create"), {
        "person": people.soc.pk, "category": invalid.pk, "decision_number": "55/QĐ-SNV",
        "decision_date": "32/01/2026", "decision_signer": "Giám đốc Sở Nội vụ", "children": "2"})
    page = text(response)
    assert response.status_code == 400
    assert 'value="55/QĐ-SNV"' in page and 'value="Giám đốc Sở Nội vụ"' in page and 'value="32/01/2026"' in page
    assert "Nhập ngày theo dạng" in page  # the date, in Vietnamese
    assert 'data-testid="error-rate"' in page  # the category needs the rate
    assert 'data-testid="error-children"' in page  # and does not take children
    assert not Entitlement.objects.filter(person=people.soc, category=invalid).exists()


def test_it_reports_the_services_refusal_on_the_form(who, people):  # type: ignore[no-untyped-def]
    from ansinh.benefits.models import Category

    client = as_(who.lan)
    same = Category.objects.get(code="sa_disability_severe")
    response = client.post(reverse("entitlement-create"), {
        "person": people.soc.pk, "category": same.pk, "decision_number": "77/QĐ", "decision_date": "01/11/2026"})
    assert response.status_code == 400
    assert 'data-testid="error-category"' in text(response)  # already holds it
    assert Entitlement.objects.filter(person=people.soc).count() == 1


def test_it_changes_and_stops_an_entitlement(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.cong)
    url = reverse("entitlement-edit", args=[people.invalid.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": people.invalid.version, "decision_number": "7/QĐ-SNV",
                                 "decision_date": "01/02/2024", "decision_signer": "Giám đốc Sở", "rate": "71",
                                 "recognised_on": "15/01/2024"})
    assert response.status_code == 302, text(response)
    assert Entitlement.objects.get(pk=people.invalid.pk).rate == 71
    stale = client.post(url, {"version": people.invalid.version, "decision_number": "7/QĐ-SNV",
                              "decision_date": "01/02/2024", "rate": "81"})
    assert stale.status_code == 400 and Entitlement.objects.get(pk=people.invalid.pk).rate == 71
    stop = reverse("entitlement-stop", args=[people.invalid.pk])
    bad = client.post(stop, {"stop_month": "01/2020", "reason": "died"})
    assert bad.status_code == 400 and 'value="01/2020"' in text(bad)
    assert client.post(stop, {"stop_month": "01/2027", "reason": "died", "note": "Giấy báo tử"}).status_code == 302
    stopped = Entitlement.objects.get(pk=people.invalid.pk)
    assert stopped.stop_month == dt.date(2027, 1, 1) and stopped.stop_reason == "died"


def test_it_records_a_martyr_and_refuses_a_bad_one(who, people, units):  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    bad = client.post(reverse("martyr-create"), {"full_name": "Nguyễn Văn Liệt", "birth_year": "1950",
                                                 "died_on": "01/01/1945", "commune": units.tra_cu.pk})
    assert bad.status_code == 400 and 'value="Nguyễn Văn Liệt"' in text(bad)
    assert not Martyr.objects.exists()
    good = client.post(reverse("martyr-create"), {"full_name": "Nguyễn Văn Liệt", "birth_year": "1950",
                                                  "died_on": "30/04/1972", "certificate_number": "GCN-1",
                                                  "commune": units.tra_cu.pk})
    assert good.status_code == 302
    assert "Nguyễn Văn Liệt" in text(client.get(reverse("martyr-list"), {"q": "nguyen van liet"}))


def test_it_lets_a_national_viewer_pick_the_province_before_the_commune(who, people, units):  # type: ignore[no-untyped-def]
    from ansinh.accounts.services import unit_for_role, user_create

    duc = user_create(username="duc", password="correct-horse-battery", role="national_viewer",
                      unit=unit_for_role(role="national_viewer", code=None))
    client = as_(duc)
    page = text(client.get(reverse("entitlement-list")))
    assert "Trần Văn Hà" in page and "Thạch Văn Sóc" in page
    assert 'value="{}"'.format(units.tra_cu.pk) not in page  # no commune list before the province
    chosen = client.get(reverse("entitlement-list"), {"province": units.vinh_long.pk}, HTTP_HX_REQUEST="true")
    body = text(chosen)
    assert 'hx-swap-oob="true"' in body and f'value="{units.tra_cu.pk}"' in body
    assert "Thạch Văn Sóc" in body and "Trần Văn Hà" not in body


def test_it_counts_the_month_on_the_start_page_and_sees_a_change_at_once(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.an)

    def people_paid() -> str:
        page = text(client.get(reverse("benefits-home")))
        row = re.search(r'data-testid="scheme-social_assistance".*?</tr>', page, re.S)
        assert row is not None
        return re.findall(r'<td class="reg-num">([^<]*)</td>', row.group(0))[1]

    assert people_paid() == "1"
    assert people_paid() == "1"  # from the cache
    more_disabled(2)
    assert people_paid() == "3"
