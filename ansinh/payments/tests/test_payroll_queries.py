"""A province's payroll run reads and writes set-based: the number of queries does not depend on
the number of communes (2 communes paying or 20: the same count), for the first run and for the
re-run of unchanged drafts, and one run writes in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.models import AuditEvent
from ansinh.benefits import services
from ansinh.geo.models import Level, Unit
from ansinh.payments import payroll as engine
from ansinh.payments.models import LineRule, Payroll, PayrollLine

from .payroll_setup import SYSTEM, month, person

pytestmark = pytest.mark.django_db


def _province() -> Unit:
    from ansinh.accounts.services import unit_for_role

    return unit_for_role(role="provincial_officer", code="86")


def _people_in(communes: list[Unit], prefix: str = "Q") -> None:
    """In each commune a severely disabled woman (social assistance) and a war invalid (merit)."""
    for i, commune in enumerate(communes):
        sa = person(f"{prefix}-{i}-1", f"Người Thứ {i}", dt.date(1970, 1, 1) + dt.timedelta(days=i),
                    commune_code=commune.code, sex="female")
        services.create_entitlement(SYSTEM, sa, "sa_disability_severe", decision_number=f"{i}/QĐ-UBND",
                                    decision_date=dt.date(2025, 3, 10), decision_signer="Chủ tịch UBND xã")
        merit = person(f"{prefix}-{i}-2", f"Thương Binh {i}", dt.date(1950, 1, 1) + dt.timedelta(days=i),
                       commune_code=commune.code)
        services.create_entitlement(SYSTEM, merit, "merit_war_invalid", decision_number=f"{i}/QĐ-SNV",
                                    decision_date=dt.date(2024, 2, 1), rate=61, recognised_on=dt.date(2024, 1, 15))


def _counts(n: int, prefix: str) -> tuple[int, int, engine.RunResult]:
    province = _province()
    communes = engine.communes_of(province)[:n]
    assert len(communes) == n
    _people_in(communes, prefix)
    with CaptureQueriesContext(connection) as first:
        result = engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    assert len(result.payrolls) == 2 * n and result.lines == 2 * n and not result.refused
    with CaptureQueriesContext(connection) as again:
        rerun = engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    assert sorted(rerun.payrolls) == sorted(result.payrolls) and rerun.lines == 2 * n
    return len(first), len(again), result


def test_it_runs_a_province_in_as_many_queries_for_2_communes_as_for_20(django_db_blocker):  # type: ignore[no-untyped-def]
    from ansinh.benefits.models import Entitlement

    few_first, few_again, _ = _counts(2, "A")
    PayrollLine.objects.all().delete()
    Payroll.objects.all().delete()
    LineRule.objects.all().delete()  # made again by the second province's first run, as by the first's
    Entitlement.objects.all().delete()
    many_first, many_again, result = _counts(20, "B")
    assert (few_first, few_again) == (many_first, many_again)
    assert many_first < 60 and many_again < 60  # bounded: no query per commune, per payroll or per line
    # One audit row per payroll computed, each with its figures.
    events = AuditEvent.objects.filter(action="payroll.compute", object_id__in=[str(pk) for pk in result.payrolls])
    assert events.count() == 2 * len(result.payrolls)  # the first run and the re-run
    assert all(e.after["lines"] == 1 and e.unit_path for e in events)


def test_it_keeps_unchanged_lines_on_a_rerun_and_replaces_only_what_changed(django_db_blocker):  # type: ignore[no-untyped-def]
    province = _province()
    communes = engine.communes_of(province)[:3]
    _people_in(communes)
    engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    before = dict(PayrollLine.objects.values_list("person_id", "pk"))
    versions = dict(Payroll.objects.values_list("pk", "version"))
    # One woman dies in August: her October line goes, the others stay as they were (same rows).
    from ansinh.households.models import Member

    gone = Member.objects.get(household__code="Q-1-1")
    Member.objects.filter(pk=gone.pk).update(died_on=dt.date(2025, 8, 20))
    result = engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    after = dict(PayrollLine.objects.filter(kind="month").values_list("person_id", "pk"))
    assert gone.pk not in after
    assert {p: pk for p, pk in before.items() if p != gone.pk} == after
    assert result.lines == 5
    # Every payroll of the run was recomputed (its version moved on), in place.
    assert all(Payroll.objects.get(pk=pk).version == v + 1 for pk, v in versions.items())


def test_it_leaves_every_payroll_as_it_was_when_the_write_fails(monkeypatch):  # type: ignore[no-untyped-def]
    province = _province()
    communes = engine.communes_of(province)[:3]
    _people_in(communes)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the machine stopped")

    monkeypatch.setattr(engine, "_set_totals", broken)
    cache = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()
    with pytest.raises(RuntimeError):
        engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    if cache is not None:  # the larger page cache of a run (payroll._mapped) is given back, even when it fails
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone() == cache and cache[0] != -engine.CACHE_KIB
    assert not Payroll.objects.exists() and not PayrollLine.objects.exists()
    assert not AuditEvent.objects.filter(action="payroll.compute").exists()
    monkeypatch.undo()
    result = engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    assert result.lines == 6 and PayrollLine.objects.count() == 6 and Payroll.objects.count() == 6


def _foreign_keys() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_run_when_a_person_is_deleted_meanwhile(monkeypatch):  # type: ignore[no-untyped-def]
    """A person deleted between the reading and the writing: the database's own foreign-key checks
    refuse the commit, the run says so in Vietnamese, and nothing of it is written."""
    from django.core.exceptions import ValidationError

    from ansinh.households.models import Member

    province = _province()
    _people_in(engine.communes_of(province)[:2])
    if connection.vendor == "sqlite":
        assert _foreign_keys() == 1
    gone = Member.objects.get(household__code="Q-1-1")
    real_lock = engine._lock

    def lock(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real_lock(*args, **kwargs)
        with connection.cursor() as cursor:  # as another officer might, in another connection
            cursor.execute("DELETE FROM households_member WHERE id = %s", [gone.pk])
        return found

    monkeypatch.setattr(engine, "_lock", lock)
    with pytest.raises(ValidationError, match="các bảng chi trả vừa thay đổi"):
        engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    assert Member.objects.filter(pk=gone.pk).exists()  # the deletion went back with the run
    assert not Payroll.objects.exists() and not PayrollLine.objects.exists()
    monkeypatch.undo()
    assert engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM).lines == 4


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_delete_a_draft_line_another_line_carries(monkeypatch):  # type: ignore[no-untyped-def]
    """A draft's line the recomputation would delete while a line of another payroll carries it:
    refused by the foreign key of `carried_from`, in Vietnamese, nothing written."""
    from django.core.exceptions import ValidationError

    from ansinh.households.models import Member

    province = _province()
    _people_in(engine.communes_of(province)[:2])
    engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    gone = Member.objects.get(household__code="Q-1-1")
    line = PayrollLine.objects.get(person=gone, kind="month")
    later = Payroll.objects.create(commune_id=line.commune_id, month=month(2025, 11), field=line.payroll.field,
                                   state="approved")
    PayrollLine.objects.create(payroll=later, person=gone, scheme=line.scheme, for_month=line.for_month,
                               kind="carried", amount=line.amount, commune_id=line.commune_id, carried_from=line,
                               basis=line.basis)
    Member.objects.filter(pk=gone.pk).update(died_on=dt.date(2025, 8, 20))  # her October line goes
    with pytest.raises(ValidationError, match="các bảng chi trả vừa thay đổi"):
        engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    assert PayrollLine.objects.filter(pk=line.pk).exists()  # nothing of the run was written


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_run_when_another_payroll_pays_the_month_meanwhile(monkeypatch):  # type: ignore[no-untyped-def]
    """A month's allowance written by another payroll between the reading and the writing: the
    paid-once constraint refuses the insert (on PostgreSQL inside the bulk COPY), the run says so
    in Vietnamese, and nothing of it is written."""
    from django.core.exceptions import ValidationError

    from ansinh.households.models import Member

    province = _province()
    _people_in(engine.communes_of(province)[:2])
    paid = Member.objects.get(household__code="Q-1-1")
    real_lock = engine._lock

    def lock(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real_lock(*args, **kwargs)
        payroll = next(p for p in found[0].values() if p.field == "social_assistance")
        other = Payroll.objects.create(commune_id=payroll.commune_id, month=payroll.month, field=payroll.field,
                                       sequence=7, state="approved")
        PayrollLine.objects.create(payroll=other, person=paid, scheme="social_assistance", for_month=payroll.month,
                                   kind="month", amount=1, commune_id=payroll.commune_id,
                                   basis=LineRule.of("Đã chi ở bảng khác"))
        return found

    monkeypatch.setattr(engine, "_lock", lock)
    with pytest.raises(ValidationError, match="các bảng chi trả vừa thay đổi"):
        engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    assert not PayrollLine.objects.exists() and not Payroll.objects.exists()


def test_it_reads_what_other_communes_paid_when_it_plans_again_a_payroll_made_meanwhile(monkeypatch):  # type: ignore[no-untyped-def]
    """A commune's draft created by another run between the planning and the lock is planned again
    under the lock, reading what every commune of the run paid: the months a mover's old commune
    paid (May and June) are not paid again as arrears."""
    from ansinh.benefits.models import Entitlement

    province = _province()
    communes = sorted(engine.communes_of(province), key=lambda unit: unit.pk)[:2]
    _people_in(communes)
    first, second = communes
    her = person("M-1", "Lý Thị Chuyển", dt.date(1960, 1, 1), commune_code=first.code, sex="female")
    old = services.create_entitlement(SYSTEM, her, "sa_disability_severe", decision_number="5/QĐ-UBND",
                                      decision_date=dt.date(2023, 12, 20), decision_signer="Chủ tịch UBND xã",
                                      start_month=dt.date(2024, 1, 1), commune=second)
    for m in (5, 6):
        payroll = engine.compute(commune=second, month=month(2025, m), field="social_assistance", actor=SYSTEM)
        engine.approve(payroll, actor=SYSTEM)
        engine.mark_sent(payroll, actor=SYSTEM)
    Entitlement.objects.filter(pk=old.pk).update(stop_month=dt.date(2024, 9, 1), stop_reason="moved")
    services.create_entitlement(SYSTEM, her, "sa_disability_severe", decision_number="6/QĐ-UBND",
                                decision_date=dt.date(2025, 9, 28), decision_signer="Chủ tịch UBND xã",
                                start_month=dt.date(2024, 9, 1), commune=first)
    real = engine._plan_all

    def plan_all(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = real(*args, **kwargs)
        Payroll.objects.create(commune=first, month=month(2025, 10), field="social_assistance", sequence=1)
        return out

    monkeypatch.setattr(engine, "_plan_all", plan_all)
    engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM)
    arrears = set(PayrollLine.objects.filter(person=her, kind="arrears", payroll__month=month(2025, 10))
                  .values_list("for_month", flat=True))
    assert arrears and not arrears & {month(2025, 5), month(2025, 6)}
