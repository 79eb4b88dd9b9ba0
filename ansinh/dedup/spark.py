"""The same linkage on Spark (PySpark 4): local mode here and in the tests, a cluster for the country.

`link_spark` takes the same input table and the same frozen numbers as the DuckDB path
(`linkage.link`): the settings are rebuilt in Python on this engine (a model saved from DuckDB
carries DuckDB SQL, `try_strptime`, that Spark refuses) and the trained m, u and prior are
applied as numbers, so both engines give the same pairs. The evidence of each pair is computed
by the same Python code (`linkage.add_pair`).

Configuration (environment):
- `ANSINH_SPARK_MASTER`: the master URL (default `local[2]`; on a cluster `spark://…` or `yarn`,
  or leave it to `spark-submit`, see docs/dedup-national.md);
- `ANSINH_SPARK_DRIVER_MEMORY` (default 2g), `ANSINH_SPARK_PARTITIONS` (shuffle partitions,
  default 4 × cores of a local master);
- `ANSINH_DEDUP_TEMP`: where the input, the lineage breaks and the checkpoints go.

The workers must run this virtualenv's Python (`PYSPARK_PYTHON`, set here when unset): without it
they start the system's Python and fail with PYTHON_VERSION_MISMATCH.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import uuid
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.core.exceptions import ValidationError

from .linkage import (COLUMNS, EXACT_SQL, RULES_PROVINCE, LinkResult, Pair, ProgressFn, _combine, _step, add_pair,
                      duckdb_temp, id_noise_sql, settings, split_row, with_id_noise)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_SESSION: SparkSession | None = None


def available() -> str:
    """Why Spark cannot run here ("" when it can): pyspark missing, or no Java."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (the `spark` extra)"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "no Java runtime (java not on PATH and JAVA_HOME unset)"
    return ""


def master() -> str:
    return os.environ.get("ANSINH_SPARK_MASTER", "").strip() or "local[2]"


def session() -> SparkSession:
    """The Spark session (started once per process: a JVM takes 20–40 s to start)."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    reason = available()
    if reason:
        why = ("chưa cài gói pyspark (gói phụ spark: pip install -e '.[spark]')" if "pyspark" in reason
               else "không có Java (cần Java 17 hoặc 21)")
        raise ValidationError(f"Không chạy được Spark trên máy này: {why}. Hãy tìm bằng DuckDB.")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark import SparkConf, SparkContext
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    url = master()
    cores = 2
    if url.startswith("local[") and url[6:-1].isdigit():
        cores = int(url[6:-1])
    partitions = os.environ.get("ANSINH_SPARK_PARTITIONS", "").strip() or str(4 * cores)
    conf = (SparkConf().setMaster(url).setAppName("ansinh-dedup")
            .set("spark.driver.memory", os.environ.get("ANSINH_SPARK_DRIVER_MEMORY", "").strip() or "2g")
            .set("spark.jars", similarity_jar_location())
            .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
            .set("spark.sql.shuffle.partitions", partitions)
            .set("spark.default.parallelism", partitions)
            .set("spark.local.dir", os.path.join(duckdb_temp(), "spark-local")))
    context = SparkContext.getOrCreate(conf=conf)
    context.setLogLevel("ERROR")
    context.setCheckpointDir(os.path.join(duckdb_temp(), "spark-checkpoints"))
    _SESSION = SparkSession(context)
    return _SESSION


def stop() -> None:
    """Stops the session (the tests and the bench, to free the JVM's memory)."""
    global _SESSION
    if _SESSION is not None:
        _SESSION.stop()
        _SESSION = None


def link_spark(table: pa.Table, *, params: dict[str, Any], threshold: float = 0.5,
               progress: ProgressFn | None = None,
               rules: tuple[tuple[str, ...], ...] = RULES_PROVINCE) -> LinkResult:
    """`linkage.link` on Spark (see the module)."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    _step(progress, 0, 100)
    spark = session()  # first: without PySpark or Java, its message (splink's Spark backend imports PySpark)
    from splink import Linker, SparkAPI

    from .linkage import quiet_splink

    quiet_splink()
    times["session"] = time.perf_counter() - started
    _step(progress, 20, 100)
    work = os.path.join(duckdb_temp(), f"spark-{uuid.uuid4().hex}")
    os.makedirs(work)
    try:
        path = os.path.join(work, "people.parquet")
        pq.write_table(table, path)
        people = spark.read.parquet(path)
        people.createOrReplaceTempView("people")
        exact = [split_row(row) for row in spark.sql(EXACT_SQL).collect()]
        near, both = spark.sql(id_noise_sql()).collect()[0]
        params = with_id_noise(params, int(near or 0), int(both or 0))
        comparisons = 0
        for rule in rules:
            nulls = " and ".join(f"{col} is not null" for col in rule if "(" not in col) or "true"
            value = spark.sql(f"""select coalesce(sum(c * (c - 1) / 2), 0) from
                                  (select count(*) c from people where {nulls} group by {', '.join(rule)})""").collect()
            comparisons += int(value[0][0] or 0)
        times["exact"] = time.perf_counter() - started - times["session"]
        _step(progress, 35, 100)
        pairs: dict[tuple[int, int], Pair] = {}
        if table.num_rows >= 2:
            api = SparkAPI(spark_session=spark, break_lineage_method="parquet",
                           num_partitions_on_repartition=int(spark.conf.get("spark.sql.shuffle.partitions") or 8),
                           register_udfs_automatically=True)
            linker = Linker(api.register(people), settings(params=params, rules=rules))
            predicted = linker.inference.predict(threshold_match_probability=threshold).as_spark_dataframe()
            predicted.createOrReplaceTempView("predicted")
            _step(progress, 80, 100)
            left = ", ".join(f"l.{c} as l_{c}" for c in COLUMNS)
            right = ", ".join(f"r.{c} as r_{c}" for c in COLUMNS)
            rows = spark.sql(f"""select p.match_probability, {left}, {right} from predicted p
                                 join people l on l.unique_id = p.unique_id_l
                                 join people r on r.unique_id = p.unique_id_r""").collect()
            for row in rows:
                values = list(row)
                add_pair(pairs, float(values[0]), *split_row(values[1:]), params)
        times["predict"] = time.perf_counter() - started - times["session"] - times["exact"]
        _step(progress, 95, 100)
        return _combine(table.num_rows, comparisons, exact, pairs, params, times)
    finally:
        shutil.rmtree(work, ignore_errors=True)
