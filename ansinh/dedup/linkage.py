"""Record linkage of people: the same person twice in the register (issue 12, item 4).

Two passes over a unit's living members:

1. **Exact**: the same citizen ID (a join; probability 1).
2. **Probabilistic** (Fellegi–Sunter with Splink 5): pairs that share a blocking key are scored
   on the name parts, the birth date, the citizen ID (one digit mistyped), the commune and the
   sex; a pair at or above the threshold becomes a review item.

The data is read set-based (`prepare`: one query, the name keys of `dedup.names`, computed in
Python so that DuckDB, Spark and the entry check see the same keys: DuckDB's `strip_accents`
keeps đ). The settings (`settings`) are Python, built on each engine (a model saved on DuckDB
carries DuckDB SQL that Spark refuses); the trained numbers (m, u, the prior, the frequencies of
family and given names) are stored in a `LinkageModel` and applied as numbers.

Vietnamese names: the family name is one of a few dozen (Nguyễn is 38 %), so it weighs little
and its exact level is adjusted by the name's frequency (TF); the given name carries most of
the evidence (exact with tones, exact folded with its frequency, similar, different); the middle
name is a comparison of its own (Văn/Thị are nearly sex markers); Hoàng/Huỳnh and Vũ/Võ are a
level of their own ("variant"). Birth dates: exact, day and month swapped, one digit off, same
year (01/01 for a year-only date), different.

Blocking (pairs scored at all): same citizen ID; same birth date; same family, middle and given
names and birth year; same commune, given name and birth year. Never a commune or a name alone
(30,000 people per commune after the 2025 merger: 450 million pairs).

Training (`train`): on a sample (≤ 200,000 records), then frozen. The prior and the u
probabilities (how often strangers agree) are estimated on the register's sample; the m
probabilities (how often one person's two records agree: the offices' typing errors) come from
labelled pairs — the pairs officers confirmed as one person when there are enough, the planted
truth of synthetic data, else the default model's. Unsupervised EM is not used: blocked on the
birth date or on a name it degenerated on these registers (measured at 200,000 and 1,000,000
people: its "match" class took the strangers who share a middle name or "Nguyễn"), and
`check_model` refuses such a model. The prior is rescaled to the size of the table a run links
(`scaled`). A run (`run`) uses the active model, or the default model shipped in
`dedup/data/default_model.json` (trained by this code on `dedup.synthetic` data:
`ansinh dedup train --synthetic 200000 --default`).

Decided pairs stay decided: a run inserts only pairs that have no row yet (`DuplicatePair` has
one row per pair, ever), so a dismissed pair is never raised again; open pairs found again get
their `last_seen`. A run writes in one transaction at the end, so a crash leaves nothing half
written and running it again is safe.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .names import name_keys

if TYPE_CHECKING:
    import duckdb
    from splink import SettingsCreator

    from ansinh.accounts.audit import Actor
    from ansinh.geo.models import Unit

    from .models import DedupRun, LinkageModel

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]

DEFAULT_MODEL = Path(__file__).with_name("data") / "default_model.json"
ENGINES = ("duckdb", "spark")
FORMAT = 1
M_FLOOR = 0.005  # the least m of a level (real registers have typos the synthetic data has not)
CHUNK_PEOPLE = 500_000  # people per prediction chunk (memory bound, and a progress step)
MIN_LABELS = 50  # confirmed pairs needed to estimate m from them
TF_KEEP = 2000  # most frequent family and given names kept with the model (for the entry check)

# The comparisons: output column, then the key of each level after the null level, in order.
LEVELS: dict[str, tuple[str, ...]] = {
    "citizen_id": ("exact", "one_digit", "else"),
    "family_name": ("exact", "variant", "else"),
    "middle_name": ("exact", "else"),
    "given_name": ("exact_toned", "exact", "similar", "else"),
    "birth_date": ("exact", "swapped", "one_digit", "same_year", "else"),
    "commune": ("exact", "else"),
    "sex": ("exact", "else"),
}
# The m and u of a level the data could not train: in a register where citizen IDs are unique
# (a database constraint), no random pair and few true pairs share one, yet the same ID is
# strong evidence. Values from the research runs (docs/payments-dedup-sources.md §2.3).
FALLBACK: dict[tuple[str, str], tuple[float, float]] = {
    ("citizen_id", "exact"): (0.6, 1e-8),
    ("citizen_id", "one_digit"): (0.25, 1e-6),
}
GIVEN_SIMILAR = 0.88  # Jaro–Winkler on the folded given name ("hung"/"hun" 0.94; "thao"/"thai" 0.88)

# Blocking for a province (DuckDB) and the strict rules of a national pass (Spark), as column
# lists for `block_on`; "year" is the birth year.
RULES_PROVINCE: tuple[tuple[str, ...], ...] = (
    ("citizen_id",),
    ("dob",),
    ("family_f", "middle_f", "given_f", "substr(dob, 1, 4)"),
    ("commune", "given_f", "substr(dob, 1, 4)"),
)
RULES_NATIONAL: tuple[tuple[str, ...], ...] = (
    ("citizen_id",),
    ("dob", "family_g", "given_f"),
)

# Vietnamese words for the pages (the review lane shows the evidence in words).
EVIDENCE_WORDS: dict[str, dict[str, str]] = {
    "citizen_id": {"exact": "Trùng số định danh", "one_digit": "Số định danh khác một chữ số",
                   "else": "Số định danh khác nhau", "null": "Thiếu số định danh"},
    "family_name": {"exact": "Cùng họ", "variant": "Họ đọc theo hai vùng (Hoàng/Huỳnh, Vũ/Võ)",
                    "else": "Khác họ", "null": "Thiếu họ"},
    "middle_name": {"exact": "Cùng tên đệm", "else": "Khác tên đệm", "null": "Một bên không có tên đệm"},
    "given_name": {"exact_toned": "Cùng tên (cả dấu)", "exact": "Cùng tên (khác dấu)",
                   "similar": "Tên gần giống", "else": "Khác tên", "null": "Thiếu tên"},
    "birth_date": {"exact": "Cùng ngày sinh", "swapped": "Ngày sinh đảo ngày và tháng",
                   "one_digit": "Ngày sinh khác một chữ số", "same_year": "Cùng năm sinh",
                   "else": "Khác năm sinh", "null": "Thiếu ngày sinh"},
    "commune": {"exact": "Cùng xã/phường", "else": "Khác xã/phường", "null": "Thiếu xã/phường"},
    "sex": {"exact": "Cùng giới tính", "else": "Khác giới tính", "null": "Thiếu giới tính"},
}

COLUMNS = ("unique_id", "name_f", "family_f", "middle_f", "given_f", "given_t", "family_g", "dob", "sex",
           "citizen_id", "commune", "hamlet")



# The match probability from which a pair becomes a review item. On the planted duplicates
# (bench_dedup) 0,5 keeps precision near 99 % and finds about 11 points more of them than 0,9:
# an officer looks at every item, so the queue favours recall.
REVIEW_THRESHOLD = 0.5

def _config_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, "") or default))
    except ValueError:
        return default


def duckdb_threads() -> int:
    """ANSINH_DEDUP_THREADS (default 2: this machine's cores, shared)."""
    return _config_int("ANSINH_DEDUP_THREADS", 2)


def duckdb_memory() -> str:
    """ANSINH_DEDUP_MEMORY: DuckDB's memory limit (default 3GB; it spills to its temp directory above)."""
    return os.environ.get("ANSINH_DEDUP_MEMORY", "").strip() or "3GB"


def duckdb_temp() -> str:
    """ANSINH_DEDUP_TEMP: where DuckDB spills (default: the system temp directory)."""
    path = os.environ.get("ANSINH_DEDUP_TEMP", "").strip() or os.path.join(tempfile.gettempdir(), "ansinh-duckdb")
    os.makedirs(path, exist_ok=True)
    return path


# --- The records --------------------------------------------------------------------------------


def _keys(full_name: str) -> tuple[str | None, str | None, str | None, str | None, str | None, str | None]:
    k = name_keys(full_name)
    given = k.given or k.family
    return (k.full or None, k.family or None, k.middle or None, given or None,
            (k.given_toned or given) or None, k.family_group or None)


KEY_COLUMNS = ("name_f", "family_f", "middle_f", "given_f", "given_t", "family_g")


def records_table(records: pa.Table) -> pa.Table:
    """The linkage input (columns `COLUMNS`, plus `person_id` when the records carry the truth)
    from a table of records: `unique_id`, `full_name`, `birth_date` (date), `sex`, `citizen_id`,
    `commune`, optionally `hamlet`. Vectorised: the name keys are computed once per distinct name
    (`dedup.names.name_keys`), birth dates become ISO text, a citizen ID is kept only when it is
    12 digits, communes and hamlets become text."""
    import pyarrow.compute as pc

    names = pc.fill_null(records.column("full_name").cast(pa.string()), "").combine_chunks().dictionary_encode()
    keys = [_keys(str(name)) for name in names.dictionary.to_pylist()]
    columns: dict[str, Any] = {"unique_id": records.column("unique_id").cast(pa.int64())}
    for i, column in enumerate(KEY_COLUMNS):
        columns[column] = pa.array([k[i] for k in keys], type=pa.string()).take(names.indices)
    columns["dob"] = records.column("birth_date").cast(pa.date32()).cast(pa.string())
    columns["sex"] = records.column("sex").cast(pa.string())
    cid = pc.utf8_trim_whitespace(records.column("citizen_id").cast(pa.string()))
    columns["citizen_id"] = pc.if_else(pc.match_substring_regex(cid, r"^\d{12}$"), cid, pa.scalar(None, pa.string()))
    columns["commune"] = records.column("commune").cast(pa.string())
    columns["hamlet"] = (records.column("hamlet").cast(pa.string()) if "hamlet" in records.column_names
                         else pa.nulls(records.num_rows, pa.string()))
    if "person_id" in records.column_names:
        columns["person_id"] = records.column("person_id").cast(pa.int64())
    return pa.table(columns)


def keys_table(ids: Iterable[int], names: Iterable[str], births: Iterable[dt.date | None], sexes: Iterable[str],
               citizen_ids: Iterable[str | None], communes: Iterable[Any], hamlets: Iterable[Any] | None = None) -> pa.Table:
    """`records_table` from plain columns."""
    ids_ = list(ids)
    return records_table(pa.table({
        "unique_id": pa.array(ids_, type=pa.int64()),
        "full_name": pa.array(list(names), type=pa.string()),
        "birth_date": pa.array(list(births), type=pa.date32()),
        "sex": pa.array(list(sexes), type=pa.string()),
        "citizen_id": pa.array(list(citizen_ids), type=pa.string()),
        "commune": pa.array([None if c is None else str(c) for c in communes], type=pa.string()),
        "hamlet": pa.array([None if h is None else str(h) for h in hamlets] if hamlets is not None
                           else [None] * len(ids_), type=pa.string()),
    }))


def prepare(unit: Unit) -> pa.Table:
    """The unit's living members present in their household, as linkage input: one query."""
    from ansinh.benefits.checks import commune_ids
    from ansinh.households.models import Member

    communes = commune_ids(unit)
    rows = (Member.objects.present().filter(household__commune_id__in=communes)
            .values_list("pk", "full_name", "birth_date", "sex", "citizen_id", "household__commune_id",
                         "household__hamlet_id").order_by("pk"))
    cols: list[list[Any]] = [[], [], [], [], [], [], []]
    for row in rows.iterator(chunk_size=20_000):
        for values, value in zip(cols, row, strict=True):
            values.append(value)
    return keys_table(*cols)


# --- The settings ----------------------------------------------------------------------------------


def _comparisons() -> list[Any]:
    import splink.comparison_level_library as cll
    from splink import comparison_library as cl

    def levels(name: str, items: list[Any]) -> Any:
        return cl.CustomComparison(output_column_name=name, comparison_levels=items)

    swapped = ("substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
               "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)")
    return [
        levels("citizen_id", [cll.NullLevel("citizen_id"),
                              cll.ExactMatchLevel("citizen_id").configure(label_for_charts="exact"),
                              cll.LevenshteinLevel("citizen_id", 1).configure(label_for_charts="one_digit"),
                              cll.ElseLevel().configure(label_for_charts="else")]),
        levels("family_name", [cll.NullLevel("family_f"),
                               cll.ExactMatchLevel("family_f").configure(tf_adjustment_column="family_f",
                                                                          label_for_charts="exact"),
                               cll.ExactMatchLevel("family_g").configure(label_for_charts="variant"),
                               cll.ElseLevel().configure(label_for_charts="else")]),
        levels("middle_name", [cll.NullLevel("middle_f"),
                               cll.ExactMatchLevel("middle_f").configure(label_for_charts="exact"),
                               cll.ElseLevel().configure(label_for_charts="else")]),
        levels("given_name", [cll.NullLevel("given_f"),
                              cll.ExactMatchLevel("given_t").configure(tf_adjustment_column="given_f",
                                                                        label_for_charts="exact_toned"),
                              cll.ExactMatchLevel("given_f").configure(tf_adjustment_column="given_f",
                                                                        label_for_charts="exact"),
                              cll.JaroWinklerLevel("given_f", GIVEN_SIMILAR).configure(label_for_charts="similar"),
                              cll.ElseLevel().configure(label_for_charts="else")]),
        levels("birth_date", [cll.NullLevel("dob"),
                              cll.ExactMatchLevel("dob").configure(label_for_charts="exact"),
                              cll.CustomLevel(swapped).configure(label_for_charts="swapped"),
                              cll.LevenshteinLevel("dob", 1).configure(label_for_charts="one_digit"),
                              cll.CustomLevel("substr(dob_l, 1, 4) = substr(dob_r, 1, 4)").configure(
                                  label_for_charts="same_year"),
                              cll.ElseLevel().configure(label_for_charts="else")]),
        levels("commune", [cll.NullLevel("commune"), cll.ExactMatchLevel("commune").configure(label_for_charts="exact"),
                           cll.ElseLevel().configure(label_for_charts="else")]),
        levels("sex", [cll.NullLevel("sex"), cll.ExactMatchLevel("sex").configure(label_for_charts="exact"),
                       cll.ElseLevel().configure(label_for_charts="else")]),
    ]


def settings(*, params: dict[str, Any] | None = None,
             rules: tuple[tuple[str, ...], ...] = RULES_PROVINCE) -> SettingsCreator:
    """Splink's settings, the same Python for both engines; with `params` (a trained model's
    numbers) the m and u of every level and the prior are set."""
    from splink import SettingsCreator, block_on

    comparisons = _comparisons()
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in rules],
        comparisons=comparisons,
        retain_intermediate_calculation_columns=False,  # the evidence is recomputed from the keys (add_pair)
        retain_matching_columns=False,
    )
    if params is not None:
        for comparison in comparisons:
            name = comparison.create_output_column_name()
            trained = params["comparisons"][name]
            comparison.configure(m_probabilities=[level["m"] for level in trained],
                                 u_probabilities=[level["u"] for level in trained])
        creator.probability_two_random_records_match = params["lambda"]
    return creator


