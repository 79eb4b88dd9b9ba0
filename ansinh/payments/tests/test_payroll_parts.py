"""A province's run planned in parts, each part in a forked process of its own (`payroll._plan_all`,
`lib.forked`), writes the very lines the run planned in one go writes — every value of every line
and the payrolls' totals — also where a person links communes of two parts: a household in one
commune paid by another, months paid by a commune she has left, a move or a death within the
window (those communes kept in one part), and someone looked at in two parts all the same (the
run planned again in one go). Each run is a process of its own on a copy of the test database in
a file: SQLite's in-memory database cannot be shared with a child process."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from ansinh.benefits import services
from ansinh.benefits.models import Entitlement
from ansinh.geo.models import Unit
from ansinh.households.models import Member
from ansinh.payments import payroll as engine
from ansinh.payments.models import PaymentMethod

from .payroll_setup import SA, SYSTEM, month, person
from .test_payroll_queries import _people_in, _province

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the test database copied to a file for each run"),
]


def _runs(tmp_path: Path, province: int) -> tuple[dict[str, Any], dict[str, Any], list[int]]:
    """October 2025's run in one go, then in two parts, each on its own copy of the database."""
    connection.ensure_connection()
    out: list[dict[str, Any]] = []
    children = tmp_path / "children.txt"
    for parts in (1, 2):
        path = tmp_path / f"parts-{parts}.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        env = {**os.environ, "ANSINH_DATABASE_URL": f"sqlite:///{path}", "ANSINH_TESTING": "1", "ANSINH_DEBUG": "1"}
        done = subprocess.run([sys.executable, "-m", "ansinh.payments.tests.parts_worker", str(parts), str(province),
                               "2025-10-01", str(children)], env=env, capture_output=True, text=True, timeout=180,
                              check=False)
        assert done.returncode == 0, done.stderr
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    return out[0], out[1], pids


def _setting() -> tuple[Unit, list[Unit]]:
    """Beneficiaries in six communes (the parts take them in turns), one of them with a decision
    back-dated two months."""
    province = _province()
    communes = sorted(engine.communes_of(province), key=lambda unit: unit.pk)
    _people_in(communes[:6])
    late = person("P-9", "Lâm Thị Hoa", dt.date(1962, 6, 1), commune_code=communes[3].code, sex="female")
    services.create_entitlement(SYSTEM, late, "sa_disability_severe", decision_number="40/QĐ-UBND",
                                decision_date=dt.date(2025, 9, 28), decision_signer="Chủ tịch UBND xã",
                                start_month=dt.date(2025, 8, 1))
    return province, communes


def _same(tmp_path: Path, province: Unit) -> dict[str, Any]:
    whole, parted, children = _runs(tmp_path, province.pk)
    assert parted["lines"] == whole["lines"]
    assert (parted["count"], parted["people"], parted["total"]) == (whole["count"], whole["people"], whole["total"])
    assert parted["pid"] in children and len(set(children)) == 2  # the other part planned in a child process
    return parted


def _paid(commune: Unit, months: list[dt.date]) -> None:
    for m in months:
        payroll = engine.compute(commune=commune, month=m, field=SA, actor=SYSTEM)
        engine.approve(payroll, actor=SYSTEM)
        engine.mark_sent(payroll, actor=SYSTEM)


def test_it_writes_in_parts_the_lines_it_writes_in_one_go(tmp_path: Path) -> None:
    province, _communes = _setting()
    parted = _same(tmp_path, province)
    assert len(parted["lines"]) == 15 and sum(1 for line in parted["lines"] if line[3] == "arrears") == 2
    assert parted["whole"] == 0  # not planned again in one go


def test_it_pays_by_her_account_a_person_whose_household_is_in_a_commune_of_another_part(tmp_path: Path) -> None:
    province, communes = _setting()
    her = person("P-7", "Trần Thị Dời", dt.date(1960, 1, 1), commune_code=communes[0].code, sex="female")
    services.create_entitlement(SYSTEM, her, "sa_disability_severe", decision_number="77/QĐ-UBND",
                                decision_date=dt.date(2025, 3, 10), decision_signer="Chủ tịch UBND xã",
                                commune=communes[1])
    PaymentMethod.objects.create(person=her, channel="bank", account_number="0123456789")
    parted = _same(tmp_path, province)
    assert [(line[10], line[11]) for line in parted["lines"] if line[0] == str(her.pk)] == [("bank", "0123456789")]
    assert parted["whole"] == 0


def test_it_counts_the_months_paid_by_a_commune_she_left_long_ago(tmp_path: Path) -> None:
    """Paid by the second commune in May and June 2025; her move to the first, decided in September,
    back-dated to September 2024: no arrears for May and June (they were paid)."""
    province, communes = _setting()
    first, second = communes[0], communes[1]
    her = person("P-6", "Lý Thị Chuyển", dt.date(1960, 1, 1), commune_code=first.code, sex="female")
    old = services.create_entitlement(SYSTEM, her, "sa_disability_severe", decision_number="5/QĐ-UBND",
                                      decision_date=dt.date(2023, 12, 20), decision_signer="Chủ tịch UBND xã",
                                      start_month=dt.date(2024, 1, 1), commune=second)
    _paid(second, [month(2025, 5), month(2025, 6)])
    Entitlement.objects.filter(pk=old.pk).update(stop_month=dt.date(2024, 9, 1), stop_reason="moved")
    services.create_entitlement(SYSTEM, her, "sa_disability_severe", decision_number="6/QĐ-UBND",
                                decision_date=dt.date(2025, 9, 28), decision_signer="Chủ tịch UBND xã",
                                start_month=dt.date(2024, 9, 1), commune=first)
    parted = _same(tmp_path, province)
    arrears = {line[2] for line in parted["lines"] if line[0] == str(her.pk) and line[3] == "arrears"}
    assert arrears and not arrears & {"2025-05-01", "2025-06-01"}
    assert parted["whole"] == 0


