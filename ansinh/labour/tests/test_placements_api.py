"""/api/v1/labour/placements/, counselling/, sessions/: scoped lists with the pages' filters,
masked citizen IDs, and recording a placement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ansinh.accounts.models import AuditEvent
from ansinh.labour.counselling import counselling_record, session_save
from ansinh.labour.models import Placement
from ansinh.labour.placements import placement_create
from ansinh.testing import bearer

from .place_setup import SPOUSE_ID, labour_officer, register

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def test_it_lists_and_records_placements_in_scope(client: Client, people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    officer = labour_officer()
    placement_create(actor=people.lan, person=reg.spouse, placed_on=DAY, channel="employer", new_job=True)
    session = session_save(actor=officer, kind="job_fair", unit=units.vinh_long, held_on=DAY, title="Phiên 3")
    counselling_record(actor=people.lan, person=reg.spouse, counselled_on=DAY, session=session,
                       on_unemployment_benefit=True)
    body = client.get("/api/v1/labour/placements/?period=2026-Q1&breakdown=female", **bearer(people.lan)).json()
    assert [row["person_name"] for row in body["results"]] == ["Kim Thị Sa Ri"]
    assert body["results"][0]["citizen_id"] == SPOUSE_ID
    assert AuditEvent.objects.filter(action="personal_data.read").count() == 1
    leader = client.get("/api/v1/labour/placements/", **bearer(people.bao)).json()["results"]
    assert leader[0]["citizen_id"] != SPOUSE_ID and leader[0]["citizen_id"].endswith(SPOUSE_ID[-3:])
    assert client.get("/api/v1/labour/placements/", **bearer(people.minh)).json()["results"] == []
    assert client.get("/api/v1/labour/placements/", **bearer(people.binh)).json()["results"] == []
    assert client.get("/api/v1/labour/placements/?period=2026-13", **bearer(people.lan)).status_code == 400
    counselled = client.get("/api/v1/labour/counselling/?breakdown=unemployment_insurance",
                            **bearer(people.lan)).json()["results"]
    assert counselled[0]["session_title"] == "Phiên 3"
    assert client.get("/api/v1/labour/sessions/?period=2026", **bearer(people.lan)).json()["results"][0][
        "attendance"] == 0
    made = client.post("/api/v1/labour/placements/", {"person": reg.head.pk, "placed_on": "2026-03-02",
                                                      "channel": "loan"}, content_type="application/json",
                       **bearer(people.lan))
    assert made.status_code == 201 and made.json()["channel"] == "loan"
    again = client.post("/api/v1/labour/placements/", {"person": reg.head.pk, "placed_on": "2026-03-02",
                                                       "channel": "loan"}, content_type="application/json",
                        **bearer(people.lan))
    assert again.status_code == 400
    refused = client.post("/api/v1/labour/placements/", {"person": reg.head.pk, "placed_on": "2026-03-03",
                                                         "channel": "loan"}, content_type="application/json",
                          **bearer(people.bao))
    assert refused.status_code == 403
    assert Placement.objects.count() == 2
