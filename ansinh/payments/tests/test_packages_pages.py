"""The package pages (/payments/packages/): the list, the form (tiers, errors kept, a province's
list by a background job), a package with its tiers in words, totals and list; scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.accounts.audit import Actor
from ansinh.benefits import services as benefits
from ansinh.benefits.tests.pages_setup import SYSTEM, officers, person
from ansinh.jobs.models import Job
from ansinh.payments.models import Package
from ansinh.payments.packages import TierSpec, create_package
from ansinh.testing import login

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 1, 20)


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    return officers()


@pytest.fixture
def people(who):  # type: ignore[no-untyped-def]
    invalid = person("TC-1", "Lê Văn Dũng", dt.date(1950, 1, 9), citizen_id="084050000003")
    benefits.create_entitlement(SYSTEM, invalid, "merit_war_invalid", decision_number="3/QĐ",
                                decision_date=dt.date(2024, 2, 1), rate=85, recognised_on=dt.date(2024, 1, 15))
    old = person("TC-2", "Thạch Thị Thọ", dt.date(1926, 8, 8), sex="female", citizen_id="084126000006")
    hanoi = person("BD-1", "Trần Văn Hà", dt.date(1926, 1, 1), commune_code="00004")
    return {"invalid": invalid, "old": old, "hanoi": hanoi}


def as_(user) -> Client:  # type: ignore[no-untyped-def]
    return login(Client(), user)


def form_data(unit_pk: int, **extra: str) -> dict[str, str]:
    data = {"name": "Mừng thọ 2026", "purpose": "longevity", "field": "social_assistance", "unit": str(unit_pk),
            "on": "2026-01-20", "t1_name": "Tròn 100 tuổi", "t1_rule": "age", "t1_ages": "100", "t1_year": "2026",
            "t1_central": "700000"}
    data.update(extra)
    return data


def test_it_creates_a_commune_package_from_the_form(who, people, units) -> None:  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    page = client.get(reverse("package-create"))
    assert page.status_code == 200 and "Tròn" not in page.content.decode()[:0]
    response = client.post(reverse("package-create"), form_data(units.tra_cu.pk))
    package = Package.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("package-detail", args=[package.pk])
    assert package.recipients == 1 and package.total == 700_000 and package.created_by == who.lan
    detail = client.get(response["Location"]).content.decode()
    assert "Người tròn 100 tuổi trong năm 2026 (theo ngày sinh)" in detail  # tiers in words, never raw params
    assert "Thạch Thị Thọ" in detail and "700.000" in detail
    assert '{"ages"' not in detail and "params" not in detail
    listing = client.get(reverse("package-list")).content.decode()
    assert "Mừng thọ 2026" in listing
    # Posted again (a double click): the same package, no one added.
    again = client.post(reverse("package-create"), form_data(units.tra_cu.pk))
    assert again["Location"] == response["Location"] and Package.objects.count() == 1


def test_it_keeps_what_was_typed_with_clear_errors(who, people, units) -> None:  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    response = client.post(reverse("package-create"), form_data(units.tra_cu.pk, t1_ages="chín mươi", t1_central="",
                                                                name="Gói thử nghiệm"))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Gói thử nghiệm"' in body and 'value="chín mươi"' in body
    assert "không phải là số nguyên" in body and "Nhập số tiền" in body
    # The registers refuse what the form cannot see: no decided review for a near-poor tier.
    response = client.post(reverse("package-create"), form_data(
        units.tra_cu.pk, purpose="tet", field="poverty", t1_rule="household_status", t1_statuses="near_poor",
        t1_ages="", t1_year=""))
    assert response.status_code == 400 and "Chưa có kết quả rà soát" in response.content.decode()
    assert Package.objects.count() == 0


def test_it_builds_a_province_list_in_a_background_job(who, people, units) -> None:  # type: ignore[no-untyped-def]
    response = as_(who.an).post(reverse("package-create"), form_data(units.vinh_long.pk))
    job = Job.objects.get(kind="payments.package_create")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    package = Package.objects.get()
    assert job.status == "succeeded" and job.result["package"] == package.pk and package.recipients == 1
    page = as_(who.an).get(job.get_absolute_url())
    assert page.status_code == 200


def test_it_keeps_packages_in_scope(who, people, units) -> None:  # type: ignore[no-untyped-def]
    package, _ = create_package(name="Quà Tết người có công", purpose="tet", field="meritorious", unit=units.tra_cu,
                                on=ON, actor=SYSTEM, tiers=[TierSpec(name="Mức 600.000", rule="category",
                                                                     params={"codes": ["merit_war_invalid"]},
                                                                     per="person", central=600_000)])
    detail = reverse("package-detail", args=[package.pk])
    assert as_(who.binh).get(detail).status_code == 404  # another province
    assert as_(who.lao).get(detail).status_code == 404  # a labour officer: not her field
    assert as_(who.cong).get(detail).status_code == 200
    assert as_(who.bao).get(detail).status_code == 200  # the leader reads
    assert "Quà Tết người có công" not in as_(who.binh).get(reverse("package-list")).content.decode()
    assert as_(who.bao).get(reverse("package-create")).status_code == 403  # reads, creates nothing
    # A provincial officer may not create a package of another field.
    response = as_(who.an).post(reverse("package-create"), form_data(units.vinh_long.pk, field="meritorious"))
    assert response.status_code == 400
    assert Package.objects.count() == 1
    assert Client().get(reverse("package-list")).status_code == 302  # login first


def test_it_filters_the_list_and_shows_who_is_in_another_package(who, people, units) -> None:  # type: ignore[no-untyped-def]
    tier = TierSpec(name="Mức 600.000", rule="category", params={"codes": ["merit_war_invalid"]}, per="person",
                    central=600_000)
    create_package(name="Quà của Chủ tịch nước", purpose="tet", field="meritorious", unit=units.tra_cu, on=ON,
                   actor=SYSTEM, tiers=[tier])
    second, _ = create_package(name="Quà của Chính phủ", purpose="tet", field="meritorious", unit=units.tra_cu,
                               on=ON, actor=Actor(user=who.cong), tiers=[tier])
    client = as_(who.cong)
    url = reverse("package-detail", args=[second.pk])
    body = client.get(url, {"also": "1"}).content.decode()
    assert 'data-testid="also-in">Quà của Chủ tịch nước' in body and "Lê Văn Dũng" in body
    assert "Lê Văn Dũng" not in client.get(url, {"status": "paid"}).content.decode()
    assert "Lê Văn Dũng" in client.get(url, {"q": "dung"}).content.decode()
    for bad in ({"commune": "x"}, {"tier": "99999999999999999999999"}, {"page": "-1"}, {"status": "nope"}):
        assert client.get(url, bad).status_code == 200
    assert client.get(reverse("package-list"), {"from": "bad", "unit": "zz", "purpose": "nope"}).status_code == 200
    assert client.get(reverse("package-detail", args=[999999])).status_code == 404


def test_it_runs_the_package_job_again_without_paying_anyone_twice(who, people, units) -> None:  # type: ignore[no-untyped-def]
    from ansinh.payments.jobs_packages import package_create_start

    spec = {"name": "Mừng thọ 2026", "purpose": "longevity", "field": "social_assistance", "unit": units.tra_cu.pk,
            "on": "2026-01-20", "legal_basis": "", "note": "", "period": None,
            "tiers": [{"name": "Tròn 100 tuổi", "rule": "age", "params": {"ages": [100], "year": 2026},
                       "per": "person", "central": 700000, "local": 0, "socialised": 0}]}
    first = package_create_start(actor=Actor(user=who.lan), unit=units.tra_cu, spec=spec)
    second = package_create_start(actor=Actor(user=who.lan), unit=units.tra_cu, spec=spec)
    assert first.status == second.status == "succeeded"
    assert first.result["created"] and not second.result["created"]
    assert first.result["package"] == second.result["package"]
    assert Package.objects.count() == 1 and Package.objects.get().lines.count() == 1
    # A job whose registers refuse it fails with the Vietnamese reason, and writes nothing.
    bad = package_create_start(actor=Actor(user=who.lan), unit=units.tra_cu, spec={
        **spec, "name": "Quà hộ cận nghèo", "tiers": [{"name": "Hộ cận nghèo", "rule": "household_status",
                                                         "params": {"statuses": ["near_poor"]}, "per": "household",
                                                         "local": 300000, "central": 0, "socialised": 0}]})
    assert bad.status == "failed" and "Chưa có kết quả rà soát" in bad.error
    assert Package.objects.count() == 1
