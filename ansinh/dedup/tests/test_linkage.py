"""The linkage engine: name keys and planted variants, the exact pass, a small register linked on
DuckDB, decided pairs never raised again, the CLI, the job, and the entry check's scoring."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.audit import Actor
from ansinh.dedup import linkage, synthetic
from ansinh.dedup.models import DedupRun, DuplicatePair, Method, PairStatus, RunStatus
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household, Member
from ansinh.testing import command_output

# --- Name keys and variants (no database) ---------------------------------------------------------


def test_it_gives_the_same_keys_to_nfc_nfd_and_toneless_names() -> None:
    name = "Nguyễn Đức Hưởng"
    table = linkage.keys_table([1, 2, 3], [name, unicodedata.normalize("NFD", name), "Nguyen Duc Huong"],
                               [dt.date(1950, 1, 2)] * 3, ["male"] * 3, [None] * 3, ["1"] * 3)
    rows = table.to_pylist()
    assert {(r["family_f"], r["middle_f"], r["given_f"]) for r in rows} == {("nguyen", "duc", "huong")}
    assert rows[0]["given_t"] == rows[1]["given_t"] == "hưởng"
    assert rows[2]["given_t"] == "huong"
    assert rows[0]["dob"] == "1950-01-02"


def test_it_keeps_only_well_formed_citizen_ids_and_groups_family_variants() -> None:
    table = linkage.keys_table([1, 2], ["Huỳnh Văn An", "Võ Thị Bé"], [dt.date(1960, 5, 6)] * 2, ["male", "female"],
                               ["086060001234", "12ab"], ["1", "2"])
    rows = table.to_pylist()
    assert rows[0]["citizen_id"] == "086060001234" and rows[1]["citizen_id"] is None
    assert rows[0]["family_g"] == "hoang" and rows[1]["family_g"] == "vu"
    assert rows[1]["middle_f"] == "thi"


def test_it_plants_realistic_variants() -> None:
    rnd = random.Random(5)
    kinds: set[str] = set()
    for _ in range(400):
        v = synthetic.variant_of("Hoàng Thị Đào", dt.date(1970, 4, 9), "086170001234", rnd)
        kinds.update(v.kinds)
        if v.citizen_id and v.citizen_id != "086170001234":
            assert sum(a != b for a, b in zip(v.citizen_id, "086170001234", strict=True)) == 1
        assert abs((v.birth_date - dt.date(1970, 4, 9)).days) < 366
    assert {"no_tones", "tone", "typo", "no_middle", "family_variant", "d_for_đ", "nfd", "dob_swap",
            "dob_year_only", "id_missing", "id_mistyped"} <= kinds


def test_it_generates_distinct_ids_for_different_people() -> None:
    table = synthetic.generate(5000, seed=2)
    assert table.num_rows == 5000
    rows = table.to_pylist()
    by_id: dict[str, set[int]] = {}
    for row in rows:
        if row["citizen_id"]:
            by_id.setdefault(row["citizen_id"], set()).add(row["person_id"])
    assert all(len(persons) == 1 for persons in by_id.values())
    assert 80 <= len(synthetic.true_pairs(table)) <= 120  # about 2 % planted


# --- The exact pass and the linkage on a table (no database) ---------------------------------------


def test_it_finds_the_same_citizen_id_first() -> None:
    table = linkage.keys_table(
        [10, 11, 12, 13], ["Lê Văn Tám", "Le Van Tam", "Phạm Thị Lụa", "Đỗ Minh Khoa"],
        [dt.date(1955, 2, 3), dt.date(1955, 3, 2), dt.date(1980, 1, 1), dt.date(1990, 9, 9)],
        ["male", "male", "female", "male"], ["086055000111", "086055000111", None, "086090000222"], ["1", "2", "1", "2"])
    result = linkage.link(table, params=linkage.default_params())
    assert result.found_exact == 1
    pair = next(p for p in result.pairs if (p.left, p.right) == (10, 11))
    assert pair.method == "citizen_id" and pair.probability == 1.0
    assert pair.evidence["citizen_id"]["level"] == "exact"
    assert pair.evidence["birth_date"]["level"] == "swapped"
    assert all((p.left, p.right) != (12, 13) for p in result.pairs)


def test_it_refuses_an_unknown_engine_or_threshold() -> None:
    table = linkage.keys_table([1], ["An"], [None], ["male"], [None], ["1"])
    with pytest.raises(ValidationError, match="bộ máy"):
        linkage.link(table, params=linkage.default_params(), engine="oracle")
    with pytest.raises(ValidationError, match="Ngưỡng"):
        linkage.link(table, params=linkage.default_params(), threshold=1.5)


def test_it_finds_most_planted_duplicates_with_few_false_ones() -> None:
    records = synthetic.generate(4000, seed=7)
    result = linkage.link(linkage.records_table(records), params=linkage.default_params(), threshold=0.9)
    truth = synthetic.true_pairs(records)
    found = {(p.left, p.right) for p in result.pairs}
    assert len(found & truth) / len(truth) >= 0.7
    assert len(found & truth) / len(found) >= 0.9


def test_it_refuses_a_degenerate_model() -> None:
    params = linkage.default_params()
    broken = json.loads(json.dumps(params))
    for level in broken["comparisons"]["given_name"]:
        if level["key"] == "else":
            level["m"] = 0.5
    with pytest.raises(ValidationError, match="không dùng được"):
        linkage.check_model(broken)
    linkage.check_model(params)


def test_it_scores_a_new_record_fast_in_python() -> None:
    params = linkage.default_params()
    record = {"full_name": "Trần Thị Hương", "birth_date": dt.date(1962, 7, 5), "sex": "female",
              "citizen_id": None, "commune": "5"}
    candidates = [
        {"id": 1, "full_name": "Trần Thị Mai", "birth_date": dt.date(1962, 7, 5), "sex": "female",
         "citizen_id": "086162000001", "commune": "5"},
        {"id": 2, "full_name": "Tran Thi Huong", "birth_date": dt.date(1962, 5, 7), "sex": "female",
         "citizen_id": "086162000002", "commune": "9"},
        {"id": 3, "full_name": "Lê Văn Hùng", "birth_date": dt.date(1940, 1, 1), "sex": "male",
         "citizen_id": None, "commune": "5"},
    ]
    started = time.perf_counter()
    scored = linkage.score_with(params, record, candidates)
    assert time.perf_counter() - started < 0.05
    assert [pk for pk, _, _ in scored][0] == 2
    assert scored[0][1] > 5 * scored[1][1] and scored[-1][1] < 1e-6
    assert scored[0][2]["birth_date"]["level"] == "swapped"
    assert "Ngày sinh đảo ngày và tháng" in linkage.evidence_words(scored[0][2])


def test_it_scores_like_splink() -> None:
    """The Python scoring of the entry check gives Splink's probabilities (same frequencies)."""
    from collections import Counter

    records = synthetic.generate(1500, seed=9)
    table = linkage.records_table(records)
    params = json.loads(json.dumps(linkage.default_params()))
    for column in ("family_f", "given_f"):
        counts = Counter(v for v in table.column(column).to_pylist() if v)
        params["tf"][column] = {k: n / sum(counts.values()) for k, n in counts.items()}
    result = linkage.link(table, params=params, threshold=0.001, rules=(("dob",),))
    rows = {row["unique_id"]: row for row in table.to_pylist()}
    assert len(result.pairs) >= 10
    assert result.params["lambda"] == pytest.approx(params["lambda"] * (params["records"] - 1) / (table.num_rows - 1))
    for pair in [p for p in result.pairs if p.method == "linkage"][:60]:
        _, probability, evidence = linkage.score_with(result.params, rows[pair.left], [rows[pair.right]])[0]
        assert evidence == pair.evidence
        assert probability == pytest.approx(pair.probability, rel=1e-4, abs=1e-9)


