"""`lib.bulk.insert_rows`: rows given in pieces (a value shared by many rows, then the rest) are
written joined, in statements of several rows and the remainder, on SQLite (INSERT) and
PostgreSQL (COPY) alike."""

from __future__ import annotations

import pytest

from ansinh.lib.bulk import insert_rows
from ansinh.payments.models import LineRule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("per_statement", [1, 3])
def test_it_joins_the_pieces_of_each_row(per_statement: int) -> None:
    shared = ("Nghị định 20/2021/NĐ-CP",)
    pieces: list[tuple[str, ...]] = []
    for i in range(7):  # two statements of three and a remainder of one
        pieces.extend([(f"k{i}", f"quy tắc {i}"), shared])
    assert insert_rows(LineRule, ["key", "rule", "legal_basis"], pieces, per_statement=per_statement, pieces=2) == 7
    assert sorted(LineRule.objects.values_list("key", "rule", "legal_basis")) == [
        (f"k{i}", f"quy tắc {i}", "Nghị định 20/2021/NĐ-CP") for i in range(7)]


def test_it_writes_plain_rows_as_before() -> None:
    rows = [(f"p{i}", "", "") for i in range(5)]
    assert insert_rows(LineRule, ["key", "rule", "legal_basis"], rows, per_statement=2) == 5
    assert LineRule.objects.filter(key__startswith="p").count() == 5
