"""The counted indicators of placements, counselling and job fairs, with their breakdowns read
from the register, one GROUP BY per registry, and the drill-down to the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ansinh.households.services import member_add
from ansinh.labour.counselling import counselling_record, session_save
from ansinh.labour.placements import placement_create
from ansinh.plans.counted import fetch_all, records_url
from ansinh.plans.periods import Period
from ansinh.testing import login

from .place_setup import labour_officer, register

pytestmark = pytest.mark.django_db
QUERIES = {"jobs_created", "jobs_added", "job_counselling", "job_fairs"}


def test_it_counts_jobs_counselling_and_fairs_with_their_parts(client: Client, people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    officer = labour_officer()
    young = member_add(actor=people.tung, household=reg.households[1], full_name="Nguyễn Văn Trẻ", sex="male",
                       birth_date=dt.date(1995, 3, 10), relation="child", ethnicity="01")
    d = dt.date
    placement_create(actor=people.lan, person=reg.spouse, placed_on=d(2026, 2, 1), channel="employer", new_job=True)
    placement_create(actor=people.lan, person=young, placed_on=d(2026, 3, 9), channel="loan")  # aged 30: youth
    placement_create(actor=people.lan, person=young, placed_on=d(2026, 3, 10), channel="employer")  # aged 31
    placement_create(actor=people.lan, person=reg.head, placed_on=d(2025, 12, 31), channel="employer")  # before
    counselling_record(actor=people.lan, person=reg.head, counselled_on=d(2026, 1, 5), on_unemployment_benefit=True)
    counselling_record(actor=people.lan, person=reg.spouse, counselled_on=d(2026, 3, 31))
    for unit, kind in ((units.vinh_long, "job_fair"), (units.tra_cu, "job_fair"), (units.tra_cu, "seminar")):
        session_save(actor=officer, kind=kind, unit=unit, held_on=d(2026, 3, 20), title=f"Phiên {kind}")
    with CaptureQueriesContext(connection) as queries:
        counts, notes, keys = fetch_all(QUERIES, units.vinh_long, Period.parse("2026-Q1"))
    assert len(queries) <= 4  # the communes, then one GROUP BY per registry
    commune, province = units.tra_cu.pk, units.vinh_long.pk
    assert counts["jobs_created"] == {(commune, ""): 3, (commune, "female"): 1, (commune, "ethnic_minority"): 1,
                                      (commune, "youth"): 1}
    assert counts["jobs_added"] == {(commune, ""): 1}
    assert counts["job_counselling"] == {(commune, ""): 2, (commune, "unemployment_insurance"): 1}
    assert counts["job_fairs"] == {(commune, ""): 1, (province, ""): 2}
    assert fetch_all(QUERIES, units.tra_cu, Period.parse("2026-03"))[0]["job_fairs"] == {(commune, ""): 1}
    assert fetch_all(QUERIES, units.legacy_tra_vinh, Period.parse("2026-Q1"))[0] == {}
    url = records_url("jobs_created", units.vinh_long, "female", keys)
    assert url is not None and "breakdown=female" in url and "period=2026-Q1" in url
    login(client, officer)
    page = client.get(url).content.decode()
    assert "Kim Thị Sa Ri" in page and "Nguyễn Văn Trẻ" not in page
    page = client.get(records_url("jobs_created", units.tra_cu, "youth", keys) or "").content.decode()
    assert "Nguyễn Văn Trẻ" in page and "10/03/2026" not in page and "09/03/2026" in page
    fairs = client.get(records_url("job_fairs", units.vinh_long, "", keys) or "").content.decode()
    assert "Phiên job_fair" in fairs and "Phiên seminar" not in fairs
