"""The payroll engine: the month's lines from the entitlements, arrears of a back-dated decision,
the recovery of a month paid after a death recorded late, carried-forward amounts, the states
and who may move them, and the paid-once constraint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ansinh.accounts.models import AuditEvent
from ansinh.benefits import services as benefits
from ansinh.benefits.models import Entitlement
from ansinh.benefits.monthly import month_lines
from ansinh.households import services as register
from ansinh.payments import payroll as engine
from ansinh.payments.models import PayLineKind, Payroll, PayrollLine, PayrollState, PayStatus

from .payroll_setup import MERIT, SA, SYSTEM, actor, beneficiaries, lines, month, officers, paid, person, tra_cu

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    return officers()


@pytest.fixture
def people(who):  # type: ignore[no-untyped-def]
    return beneficiaries()


def owed(person_id: int, on: dt.date) -> int:
    return sum(line.amount for line in month_lines(Entitlement.objects.filter(person_id=person_id), on)
               if line.paid and line.scheme != "meritorious")


def test_it_puts_one_line_per_person_and_scheme_with_the_rule(who, people):  # type: ignore[no-untyped-def]
    p = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    got = lines(p)
    assert {(line.person_id, line.scheme, line.kind) for line in got} == {
        (people.soc.pk, "social_assistance", "month"), (people.ba.pk, "social_pension", "month")}
    soc = next(line for line in got if line.person_id == people.soc.pk)
    assert soc.amount == owed(people.soc.pk, month(2025, 10)) > 0
    assert soc.rule and "Nghị định 20/2021" in soc.legal_basis
    assert soc.channel == "post" and soc.entitlement_id == people.disability.pk
    assert (p.lines_count, p.people_count, p.total) == (2, 2, sum(line.amount for line in got))
    assert p.state == PayrollState.DRAFT and p.computed_by == who.lan
    assert AuditEvent.objects.filter(action="payroll.compute", object_id=str(p.pk)).exists()
    # The merit payroll is another payroll, with the war invalid alone.
    m = engine.compute(commune=tra_cu(), month=month(2025, 10), field=MERIT, actor=actor(who.lan))
    assert [(line.person_id, line.kind) for line in lines(m)] == [(people.dung.pk, "month")]


def test_it_recomputes_a_draft_in_place(who, people):  # type: ignore[no-untyped-def]
    first = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    again = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.an))
    assert again.pk == first.pk and again.version > first.version
    assert PayrollLine.objects.filter(payroll=first).count() == 2
    assert Payroll.objects.count() == 1


def test_it_refuses_to_recompute_an_approved_payroll(who, people):  # type: ignore[no-untyped-def]
    p = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    engine.approve(p, actor=actor(who.an))
    before = list(PayrollLine.objects.filter(payroll=p).values_list("pk", "amount"))
    with pytest.raises(engine.PayrollLocked) as error:
        engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    assert "bảng chi trả bổ sung" in error.value.messages[0]
    assert list(PayrollLine.objects.filter(payroll=p).values_list("pk", "amount")) == before
    result = engine.run_unit(unit=tra_cu(), month=month(2025, 10), actor=actor(who.lan))
    assert len(result.refused) == 1 and "không tính lại được" in result.refused[0]


def test_it_needs_another_person_to_approve(who, people):  # type: ignore[no-untyped-def]
    p = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.an))
    with pytest.raises(PermissionDenied):
        engine.approve(p, actor=actor(who.an))  # she computed it
    with pytest.raises(PermissionDenied):
        engine.approve(p, actor=actor(who.lan))  # a commune officer prepares, does not approve
    with pytest.raises(PermissionDenied):
        engine.approve(p, actor=actor(who.cong))  # the merit officer: not her field
    engine.approve(p, actor=actor(who.bao))  # the provincial leader
    p.refresh_from_db()
    assert p.state == PayrollState.APPROVED and p.approved_by == who.bao
    with pytest.raises(ValidationError):
        engine.mark_reconciled(p, actor=actor(who.lan))  # not sent yet
    engine.mark_sent(p, actor=actor(who.lan))
    with pytest.raises(ValidationError) as error:
        engine.mark_reconciled(p, actor=actor(who.lan))
    assert "chưa có kết quả" in error.value.messages[0]
    PayrollLine.objects.filter(payroll=p).update(status=PayStatus.PAID)
    engine.mark_reconciled(p, actor=actor(who.lan))
    assert Payroll.objects.get(pk=p.pk).state == PayrollState.RECONCILED
    assert set(AuditEvent.objects.filter(object_id=str(p.pk)).values_list("action", flat=True)) >= {
        "payroll.compute", "payroll.approve", "payroll.send", "payroll.reconcile"}


def test_it_refuses_an_outsider(who, people):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.binh))
    with pytest.raises(PermissionDenied):
        engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.cong))


def test_it_refuses_a_stale_approval(who, people):  # type: ignore[no-untyped-def]
    p = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))  # recomputed meanwhile
    with pytest.raises(ValidationError) as error:
        engine.approve(p, actor=actor(who.an))
    assert "tải lại" in error.value.messages[0]


def test_it_leaves_a_person_who_died_in_march_off_aprils_payroll_and_recovers_what_was_paid(who, people):  # type: ignore[no-untyped-def]
    soc = people.soc
    march = engine.compute(commune=tra_cu(), month=month(2026, 3), field=SA, actor=actor(who.lan))
    paid(march, approver=who.an)
    april = engine.compute(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    assert soc.pk in {line.person_id for line in lines(april)}
    # The death is recorded before April's payroll is approved: she is no longer on it.
    register.member_died(actor=SYSTEM, member=soc, on=dt.date(2026, 3, 14))
    april = engine.compute(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    assert soc.pk not in {line.person_id for line in lines(april)}
    assert not lines(march, kind="recovery")  # March was owed: she died in March


def test_it_recovers_a_month_paid_after_a_death_recorded_late(who, people):  # type: ignore[no-untyped-def]
    soc = people.soc
    amount = owed(soc.pk, month(2026, 4))
    for m in (3, 4):
        paid(engine.compute(commune=tra_cu(), month=month(2026, m), field=SA, actor=actor(who.lan)), approver=who.an)
    register.member_died(actor=SYSTEM, member=soc, on=dt.date(2026, 3, 14))  # recorded in May
    may = engine.compute(commune=tra_cu(), month=month(2026, 5), field=SA, actor=actor(who.lan))
    mine = lines(may, person=soc)
    assert [(line.kind, line.for_month, line.amount) for line in mine] == [("recovery", month(2026, 4), -amount)]
    assert "Thu hồi tháng 04/2026" in mine[0].rule and "thôi hưởng từ tháng 04/2026" in mine[0].rule
    assert may.recovery_total == amount and may.total == sum(line.amount for line in lines(may) if line.amount > 0)
    # Recovered once: June's payroll does not ask again.
    paid(may, approver=who.an)
    june = engine.compute(commune=tra_cu(), month=month(2026, 6), field=SA, actor=actor(who.lan))
    assert not lines(june, person=soc)


def test_it_does_not_carry_forward_to_a_person_who_died(who, people):  # type: ignore[no-untyped-def]
    soc = people.soc
    for m in (3, 4):
        paid(engine.compute(commune=tra_cu(), month=month(2026, m), field=SA, actor=actor(who.lan)), approver=who.an)
    april = Payroll.objects.get(month=month(2026, 4), field=SA)
    PayrollLine.objects.filter(payroll=april, person=soc).update(status=PayStatus.NOT_PAID)
    register.member_died(actor=SYSTEM, member=soc, on=dt.date(2026, 3, 14))
    may = engine.compute(commune=tra_cu(), month=month(2026, 5), field=SA, actor=actor(who.lan))
    assert not lines(may, person=soc)  # not collected, not owed: neither carried nor recovered


def test_it_adds_two_months_of_arrears_for_a_decision_back_dated_two_months(who, people):  # type: ignore[no-untyped-def]
    for m in (2, 3):
        paid(engine.compute(commune=tra_cu(), month=month(2026, m), field=SA, actor=actor(who.lan)), approver=who.an)
    new = person("TC-9", "Lâm Thị Hoa", dt.date(1962, 6, 1), sex="female")
    benefits.create_entitlement(SYSTEM, new, "sa_disability_severe", decision_number="40/QĐ-UBND",
                                decision_date=dt.date(2026, 3, 28), start_month=month(2026, 2))
    april = engine.compute(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    mine = lines(april, person=new)
    assert sorted((line.for_month, line.kind) for line in mine) == [
        (month(2026, 2), "arrears"), (month(2026, 3), "arrears"), (month(2026, 4), "month")]
    assert all(line.amount == owed(new.pk, line.for_month) > 0 for line in mine)
    assert "Truy lĩnh tháng 02/2026" in next(line.rule for line in mine if line.for_month == month(2026, 2))
    # Approved and sent, the arrears are not paid again in May.
    paid(april, approver=who.an)
    may = engine.compute(commune=tra_cu(), month=month(2026, 5), field=SA, actor=actor(who.lan))
    assert [line.kind for line in lines(may, person=new)] == ["month"]


def test_it_owes_the_months_before_a_late_decision_even_before_the_first_payroll(who, people):  # type: ignore[no-untyped-def]
    new = person("TC-9", "Lâm Thị Hoa", dt.date(1962, 6, 1), sex="female")
    benefits.create_entitlement(SYSTEM, new, "sa_disability_severe", decision_number="40/QĐ-UBND",
                                decision_date=dt.date(2026, 3, 28), start_month=month(2026, 2))
    april = engine.compute(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    assert sorted((line.for_month, line.kind) for line in lines(april, person=new)) == [
        (month(2026, 2), "arrears"), (month(2026, 3), "arrears"), (month(2026, 4), "month")]
    # The others were paid outside the system before: nothing owed to them.
    assert {line.kind for line in lines(april) if line.person_id != new.pk} == {"month"}


def test_it_carries_forward_what_was_not_collected_once(who, people):  # type: ignore[no-untyped-def]
    march = paid(engine.compute(commune=tra_cu(), month=month(2026, 3), field=SA, actor=actor(who.lan)),
                 approver=who.an)
    line = PayrollLine.objects.get(payroll=march, person=people.ba)
    PayrollLine.objects.filter(pk=line.pk).update(status=PayStatus.NOT_PAID)
    PayrollLine.objects.filter(payroll=march, person=people.soc).update(status=PayStatus.PARTLY, paid_amount=100_000)
    april = engine.compute(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    carried = lines(april, kind="carried")
    assert {(c.person_id, c.for_month, c.amount) for c in carried} == {
        (people.ba.pk, month(2026, 3), line.amount),
        (people.soc.pk, month(2026, 3), owed(people.soc.pk, month(2026, 3)) - 100_000)}
    assert {c.carried_from_id for c in carried} >= {line.pk}
    assert not lines(april, kind="arrears")
    # Recomputed: still carried once.
    april = engine.compute(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    assert len(lines(april, kind="carried")) == 2
    paid(april, approver=who.an)
    may = engine.compute(commune=tra_cu(), month=month(2026, 5), field=SA, actor=actor(who.lan))
    assert not lines(may, kind="carried") and not lines(may, kind="arrears")


def test_it_pays_a_months_allowance_once_by_constraint(who, people):  # type: ignore[no-untyped-def]
    p = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    other = Payroll.objects.create(commune=tra_cu(), month=month(2025, 10), field=SA, sequence=2)
    line = PayrollLine.objects.filter(payroll=p).first()
    assert line is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollLine.objects.create(payroll=other, person_id=line.person_id, scheme=line.scheme,
                                   for_month=line.for_month, kind=PayLineKind.MONTH, amount=1, commune=tra_cu(),
                                   basis=line.basis)


def test_it_makes_a_follow_up_without_a_second_months_line(who, people):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        engine.follow_up(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    april = engine.compute(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    engine.approve(april, actor=actor(who.an))
    new = person("TC-9", "Lâm Thị Hoa", dt.date(1962, 6, 1), sex="female")
    benefits.create_entitlement(SYSTEM, new, "sa_disability_severe", decision_number="41/QĐ-UBND",
                                decision_date=dt.date(2026, 4, 2), start_month=month(2026, 4))
    extra = engine.follow_up(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    assert extra.sequence == 2 and extra.state == PayrollState.DRAFT
    assert [(line.person_id, line.kind) for line in lines(extra)] == [(new.pk, "month")]
    again = engine.follow_up(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan))
    assert again.pk == extra.pk  # the draft follow-up is recomputed, not a third


def test_it_runs_a_province_and_skips_communes_with_nobody(who, people):  # type: ignore[no-untyped-def]
    from ansinh.accounts.services import unit_for_role

    province = unit_for_role(role="provincial_officer", code="86")
    seen: list[tuple[int, int]] = []
    result = engine.run_unit(unit=province, month=month(2025, 10), actor=SYSTEM,
                             progress=lambda done, total: seen.append((done, total)))
    assert result.lines == 3 and result.people == 3 and not result.refused
    assert len(result.payrolls) == 2  # Trà Cú: social assistance and merit
    assert seen and seen[-1][0] == seen[-1][1]
    assert result.total == sum(Payroll.objects.filter(pk__in=result.payrolls).values_list("total", flat=True))


def test_it_pays_the_difference_of_a_base_level_applied_back(who, people):  # type: ignore[no-untyped-def]
    from ansinh.benefits.models import BaseLevel

    paid_before = {}
    for m in (10, 11):
        p = paid(engine.compute(commune=tra_cu(), month=month(2026, m), field=SA, actor=actor(who.lan)),
                 approver=who.an)
        Payroll.objects.filter(pk=p.pk).update(computed_at=dt.datetime(2026, m - 1, 20, tzinfo=dt.UTC))
        paid_before[m] = PayrollLine.objects.get(payroll=p, person=people.soc).amount
    # A text of 20 November raises the social-assistance base level from 1 October.
    BaseLevel.objects.create(kind="sa_base", amount=600_000, valid_from=month(2026, 10),
                             decided_on=dt.date(2026, 11, 20), legal_basis="Nghị định thử nghiệm")
    december = engine.compute(commune=tra_cu(), month=month(2026, 12), field=SA, actor=actor(who.lan))
    arrears = lines(december, kind="arrears")
    assert [(line.person_id, line.for_month) for line in arrears] == [
        (people.soc.pk, month(2026, 10)), (people.soc.pk, month(2026, 11))]
    for line in arrears:
        assert line.amount == owed(people.soc.pk, line.for_month) - paid_before[line.for_month.month] > 0
    # Computed after the text, a payroll owes nothing more.
    paid(december, approver=who.an)
    january = engine.compute(commune=tra_cu(), month=month(2027, 1), field=SA, actor=actor(who.lan))
    assert not lines(january, kind="arrears")
