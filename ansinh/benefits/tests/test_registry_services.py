"""The registry's services and the month's amounts: start and stop rules, deaths and their
proposals, precedence, arrears, dossiers with working-day deadlines, and their unhappy paths."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.benefits import services
from ansinh.benefits.models import DossierStatus, DossierStep, Entitlement, ProposalKind, ProposalStatus, Scheme
from ansinh.benefits.monthly import arrears, month_lines, month_totals, person_months
from ansinh.households import services as register
from ansinh.households.models import Member
from ansinh.testing import make_household

D = dt.date


@pytest.fixture
def actor(people: Any) -> Actor:
    return Actor(user=people.lan)


@pytest.fixture
def household(actor: Actor, units: Any) -> Any:
    return make_household(actor, units.tra_cu, "HH-BEN-1")


def member(actor: Actor, household: Any, name: str, born: dt.date, relation: str = "other") -> Member:
    return register.member_add(actor=actor, household=household, full_name=name, sex="female", birth_date=born,
                               relation=relation)


def grant(actor: Actor, person: Member, code: str, decided: dt.date, **kw: Any) -> Entitlement:
    return services.create_entitlement(actor, person, code, decision_number=f"QĐ-{code}-{person.pk}",
                                       decision_date=decided, decision_signer="Nguyễn Văn A", **kw)


def paid(lines: list[Any], person: Member | None = None) -> int:
    return sum(line.amount for line in lines if line.paid and (person is None or line.person_id == person.pk))


# --- Start rules and validation --------------------------------------------------------------


def test_it_starts_social_assistance_from_the_decision_month(actor: Actor, household: Any) -> None:
    grandma = member(actor, household, "Trần Thị Bé", D(1940, 2, 10))
    e = grant(actor, grandma, "sa_disability_severe", D(2025, 8, 20))
    assert e.start_month == D(2025, 8, 1)
    assert e.commune_id == household.commune_id
    [line] = month_lines(Entitlement.objects.filter(pk=e.pk), D(2025, 9, 1))
    assert (line.amount, line.paid) == (1_000_000, True)  # 2.0 × 500.000 for an elderly person
    assert AuditEvent.objects.filter(action="entitlement.create", object_id=str(e.pk)).exists()


def test_it_starts_the_age_groups_from_the_month_the_age_is_reached(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Lâm Thị Nở", D(1945, 5, 17))
    e = grant(actor, person, "sa_elderly_80", D(2025, 3, 10))  # decided before her 80th birthday
    assert e.start_month == D(2025, 5, 1)
    older = member(actor, household, "Lâm Văn Ba", D(1940, 1, 3))
    assert grant(actor, older, "sa_elderly_80", D(2025, 3, 10)).start_month == D(2025, 3, 1)  # no arrears


def test_it_refuses_an_entitlement_with_missing_or_wrong_facts(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Hồ Văn Tư", D(1950, 1, 1))
    with pytest.raises(ValidationError) as error:
        grant(actor, person, "merit_war_invalid", D(2025, 8, 1))
    assert "rate" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        grant(actor, person, "sa_elderly_80", D(2025, 8, 1))  # ended 30/06/2025
    assert "category" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        grant(actor, person, "sa_single_parent", D(2025, 8, 1))
    assert "children" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        grant(actor, person, "merit_martyr_relative", D(2025, 8, 1))
    assert "martyr_count" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        grant(actor, person, "sa_disability_severe", D(2025, 8, 1), start_month=D(2025, 8, 15))
    assert "start_month" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        grant(actor, person, "nope", D(2025, 8, 1))
    assert "category" in error.value.message_dict
    grant(actor, person, "sa_disability_severe", D(2025, 8, 1))
    with pytest.raises(ValidationError) as error:
        grant(actor, person, "sa_disability_severe", D(2025, 9, 1))
    assert "category" in error.value.message_dict  # a second open entitlement to the same category
    assert Entitlement.objects.filter(person=person).count() == 1


def test_it_refuses_another_communes_officer(people: Any, actor: Actor, household: Any) -> None:
    person = member(actor, household, "Đỗ Thị Mai", D(1950, 1, 1))
    with pytest.raises(PermissionDenied):
        grant(Actor(user=people.binh), person, "sa_disability_severe", D(2025, 8, 1))
    with pytest.raises(PermissionDenied):  # a provincial officer of another field (poverty)
        grant(Actor(user=people.minh), person, "sa_disability_severe", D(2025, 8, 1))


def test_it_keeps_a_changed_entitlements_history_in_the_audit(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Kim Văn Hai", D(1950, 1, 1))
    e = grant(actor, person, "merit_war_invalid", D(2025, 8, 1), rate=41)
    services.change_entitlement(actor, e, version=e.version, rate=61)
    event = AuditEvent.objects.get(action="entitlement.update", object_id=str(e.pk))
    assert (event.before["rate"], event.after["rate"]) == (41, 61)
    with pytest.raises(ValidationError):  # an edit from the old version is refused
        services.change_entitlement(actor, e, version=1, rate=71)


# --- Deaths ------------------------------------------------------------------------------------


def test_it_stops_the_allowance_after_a_death_and_proposes_the_funeral_support(actor: Actor, household: Any) -> None:
    grandma = member(actor, household, "Trần Thị Bé", D(1940, 2, 10))
    e = grant(actor, grandma, "sa_disability_severe", D(2025, 3, 2))
    register.member_died(actor=actor, member=grandma, on=D(2025, 9, 15))  # through the register
    e.refresh_from_db()
    assert (e.stop_month, e.stop_reason) == (D(2025, 10, 1), "died")
    qs = Entitlement.objects.filter(pk=e.pk)
    assert paid(month_lines(qs, D(2025, 9, 1))) == 1_000_000  # paid in the month of death
    assert month_lines(qs, D(2025, 10, 1)) == []
    [proposal] = grandma.benefit_proposals.all()
    assert (proposal.kind, proposal.amount, proposal.status) == (ProposalKind.SA_FUNERAL, 10_000_000, "proposed")
    assert "Điều 11" in proposal.basis
    services.confirm_proposal(actor, proposal)
    with pytest.raises(ValidationError):  # decided once
        services.dismiss_proposal(actor, proposal, note="nhầm")
    assert AuditEvent.objects.filter(action="benefit_proposal.confirm", object_id=str(proposal.pk)).exists()


def test_it_proposes_the_merit_death_benefits(actor: Actor, household: Any) -> None:
    veteran = member(actor, household, "Thạch Văn Lợi", D(1950, 4, 30), relation="other")
    carer = member(actor, household, "Thạch Thị Út", D(1975, 1, 1))
    invalid = grant(actor, veteran, "merit_war_invalid", D(2024, 12, 2), rate=81, carer=carer)
    grant(actor, veteran, "sa_disability_severe", D(2024, 12, 2))
    lines = month_lines(Entitlement.objects.filter(person=veteran), D(2025, 9, 1))
    merit_own = sum(line.amount for line in lines if line.scheme == "meritorious" and line.kind != "carer")
    assert merit_own == 7_240_000 + 1_399_000  # Appendix II 81 % + the ≥ 81 % supplement
    assert any(line.kind == "carer" and line.paid for line in lines)
    register.member_died(actor=actor, member=veteran, on=D(2025, 9, 15))
    proposals = {p.kind: p for p in veteran.benefit_proposals.all()}
    # Only the highest funeral: 10 × 2.340.000 (merit) beats 20 × 500.000 (social assistance).
    assert set(proposals) == {ProposalKind.MERIT_FUNERAL, ProposalKind.MERIT_THREE_MONTHS, ProposalKind.SURVIVOR}
    assert proposals[ProposalKind.MERIT_FUNERAL].amount == 23_400_000
    assert proposals[ProposalKind.MERIT_THREE_MONTHS].amount == 3 * merit_own  # carer excluded
    assert proposals[ProposalKind.SURVIVOR].amount == 1_565_000
    assert proposals[ProposalKind.SURVIVOR].entitlement_id == invalid.pk
    services.dismiss_proposal(actor, proposals[ProposalKind.SURVIVOR], note="Không có thân nhân đủ điều kiện")
    with pytest.raises(ValidationError):
        services.dismiss_proposal(actor, proposals[ProposalKind.MERIT_FUNERAL], note="  ")
    assert proposals[ProposalKind.MERIT_FUNERAL].status == ProposalStatus.PROPOSED
    assert not Entitlement.objects.filter(person=veteran, stop_month__isnull=True).exists()


# --- Precedence ------------------------------------------------------------------------------


def test_it_pays_only_the_higher_of_two_social_assistance_categories(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Sơn Thị Nhung", D(1950, 1, 1))
    low = grant(actor, person, "sa_elderly_poor_alone", D(2025, 8, 1))   # 1,5 × 500.000
    high = grant(actor, person, "sa_disability_especially_severe", D(2025, 8, 1))  # 2,5 × 500.000
    lines = month_lines(Entitlement.objects.filter(person=person), D(2025, 9, 1))
    by_id = {line.entitlement_id: line for line in lines}
    assert by_id[high.pk].paid and by_id[high.pk].amount == 1_250_000
    assert not by_id[low.pk].paid and by_id[low.pk].amount == 750_000
    assert "Điều 6" in by_id[low.pk].excluded
    assert month_totals(Entitlement.objects.filter(person=person), D(2025, 9, 1)) == {
        (household.commune_id, "social_assistance"): (1, 1_250_000)}


def test_it_pays_a_single_parent_both_allowances(actor: Actor, household: Any) -> None:
    mother = member(actor, household, "Kim Thị Sa Ri Em", D(1990, 1, 1))
    grant(actor, mother, "sa_single_parent", D(2025, 8, 1), children=2)
    grant(actor, mother, "sa_disability_severe", D(2025, 8, 1))
    lines = month_lines(Entitlement.objects.filter(person=mother), D(2025, 9, 1))
    assert all(line.paid for line in lines)
    assert paid(lines) == 2 * 500_000 + 750_000


def test_it_pays_a_social_pensioner_the_higher_of_pension_and_assistance(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Lý Văn Bảy", D(1948, 1, 1))
    pension = grant(actor, person, "social_pension", D(2025, 8, 1))
    sa = grant(actor, person, "sa_disability_severe", D(2025, 8, 1))  # 1.000.000 > 500.000
    lines = {line.entitlement_id: line for line in month_lines(Entitlement.objects.filter(person=person), D(2025, 9, 1))}
    assert lines[sa.pk].paid and not lines[pension.pk].paid
    assert "Điều 22" in lines[pension.pk].excluded
    other = member(actor, household, "Lý Thị Tám", D(1948, 1, 1))
    pension2 = grant(actor, other, "social_pension", D(2025, 8, 1))
    assert paid(month_lines(Entitlement.objects.filter(pk=pension2.pk), D(2025, 9, 1))) == 500_000


# --- Arrears -----------------------------------------------------------------------------------


def test_it_owes_arrears_for_a_late_merit_decision(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Huỳnh Văn Chín", D(1955, 1, 1))
    e = grant(actor, person, "merit_war_invalid", D(2025, 9, 10), rate=21, recognised_on=D(2025, 5, 20))
    assert e.start_month == D(2025, 5, 1)
    owed = arrears(e, D(2025, 9, 30))
    assert [month for month, _amount, _why in owed] == [D(2025, 5, 1), D(2025, 6, 1), D(2025, 7, 1), D(2025, 8, 1)]
    assert all(amount == 1_878_000 for _m, amount, _w in owed)
    assert "Nghị định 131/2021" in owed[0][2]
    assert arrears(e, D(2025, 9, 1)) == []  # not decided yet on that day


def test_it_owes_the_difference_of_a_base_level_applied_back(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Trịnh Thị Mười", D(1950, 1, 1))
    e = grant(actor, person, "sa_disability_severe", D(2026, 5, 4))
    owed = arrears(e, D(2026, 11, 30))  # 540.000 from 1/7/2026, decided 21/8/2026 (provisional row)
    assert [(month, amount) for month, amount, _why in owed] == [(D(2026, 7, 1), 80_000), (D(2026, 8, 1), 80_000)]


def test_it_owes_no_arrears_for_a_base_level_its_amounts_do_not_follow(actor: Actor, household: Any) -> None:
    """The base salary (2.340.000 from 1/7/2024, the first row of its kind) and the merit tables
    (fixed amounts) give a war invalid no base-level arrears, and asking never fails."""
    person = member(actor, household, "Đoàn Văn Mười Một", D(1950, 1, 1))
    e = grant(actor, person, "merit_war_invalid", D(2024, 9, 10), rate=41, recognised_on=D(2024, 5, 20))
    owed = arrears(e, D(2024, 12, 31))
    assert [month for month, _amount, _why in owed] == [D(2024, 5, 1), D(2024, 6, 1), D(2024, 7, 1), D(2024, 8, 1)]
    assert [amount for _m, amount, _w in owed] == [2_702_000, 2_702_000, 3_667_000, 3_667_000]


def test_it_computes_a_persons_months(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Thái Văn Út", D(1950, 1, 1))
    grant(actor, person, "sa_disability_severe", D(2025, 8, 1))
    months = person_months(person, D(2025, 7, 1), D(2025, 9, 1))
    assert [(month, paid(lines)) for month, lines in months] == [
        (D(2025, 7, 1), 0), (D(2025, 8, 1), 1_000_000), (D(2025, 9, 1), 1_000_000)]


def test_it_reads_a_months_amounts_in_a_constant_number_of_queries(actor: Actor, household: Any) -> None:
    people = [member(actor, household, f"Người Thứ {i}", D(1950, 1, 1 + i)) for i in range(6)]
    grant(actor, people[0], "sa_disability_severe", D(2025, 8, 1))
    qs = Entitlement.objects.filter(person__household=household)
    with CaptureQueriesContext(connection) as few:
        month_lines(qs, D(2025, 9, 1))
    for i, person in enumerate(people[1:]):
        grant(actor, person, "merit_war_invalid", D(2025, 8, 1), rate=30 + i)
    with CaptureQueriesContext(connection) as many:
        lines = month_lines(qs, D(2025, 9, 1))
    assert len(lines) == 6
    assert len(many) == len(few)


# --- Dossiers ----------------------------------------------------------------------------------


def test_it_counts_a_dossiers_deadline_in_working_days_across_a_holiday(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Phạm Thị Hồng", D(1950, 1, 1))
    # Received Wednesday 27/8/2025: 10 working days skip the weekends and 1–2/9 (National Day).
    dossier = services.receive_dossier(actor, kind="start", person=person, scheme="social_assistance",
                                       category_code="sa_disability_severe", received_on=D(2025, 8, 27))
    assert dossier.due_on == D(2025, 9, 12)
    assert dossier.commune_id == household.commune_id


def test_it_decides_a_dossier_into_an_entitlement(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Phạm Thị Hồng", D(1950, 1, 1))
    dossier = services.receive_dossier(actor, kind="start", person=person, scheme="social_assistance",
                                       category_code="sa_disability_severe", received_on=D(2025, 8, 27))
    with pytest.raises(ValidationError):  # not checked yet
        services.decide_dossier(actor, dossier, on=D(2025, 9, 5), decision_number="12/QĐ-UBND", signer="Chủ tịch")
    services.check_dossier(actor, dossier, on=D(2025, 8, 29))
    services.decide_dossier(actor, dossier, on=D(2025, 9, 5), decision_number="12/QĐ-UBND", signer="Chủ tịch")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DECIDED
    assert dossier.entitlement is not None and dossier.entitlement.start_month == D(2025, 9, 1)
    assert list(DossierStep.objects.filter(dossier=dossier).values_list("status", flat=True)) == [
        "received", "checked", "decided"]
    with pytest.raises(ValidationError):  # twice
        services.decide_dossier(actor, dossier, on=D(2025, 9, 6), decision_number="13/QĐ-UBND", signer="Chủ tịch")
    with pytest.raises(ValidationError):
        services.refuse_dossier(actor, dossier, on=D(2025, 9, 6), reason="Không đủ điều kiện")


def test_it_moves_and_stops_an_entitlement_by_dossier(actor: Actor, household: Any, units: Any) -> None:
    from ansinh.geo.models import Level, Unit

    person = member(actor, household, "Phạm Văn Năm", D(1950, 1, 1))
    e = grant(actor, person, "sa_disability_severe", D(2025, 3, 3))
    other = Unit.objects.filter(level=Level.COMMUNE, edition=units.tra_cu.edition,
                                parent=units.tra_cu.parent).exclude(pk=units.tra_cu.pk).first()
    move = services.receive_dossier(actor, kind="move", person=person, scheme="social_assistance", entitlement=e,
                                    received_on=D(2025, 9, 3), to_commune=other)
    services.check_dossier(actor, move, on=D(2025, 9, 4))
    services.decide_dossier(actor, move, on=D(2025, 9, 10), decision_number="20/QĐ", signer="Chủ tịch")
    e.refresh_from_db()
    assert (e.stop_month, e.stop_reason) == (D(2025, 10, 1), "moved")
    moved = Entitlement.objects.get(person=person, stop_month__isnull=True)
    assert (moved.commune_id, moved.start_month) == (other.pk, D(2025, 10, 1))


def test_it_refuses_a_dossier_only_with_a_reason(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Phạm Thị Sáu", D(1950, 1, 1))
    dossier = services.receive_dossier(actor, kind="start", person=person, scheme="social_pension",
                                       category_code="social_pension", received_on=D(2025, 8, 27))
    with pytest.raises(ValidationError) as error:
        services.refuse_dossier(actor, dossier, on=D(2025, 9, 1), reason="  ")
    assert "reason" in error.value.message_dict
    services.refuse_dossier(actor, dossier, on=D(2025, 9, 1), reason="Đang hưởng lương hưu")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.refusal_reason) == ("refused", "Đang hưởng lương hưu")


def test_it_refuses_inconsistent_dossiers(people: Any, actor: Actor, household: Any) -> None:
    person = member(actor, household, "Phạm Thị Bảy", D(1950, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.receive_dossier(actor, kind="stop", person=person, scheme="social_assistance",
                                 received_on=D(2025, 8, 27))
    assert {"entitlement", "stop_reason"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.receive_dossier(actor, kind="start", person=person, scheme="meritorious",
                                 category_code="sa_disability_severe", received_on=D(2025, 8, 27))
    assert "category" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.receive_dossier(Actor(user=people.binh), kind="start", person=person, scheme="social_assistance",
                                 category_code="sa_disability_severe", received_on=D(2025, 8, 27))


# --- Import, martyrs, stops, changes --------------------------------------------------------------


def test_it_creates_an_imports_entitlements_all_or_nothing(actor: Actor, household: Any) -> None:
    a = member(actor, household, "Nhập Thị Một", D(1950, 1, 1))
    b = member(actor, household, "Nhập Văn Hai", D(1952, 1, 1))
    rows = [services.EntitlementRow(person=a, category_code="sa_disability_severe", decision_number="1/QĐ",
                                    decision_date=D(2025, 8, 1), line=2),
            services.EntitlementRow(person=b, category_code="merit_war_invalid", decision_number="2/QĐ",
                                    decision_date=D(2025, 8, 1), line=3)]  # no rate
    with pytest.raises(ValidationError) as error:
        services.bulk_create_entitlements(actor, rows)
    assert any(message.startswith("Row 3") or message.startswith("Dòng 3") for message in error.value.messages)
    assert not Entitlement.objects.filter(person__in=[a, b]).exists()
    rows[1] = services.EntitlementRow(person=b, category_code="merit_war_invalid", decision_number="2/QĐ",
                                      decision_date=D(2025, 8, 1), rate=41, recognised_on=D(2025, 6, 3), line=3)
    assert services.bulk_create_entitlements(actor, rows) == 2
    assert Entitlement.objects.get(person=b).start_month == D(2025, 6, 1)
    assert AuditEvent.objects.filter(action="entitlement.import").exists()
    with pytest.raises(ValidationError):  # the same again: both already held
        services.bulk_create_entitlements(actor, rows)


def test_it_counts_linked_martyrs_for_a_relatives_allowance(actor: Actor, household: Any, units: Any) -> None:
    mother = member(actor, household, "Nguyễn Thị Thứ", D(1930, 1, 1))
    martyrs = [services.create_martyr(actor, full_name=f"Lê Văn Liệt {i}", commune=units.tra_cu,
                                      died_on=D(1968, 2, i + 1)) for i in range(2)]
    e = grant(actor, mother, "merit_martyr_relative", D(2025, 8, 1), martyrs=martyrs)
    [own, *_rest] = month_lines(Entitlement.objects.filter(pk=e.pk), D(2025, 9, 1))
    assert own.amount == 5_578_000  # relatives of two martyrs (Decree 77/2024 Appendix I)
    with pytest.raises(ValidationError) as error:
        services.create_martyr(actor, full_name=" ", commune=units.tra_cu)
    assert "full_name" in error.value.message_dict


def test_it_stops_an_entitlement_and_refuses_a_second_stop(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Dừng Văn Ba", D(1950, 1, 1))
    e = grant(actor, person, "sa_disability_severe", D(2025, 3, 3))
    with pytest.raises(ValidationError) as error:
        services.stop_entitlement(actor, e, stop_month=D(2025, 3, 1), reason="not_eligible")
    assert "stop_month" in error.value.message_dict
    services.stop_entitlement(actor, e, stop_month=D(2025, 9, 1), reason="not_eligible")
    with pytest.raises(ValidationError):
        services.stop_entitlement(actor, e, stop_month=D(2025, 10, 1), reason="not_eligible")
    assert paid(month_lines(Entitlement.objects.filter(pk=e.pk), D(2025, 8, 1))) == 1_000_000
    assert month_lines(Entitlement.objects.filter(pk=e.pk), D(2025, 9, 1)) == []
    # A death before a stop already decided for a later month comes first.
    f = grant(actor, person, "sa_elderly_poor_alone", D(2025, 9, 3))
    services.stop_entitlement(actor, f, stop_month=D(2025, 12, 1), reason="not_eligible")
    register.member_died(actor=actor, member=Member.objects.get(pk=person.pk), on=D(2025, 10, 2))
    f.refresh_from_db()
    assert (f.stop_month, f.stop_reason) == (D(2025, 11, 1), "died")


def test_it_changes_an_entitlement_by_dossier_from_the_decision_month(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Đổi Văn Tư", D(1955, 1, 1))
    e = grant(actor, person, "merit_war_invalid", D(2025, 3, 3), rate=41)
    dossier = services.receive_dossier(actor, kind="change", person=person, scheme="meritorious", entitlement=e,
                                       received_on=D(2025, 8, 4), rate=61)
    assert dossier.due_on == D(2025, 8, 20)  # 12 working days (Decree 131, provisional)
    services.check_dossier(actor, dossier, on=D(2025, 8, 5))
    services.decide_dossier(actor, dossier, on=D(2025, 8, 18), decision_number="30/QĐ-SNV", signer="Giám đốc Sở")
    e.refresh_from_db()
    assert (e.stop_month, e.stop_reason) == (D(2025, 8, 1), "replaced")
    new = Entitlement.objects.get(person=person, stop_month__isnull=True)
    assert (new.rate, new.start_month) == (61, D(2025, 8, 1))
    qs = Entitlement.objects.filter(person=person)
    assert paid(month_lines(qs, D(2025, 7, 1))) == 3_667_000
    assert paid(month_lines(qs, D(2025, 8, 1))) == 5_450_000


def test_it_imports_in_a_number_of_queries_that_does_not_grow_with_the_rows(actor: Actor, household: Any) -> None:
    def rows(n: int, first: int) -> list[services.EntitlementRow]:
        people = [member(actor, household, f"Nhập Số {first + i}", D(1950, 1, 1 + i)) for i in range(n)]
        return [services.EntitlementRow(person=p, category_code="sa_disability_severe", decision_number=f"{i}/QĐ",
                                        decision_date=D(2025, 8 - i % 2, 1)) for i, p in enumerate(people)]

    services.bulk_create_entitlements(actor, rows(1, 30))  # the user's scope, read once and kept
    few, many = rows(2, 0), rows(8, 10)
    with CaptureQueriesContext(connection) as q_few:
        services.bulk_create_entitlements(actor, few)
    with CaptureQueriesContext(connection) as q_many:
        services.bulk_create_entitlements(actor, many)
    assert len(q_many) == len(q_few)


def test_it_pays_nothing_after_the_month_of_a_death_even_when_the_entitlement_was_left_open(
        actor: Actor, household: Any) -> None:
    person = member(actor, household, "Mở Văn Sáu", D(1950, 1, 1))
    e = grant(actor, person, "sa_disability_severe", D(2025, 3, 3))
    Member.objects.filter(pk=person.pk).update(died_on=D(2025, 8, 20))  # e.g. imported without the hook
    qs = Entitlement.objects.filter(pk=e.pk)
    assert paid(month_lines(qs, D(2025, 8, 1))) == 1_000_000
    [line] = month_lines(qs, D(2025, 9, 1))
    assert not line.paid and "20/08/2025" in line.excluded


def test_it_proposes_funeral_support_for_a_single_parents_child_and_a_pending_pensioner(
        actor: Actor, household: Any) -> None:
    mother = member(actor, household, "Đơn Thị Thân", D(1990, 1, 1))
    child = member(actor, household, "Đơn Văn Nhỏ", D(2015, 6, 1))
    parent = grant(actor, mother, "sa_single_parent", D(2025, 3, 3), children=1)
    register.member_died(actor=actor, member=child, on=D(2025, 9, 15))
    [proposal] = child.benefit_proposals.all()
    assert (proposal.kind, proposal.amount, proposal.entitlement_id) == (ProposalKind.SA_FUNERAL, 10_000_000, parent.pk)
    assert "điểm b khoản 1 Điều 11" in proposal.basis
    applicant = member(actor, household, "Chờ Văn Duyệt", D(1948, 1, 1))
    dossier = services.receive_dossier(actor, kind="start", person=applicant, scheme="social_pension",
                                       category_code="social_pension", received_on=D(2025, 9, 1))
    register.member_died(actor=actor, member=applicant, on=D(2025, 9, 5))
    [proposal] = applicant.benefit_proposals.all()
    assert (proposal.kind, proposal.amount, proposal.entitlement_id) == (ProposalKind.PENSION_FUNERAL, 10_000_000, None)
    assert f"#{dossier.pk}" in proposal.basis
    # Nobody to propose anything for: no proposal, no error.
    other = member(actor, household, "Không Văn Gì", D(1960, 1, 1))
    register.member_died(actor=actor, member=other, on=D(2025, 9, 5))
    assert not other.benefit_proposals.exists()


def test_it_proposes_funeral_support_for_a_person_of_80_on_another_monthly_benefit(
        actor: Actor, household: Any) -> None:
    old = member(actor, household, "Tám Mươi Hưu", D(1945, 9, 15))
    Member.objects.filter(pk=old.pk).update(pension=True)
    register.member_died(actor=actor, member=Member.objects.get(pk=old.pk), on=D(2025, 9, 15))  # 80 that day
    [proposal] = old.benefit_proposals.all()
    assert (proposal.kind, proposal.scheme, proposal.amount, proposal.entitlement_id) == (
        ProposalKind.SA_FUNERAL, Scheme.SOCIAL_ASSISTANCE, 10_000_000, None)
    assert proposal.commune_id == household.commune_id and "điểm c khoản 1 Điều 11" in proposal.basis
    # A day short of 80, or 80 with no monthly benefit recorded: nothing to propose.
    younger = member(actor, household, "Bảy Chín Hưu", D(1945, 9, 16))
    Member.objects.filter(pk=younger.pk).update(pension=True)
    register.member_died(actor=actor, member=Member.objects.get(pk=younger.pk), on=D(2025, 9, 15))
    assert not younger.benefit_proposals.exists()
    alone = member(actor, household, "Tám Mươi Không Hưu", D(1940, 1, 1))
    register.member_died(actor=actor, member=alone, on=D(2025, 9, 15))
    assert not alone.benefit_proposals.exists()


def test_it_pays_a_disability_allowance_from_the_month_of_the_certificate(actor: Actor, household: Any) -> None:
    person = member(actor, household, "Giấy Xác Nhận", D(1980, 1, 1))
    e = grant(actor, person, "sa_disability_severe", D(2025, 9, 10), recognised_on=D(2025, 6, 20))
    assert e.start_month == D(2025, 6, 1)  # Decree 20/2021 Art. 8(1)đ
    owed = arrears(e, D(2025, 9, 30))
    assert [(month, amount) for month, amount, _why in owed] == [
        (D(2025, 6, 1), 750_000), (D(2025, 7, 1), 750_000), (D(2025, 8, 1), 750_000)]
    assert "giấy xác nhận mức độ khuyết tật (20/06/2025)" in owed[0][2] and "Điều 8 Nghị định 20/2021" in owed[0][2]
    # Without a certificate date: from the decision's month, nothing owed; other groups ignore the date.
    other = member(actor, household, "Không Giấy", D(1981, 1, 1))
    plain = grant(actor, other, "sa_disability_severe", D(2025, 9, 10))
    assert plain.start_month == D(2025, 9, 1) and arrears(plain, D(2025, 9, 30)) == []
    poor = member(actor, household, "Cao Tuổi Nghèo", D(1950, 1, 1))
    alone = grant(actor, poor, "sa_elderly_poor_alone", D(2025, 9, 10), recognised_on=D(2025, 6, 20))
    assert alone.start_month == D(2025, 9, 1) and arrears(alone, D(2025, 9, 30)) == []
    # A certificate dated after the decision is refused.
    late = member(actor, household, "Giấy Sau", D(1982, 1, 1))
    with pytest.raises(ValidationError) as error:
        grant(actor, late, "sa_disability_severe", D(2025, 9, 10), recognised_on=D(2025, 9, 11))
    assert "recognised_on" in error.value.message_dict
