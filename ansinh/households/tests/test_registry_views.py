"""The household registry's pages: scope, read-only roles, masked IDs, forms that keep input,
the workflows through the views (with their history and audit rows), search and query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ansinh.accounts.models import AuditEvent
from ansinh.households import services
from ansinh.households.models import Household, HouseholdEvent, HouseholdStatus, LivingConditions, Member
from ansinh.poverty import services as poverty_services
from ansinh.poverty.models import Assessment
from conftest import login

pytestmark = pytest.mark.django_db

HEAD_ID = "084080000001"  # male, born 1980 (province 084, sex/century digit 0, year 80)
WIFE_ID = "084182000002"  # female, born 1982
BA_DINH_ID = "001075000003"  # male, born 1975


def make_household(people, units, code="HH-1", head="Thạch Văn Sóc", head_id=HEAD_ID, wife_id=WIFE_ID,
                   income=1_200_000):
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code=code, address="Ấp Chợ")
    services.member_add(actor=people.lan, household=household, full_name=head, citizen_id=head_id, sex="male",
                        birth_date=dt.date(1980, 3, 1), relation="head", ethnicity="05", employment="no_contract")
    services.member_add(actor=people.lan, household=household, full_name="Kim Thị Sa Ri", citizen_id=wife_id,
                        sex="female", birth_date=dt.date(1982, 5, 2), relation="spouse", ethnicity="05",
                        health_insurance=False, employment="self_employed")
    services.conditions_record(actor=people.lan, household=household, year=2025, housing="simple",
                               floor_area=Decimal("30"), has_phone=True, income_per_capita=Decimal(income))
    household.refresh_from_db()
    return household


def make_ba_dinh_household(people, units):
    household = services.household_create(actor=people.binh, commune=units.ba_dinh, code="BD-1")
    services.member_add(actor=people.binh, household=household, full_name="Nguyễn Văn Bình", citizen_id=BA_DINH_ID,
                        sex="male", birth_date=dt.date(1975, 1, 1), relation="head")
    return household


def test_it_shows_a_commune_officer_only_her_communes_households(client, people, units):
    ours = make_household(people, units)
    theirs = make_ba_dinh_household(people, units)
    login(client, people.lan)
    html = client.get(reverse("household-list")).content.decode()
    assert "HH-1" in html and "Thạch Văn Sóc" in html
    assert "BD-1" not in html and "Nguyễn Văn Bình" not in html
    assert client.get(reverse("household-detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("household-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("household-edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("household-edit", args=[theirs.pk]), {"address": "x"}).status_code == 404
    assert client.get(reverse("member-add", args=[theirs.pk])).status_code == 404
    member = theirs.members.get()
    assert client.get(reverse("member-edit", args=[member.pk])).status_code == 404
    # …and the officer of Ba Đình sees only hers; Hà Nội's leader cannot open a Vĩnh Long household.
    login(client, people.binh)
    html = client.get(reverse("household-list")).content.decode()
    assert "BD-1" in html and "HH-1" not in html
    login(client, people.hoa)
    assert client.get(reverse("household-detail", args=[ours.pk])).status_code == 404
    assert client.get(reverse("household-detail", args=[theirs.pk])).status_code == 200


def test_it_refuses_the_forms_to_read_only_roles(client, people, units):
    household = make_household(people, units)
    member = household.members.get(relation="head")
    urls = [reverse("household-create"), reverse("household-edit", args=[household.pk]),
            reverse("member-add", args=[household.pk]), reverse("conditions-record", args=[household.pk]),
            reverse("household-split", args=[household.pk]), reverse("household-merge", args=[household.pk]),
            reverse("member-edit", args=[member.pk]), reverse("member-died", args=[member.pk]),
            reverse("member-move", args=[member.pk])]
    for reader in (people.bao, people.duc):
        login(client, reader)
        for url in urls:
            assert client.get(url).status_code == 403, (reader.username, url)
            assert client.post(url, {"full_name": "X"}).status_code == 403, (reader.username, url)
        page = client.get(reverse("household-detail", args=[household.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert HEAD_ID not in html and "•••••••••001" in html  # read-only roles see the ID masked
        assert 'data-testid="household-actions"' not in html
        assert 'data-testid="register"' not in client.get(reverse("household-list")).content.decode()
    assert Member.objects.filter(household=household).count() == 2


def test_it_masks_citizen_ids_in_the_list_and_shows_them_to_the_officer_on_the_page(client, people, units):
    household = make_household(people, units)
    login(client, people.lan)
    html = client.get(reverse("household-list")).content.decode()
    assert HEAD_ID not in html and WIFE_ID not in html
    assert "•••••••••001" in html
    assert 'data-testid="register"' in html
    page = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert HEAD_ID in page and WIFE_ID in page  # she manages the household: full numbers on its page


def test_it_keeps_what_was_typed_when_the_citizen_id_is_wrong(client, people, units):
    household = make_household(people, units)
    login(client, people.lan)
    response = client.post(reverse("member-add", args=[household.pk]), {
        "full_name": "Thạch Thị Mỹ Linh", "citizen_id": "084 005 000 009", "sex": "female",
        "birth_date": "15/06/2005", "relation": "child", "ethnicity": "05", "schooling": "upper_secondary",
        "education": "lower_secondary", "employment": "inactive", "disability": "none", "health_insurance": "on",
        "can_work": "on", "uses_internet": "on",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Thạch Thị Mỹ Linh"' in html
    assert 'value="15/06/2005"' in html
    assert 'value="084 005 000 009"' in html  # the number stays in the box as typed
    assert "giới tính" in html  # the Vietnamese reason: the 4th digit says male
    assert 'data-testid="error-citizen_id"' in html
    assert '<option value="upper_secondary" selected>' in html
    assert not Member.objects.filter(full_name="Thạch Thị Mỹ Linh").exists()
    # Corrected, it is saved, and the ISO date form is accepted too.
    response = client.post(reverse("member-add", args=[household.pk]), {
        "full_name": "Thạch Thị Mỹ Linh", "citizen_id": "084305000009", "sex": "female",
        "birth_date": "2005-06-15", "relation": "child", "ethnicity": "05", "schooling": "upper_secondary",
        "education": "lower_secondary", "employment": "inactive", "disability": "none", "health_insurance": "on",
        "can_work": "on",
    })
    assert response.status_code == 302
    linh = Member.objects.get(full_name="Thạch Thị Mỹ Linh")
    assert linh.birth_date == dt.date(2005, 6, 15) and linh.citizen_id == "084305000009"
    assert AuditEvent.objects.filter(action="member.create", object_id=str(linh.pk), actor=people.lan).exists()


def test_it_reports_a_citizen_id_already_registered_and_a_bad_date(client, people, units):
    household = make_household(people, units)
    login(client, people.lan)
    response = client.post(reverse("member-add", args=[household.pk]), {
        "full_name": "Lâm Văn Tư", "citizen_id": HEAD_ID, "sex": "male", "birth_date": "31/02/1980",
        "relation": "other", "ethnicity": "05", "schooling": "none", "education": "none", "employment": "inactive",
        "disability": "none"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-birth_date"' in html and 'value="31/02/1980"' in html
    response = client.post(reverse("member-add", args=[household.pk]), {
        "full_name": "Lâm Văn Tư", "citizen_id": HEAD_ID, "sex": "male", "birth_date": "01/03/1980",
        "relation": "other", "ethnicity": "05", "schooling": "none", "education": "none", "employment": "inactive",
        "disability": "none"})
    assert response.status_code == 400
    assert "HH-1" in response.content.decode()  # names the household that holds the number


def test_it_edits_a_member_and_the_household(client, people, units):
    household = make_household(people, units)
    wife = household.members.get(relation="spouse")
    login(client, people.lan)
    form = client.get(reverse("member-edit", args=[wife.pk])).content.decode()
    assert 'value="02/05/1982"' in form  # dates day first
    data = {"full_name": "Kim Thị Sa Ri", "citizen_id": WIFE_ID, "sex": "female", "birth_date": "02/05/1982",
            "relation": "spouse", "ethnicity": "05", "schooling": "none", "education": "primary",
            "employment": "self_employed", "disability": "none", "health_insurance": "on", "can_work": "on"}
    assert client.post(reverse("member-edit", args=[wife.pk]), data).status_code == 302
    wife.refresh_from_db()
    assert wife.health_insurance is True and wife.education == "primary"
    assert AuditEvent.objects.filter(action="member.update", object_id=str(wife.pk)).exists()
    response = client.post(reverse("household-edit", args=[household.pk]), {"address": "Ấp Trà Sất", "area": "urban"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.address == "Ấp Trà Sất" and household.area == "urban" and household.area_overridden


def test_it_registers_a_household_and_keeps_input_on_a_duplicate_code(client, people, units):
    make_household(people, units)
    login(client, people.lan)
    page = client.get(reverse("household-create")).content.decode()
    assert "Xã Trà Cú" in page and "Thị trấn Trà Cú" in page  # a former commune it was formed from
    response = client.post(reverse("household-create"), {"commune": units.tra_cu.pk, "code": "HH-1",
                                                          "address": "Ấp Sóc Tro"})
    assert response.status_code == 400
    assert 'value="Ấp Sóc Tro"' in response.content.decode()
    response = client.post(reverse("household-create"), {
        "commune": units.tra_cu.pk, "code": " HH-7 ", "address": "Ấp Sóc Tro",
        "legacy_commune": units.legacy_thi_tran_tra_cu.pk})
    household = Household.objects.get(code="HH-7")
    assert response.status_code == 302
    assert response["Location"] == reverse("member-add", args=[household.pk]) + "?relation=head"
    assert household.legacy_commune == units.legacy_thi_tran_tra_cu and household.area == "rural"
    assert AuditEvent.objects.filter(action="household.create", object_id=str(household.pk), actor=people.lan).exists()
    # Without JavaScript, "show the hamlets" re-renders the form with what was typed, saving nothing.
    response = client.post(reverse("household-create"), {"commune": units.tra_cu.pk, "code": "HH-9",
                                                          "address": "Ấp Sóc Tro", "refresh": "1"})
    assert response.status_code == 200 and 'value="HH-9"' in response.content.decode()
    assert 'data-testid="form-errors"' not in response.content.decode()
    assert not Household.objects.filter(code="HH-9").exists()
    # A commune outside her units is not a choice.
    response = client.post(reverse("household-create"), {"commune": units.ba_dinh.pk, "code": "HH-8"})
    assert response.status_code == 400 and not Household.objects.filter(code="HH-8").exists()


def test_it_splits_merges_and_records_a_death_with_history_and_audit(client, people, units):
    household = make_household(people, units)
    head = household.members.get(relation="head")
    wife = household.members.get(relation="spouse")
    login(client, people.lan)
    response = client.post(reverse("household-split", args=[household.pk]), {
        "members": [wife.pk], "head": head.pk, "new_code": "HH-2", "on": "01/08/2025"})
    assert response.status_code == 400  # the new head must be one who leaves
    assert "HH-2" in response.content.decode()
    response = client.post(reverse("household-split", args=[household.pk]), {
        "members": [wife.pk], "head": wife.pk, "new_code": "HH-2", "on": "01/08/2025"})
    new = Household.objects.get(code="HH-2")
    assert response.status_code == 302 and response["Location"] == reverse("household-detail", args=[new.pk])
    assert new.head_name == "Kim Thị Sa Ri"
    assert HouseholdEvent.objects.filter(household=household, kind="split", other=new, actor=people.lan).exists()
    assert AuditEvent.objects.filter(action="household.split", object_id=str(household.pk)).exists()

    response = client.post(reverse("household-merge", args=[new.pk]), {"into_code": "HH-1", "on": "2025-09-01"})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.status == HouseholdStatus.MERGED and new.successor == household
    assert HouseholdEvent.objects.filter(household=household, kind="merged", other=new).exists()
    assert AuditEvent.objects.filter(action="household.merge", object_id=str(new.pk)).exists()

    response = client.post(reverse("member-died", args=[head.pk]), {"died_on": "03/10/2025"})
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.died_on == dt.date(2025, 10, 3)
    assert HouseholdEvent.objects.filter(household=household, kind="member_died", member=head).exists()
    assert AuditEvent.objects.filter(action="member.died", object_id=str(head.pk)).exists()

    page = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert 'data-testid="former-members"' in page and "03/10/2025" in page
    assert reverse("household-detail", args=[new.pk]) in page  # the history links the other household
    # A second death of the same person is refused with a message, not an error page.
    response = client.post(reverse("member-died", args=[head.pk]), {"died_on": "04/10/2025"})
    assert response.status_code == 400 and 'data-testid="form-errors"' in response.content.decode()


def test_it_moves_a_member_only_to_a_household_she_manages(client, people, units):
    household = make_household(people, units)
    other = make_household(people, units, code="HH-3", head="Lâm Văn Tư", head_id=None, wife_id=None)
    make_ba_dinh_household(people, units)
    wife = household.members.get(relation="spouse")
    login(client, people.lan)
    response = client.post(reverse("member-move", args=[wife.pk]), {"to_code": "BD-1", "relation": "other",
                                                                     "on": "01/09/2025"})
    assert response.status_code == 400
    assert 'value="BD-1"' in response.content.decode()
    lookup = client.get(reverse("household-lookup"), {"to_code": "lam van", "exclude": household.pk})
    assert "HH-3" in lookup.content.decode() and "BD-1" not in lookup.content.decode()
    response = client.post(reverse("member-move", args=[wife.pk]), {"to_code": "HH-3", "relation": "other",
                                                                     "on": "01/09/2025"})
    assert response.status_code == 302
    wife.refresh_from_db()
    assert wife.household == other
    page = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert "Kim Thị Sa Ri" in page and reverse("household-detail", args=[other.pk]) in page


def test_it_records_living_conditions_with_income_needs_and_form_b2(client, people, units):
    household = make_household(people, units)
    login(client, people.lan)
    page = client.get(reverse("conditions-record", args=[household.pk]), {"year": 2025}).content.decode()
    assert 'name="b2_health_insurance"' in page and 'name="b1_has_motorbike"' in page
    assert '<input type="hidden" name="year" value="2025">' in page  # not "2.025"
    response = client.post(reverse("conditions-record", args=[household.pk]), {
        "year": "2025", "housing": "semi_durable", "floor_area": "45,5", "water_source": "piped",
        "latrine": "flush", "waste_treated": "on", "income_per_capita": "1.400.000", "needs_credit": "on",
        "surveyed_on": "20/10/2025", "b2_nutrition": "1", "b2_water": "", "b1_has_motorbike": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    row = LivingConditions.objects.get(household=household, year=2025)
    assert row.floor_area == Decimal("45.5") and row.income_per_capita == Decimal(1_400_000)
    assert row.needs_credit and row.surveyed_on == dt.date(2025, 10, 20)
    assert row.b2_flags == {"nutrition": 1} and row.b1_answers == {"has_motorbike": 1.0}
    assert AuditEvent.objects.filter(action="conditions.record", object_id=str(row.pk)).exists()
    response = client.post(reverse("conditions-record", args=[household.pk]), {
        "year": "2025", "housing": "semi_durable", "floor_area": "-3", "water_source": "piped", "latrine": "flush",
        "income_per_capita": "1.400.000"})
    assert response.status_code == 400 and 'value="1.400.000"' in response.content.decode()
    assert client.get(reverse("conditions-record", args=[household.pk]), {"year": "1990"}).status_code == 404


def test_it_searches_without_accents_and_answers_htmx_with_the_results_only(client, people, units):
    make_household(people, units)
    make_household(people, units, code="HH-3", head="Nguyễn Văn An", head_id=None, wife_id=None)
    login(client, people.lan)
    html = client.get(reverse("household-list"), {"q": "thach van"}).content.decode()
    assert "Thạch Văn Sóc" in html and "Nguyễn Văn An" not in html
    partial = client.get(reverse("household-list"), {"q": "THẠCH  văn"}, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "<html" not in text and "Thạch Văn Sóc" in text and "Nguyễn Văn An" not in text
    assert 'id="unit-filters"' in text and 'hx-swap-oob="true"' in text


def test_it_filters_by_latest_status_hamlet_and_ethnicity(client, people, units):
    poor = make_household(people, units)
    make_household(people, units, code="HH-3", head="Nguyễn Văn An", head_id=None, wife_id=None, income=3_500_000)
    fresh = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-4")
    round_ = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    fresh.status = HouseholdStatus.DISSOLVED  # not in the round: it stays "not assessed"
    Household.objects.filter(pk=fresh.pk).update(status=HouseholdStatus.DISSOLVED)
    poverty_services.review_round_run(round=round_, actor=people.lan)
    Household.objects.filter(pk=fresh.pk).update(status=HouseholdStatus.ACTIVE)
    login(client, people.lan)
    html = client.get(reverse("household-list"), {"status": "poor"}).content.decode()
    assert "HH-1" in html and "HH-3" not in html and "HH-4" not in html
    html = client.get(reverse("household-list"), {"status": "none"}).content.decode()
    assert "HH-4" in html and "HH-1" not in html
    html = client.get(reverse("household-list"), {"ethnicity": "05", "commune": units.tra_cu.pk}).content.decode()
    assert "HH-1" in html and "HH-4" not in html  # HH-4 has no head: Kinh by default
    page = client.get(reverse("household-detail", args=[poor.pk])).content.decode()
    assert reverse("round-detail", args=[round_.pk]) in page


def test_it_the_page_shows_each_rounds_reason_derived_with_its_own_standard(client, people, units):
    """Reasons are not stored: the page derives each from the row's figures with its round's standard."""
    household = make_household(people, units)
    rounds = [poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=year) for year in (2020, 2025)]
    for round_ in rounds:
        poverty_services.review_round_run(round=round_, actor=people.lan)
    assert {r.standard.code for r in rounds} == {"2016-2020", "2022-2025"}
    expected = [a.reason_text() for a in Assessment.objects.filter(household=household)]
    assert len(set(expected)) == 2
    login(client, people.lan)
    page = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    table = page[page.index('data-testid="assessments"'):page.index('data-testid="history"')]
    for reason in expected:
        assert f'<td class="small">{reason}</td>' in table


def test_it_the_list_runs_a_bounded_number_of_queries(client, people, units, django_assert_max_num_queries):
    for i in range(3):
        make_household(people, units, code=f"HH-{i + 10}", head_id=None, wife_id=None)
    login(client, people.lan)
    client.get(reverse("household-list"))  # warm the session
    # Session, user, roles, scope, filter choices, count, the page, session save: no query per row.
    with django_assert_max_num_queries(15) as few:
        assert client.get(reverse("household-list")).status_code == 200
    for i in range(12):
        make_household(people, units, code=f"HH-{i + 30}", head_id=None, wife_id=None)
    round_ = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    poverty_services.review_round_run(round=round_, actor=people.lan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("household-list"), {"status": "poor"}).content.decode()
    assert html.count('href="/households/') >= 30


def test_it_paginates_fifty_a_page_in_vietnamese_order(client, people, units):
    names = ["Đặng Văn Em", "Dương Văn Dũng", "Ánh Thị Ba", "An Văn Bốn"]
    for i, name in enumerate(names):
        household = services.household_create(actor=people.lan, commune=units.tra_cu, code=f"V-{i}")
        services.member_add(actor=people.lan, household=household, full_name=name, sex="male",
                            birth_date=dt.date(1970, 1, 1), relation="head")
    login(client, people.lan)
    html = client.get(reverse("household-list")).content.decode()
    positions = [html.index(name) for name in ["An Văn Bốn", "Ánh Thị Ba", "Dương Văn Dũng", "Đặng Văn Em"]]
    assert positions == sorted(positions)  # a < á (tone), d < đ
    Household.objects.bulk_create([
        Household(code=f"P-{i:03d}", commune=units.tra_cu, area="rural", search_text=f"p-{i:03d}",
                  sort_key=f"9{i:03d}") for i in range(60)])
    first = client.get(reverse("household-list")).content.decode()
    assert "V-0" in first and "P-045" in first and "P-046" not in first
    assert 'href="/households/?page=2" rel="next"' in first  # the shared pager (web/_pager.html)
    second = client.get(reverse("household-list"), {"page": 2}).content.decode()
    assert "P-046" in second and "P-059" in second


def test_it_the_page_explains_the_latest_status(client, people, units):
    household = make_household(people, units)
    round_ = poverty_services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    poverty_services.review_round_run(round=round_, actor=people.lan)
    login(client, people.bao)
    html = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert 'data-testid="explanation"' in html
    assert "Kim Thị Sa Ri, 43 tuổi, không có thẻ BHYT" in html
    assert "1.200.000 đồng" in html and "1.500.000 đồng" in html
    assert 'data-indicator="health_insurance"' in html
    assert 'data-testid="provisional"' in html  # some 2022–2025 indicators are provisional
    assert 'data-testid="explanation-differs"' not in html
    # A fact changes after the round: the page says the round is out of date.
    services.member_update(actor=people.lan, member=household.members.get(relation="spouse"), health_insurance=True)
    html = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert 'data-testid="explanation-differs"' in html


def test_it_anonymous_users_are_sent_to_log_in(client, people, units):
    household = make_household(people, units)
    for url in (reverse("household-list"), reverse("household-detail", args=[household.pk]),
                reverse("household-create")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