def test_it_keeps_the_communes_of_a_move_or_a_death_within_the_window_in_one_part(tmp_path: Path) -> None:
    """A move (stopped in one commune in June, paid by the other since) and a death (entitlements
    paid by two communes, September paid after she died in August): their communes are planned in
    one part — the run is not planned again in one go — and the lines are the same."""
    province, communes = _setting()
    moved = person("P-5", "Đỗ Văn Dời", dt.date(1950, 2, 1), commune_code=communes[2].code)
    left = services.create_entitlement(SYSTEM, moved, "sa_disability_severe", decision_number="41/QĐ-UBND",
                                       decision_date=dt.date(2024, 3, 10), decision_signer="Chủ tịch UBND xã",
                                       commune=communes[3])
    Entitlement.objects.filter(pk=left.pk).update(stop_month=dt.date(2025, 6, 1), stop_reason="moved")
    services.create_entitlement(SYSTEM, moved, "sa_disability_severe", decision_number="42/QĐ-UBND",
                                decision_date=dt.date(2025, 5, 20), decision_signer="Chủ tịch UBND xã",
                                start_month=dt.date(2025, 6, 1), commune=communes[2])
    dead = person("P-4", "Phan Thị Mất", dt.date(1940, 5, 1), commune_code=communes[4].code, sex="female")
    services.create_entitlement(SYSTEM, dead, "sa_disability_severe", decision_number="43/QĐ-UBND",
                                decision_date=dt.date(2024, 3, 10), decision_signer="Chủ tịch UBND xã")
    services.create_entitlement(SYSTEM, dead, "merit_war_invalid", decision_number="44/QĐ-SNV",
                                decision_date=dt.date(2024, 2, 1), rate=61, recognised_on=dt.date(2024, 1, 15),
                                commune=communes[5])
    _paid(communes[4], [month(2025, 9)])
    # Her death as an import records it: the date alone, her entitlements not stopped.
    Member.objects.filter(pk=dead.pk).update(died_on=dt.date(2025, 8, 14))
    parted = _same(tmp_path, province)
    assert parted["whole"] == 0
    assert any(line[0] == str(dead.pk) and line[3] == "recovery" for line in parted["lines"])
    assert any(line[0] == str(moved.pk) and line[3] == "month" for line in parted["lines"])


def test_it_plans_again_in_one_go_when_a_person_is_looked_at_in_two_parts(tmp_path: Path) -> None:
    """A social pension paid by one commune and social assistance by another, neither stopped: not
    known before the parts are planned (the two weigh against each other: apart, both would be
    paid), found after, and the run planned again in one go."""
    province, communes = _setting()
    old = person("P-8", "Đỗ Thị Già", dt.date(1940, 2, 1), commune_code=communes[0].code, sex="female")
    services.create_entitlement(SYSTEM, old, "social_pension", decision_number="45/QĐ-UBND",
                                decision_date=dt.date(2025, 7, 10), decision_signer="Chủ tịch UBND xã",
                                start_month=dt.date(2025, 7, 1))
    services.create_entitlement(SYSTEM, old, "sa_disability_severe", decision_number="46/QĐ-UBND",
                                decision_date=dt.date(2024, 2, 1), decision_signer="Chủ tịch UBND xã",
                                commune=communes[1])
    whole, parted, _children = _runs(tmp_path, province.pk)
    assert parted["lines"] == whole["lines"]
    assert parted["whole"] == 1 and whole["whole"] == 1


def test_it_keeps_the_parts_for_a_person_paid_in_two_fields_by_two_communes(tmp_path: Path) -> None:
    """Social assistance paid by one commune and a merit allowance by another: the two fields never
    weigh against each other, so the parts stand."""
    province, communes = _setting()
    both = person("P-3", "Đỗ Văn Hai", dt.date(1950, 2, 1), commune_code=communes[0].code)
    services.create_entitlement(SYSTEM, both, "sa_disability_severe", decision_number="47/QĐ-UBND",
                                decision_date=dt.date(2025, 3, 10), decision_signer="Chủ tịch UBND xã")
    services.create_entitlement(SYSTEM, both, "merit_war_invalid", decision_number="48/QĐ-SNV",
                                decision_date=dt.date(2025, 2, 1), rate=61, recognised_on=dt.date(2025, 1, 15),
                                commune=communes[1])
    parted = _same(tmp_path, province)
    assert {line[7] for line in parted["lines"] if line[0] == str(both.pk)} == {str(communes[0].pk),
                                                                                 str(communes[1].pk)}
    assert parted["whole"] == 0
