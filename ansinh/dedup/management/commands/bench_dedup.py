"""`ansinh bench_dedup STEP`: the de-duplication figures of `ansinh bench`, one step per process.

  duckdb --records N   N synthetic people with about 2 % planted duplicates (`dedup.synthetic`,
                       generated straight into Arrow, not through the database), their name keys,
                       a model trained on a sample of at most 200,000 and frozen, then the whole
                       linkage (`linkage.link`, the code path of every run: the exact citizen-ID
                       pass, then Splink on DuckDB with ANSINH_DEDUP_THREADS threads, memory limit
                       ANSINH_DEDUP_MEMORY). Goal at 1,000,000 records: ≤ 3 min for keys + linkage.
                       Precision and recall against the planted truth (recall counts what blocking
                       missed), at several thresholds.
  spark --records N    the same on Spark local mode (ANSINH_SPARK_MASTER, default local[2]) with
                       the same frozen numbers; the pairs compared with DuckDB's on the same data.

Each step prints its figures, then `bench-data: {json}`. `measure(env)` runs both in child processes
(their peak memory is their own) and extrapolates the national run (100 million people).
ANSINH_BENCH_DEDUP=0 skips them; ANSINH_BENCH_DEDUP_RECORDS (default 1000000) and
ANSINH_BENCH_DEDUP_SPARK_RECORDS (default 50000) set the sizes (0 skips Spark).

The synthetic data flatters the model (its variants are the ones the model knows, its name list is
short): the figures measure the engine, not the precision on a real register.
"""

from __future__ import annotations

import json
import os
import re
import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

GOAL_SECONDS = 180.0
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)
COUNTRY_PEOPLE = 100_000_000
PROVINCES = 34  # after the 2025 merger
TRAIN_RECORDS = 200_000
MARK = "bench-text:"  # what follows is the step's figures (Splink's and Spark's logs come before)


def enabled() -> bool:
    return os.environ.get("ANSINH_BENCH_DEDUP", "1").strip().lower() not in {"0", "false", "no", "off"}


def _size(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "").replace("_", "") or default)
    except ValueError:
        return default


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def quality(pairs: list[Any], truth: set[tuple[int, int]]) -> list[dict[str, Any]]:
    out = []
    for threshold in THRESHOLDS:
        found = {(p.left, p.right) for p in pairs if p.probability >= threshold}
        hits = len(found & truth)
        out.append({"threshold": threshold, "predicted": len(found), "true_positives": hits,
                    "precision": hits / len(found) if found else None, "recall": hits / len(truth) if truth else None})
    return out


class Command(BaseCommand):
    help = "Internal: the de-duplication figures of `ansinh bench`, one step at a time."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="step", required=True)
        for name in ("duckdb", "spark"):
            step = sub.add_parser(name)
            step.add_argument("--records", type=int, required=True)
            step.add_argument("--seed", type=int, default=12)

    def handle(self, *args: Any, **options: Any) -> None:
        from ansinh.dedup import linkage, synthetic

        n, seed, step = options["records"], options["seed"], options["step"]
        data: dict[str, Any] = {"records": n, "engine": step, "load_before": _load()}
        started = time.perf_counter()
        records = synthetic.generate(n, seed=seed)
        data["generate_s"] = time.perf_counter() - started
        truth = synthetic.true_pairs(records)
        data["planted_pairs"] = len(truth)
        started = time.perf_counter()
        table = linkage.records_table(records)
        data["keys_s"] = time.perf_counter() - started
        del records
        started = time.perf_counter()
        params = linkage.train_table(table, max_records=TRAIN_RECORDS, seed=seed)
        data["train_s"] = time.perf_counter() - started
        data["train_records"] = params["records"]
        data["rss_before_link_mib"] = _rss()
        started = time.perf_counter()
        result = linkage.link(table, params=params, engine=step, threshold=min(THRESHOLDS))
        data["link_s"] = time.perf_counter() - started
        data["link_phases"] = result.seconds
        data["comparisons"] = result.comparisons
        data["found_exact"] = result.found_exact
        data["quality"] = quality(result.pairs, truth)
        data["exact_recall"] = result.found_exact / len(truth) if truth else None
        if step == "duckdb":
            con = linkage.duckdb_connection()
            con.register("people", table)
            data["rule_comparisons"] = {"+".join(rule): linkage.count_comparisons(con, (rule,))
                                        for rule in (*linkage.RULES_PROVINCE, *linkage.RULES_NATIONAL)}
            data["blocking_recall"] = blocking_recall(con, linkage.RULES_PROVINCE) / len(truth) if truth else None
            con.close()
        else:
            from ansinh.dedup import spark

            spark.stop()
            started = time.perf_counter()
            check = linkage.link(table, params=params, engine="duckdb", threshold=min(THRESHOLDS))
            data["duckdb_same_data_s"] = time.perf_counter() - started
            mine = {(p.left, p.right): p.probability for p in result.pairs}
            theirs = {(p.left, p.right): p.probability for p in check.pairs}
            data["same_pairs_as_duckdb"] = set(mine) == set(theirs)
            data["max_probability_difference"] = max((abs(mine[k] - theirs[k]) for k in set(mine) & set(theirs)),
                                                     default=0.0)
        data["peak_rss_mib"] = _rss()
        data["load_after"] = _load()
        self.stdout.write(MARK)
        self.stdout.write("\n".join(describe(data)))
        self.stdout.write("bench-data: " + json.dumps(data, default=str))


