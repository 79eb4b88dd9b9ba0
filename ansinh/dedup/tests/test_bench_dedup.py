"""The de-duplication bench: skipped on request, its figures and the national extrapolation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ansinh.dedup import linkage, synthetic
from ansinh.dedup.management.commands import bench_dedup


def test_it_is_skipped_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSINH_BENCH_DEDUP", "0")
    assert bench_dedup.measure({}) == ["de-duplication: skipped (ANSINH_BENCH_DEDUP=0)"]


def test_it_counts_what_blocking_reaches_and_scores_quality() -> None:
    records = synthetic.generate(3000, seed=8)
    table = linkage.records_table(records)
    truth = synthetic.true_pairs(records)
    con = linkage.duckdb_connection()
    con.register("people", table)
    reached = bench_dedup.blocking_recall(con, linkage.RULES_PROVINCE)
    assert 0.9 * len(truth) <= reached <= len(truth)
    assert bench_dedup.blocking_recall(con, (("citizen_id",),)) < reached
    pairs = [linkage.Pair(a, b, 0.97, "linkage") for a, b in list(truth)[:10]] + [linkage.Pair(0, 1, 0.6, "linkage")]
    quality = {q["threshold"]: q for q in bench_dedup.quality(pairs, truth if (0, 1) not in truth else truth - {(0, 1)})}
    assert quality[0.9]["precision"] == 1.0 and quality[0.5]["precision"] == pytest.approx(10 / 11)


def test_it_extrapolates_the_country() -> None:
    data = {"records": 1_000_000, "engine": "duckdb", "load_before": "1.0", "load_after": "1.0", "generate_s": 10.0,
            "planted_pairs": 19608, "keys_s": 2.0, "train_s": 30.0, "train_records": 200_000,
            "rss_before_link_mib": 900.0, "link_s": 100.0, "link_phases": {"exact": 5.0, "predict": 95.0},
            "comparisons": 23_000_000, "found_exact": 6634, "exact_recall": 0.34, "blocking_recall": 0.97,
            "quality": [{"threshold": 0.9, "predicted": 100, "true_positives": 99, "precision": 0.99, "recall": 0.6}],
            "rule_comparisons": {"citizen_id": 6634, "dob": 14_466_074,
                                 "family_f+middle_f+given_f+substr(dob, 1, 4)": 5_073_596,
                                 "commune+given_f+substr(dob, 1, 4)": 3_650_483, "dob+family_g+given_f": 68_945},
            "peak_rss_mib": 1700.0}
    text = "\n".join(bench_dedup.describe(data) + bench_dedup.national(data))
    assert "precision 99.0 %" in text and "reachable by the blocking rules: 97.0 %" in text
    assert "pass 2, national" in text and "billion pairs" in text
    json.dumps(data)
    assert Path(linkage.DEFAULT_MODEL).exists()