# --- Training ---------------------------------------------------------------------------------------


def quiet_splink() -> None:
    """Splink logs each phase at INFO on stderr (it installs its own handler): the CLI's progress
    bar and the job's log want only its warnings."""
    for name in ["splink", *(n for n in logging.root.manager.loggerDict if n.startswith("splink."))]:
        logging.getLogger(name).setLevel(logging.WARNING)


def duckdb_connection(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    import duckdb

    quiet_splink()

    con = duckdb.connect(":memory:")
    for statement in (f"SET threads={threads or duckdb_threads()}", f"SET memory_limit='{duckdb_memory()}'",
                      f"SET temp_directory='{duckdb_temp()}'", "SET preserve_insertion_order=false"):
        con.execute(statement).fetchall()
    return con


def _sample(table: pa.Table, max_records: int, seed: int) -> pa.Table:
    if table.num_rows <= max_records:
        return table
    import numpy as np

    rows = np.sort(np.random.default_rng(seed).choice(table.num_rows, max_records, replace=False))
    return table.take(pa.array(rows))


def _frequencies(con: duckdb.DuckDBPyConnection, column: str) -> dict[str, float]:
    """The most frequent names and their shares (kept with the model for the entry check); a
    name borne by fewer than five people is left out: the model names no one."""
    rows = con.execute(f"""select value, share from (
                               select {column} as value, count(*) as n, count(*) / sum(count(*)) over () as share
                               from people where {column} is not null group by 1)
                           where n >= 5 order by share desc limit {TF_KEEP}""").fetchall()
    return {str(value): float(share) for value, share in rows}


def train_table(table: pa.Table, *, max_records: int = 200_000, seed: int = 1, u_pairs: float = 5e6,
                confirmed: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """Trains the model on a sample of `table` (linkage input) and returns its numbers, checked:
    a model whose evidence makes no sense is refused (ValidationError)."""
    import splink
    from splink import DuckDBAPI, Linker, block_on

    if table.num_rows < 100:
        raise ValidationError("Cần ít nhất 100 người để huấn luyện mô hình so khớp.")
    sample = _sample(table, max_records, seed)
    con = duckdb_connection()
    con.register("people_arrow", sample)
    con.execute("create table people as select * from people_arrow").fetchall()
    con.unregister("people_arrow")
    linker = Linker(DuckDBAPI(connection=con).register(con.table("people")), settings())
    linker.training.estimate_probability_two_random_records_match(
        [block_on("citizen_id"), block_on("family_f", "middle_f", "given_f", "dob")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    # m (how often a true pair reaches each level: the data-entry errors) comes from labelled pairs:
    # the planted truth of synthetic data (`person_id`), or the pairs officers confirmed as one
    # person. Without labels it is carried over from the default model (m describes how offices
    # mistype, which travels between registers; u and the prior describe the population, and are
    # estimated here). EM is not used: blocked on the birth date or a name it degenerates on
    # Vietnamese registers (among people born the same day, strangers with the same middle name or
    # the same Nguyễn are far more numerous than duplicates, and EM's "match" class takes them).
    if confirmed:
        present = set(sample.column("unique_id").to_pylist())
        confirmed = [(a, b) for a, b in confirmed if a in present and b in present]
    m_source = "planted"
    if "person_id" in sample.column_names:
        linker.training.estimate_m_from_label_column("person_id")
    elif confirmed and len(confirmed) >= MIN_LABELS:
        labels = pa.table({"unique_id_l": pa.array([a for a, _ in confirmed], pa.int64()),
                           "unique_id_r": pa.array([b for _, b in confirmed], pa.int64())})
        con.register("labels_arrow", labels)
        con.execute("create table pair_labels as select * from labels_arrow").fetchall()
        linker.training.estimate_m_from_pairwise_labels("pair_labels")
        m_source = "confirmed"
    else:
        m_source = "default"
    model = linker.misc.save_model_to_json()
    comparisons: dict[str, list[dict[str, Any]]] = {}
    untrained: list[str] = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        out = []
        for key, level in zip(LEVELS[name], levels, strict=True):
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is None or u is None:
                untrained.append(f"{name}.{key}")
                fallback_m, fallback_u = FALLBACK.get((name, key), (1e-4, 1e-4))
                m = fallback_m if m is None else m
                u = fallback_u if u is None else u
            out.append({"key": key, "m": float(m), "u": float(u)})
        comparisons[name] = out
    # u of "one digit apart" among the pairs blocking brings together (born the same day: the same
    # year, mostly the same province and sex, so the same ID prefix), not among random pairs:
    # serials are dense within a prefix, so strangers often differ by one digit (u ≈ 54 × the
    # prefix's density), which random pairs (different prefixes) hide.
    near, both = con.execute(id_noise_sql("person_id" in sample.column_names)).fetchall()[0]
    comparisons = with_id_noise({"comparisons": comparisons}, int(near), int(both))["comparisons"]
    for levels in comparisons.values():  # a floor: an error the training data never showed is unlikely, not impossible
        total = sum(max(level["m"], M_FLOOR) for level in levels)
        for level in levels:
            level["m"] = max(level["m"], M_FLOOR) / total
    if m_source == "default":
        carried = default_params()["comparisons"]
        for name, levels in comparisons.items():
            for level, known in zip(levels, carried[name], strict=True):
                level["m"] = known["m"]
        untrained = []
    same_ids = con.execute("""select count(*) from people a join people b
                              on a.citizen_id = b.citizen_id and a.unique_id < b.unique_id""").fetchall()[0][0]
    params = {
        "format": FORMAT,
        "splink": splink.__version__,
        "lambda": float(model["probability_two_random_records_match"]),
        "comparisons": comparisons,
        "tf": {"family_f": _frequencies(con, "family_f"), "given_f": _frequencies(con, "given_f")},
        "records": sample.num_rows,
        "of_records": table.num_rows,
        "seed": seed,
        "trained": timezone.now().isoformat(timespec="seconds"),
        "untrained_levels": untrained,
        "m_from": m_source,
        "same_id_pairs": int(same_ids),
    }
    check_model(params)
    con.close()
    return params


def _m(params: dict[str, Any], comparison: str, key: str) -> float:
    return next(level["m"] for level in params["comparisons"][comparison] if level["key"] == key)


def check_model(params: dict[str, Any]) -> None:
    """Refuses a degenerate model (EM latched onto namesakes): the given name must usually agree
    for true pairs, so must the birth date roughly; the same citizen ID must be strong evidence
    when the data had any."""
    problems = []
    if _m(params, "given_name", "else") > 0.2:
        problems.append("tên khác nhau lại xuất hiện ở quá nhiều cặp trùng")
    if _m(params, "family_name", "else") > 0.3:
        problems.append("họ khác nhau lại xuất hiện ở quá nhiều cặp trùng")
    if _m(params, "birth_date", "else") > 0.3:
        problems.append("năm sinh khác nhau lại xuất hiện ở quá nhiều cặp trùng")
    if params.get("same_id_pairs", 0) >= 10 and _m(params, "citizen_id", "exact") < 0.3:
        problems.append("trùng số định danh lại hiếm ở các cặp trùng")
    if not 0 < params["lambda"] < 0.5:
        problems.append("xác suất tiên nghiệm không hợp lý")
    if problems:
        raise ValidationError("Mô hình so khớp vừa huấn luyện không dùng được (" + "; ".join(problems) + "). "
                              "Hãy huấn luyện trên một mẫu khác (ít hơn 200.000 người, đủ đa dạng).")


def train(table: pa.Table, *, actor: Actor, engine: str = "duckdb", max_records: int = 200_000,
          note: str = "", u_pairs: float = 5e6) -> LinkageModel:
    """Trains on a sample, freezes and stores the model; it becomes the active one (audited)."""
    from ansinh.accounts import audit
    from ansinh.accounts.models import AuditAction

    from .models import LinkageModel

    if engine != "duckdb":
        raise ValidationError("Mô hình chỉ huấn luyện trên DuckDB (một mẫu tối đa 200.000 người); "
                              "mô hình đã huấn luyện chạy được trên cả DuckDB và Spark.")
    from .identity import SAME
    from .models import DuplicatePair

    confirmed = list(DuplicatePair.objects.filter(status__in=SAME).values_list("left_id", "right_id"))
    params = train_table(table, max_records=max_records, u_pairs=u_pairs, confirmed=confirmed)
    with transaction.atomic():
        LinkageModel.objects.filter(active=True).update(active=False)
        model = LinkageModel.objects.create(engine=engine, params=params, records=params["records"], active=True,
                                            note=note[:500], trained_by=actor.user)
        audit.record(actor=actor, action=AuditAction.DEDUP_MODEL_TRAIN, obj=model,
                     after={"records": params["records"], "of_records": params["of_records"],
                            "lambda": params["lambda"]})
    return model


_DEFAULT: dict[str, Any] = {}


def default_params() -> dict[str, Any]:
    """The model shipped with the code (read once; do not change the dict returned)."""
    if "params" not in _DEFAULT:
        _DEFAULT["params"] = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    params: dict[str, Any] = _DEFAULT["params"]
    return params


def active_model() -> tuple[LinkageModel | None, dict[str, Any]]:
    """The model runs use: the active trained one, else the default shipped with the code."""
    from .models import LinkageModel

    model = LinkageModel.objects.filter(active=True).order_by("-trained_at", "-pk").first()
    if model is not None:
        return model, model.params
    return None, default_params()


# --- Linking ------------------------------------------------------------------------------------------


@dataclass
class Pair:
    left: int
    right: int
    probability: float
    method: str  # "citizen_id" or "linkage"
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class LinkResult:
    people: int
    comparisons: int
    found_exact: int
    found_linkage: int
    pairs: list[Pair]
    seconds: dict[str, float] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)  # the model as applied (prior scaled, ID noise)


def id_noise_sql(labelled: bool = False) -> str:
    """Pairs born the same day with both citizen IDs: how many are one digit apart, of how many
    (the same SQL on DuckDB and Spark)."""
    truth = " and a.person_id <> b.person_id" if labelled else ""
    return ("select count(case when levenshtein(a.citizen_id, b.citizen_id) = 1 then 1 end), count(*) "
            "from people a join people b on a.dob = b.dob and a.unique_id < b.unique_id "
            f"where a.citizen_id is not null and b.citizen_id is not null{truth}")


def with_id_noise(params: dict[str, Any], near: int, both: int) -> dict[str, Any]:
    """The model with u("one digit apart") at least what the data shows among pairs born the same
    day: where a register's serials are dense or issued in sequence, strangers often differ by
    one digit, and a random-pair estimate hides it."""
    if not both:
        return params
    comparisons = {name: [dict(level) for level in levels] for name, levels in params["comparisons"].items()}
    level = next(level for level in comparisons["citizen_id"] if level["key"] == "one_digit")
    level["u"] = max(level["u"], (near + 1) / (both + 1))
    return {**params, "comparisons": comparisons}


def scaled(params: dict[str, Any], people: int) -> dict[str, Any]:
    """The model for a table of `people`: the prior (the chance that two records picked at random
    are one person) scales as 1/N when duplicates are a steady share of people, so a model trained
    on 200,000 people and run on a million gets a five times smaller prior."""
    trained = int(params.get("records") or 0)
    if trained < 2 or people < 2:
        return params
    return {**params, "lambda": min(params["lambda"] * (trained - 1) / (people - 1), 0.5)}


def _weights(params: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {name: {level["key"]: math.log2(max(level["m"], 1e-12) / max(level["u"], 1e-12)) for level in levels}
            for name, levels in params["comparisons"].items()}


def evidence_of(gammas: dict[str, int], params: dict[str, Any]) -> dict[str, Any]:
    """Per comparison, the level reached ("exact", "similar", …, "null") and its weight (log₂ of
    the Bayes factor, before frequency adjustment)."""
    weights = _weights(params)
    out: dict[str, Any] = {}
    for name, keys in LEVELS.items():
        gamma = gammas.get(name, -1)
        if gamma is None or gamma < 0:
            out[name] = {"level": "null", "weight": 0.0}
            continue
        key = keys[len(keys) - 1 - gamma]  # Splink numbers levels from the bottom: ELSE is 0
        out[name] = {"level": key, "weight": round(weights[name][key], 2)}
    return out


def evidence_words(evidence: dict[str, Any]) -> list[str]:
    """The evidence in Vietnamese, strongest first ("Cùng ngày sinh", "Tên gần giống", …)."""
    items = [(value.get("weight", 0.0), EVIDENCE_WORDS.get(name, {}).get(value.get("level", ""), ""))
             for name, value in evidence.items() if isinstance(value, dict)]
    return [text for _, text in sorted(items, key=lambda item: -item[0]) if text]


def count_comparisons(con: duckdb.DuckDBPyConnection, rules: tuple[tuple[str, ...], ...]) -> int:
    """Pairs the blocking rules generate (summed over the rules: an upper bound, pairs found by
    two rules are scored once)."""
    total = 0
    for rule in rules:
        cols = ", ".join(rule)
        nulls = " and ".join(f"{col} is not null" for col in rule if "(" not in col) or "true"
        total += con.execute(f"""select coalesce(sum(c * (c - 1) / 2), 0)::bigint from
                                 (select count(*) c from people where {nulls} group by {cols})""").fetchall()[0][0]
    return int(total)


EXACT_SQL = (f"select {', '.join(f'a.{c}' for c in COLUMNS)}, {', '.join(f'b.{c}' for c in COLUMNS)} "
             "from people a join people b on a.citizen_id = b.citizen_id and a.unique_id < b.unique_id")

Records = tuple[dict[str, Any], dict[str, Any]]


def split_row(row: Iterable[Any]) -> Records:
    """A row of both records' `COLUMNS` side by side, as two dicts."""
    values = list(row)
    width = len(COLUMNS)
    return dict(zip(COLUMNS, values[:width], strict=True)), dict(zip(COLUMNS, values[width:2 * width], strict=True))


def _exact_pairs(con: duckdb.DuckDBPyConnection) -> list[Records]:
    return [split_row(row) for row in con.execute(EXACT_SQL).fetchall()]


def _step(progress: ProgressFn | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def link(table: pa.Table, *, params: dict[str, Any], engine: str = "duckdb", threshold: float = REVIEW_THRESHOLD,
         progress: ProgressFn | None = None, chunks: int | None = None,
         rules: tuple[tuple[str, ...], ...] = RULES_PROVINCE) -> LinkResult:
    """Links the records of `table` (linkage input): the exact pass, then Splink with the frozen
    `params`. Progress is reported in hundredths."""
    if engine not in ENGINES:
        raise ValidationError(f"Không có bộ máy so khớp “{engine}” (chỉ có duckdb hoặc spark).")
    if not 0 < threshold < 1:
        raise ValidationError("Ngưỡng xác suất phải lớn hơn 0 và nhỏ hơn 1.")
    params = scaled(params, table.num_rows)
    if engine == "spark":
        from .spark import link_spark

        return link_spark(table, params=params, threshold=threshold, progress=progress, rules=rules)
    from splink import DuckDBAPI, Linker

    times: dict[str, float] = {}
    started = time.perf_counter()
    _step(progress, 0, 100)
    con = duckdb_connection()
    con.register("people_arrow", table)
    con.execute("create table people as select * from people_arrow").fetchall()
    con.unregister("people_arrow")
    exact = _exact_pairs(con)
    comparisons = count_comparisons(con, rules)
    near, both = con.execute(id_noise_sql()).fetchall()[0]
    params = with_id_noise(params, int(near), int(both))
    times["exact"] = time.perf_counter() - started
    _step(progress, 5, 100)
    pairs: dict[tuple[int, int], Pair] = {}
    if table.num_rows >= 2:
        linker = Linker(DuckDBAPI(connection=con).register(con.table("people")), settings(params=params, rules=rules))
        n = chunks or max(1, math.ceil(table.num_rows / CHUNK_PEOPLE))
        for i in range(1, n + 1):
            frame = linker.inference.predict_chunk(left_chunk=(i, n), right_chunk=(1, 1),
                                                   threshold_match_probability=threshold, warning_mode="never")
            rows = con.execute(f"""select p.match_probability, {', '.join(f'l.{c}' for c in COLUMNS)},
                                   {', '.join(f'r.{c}' for c in COLUMNS)} from {frame.physical_name} p
                                   join people l on l.unique_id = p.unique_id_l
                                   join people r on r.unique_id = p.unique_id_r""").fetchall()
            frame.drop_table_from_database_and_remove_from_cache()
            for row in rows:
                add_pair(pairs, float(row[0]), *split_row(row[1:]), params)
            _step(progress, 5 + 90 * i // n, 100)
    times["predict"] = time.perf_counter() - started - times["exact"]
    con.close()
    return _combine(table.num_rows, comparisons, exact, pairs, params, times)


def add_pair(pairs: dict[tuple[int, int], Pair], probability: float, a: dict[str, Any], b: dict[str, Any],
             params: dict[str, Any]) -> None:
    """Records a scored pair with its evidence (the levels, recomputed from both records' keys:
    the same code for every engine and for the entry check)."""
    left, right = sorted((int(a["unique_id"]), int(b["unique_id"])))
    pairs[(left, right)] = Pair(left, right, probability, "linkage", evidence_of(_gammas(a, b), params))


def _combine(people: int, comparisons: int, exact: list[Records], pairs: dict[tuple[int, int], Pair],
             params: dict[str, Any], times: dict[str, float]) -> LinkResult:
    keys = {tuple(sorted((int(a["unique_id"]), int(b["unique_id"])))) for a, b in exact}
    found_linkage = sum(1 for key in pairs if key not in keys)
    for a, b in exact:
        add_pair(pairs, 1.0, a, b, params)
        pair = pairs[tuple(sorted((int(a["unique_id"]), int(b["unique_id"]))))]  # type: ignore[index]
        pair.method = "citizen_id"
    ordered = sorted(pairs.values(), key=lambda p: (-p.probability, p.left, p.right))
    return LinkResult(people=people, comparisons=comparisons, found_exact=len(exact), found_linkage=found_linkage,
                      pairs=ordered, seconds=times, params=params)


# --- A run over a unit -------------------------------------------------------------------------------


def _write_pairs(run: DedupRun, pairs: list[Pair]) -> int:
    """Inserts the pairs that have no row yet; refreshes `last_seen` of the open ones found again.
    Returns how many were new. Set-based: a few queries per 5,000 pairs."""
    from .models import DuplicatePair, Method, PairStatus

    now = timezone.now()
    existing: dict[tuple[int, int], tuple[int, str]] = {}
    lefts = sorted({p.left for p in pairs})
    for i in range(0, len(lefts), 5000):
        for left, right, pk, status in (DuplicatePair.objects.filter(left_id__in=lefts[i:i + 5000])
                                        .values_list("left_id", "right_id", "pk", "status")):
            existing[(left, right)] = (pk, status)
    new = [DuplicatePair(left_id=p.left, right_id=p.right, method=Method(p.method), probability=p.probability,
                         evidence=p.evidence, run=run, status=PairStatus.OPEN, first_seen=now, last_seen=now)
           for p in pairs if (p.left, p.right) not in existing]
    DuplicatePair.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    again = [pk for (pk, status) in existing.values() if status == PairStatus.OPEN]
    for i in range(0, len(again), 5000):
        DuplicatePair.objects.filter(pk__in=again[i:i + 5000]).update(last_seen=now)
    return len(new)


def run(*, unit: Unit, actor: Actor, engine: str = "duckdb", progress: ProgressFn | None = None,
        threshold: float = REVIEW_THRESHOLD, job: Any = None) -> DedupRun:
    """Searches the unit's people for duplicates and records a `DedupRun` (see the module)."""
    from ansinh.accounts import audit
    from ansinh.accounts.models import AuditAction

    from .models import DedupRun, RunStatus

    if engine not in ENGINES:
        raise ValidationError(f"Không có bộ máy so khớp “{engine}” (chỉ có duckdb hoặc spark).")
    model, params = active_model()
    record = DedupRun.objects.create(unit=unit, engine=engine, model=model, job=job, started_by=actor.user)
    started = time.perf_counter()
    try:
        table = prepare(unit)

        def inner(done: int, total: int) -> None:
            _step(progress, 5 + done * 85 // max(total, 1), 100)

        _step(progress, 5, 100)
        result = link(table, params=params, engine=engine, threshold=threshold, progress=inner)
        with transaction.atomic():
            new = _write_pairs(record, result.pairs)
            record.people, record.comparisons = result.people, result.comparisons
            record.found_exact, record.found_linkage, record.new_pairs = result.found_exact, result.found_linkage, new
            record.status, record.finished_at = RunStatus.DONE, timezone.now()
            record.seconds = round(time.perf_counter() - started, 2)
            record.save()
            audit.record(actor=actor, action=AuditAction.DEDUP_RUN, obj=record, unit=unit,
                         after={"engine": engine, "people": result.people, "found_exact": result.found_exact,
                                "found_linkage": result.found_linkage, "new_pairs": new, "threshold": threshold})
    except Exception as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else type(error).__name__
        DedupRun.objects.filter(pk=record.pk).update(status=RunStatus.FAILED, error=message[:500],
                                                     finished_at=timezone.now(),
                                                     seconds=round(time.perf_counter() - started, 2))
        raise
    _step(progress, 100, 100)
    return record


# --- One new record against a few candidates (the entry check) -------------------------------------


def jaro_winkler(a: str, b: str) -> float:
    """Jaro–Winkler similarity (prefix scale 0.1, up to 4 letters), as DuckDB computes it."""
    if a == b:
        return 1.0 if a else 0.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    reach = max(max(la, lb) // 2 - 1, 0)
    used_a, used_b = [False] * la, [False] * lb
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - reach), min(lb, i + reach + 1)):
            if not used_b[j] and b[j] == ch:
                used_a[i] = used_b[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    transpositions, j = 0, 0
    for i in range(la):
        if used_a[i]:
            while not used_b[j]:
                j += 1
            if a[i] != b[j]:
                transpositions += 1
            j += 1
    jaro = (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def _levenshtein_le1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _record_keys(record: dict[str, Any]) -> dict[str, Any]:
    """A record as linkage keys, in Python (the same rules as `records_table`)."""
    if "given_f" in record:
        return record
    keys = dict(zip(KEY_COLUMNS, _keys(str(record.get("full_name") or "")), strict=True))
    birth = record.get("birth_date")
    cid = str(record.get("citizen_id") or "").strip()
    commune, hamlet = record.get("commune"), record.get("hamlet")
    return {"unique_id": int(record.get("id") or 0), **keys,
            "dob": birth.isoformat() if isinstance(birth, dt.date) else (birth or None),
            "sex": record.get("sex") or None, "citizen_id": cid if len(cid) == 12 and cid.isdigit() else None,
            "commune": None if commune is None else str(commune), "hamlet": None if hamlet is None else str(hamlet)}


def _gammas(a: dict[str, Any], b: dict[str, Any]) -> dict[str, int]:
    """The level each comparison reaches (Splink's numbering: ELSE 0, −1 null)."""
    def level(name: str, index: int) -> int:
        return len(LEVELS[name]) - 1 - index

    out: dict[str, int] = {}
    ca, cb = a.get("citizen_id"), b.get("citizen_id")
    out["citizen_id"] = -1 if not ca or not cb else level("citizen_id", 0 if ca == cb else 1 if _levenshtein_le1(ca, cb) else 2)
    fa, fb = a.get("family_f"), b.get("family_f")
    out["family_name"] = -1 if not fa or not fb else level(
        "family_name", 0 if fa == fb else 1 if a.get("family_g") == b.get("family_g") else 2)
    ma, mb = a.get("middle_f"), b.get("middle_f")
    out["middle_name"] = -1 if not ma or not mb else level("middle_name", 0 if ma == mb else 1)
    ga, gb = a.get("given_f"), b.get("given_f")
    if not ga or not gb:
        out["given_name"] = -1
    elif a.get("given_t") == b.get("given_t"):
        out["given_name"] = level("given_name", 0)
    else:
        out["given_name"] = level("given_name", 1 if ga == gb else 2 if jaro_winkler(ga, gb) >= GIVEN_SIMILAR else 3)
    da, db = a.get("dob"), b.get("dob")
    if not da or not db:
        out["birth_date"] = -1
    elif da == db:
        out["birth_date"] = level("birth_date", 0)
    elif da[:4] == db[:4] and da[5:7] == db[8:10] and da[8:10] == db[5:7]:
        out["birth_date"] = level("birth_date", 1)
    elif _levenshtein_le1(da, db):
        out["birth_date"] = level("birth_date", 2)
    else:
        out["birth_date"] = level("birth_date", 3 if da[:4] == db[:4] else 4)
    for name, column in (("commune", "commune"), ("sex", "sex")):
        xa, xb = a.get(column), b.get(column)
        out[name] = -1 if not xa or not xb else level(name, 0 if str(xa) == str(xb) else 1)
    return out


def _tf_adjustment(name: str, key: str, a: dict[str, Any], b: dict[str, Any], params: dict[str, Any]) -> float:
    """Splink's term-frequency adjustment of an exact level: log₂(u_exact / max(tf_a, tf_b))."""
    column = {"family_name": "family_f", "given_name": "given_f"}.get(name)
    if column is None or key not in ("exact", "exact_toned"):
        return 0.0
    table: dict[str, float] = params.get("tf", {}).get(column, {})
    if not table:
        return 0.0
    floor = min(table.values())
    tf = max(table.get(str(a.get(column)), floor), table.get(str(b.get(column)), floor))
    u_exact = next(level["u"] for level in params["comparisons"][name] if level["key"] == "exact")
    return math.log2(max(u_exact, 1e-12) / max(tf, 1e-12))


def score_candidates(record: dict[str, Any], candidates: list[dict[str, Any]]) -> list[tuple[int, float, dict[str, Any]]]:
    """Scores one record being entered against a few candidates with the active model, in Python
    (no engine to start: a few microseconds per pair). A record is a dict with `full_name`,
    `birth_date` (date), `sex`, `citizen_id`, `commune` (and `id` for candidates), or already the
    linkage keys. Returns (candidate id, match probability, evidence), most likely first."""
    _, params = active_model()
    return score_with(params, record, candidates)


def score_with(params: dict[str, Any], record: dict[str, Any],
               candidates: list[dict[str, Any]]) -> list[tuple[int, float, dict[str, Any]]]:
    weights = _weights(params)
    prior = params["lambda"]
    base = math.log2(prior / (1 - prior))
    mine = _record_keys(record)
    out = []
    for candidate in candidates:
        other = _record_keys(candidate)
        gammas = _gammas(mine, other)
        evidence = evidence_of(gammas, params)
        total = base
        for name, value in evidence.items():
            if value["level"] == "null":
                continue
            total += weights[name][value["level"]] + _tf_adjustment(name, value["level"], mine, other, params)
        probability = 2 ** total / (1 + 2 ** total) if total < 1000 else 1.0
        out.append((int(candidate.get("id", other.get("unique_id", 0))), probability, evidence))
    return sorted(out, key=lambda item: -item[1])