# --- A small register (database) ----------------------------------------------------------------


def _communes(province: Unit, count: int = 2) -> list[Unit]:
    return list(Unit.objects.filter(path__under=province.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                .order_by("code")[:count])


PEOPLE = [  # (name, birth, sex, citizen ID)
    ("Nguyễn Văn Hùng", dt.date(1950, 3, 12), "male", "086050001001"),
    ("Trần Thị Hương", dt.date(1962, 7, 5), "female", "086162001002"),
    ("Lê Minh Khoa", dt.date(1988, 11, 23), "male", "086088001003"),
    ("Phạm Thị Lụa", dt.date(1971, 2, 14), "female", None),
    ("Huỳnh Văn Bảy", dt.date(1945, 9, 1), "male", "086045001005"),
    ("Đặng Thị Đào", dt.date(1999, 12, 30), "female", "086199001006"),
    ("Võ Quốc Toàn", dt.date(2001, 6, 17), "male", None),
    ("Nguyễn Thị Lan", dt.date(1955, 4, 4), "female", "086155001008"),
    ("Bùi Văn Tư", dt.date(1966, 8, 19), "male", "086066001009"),
    ("Đỗ Thị Mai", dt.date(1978, 10, 10), "female", "086178001010"),
    ("Nguyễn Văn Hùng", dt.date(1972, 1, 25), "male", None),  # a namesake, another person
    ("Trương Văn Lộc", dt.date(1983, 5, 28), "male", "086083001012"),
]
PLANTED = [  # the same people entered again in the other commune
    ("Nguyen Van Hung", dt.date(1950, 3, 12), "male", None),
    ("Trần Thị Hướng", dt.date(1962, 5, 7), "female", "086162001092"),
]


def _member(household: Household, name: str, birth: dt.date, sex: str, cid: str | None, relation: str) -> Member:
    member = Member(household=household, full_name=name, birth_date=birth, sex=sex, citizen_id=cid,
                    relation=relation)
    member.set_derived_fields()
    return member


@pytest.fixture
def register(db, units):  # type: ignore[no-untyped-def]
    a, b = _communes(units.vinh_long)
    members: list[Member] = []
    for i, (name, birth, sex, cid) in enumerate(PEOPLE):
        household = Household.objects.create(code=f"T-A-{i}", commune=a, address="Ấp 1")
        members.append(_member(household, name, birth, sex, cid, "head"))
    planted = []
    for i, (name, birth, sex, cid) in enumerate(PLANTED):
        household = Household.objects.create(code=f"T-B-{i}", commune=b, address="Ấp 2")
        planted.append(_member(household, name, birth, sex, cid, "head"))
    Member.objects.bulk_create(members + planted)
    ids = {m.full_name + str(m.birth_date): m.pk for m in Member.objects.filter(household__code__startswith="T-")}
    return {"province": units.vinh_long, "a": a, "b": b, "ids": ids}


def _id(register: dict, name: str, birth: dt.date) -> int:
    return int(register["ids"][name + str(birth)])


def test_it_prepares_the_living_members_in_one_query(register, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    dead = Member.objects.get(pk=_id(register, "Bùi Văn Tư", dt.date(1966, 8, 19)))
    dead.died_on = dt.date(2024, 1, 1)
    dead.save()
    with django_assert_max_num_queries(3):
        table = linkage.prepare(register["province"])
    ids = table.column("unique_id").to_pylist()
    assert len(ids) == len(PEOPLE) + len(PLANTED) - 1 and dead.pk not in ids
    assert set(table.column("commune").to_pylist()) == {str(register["a"].pk), str(register["b"].pk)}


def test_it_links_the_register_and_never_raises_a_dismissed_pair_again(register) -> None:  # type: ignore[no-untyped-def]
    actor = Actor.system()
    hung = tuple(sorted((_id(register, "Nguyễn Văn Hùng", dt.date(1950, 3, 12)),
                         _id(register, "Nguyen Van Hung", dt.date(1950, 3, 12)))))
    huong = tuple(sorted((_id(register, "Trần Thị Hương", dt.date(1962, 7, 5)),
                          _id(register, "Trần Thị Hướng", dt.date(1962, 5, 7)))))
    seen: list[tuple[int, int]] = []
    first = linkage.run(unit=register["province"], actor=actor, progress=lambda d, t: seen.append((d, t)))
    assert first.status == RunStatus.DONE and first.people == len(PEOPLE) + len(PLANTED)
    pairs = {(p.left_id, p.right_id): p for p in DuplicatePair.objects.all()}
    assert set(pairs) == {hung, huong}
    assert first.new_pairs == 2 and first.found_linkage == 2 and first.found_exact == 0
    assert pairs[huong].method == Method.LINKAGE and pairs[huong].evidence["birth_date"]["level"] == "swapped"
    assert pairs[huong].evidence["citizen_id"]["level"] == "one_digit"
    assert seen[-1] == (100, 100)
    DuplicatePair.objects.filter(pk=pairs[hung].pk).update(status=PairStatus.DISMISSED)
    before = DuplicatePair.objects.get(pk=pairs[huong].pk).last_seen
    second = linkage.run(unit=register["province"], actor=actor)
    assert second.new_pairs == 0 and second.found_linkage == 2
    assert DuplicatePair.objects.count() == 2
    assert DuplicatePair.objects.get(pk=pairs[hung].pk).status == PairStatus.DISMISSED
    assert DuplicatePair.objects.get(pk=pairs[huong].pk).last_seen > before


def test_it_marks_a_failed_run_and_writes_nothing(register, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(linkage, "_write_pairs", boom)
    with pytest.raises(RuntimeError):
        linkage.run(unit=register["province"], actor=Actor.system())
    run = DedupRun.objects.get()
    assert run.status == RunStatus.FAILED and run.error == "RuntimeError"
    assert not DuplicatePair.objects.exists()


def test_it_runs_from_the_cli_as_json(register) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(command_output("dedup", "run", "--unit", "86", "--json"))
    assert set(data) == {"run", "people", "comparisons", "found_exact", "found_linkage", "new_pairs", "seconds"}
    assert data["people"] == len(PEOPLE) + len(PLANTED) and data["new_pairs"] == 2
    text = command_output("dedup", "run", "--unit", "86")
    assert "Cặp mới cần xem xét: 0" in text


def test_it_refuses_an_outsider_and_a_bad_engine_on_the_cli(register, people) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ngoài"):
        command_output("dedup", "run", "--unit", "86", "--as", "binh")
    with pytest.raises(CommandError):
        command_output("dedup", "run", "--unit", "86", "--engine", "oracle")
    with pytest.raises(CommandError, match="Không có tỉnh"):
        command_output("dedup", "run", "--unit", "999")


def test_it_runs_as_a_job_and_again_safely(register, people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ansinh.dedup.jobs import dedup_run_start
    from ansinh.jobs.models import JobStatus
    from ansinh.jobs.services import job_retry

    actor = Actor(user=people.minh, ip="127.0.0.1")
    original = linkage._write_pairs
    monkeypatch.setattr(linkage, "_write_pairs", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("crash")))
    job = dedup_run_start(unit=register["province"], actor=actor)  # the worker logs the crash
    assert job.status == JobStatus.FAILED and not DuplicatePair.objects.exists()
    monkeypatch.setattr(linkage, "_write_pairs", original)
    job = job_retry(job=job, actor=actor)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["new_pairs"] == 2 and DuplicatePair.objects.count() == 2
    again = dedup_run_start(unit=register["province"], actor=actor)
    assert again.status == JobStatus.SUCCEEDED and again.result["new_pairs"] == 0
    assert DuplicatePair.objects.count() == 2
    assert DedupRun.objects.filter(status=RunStatus.DONE).count() == 2


def test_it_refuses_a_job_to_someone_outside_the_unit(register, people) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from ansinh.dedup.jobs import dedup_run_start

    with pytest.raises(PermissionDenied):
        dedup_run_start(unit=register["province"], actor=Actor(user=people.binh, ip=None))


def test_it_trains_and_freezes_a_model_that_runs_use(register) -> None:  # type: ignore[no-untyped-def]
    from ansinh.dedup.models import LinkageModel

    table = linkage.records_table(synthetic.generate(3000, seed=4))
    model = linkage.train(table, actor=Actor.system(), max_records=2000, u_pairs=2e5)
    assert model.active and model.records == 2000
    assert linkage.active_model()[0] == model
    with pytest.raises(ValidationError, match="DuckDB"):
        linkage.train(table, actor=Actor.system(), engine="spark")
    second = linkage.train(table, actor=Actor.system(), max_records=2000, u_pairs=2e5)
    assert list(LinkageModel.objects.filter(active=True)) == [second]
    run = linkage.run(unit=register["province"], actor=Actor.system())
    assert run.model == second


def test_it_writes_pairs_with_a_bounded_number_of_queries(register, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(25):
        run = linkage.run(unit=register["province"], actor=Actor.system())
    assert run.new_pairs == 2


def test_it_says_in_vietnamese_when_spark_cannot_run(register, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ansinh.dedup import spark

    monkeypatch.setattr(spark, "available", lambda: "no Java runtime")
    monkeypatch.setattr(spark, "_SESSION", None)
    with pytest.raises(ValidationError, match="không có Java"):
        linkage.run(unit=register["province"], actor=Actor.system(), engine="spark")
    assert DedupRun.objects.get().status == RunStatus.FAILED


def test_it_says_so_when_pyspark_is_missing_before_splink_imports_it(register, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import builtins

    from ansinh.dedup import spark

    real_import = builtins.__import__

    def without_pyspark(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "pyspark" or name.startswith("pyspark.") or name.startswith("splink.backends.spark"):
            raise ImportError(f"No module named {name!r}")
        if name == "splink" and "SparkAPI" in (args[2] if len(args) > 2 and args[2] else ()):
            raise ImportError("splink's Spark backend needs pyspark")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pyspark)
    monkeypatch.setattr(spark, "_SESSION", None)
    with pytest.raises(ValidationError, match="chưa cài gói pyspark"):
        linkage.run(unit=register["province"], actor=Actor.system(), engine="spark")
    assert DedupRun.objects.get().status == RunStatus.FAILED
