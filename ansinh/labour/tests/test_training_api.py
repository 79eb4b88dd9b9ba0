"""The training API: scoped lists, masked citizen IDs for readers, filters, 400 on bad parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.accounts.audit import Actor
from ansinh.labour import training
from ansinh.testing import bearer

from .training_helpers import labour_officer, level, member, provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(units):  # type: ignore[no-untyped-def]
    school = provider(units.vinh_long)
    made = training.course_save(actor=Actor.system(), provider=school, occupation="Hàn", level=level("elementary"),
                                field="non_farm", starts_on=dt.date(2025, 2, 1))
    mai = member(units.tra_cu, name="Thạch Thị Mai", citizen_id="086195000001")
    training.enrolment_save(actor=Actor.system(), course=made, person=mai, enrolled_on=dt.date(2025, 2, 1))
    return made


def test_it_lists_enrolments_with_full_ids_for_officers_and_masked_for_readers(client, units, people, course) -> None:
    officer = labour_officer(units.vinh_long)
    body = client.get("/api/v1/labour/enrolments/", **bearer(officer)).json()
    assert body["results"][0]["person"]["citizen_id"] == "086195000001"
    assert body["results"][0]["course"]["level"] == "elementary"
    body = client.get("/api/v1/labour/enrolments/", **bearer(people.lan)).json()
    assert body["results"][0]["person"]["citizen_id"] == "•••••••••001"
    assert client.get("/api/v1/labour/enrolments/", **bearer(people.binh)).json()["results"] == []
    assert client.get("/api/v1/labour/enrolments/", **bearer(people.minh)).json()["results"] == []


def test_it_filters_and_refuses_bad_parameters(client, units, course) -> None:
    headers = bearer(labour_officer(units.vinh_long))
    url = "/api/v1/labour/enrolments/"
    assert len(client.get(f"{url}?unit={units.tra_cu.pk}&period=2025-Q1&q=thach", **headers).json()["results"]) == 1
    assert client.get(f"{url}?period=2025-Q2", **headers).json()["results"] == []
    assert client.get(f"{url}?period=2025-Q9", **headers).status_code == 400
    assert client.get(f"{url}?unit={units.ba_dinh.pk}", **headers).status_code == 400
    assert client.get(f"{url}?status=nope", **headers).status_code == 400
    courses = client.get("/api/v1/labour/courses/?field=non_farm", **headers).json()["results"]
    assert courses[0]["enrolled"] == 1 and courses[0]["level"]["code"] == "elementary"
    providers = client.get("/api/v1/labour/training-providers/?q=tra cu", **headers).json()["results"]
    assert providers[0]["courses"] == 1
