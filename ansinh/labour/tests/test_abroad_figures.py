"""Counted indicators of the abroad registries (overseas_workers by destination, foreign_workers
by nationality at the period's end), their drill-down, and the API's lists and scope."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ansinh.labour import indicators_abroad
from ansinh.labour.models import ForeignWorker, WorkPermit
from ansinh.labour.services_abroad import departure_save
from ansinh.plans.counted import provider_for
from ansinh.plans.periods import Period
from ansinh.testing import bearer

from .abroad_data import D, employer, labour, worker  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(labour: SimpleNamespace, worker: Any, employer: Any, units: Any) -> SimpleNamespace:
    departure_save(actor=labour.actor, person=labour.head, destination="TW", departed_on=D(2025, 2, 10))
    departure_save(actor=labour.actor, person=labour.spouse, destination="DE", departed_on=D(2025, 3, 31))
    departure_save(actor=labour.actor, person=labour.spouse, destination="JP", departed_on=D(2025, 4, 1))
    kim = ForeignWorker.objects.create(full_name="Kim Min", passport_number="M1", nationality="KR", sex="male",
                                       employer=employer, position="manager", workplace=units.tra_cu,
                                       search_name="kim min")
    ana = ForeignWorker.objects.create(full_name="Ana Silva", passport_number="P9", nationality="BR", sex="female",
                                       employer=employer, position="expert", workplace=units.tra_cu,
                                       search_name="ana silva")
    for w, start, end, state in ((worker, D(2024, 5, 1), D(2026, 4, 30), "granted"),
                                 (kim, D(2025, 1, 1), D(2025, 3, 30), "granted"),  # ends before 31/3
                                 (ana, D(2025, 1, 1), D(2026, 12, 31), "granted")):
        WorkPermit.objects.create(worker=w, kind="issue", received_on=start, state=state, number="N",
                                  valid_from=start, valid_to=end)
    WorkPermit.objects.create(worker=kim, kind="extend", received_on=D(2025, 3, 1), state="pending")
    return SimpleNamespace(kim=kim, ana=ana)


def test_it_counts_departures_by_destination_and_foreign_workers_by_nationality(data: SimpleNamespace,
                                                                                units: Any) -> None:
    q1 = Period(2025, "quarter", 1)
    with CaptureQueriesContext(connection) as queries:
        counts, note, key = indicators_abroad.fetch(units.vinh_long, q1)
    assert len(queries) == 3  # the communes, then one GROUP BY per indicator
    commune = units.tra_cu.pk
    overseas = counts["overseas_workers"]
    assert overseas[(commune, "")] == 2 and overseas[(commune, "taiwan")] == 1 and overseas[(commune, "other")] == 1
    assert (commune, "japan") not in overseas
    foreign = counts["foreign_workers"]
    assert foreign[(commune, "")] == 2 and foreign[(commune, "CN")] == 1 and foreign[(commune, "other")] == 1
    assert (commune, "KR") not in foreign  # Kim's permit ended on 30/3; the extension is still pending
    assert key == "2025-Q1" and "31/03/2025" in note
    year = indicators_abroad.fetch(units.vinh_long, Period(2025, "year"))[0]
    assert year["overseas_workers"][(commune, "japan")] == 1
    assert indicators_abroad.fetch(units.legacy_tra_vinh, q1) == ({}, "", "")


def test_it_drills_down_to_the_lists(client: Client, data: SimpleNamespace, labour: SimpleNamespace,
                                     units: Any) -> None:
    from ansinh.testing import login

    provider = provider_for("overseas_workers")
    assert provider is not None
    url = provider.records_url("overseas_workers", units.tra_cu, "taiwan", "2025-Q1")
    assert url is not None and "breakdown=taiwan" in url and "period=2025-Q1" in url
    login(client, labour.officer)
    page = client.get(url).content.decode()
    assert "Thạch Văn Sóc" in page and "Kim Thị Sa Ri" not in page
    url = indicators_abroad.records_url("foreign_workers", units.tra_cu, "other", "2025-Q1")
    assert url is not None
    page = client.get(url).content.decode()
    assert "Ana Silva" in page and "Wang Wei" not in page and "Kim Min" not in page


def test_it_serves_the_api_scoped(client: Client, data: SimpleNamespace, labour: SimpleNamespace,
                                  units: Any) -> None:
    headers = bearer(labour.officer)
    found = client.get("/api/v1/labour/departures/", {"country": "Đài Loan"}, **headers).json()
    rows = found["results"] if isinstance(found, dict) else found
    assert [r["destination"] for r in rows] == [{"code": "TW", "name": "Đài Loan (Trung Quốc)"}]
    assert rows[0]["person"]["citizen_id"] == "086080000001"
    assert client.get("/api/v1/labour/departures/", {"period": "2025-Q7"}, **headers).status_code == 400
    assert client.get("/api/v1/labour/departures/", {"country": "Atlantis"}, **headers).status_code == 400
    workers = client.get("/api/v1/labour/foreign-workers/", {"period": "2025-Q1"}, **headers).json()
    names = sorted(r["full_name"] for r in (workers["results"] if isinstance(workers, dict) else workers))
    assert names == ["Ana Silva", "Wang Wei"]
    permits = client.get("/api/v1/labour/work-permits/", {"state": "pending"}, **headers).json()
    assert len(permits["results"] if isinstance(permits, dict) else permits) == 1
    reader = bearer(labour.commune_officer)
    masked = client.get("/api/v1/labour/departures/", **reader).json()
    rows = masked["results"] if isinstance(masked, dict) else masked
    assert len(rows) == 3 and all("•" in r["person"]["citizen_id"] for r in rows)
    outsider = client.get("/api/v1/labour/departures/", **bearer(labour.outsider)).json()
    assert (outsider["results"] if isinstance(outsider, dict) else outsider) == []
    assert client.get("/api/v1/labour/departures/", {"unit": units.ba_dinh.pk}, **headers).status_code == 404
