"""A province's run planned in parts, each part in a forked process of its own (`payroll._plan_all`,
`lib.forked`), writes the very lines the run planned in one go writes: the month's lines, arrears
of a back-dated decision, hamlets and fingerprints; and a person looked at in two parts (her
entitlements paid by communes of both) has the run planned again in one go. Each run is a process
of its own on a copy of the test database in a file (the test runner runs threads, where nothing
forks; SQLite's in-memory database cannot be shared)."""

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
from ansinh.payments import payroll as engine

from .payroll_setup import SYSTEM, person
from .test_payroll_queries import _people_in, _province

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the test database copied to a file for each run"),
]


def _runs(tmp_path: Path, province: int) -> tuple[dict[str, Any], dict[str, Any], list[int]]:
    """The month's run in one go, then in two parts, each on its own copy of the database."""
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


def _setting() -> tuple[int, list[int]]:
    """Beneficiaries in six communes spread over both parts (the parts take the communes by turns,
    in the order of their ids), one of them with a decision back-dated two months."""
    province = _province()
    communes = sorted(engine.communes_of(province), key=lambda unit: unit.pk)
    _people_in(communes[:6])
    late = person("P-9", "Lâm Thị Hoa", dt.date(1962, 6, 1), commune_code=communes[3].code, sex="female")
    services.create_entitlement(SYSTEM, late, "sa_disability_severe", decision_number="40/QĐ-UBND",
                                decision_date=dt.date(2025, 9, 28), decision_signer="Chủ tịch UBND xã",
                                start_month=dt.date(2025, 8, 1))
    return province.pk, [unit.pk for unit in communes]


def test_it_writes_in_parts_the_lines_it_writes_in_one_go(tmp_path: Path) -> None:
    province, _communes = _setting()
    whole, parted, children = _runs(tmp_path, province)
    assert whole["lines"] == parted["lines"] and len(whole["lines"]) == 15  # 12 months' lines, 1 + 2 arrears
    assert sum(1 for line in whole["lines"] if line[3] == "arrears") == 2
    assert (parted["count"], parted["people"], parted["total"]) == (whole["count"], whole["people"], whole["total"])
    assert parted["whole"] == 0  # not planned again in one go
    assert parted["pid"] in children and len(set(children)) == 2  # the other part planned in a child process


def test_it_plans_again_in_one_go_when_a_person_is_looked_at_in_two_parts(tmp_path: Path) -> None:
    province, communes = _setting()
    # Her social assistance paid by the first commune, her merit allowance by the second: in two parts.
    both = person("P-8", "Đỗ Văn Hai", dt.date(1950, 2, 1), commune_code=_code(communes[0]))
    services.create_entitlement(SYSTEM, both, "sa_disability_severe", decision_number="41/QĐ-UBND",
                                decision_date=dt.date(2025, 3, 10), decision_signer="Chủ tịch UBND xã")
    services.create_entitlement(SYSTEM, both, "merit_war_invalid", decision_number="42/QĐ-SNV",
                                decision_date=dt.date(2024, 2, 1), rate=61, recognised_on=dt.date(2024, 1, 15),
                                commune=_unit(communes[1]))
    whole, parted, _children = _runs(tmp_path, province)
    assert whole["lines"] == parted["lines"]
    assert {line[7] for line in parted["lines"] if line[0] == str(both.pk)} == {str(communes[0]), str(communes[1])}
    assert parted["whole"] == 1 and whole["whole"] == 1


def _unit(pk: int) -> Any:
    from ansinh.geo.models import Unit

    return Unit.objects.get(pk=pk)


def _code(pk: int) -> str:
    return str(_unit(pk).code)