def _side(column: str, side: str) -> str:
    return re.sub(r"\b(dob|citizen_id|family_f|family_g|middle_f|given_f|commune)\b", rf"{side}.\1", column)


def blocking_recall(con: Any, rules: tuple[tuple[str, ...], ...]) -> int:
    """Planted pairs that some blocking rule reaches (the rest no threshold can find)."""
    either = " or ".join("(" + " and ".join(f"{_side(c, 'a')} = {_side(c, 'b')}" for c in rule) + ")" for rule in rules)
    return int(con.execute(f"""select count(*) from people a join people b
                               on a.person_id = b.person_id and a.unique_id < b.unique_id
                               where {either}""").fetchall()[0][0])


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def describe(data: dict[str, Any]) -> list[str]:
    n = data["records"]
    work = data["keys_s"] + data["link_s"]
    lines = [f"{data['engine']}, {n:,} people ({data['planted_pairs']:,} planted duplicate pairs), "
             f"load average {data['load_before']} → {data['load_after']}:",
             f"  generate (setup, not timed in the goal): {data['generate_s']:.1f} s; name keys {data['keys_s']:.1f} s; "
             f"train on {data['train_records']:,} and freeze {data['train_s']:.1f} s",
             f"  linkage {data['link_s']:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in data['link_phases'].items())}), "
             f"{data['comparisons']:,} pairs by the blocking rules (summed over rules)",
             f"  keys + linkage: {work:.1f} s; with training {work + data['train_s']:.1f} s; "
             f"peak RSS of the process {data['peak_rss_mib']:.0f} MiB (before linkage {data['rss_before_link_mib']:.0f})",
             f"  exact citizen-ID pass alone: recall {_pct(data['exact_recall'])} ({data['found_exact']:,} pairs)"]
    if data.get("blocking_recall") is not None:
        lines.append(f"  planted pairs reachable by the blocking rules: {_pct(data['blocking_recall'])}")
    for q in data["quality"]:
        lines.append(f"  p ≥ {q['threshold']}: {q['predicted']:,} pairs, precision {_pct(q['precision'])}, "
                     f"recall {_pct(q['recall'])}")
    if "same_pairs_as_duckdb" in data:
        lines.append(f"  same pairs as DuckDB on the same data: {'yes' if data['same_pairs_as_duckdb'] else 'NO'} "
                     f"(largest probability difference {data['max_probability_difference']:.1e}; "
                     f"DuckDB took {data['duckdb_same_data_s']:.1f} s)")
    return lines


