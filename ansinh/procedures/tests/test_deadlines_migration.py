"""The data migration that carries the labour app's processing times into the catalogue keeps an
administrator's edits (procedures/migrations/0005_dossier_deadlines.py), run here on the real
catalogue with the labour rows as they stood before the columns were dropped."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps

from ansinh.procedures.deadlines import procedure_in_force
from ansinh.procedures.models import Procedure

D = dt.date
pytestmark = pytest.mark.django_db
migration = importlib.import_module("ansinh.procedures.migrations.0005_dossier_deadlines")


class _Rows:
    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def order_by(self, *fields: str) -> list[Any]:
        return self.rows


class _Apps:
    """The historical models: the real catalogue, the labour rules as they were (with their days)."""

    def __init__(self, permit_rules: list[Any], unemployment_rules: list[Any]) -> None:
        self.labour = {"PermitRule": SimpleNamespace(objects=_Rows(permit_rules)),
                       "UnemploymentRule": SimpleNamespace(objects=_Rows(unemployment_rules))}

    def get_model(self, app: str, name: str) -> Any:
        return self.labour[name] if app == "labour" else django_apps.get_model(app, name)


def permit(kind: str, start: dt.date, end: dt.date | None, days: int, basis: str, provisional: bool = False) -> Any:
    return SimpleNamespace(kind=kind, valid_from=start, valid_to=end, working_days=days, legal_basis=basis,
                           provisional=provisional)


def test_it_carries_an_administrators_edits_into_the_catalogue() -> None:
    Procedure.objects.update(used_for="")  # as before the migration
    permits = [
        permit("issue", D(2021, 2, 15), D(2025, 8, 6), 5, "Nghị định 152/2020/NĐ-CP, Điều 11"),
        permit("extend", D(2025, 8, 7), None, 9, "Nghị định 219/2025/NĐ-CP (sửa bởi quản trị)", True),  # edited
        permit("issue", D(2016, 4, 1), D(2021, 2, 14), 7, "Nghị định 11/2016/NĐ-CP, Điều 12", True),  # no version
    ]
    unemployment = [SimpleNamespace(valid_from=D(2026, 1, 1), valid_to=None, decision_working_days=15,
                                    legal_basis="Luật Việc làm 74/2025/QH15", provisional=True)]
    migration.forwards(_Apps(permits, unemployment), None)
    extend = procedure_in_force("permit_extend", D(2026, 1, 5))
    assert (extend.code, extend.days, extend.legal_basis, extend.provisional) == (
        "DP.LDNN.GIAHAN", 9, "Nghị định 219/2025/NĐ-CP (sửa bởi quản trị)", True)
    old = procedure_in_force("permit_issue", D(2019, 6, 3))
    assert (old.code, old.days, old.valid_to, old.note) == ("DP.LDNN.CAPGP", 7, D(2021, 2, 14), migration.MOVED_NOTE)
    assert procedure_in_force("unemployment", D(2026, 3, 2)).days == 15
    assert procedure_in_force("unemployment", D(2025, 3, 3)).days == 20  # the Law 38 version, not edited
    assert procedure_in_force("benefit_social_assistance", D(2024, 5, 1)).days == 17
    assert Procedure.objects.filter(code="DP.LDNN.NHUCAU").exclude(used_for="").count() == 0
