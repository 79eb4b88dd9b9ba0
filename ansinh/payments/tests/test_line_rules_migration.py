"""payments/migrations/0004_line_rules: the lines' rule and legal basis, written once as `LineRule`
rows the lines name. Run both ways on lines the engine wrote: back, every line gets its texts again;
forward (the rules' table made anew), every line names the row of its own texts, one row per
distinct pair."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ansinh.payments import payroll as engine
from ansinh.payments.models import LineRule, PayrollLine

from .payroll_setup import SA, actor, beneficiaries, month, officers, tra_cu

BEFORE = [("payments", "0003_payroll_line_indexes")]
AFTER = [("payments", "0004_line_rules")]


def _migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor


@pytest.mark.django_db(transaction=True)
def test_it_moves_the_texts_to_rules_and_back() -> None:
    who = officers()
    beneficiaries()
    engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    engine.compute(commune=tra_cu(), month=month(2025, 11), field=SA, actor=actor(who.lan))
    texts = {pk: (rule, basis) for pk, rule, basis in PayrollLine.objects.values_list(
        "pk", "basis__rule", "basis__legal_basis")}
    assert len(texts) == 4 and all(rule and basis for rule, basis in texts.values())
    pairs = set(texts.values())
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps.get_model("payments", "PayrollLine")
        assert {pk: (rule, basis) for pk, rule, basis in old.objects.values_list("pk", "rule", "legal_basis")} == texts
    finally:
        _migrate(AFTER)
    assert {pk: (rule, basis) for pk, rule, basis in PayrollLine.objects.values_list(
        "pk", "basis__rule", "basis__legal_basis")} == texts
    assert set(LineRule.objects.values_list("rule", "legal_basis")) == pairs
    assert all(rule.key == LineRule.key_of(rule.rule, rule.legal_basis) for rule in LineRule.objects.all())
    # A new run finds the rows the migration made: none made twice.
    engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    assert LineRule.objects.count() == len(pairs)
