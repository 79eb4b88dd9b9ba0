"""The same linkage on Spark local mode gives DuckDB's pairs (slow: a JVM starts; skipped without
Java or the `spark` extra)."""

from __future__ import annotations

import pytest

from ansinh.dedup import linkage, synthetic
from ansinh.dedup.spark import available

pytestmark = [pytest.mark.slow, pytest.mark.spark,
              pytest.mark.skipif(bool(available()), reason=f"Spark cannot run here: {available()}")]


def test_it_links_on_spark_like_on_duckdb() -> None:
    from ansinh.dedup import spark

    records = synthetic.generate(1500, seed=21)
    table = linkage.records_table(records)
    params = linkage.default_params()
    try:
        on_spark = linkage.link(table, params=params, engine="spark", threshold=0.5)
    finally:
        spark.stop()
    on_duckdb = linkage.link(table, params=params, engine="duckdb", threshold=0.5)
    theirs = {(p.left, p.right): p for p in on_duckdb.pairs}
    mine = {(p.left, p.right): p for p in on_spark.pairs}
    assert mine.keys() == theirs.keys() and len(mine) > 10
    for key, pair in mine.items():
        assert pair.probability == pytest.approx(theirs[key].probability, abs=1e-6)
        assert pair.evidence == theirs[key].evidence
    assert on_spark.found_exact == on_duckdb.found_exact
    assert on_spark.comparisons == on_duckdb.comparisons