def national(data: dict[str, Any]) -> list[str]:
    """The country, extrapolated from the 1M DuckDB run: a province pass per province, and a
    national pass with the strict rules (see docs/dedup-national.md)."""
    n = data["records"]
    counts = data["rule_comparisons"]
    rate = data["comparisons"] / max(data["link_phases"].get("predict", data["link_s"]), 1e-9)
    province = COUNTRY_PEOPLE / PROVINCES
    scale = province / n
    # Rules on the birth date or the name alone grow as N²; those that include the commune as N
    # (communes keep their size).
    quadratic = sum(v for k, v in counts.items() if k in ("dob", "family_f+middle_f+given_f+substr(dob, 1, 4)"))
    linear = sum(v for k, v in counts.items() if k in ("citizen_id", "commune+given_f+substr(dob, 1, 4)"))
    per_province = quadratic * scale ** 2 + linear * scale
    nat_rules = [k for k in counts if k in ("+".join(r) for r in _national_rules())]
    nat = sum(counts[k] * (COUNTRY_PEOPLE / n) ** (1 if k == "citizen_id" else 2) for k in nat_rules)
    keys_rate = n / max(data["keys_s"], 1e-9)
    threads = max(1, int(os.environ.get("ANSINH_DEDUP_THREADS", "") or 2))
    core_seconds = nat / (rate / threads)
    return [
        f"the country ({COUNTRY_PEOPLE:,} people; extrapolated from {n:,} on DuckDB, "
        f"{rate:,.0f} pairs scored per second on {os.environ.get('ANSINH_DEDUP_THREADS', '2')} threads):",
        f"  pass 1, per province ({PROVINCES} provinces of ≈ {province / 1e6:.1f} M people, DuckDB): "
        f"≈ {per_province / 1e6:,.0f} M pairs and ≈ {per_province / rate / 60:,.0f} min each "
        f"(+ {province / keys_rate / 60:.1f} min of keys); ≈ {PROVINCES * per_province / rate / 3600:,.1f} h "
        "one after another on this machine, or in parallel on several",
        f"  pass 2, national (Spark, strict rules {', '.join(nat_rules)}): ≈ {nat / 1e9:,.1f} billion pairs, "
        f"≈ {core_seconds / 3600:,.1f} core·h at this rate: ≈ {core_seconds / 64 / 60:,.0f} min on 64 cores "
        "(before shuffles; Spark local mode below is slower per core)",
    ]


def _national_rules() -> tuple[tuple[str, ...], ...]:
    from ansinh.dedup.linkage import RULES_NATIONAL

    return RULES_NATIONAL


def measure(env: dict[str, str]) -> list[str]:
    """Both steps in child processes; the lines `ansinh bench` prints."""
    from ansinh.geo.management.commands.bench import run_child, split_data

    if not enabled():
        return ["de-duplication: skipped (ANSINH_BENCH_DEDUP=0)"]
    lines = ["de-duplication (synthetic people, planted duplicates; goal: 1,000,000 on DuckDB ≤ 3 min):"]
    size = _size("ANSINH_BENCH_DEDUP_RECORDS", 1_000_000)
    child = run_child(["bench_dedup", "duckdb", "--records", str(size)], env)
    text, data = split_data(child.output.split(MARK)[-1])
    lines.append(text)
    work = data["keys_s"] + data["link_s"]
    goal = "met" if work <= GOAL_SECONDS * size / 1_000_000 else "NOT met"
    lines.append(f"  goal ≤ 3 min at 1,000,000: {goal} ({work:.0f} s for keys + linkage at {size:,}; "
                 f"{work + data['train_s']:.0f} s with training; child peak RSS {child.rss:.0f} MiB, "
                 f"DuckDB memory limit {os.environ.get('ANSINH_DEDUP_MEMORY', '3GB')})")
    lines.extend(national(data))
    spark_size = _size("ANSINH_BENCH_DEDUP_SPARK_RECORDS", 50_000)
    if spark_size <= 0:
        lines.append("spark: skipped (ANSINH_BENCH_DEDUP_SPARK_RECORDS=0)")
        return lines
    from ansinh.dedup.spark import available

    reason = available()
    if reason:
        lines.append(f"spark: skipped ({reason})")
        return lines
    child = run_child(["bench_dedup", "spark", "--records", str(spark_size)], env)
    text, data = split_data(child.output.split(MARK)[-1])
    lines.append(text)
    lines.append(f"  spark child: {child.seconds:.0f} s wall in all, peak RSS of the Python driver {child.rss:.0f} MiB "
                 "(the JVM is a process of its own)")
    return lines
