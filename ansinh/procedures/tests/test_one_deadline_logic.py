"""One deadline logic (issue 14 item 1): benefit dossiers, unemployment dossiers and work permits
take their statutory time from the catalogue of procedures and their due date from the
procedures app's function. Proved against the former code, frozen below with its data, for every
rule and every day of receipt of 2024–2026 (Tết, make-up Saturdays, runs of holidays included),
through the one-dossier path and the batch path; and an administrator's change to the catalogue
changes the deadline of every new dossier of each kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.audit import Actor
from ansinh.benefits import services as benefits
from ansinh.benefits.models import DossierKind, Scheme
from ansinh.labour import services_foreign as permits
from ansinh.labour import unemployment
from ansinh.labour.models import PermitKind
from ansinh.labour.ui_law import LawBook
from ansinh.lib.workdays import WorkingCalendar
from ansinh.procedures import services
from ansinh.procedures.deadlines import DueDates, deadline, procedure_in_force
from ansinh.procedures.models import Procedure, ProcedureUse
from ansinh.workdays.calendar import calendar_for

D = dt.date
pytestmark = pytest.mark.django_db

FIRST, LAST = D(2024, 1, 1), D(2026, 12, 31)

# --- The former code, frozen with its data -----------------------------------------------------------

# benefits/services.py `DEADLINES` (scheme, kind or "" for every kind, valid_from, days) and its
# `deadline_for`: the row of the latest valid_from on or before the day, else the earliest row.
OLD_BENEFIT_ROWS = [
    (Scheme.SOCIAL_ASSISTANCE, "", D(2021, 7, 1), 17),
    (Scheme.SOCIAL_ASSISTANCE, "", D(2025, 7, 1), 10),
    (Scheme.SOCIAL_PENSION, "", D(2025, 7, 1), 10),
    (Scheme.MERITORIOUS, DossierKind.START, D(2022, 2, 15), 12),
    (Scheme.MERITORIOUS, DossierKind.CHANGE, D(2022, 2, 15), 12),
    (Scheme.MERITORIOUS, DossierKind.MOVE, D(2022, 2, 15), 10),
    (Scheme.MERITORIOUS, DossierKind.STOP, D(2022, 2, 15), 12),
]


def old_benefit_days(scheme: str, kind: str, received: dt.date) -> int:
    rows = sorted((r for r in OLD_BENEFIT_ROWS if r[0] == scheme and r[1] in ("", kind)),
                  key=lambda r: (r[2], r[1] != ""))
    chosen = rows[0]
    for row in rows:
        if row[2] <= received:
            chosen = row
    return chosen[3]


# labour/migrations/0003_permit_rules.py (kind, valid_from, valid_to, working days) and
# services_foreign.rule_for: the row in force on the day of receipt.
OLD_PERMIT_ROWS = [
    ("issue", D(2021, 2, 15), D(2025, 8, 6), 5), ("reissue", D(2021, 2, 15), D(2025, 8, 6), 3),
    ("extend", D(2021, 2, 15), D(2025, 8, 6), 5), ("exemption", D(2021, 2, 15), D(2025, 8, 6), 5),
    ("issue", D(2025, 8, 7), None, 10), ("reissue", D(2025, 8, 7), None, 3),
    ("extend", D(2025, 8, 7), None, 10), ("exemption", D(2025, 8, 7), None, 5),
]


def old_permit_days(kind: str, received: dt.date) -> int:
    found = [r for r in OLD_PERMIT_ROWS if r[0] == kind and r[1] <= received and (r[2] is None or received <= r[2])]
    return max(found, key=lambda r: r[1])[3]


# labour/migrations/0004_unemployment_law.py: decision_working_days of the rule in force on the
# contract's end (Law 38/2013 to 31/12/2025, Law 74/2025 from 1/1/2026).
OLD_UNEMPLOYMENT_ROWS = [(D(2015, 1, 1), D(2025, 12, 31), 20), (D(2026, 1, 1), None, 20)]


def old_unemployment_days(contract_end: dt.date) -> int:
    return next(r[2] for r in OLD_UNEMPLOYMENT_ROWS if r[0] <= contract_end and (r[1] is None or contract_end <= r[1]))


def days_of(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


@pytest.fixture
def calendar(units: Any) -> WorkingCalendar:
    return calendar_for(units.vinh_long)


# --- Old and new agree --------------------------------------------------------------------------------


def test_it_gives_benefit_dossiers_the_same_due_dates_as_before(calendar: WorkingCalendar) -> None:
    batch = benefits.benefit_due_dates(calendar)
    compared = 0
    for scheme in Scheme.values:
        for kind in DossierKind.values:
            use = benefits.procedure_use(scheme, kind)
            for day in days_of(FIRST, LAST):
                old = calendar.add_working_days(day, old_benefit_days(scheme, kind, day))
                # The service's path (the catalogue read once here: a query per day is slow) and the batch's.
                assert deadline(use, day, calendar=calendar, rows=batch.rows, first_if_before=True).due_on == old, \
                    (scheme, kind, day)
                assert batch(use, day).due_on == old, (scheme, kind, day)
                if day.day in (1, 15) or day in (D(2025, 6, 30), D(2025, 7, 1)):  # and the catalogue's query
                    assert benefits.deadline_for(scheme, kind, day).days == old_benefit_days(scheme, kind, day)
                compared += 1
    assert compared == 12 * 1096


def test_it_gives_work_permits_the_same_due_dates_as_before(calendar: WorkingCalendar) -> None:
    batch = permits.permit_due_dates(calendar)
    for kind in PermitKind.values:
        for day in days_of(FIRST, LAST):
            old = calendar.add_working_days(day, old_permit_days(kind, day))
            assert permits.due_date(kind, day, calendar=calendar)[0] == old, (kind, day)
            assert permits.due_date(kind, day, calendar=calendar, due_dates=batch)[0] == old, (kind, day)


def test_it_gives_unemployment_dossiers_the_same_decision_due_as_before(calendar: WorkingCalendar) -> None:
    book = LawBook.load()
    batch = DueDates([ProcedureUse.UNEMPLOYMENT], calendar, rows=book.procedures)
    for day in days_of(FIRST, LAST):
        # Contracts ending 5 and 60 days before: across 1/1/2026 the law changes with the contract's
        # end, the procedure with the day of receipt; both give 20 working days.
        for contract_end in (day - dt.timedelta(days=5), day - dt.timedelta(days=60)):
            old = calendar.add_working_days(day, old_unemployment_days(contract_end))
            new = unemployment.decision_due(received_on=day, contract_end=contract_end, calendar=calendar, book=book)
            assert new == old, (day, contract_end)
        assert batch(ProcedureUse.UNEMPLOYMENT, day).due_on == old


@pytest.mark.parametrize(("use", "received", "expected"), [
    # Tết 2025 (Sat 25/1 – Sun 2/2/2025 off): a permit of 5 working days received Wed 22/1/2025 →
    # Thu 23, Fri 24, Mon 3/2, Tue 4, Wed 5/2.
    (ProcedureUse.PERMIT_ISSUE, D(2025, 1, 22), D(2025, 2, 5)),
    # Tết 2026 (Sat 14/2 – Sun 22/2/2026 off), 10 working days (social assistance, Decree 147/2025)
    # from Wed 11/2: Thu 12, Fri 13, Mon 23, Tue 24, Wed 25, Thu 26, Fri 27, Mon 2/3, Tue 3, Wed 4/3.
    (ProcedureUse.BENEFIT_SOCIAL_ASSISTANCE, D(2026, 2, 11), D(2026, 3, 4)),
    # A make-up Saturday: Sat 26/4/2025 is worked for Fri 2/5; 30/4 – 4/5 off. A re-issue (3 days)
    # received Thu 24/4 → Fri 25, Sat 26, Mon 28/4.
    (ProcedureUse.PERMIT_REISSUE, D(2025, 4, 24), D(2025, 4, 28)),
    # Tết 2024 (Thu 8/2 – Wed 14/2/2024 off), 20 working days (unemployment) from Thu 1/2/2024:
    # Fri 2, Mon 5, Tue 6, Wed 7, Thu 15, Fri 16, Mon 19 … Fri 23 (11), Mon 26 … Fri 1/3 (16),
    # Mon 4, Tue 5, Wed 6, Thu 7/3 (20).
    (ProcedureUse.UNEMPLOYMENT, D(2024, 2, 1), D(2024, 3, 7)),
])
def test_it_counts_the_other_dossiers_across_runs_of_days_off(calendar: WorkingCalendar, use: str,
                                                              received: dt.date, expected: dt.date) -> None:
    assert deadline(use, received, calendar=calendar, first_if_before=True).due_on == expected
    assert DueDates([use], calendar, first_if_before=True)(use, received).due_on == expected


# --- The catalogue is the one place ------------------------------------------------------------------


def _edit(procedure: Procedure, days: int) -> None:
    services.procedure_save(
        actor=Actor(user=None), procedure=procedure, code=procedure.code, name=procedure.name, field=procedure.field,
        receiving_level=procedure.receiving_level, deciding_level=procedure.deciding_level, days=days,
        fee=procedure.fee, legal_basis=procedure.legal_basis, valid_from=procedure.valid_from,
        valid_to=procedure.valid_to, provisional=procedure.provisional,
        counts_from_next_day=procedure.counts_from_next_day, note=procedure.note, used_for=procedure.used_for)


def test_it_changes_every_new_dossiers_deadline_when_the_catalogue_changes(calendar: WorkingCalendar) -> None:
    day = D(2026, 3, 2)  # a Monday
    _edit(procedure_in_force(ProcedureUse.BENEFIT_SOCIAL_ASSISTANCE, day), 3)
    _edit(procedure_in_force(ProcedureUse.PERMIT_ISSUE, day), 4)
    _edit(procedure_in_force(ProcedureUse.UNEMPLOYMENT, day), 5)
    assert benefits.deadline_for(Scheme.SOCIAL_ASSISTANCE, DossierKind.START, day).days == 3
    assert deadline(benefits.procedure_use(Scheme.SOCIAL_ASSISTANCE, DossierKind.STOP), day,
                    calendar=calendar).due_on == D(2026, 3, 5)
    assert permits.due_date(PermitKind.ISSUE, day, calendar=calendar)[0] == D(2026, 3, 6)
    assert unemployment.decision_due(received_on=day, contract_end=D(2026, 2, 1), calendar=calendar,
                                     book=LawBook.load()) == D(2026, 3, 9)
    # The labour pages read the catalogue too.
    from ansinh.labour.models import PermitRule, UnemploymentRule

    assert PermitRule.objects.get(kind="issue", valid_from=D(2025, 8, 7)).working_days == 4
    assert UnemploymentRule.objects.get(valid_from=D(2026, 1, 1)).decision_working_days == 5


def test_it_marks_every_kind_of_dossier_in_the_catalogue_for_2024_to_2026() -> None:
    for use in ProcedureUse.values:
        for day in (D(2024, 1, 1), D(2025, 7, 1), D(2025, 8, 7), D(2026, 1, 1), D(2026, 12, 31)):
            if use == ProcedureUse.BENEFIT_SOCIAL_PENSION and day < D(2025, 7, 1):
                continue  # the social pension starts on 1/7/2025 (Decree 176/2025)
            found = procedure_in_force(use, day)
            assert found.legal_basis and found.days > 0


def test_it_keeps_one_version_in_force_for_each_kind_of_dossier() -> None:
    current = procedure_in_force(ProcedureUse.PERMIT_ISSUE, D(2026, 1, 5))
    with pytest.raises(ValidationError) as error:
        services.procedure_save(
            actor=Actor(user=None), procedure=None, code="X.LDNN.1", name="Cấp giấy phép (thử)", field="labour",
            receiving_level="province", deciding_level="province", days=7, fee=0, legal_basis="Văn bản thử",
            valid_from=D(2026, 1, 1), valid_to=None, provisional=False, counts_from_next_day=False,
            used_for=ProcedureUse.PERMIT_ISSUE)
    assert current.code in error.value.message_dict["used_for"][0]


def test_it_refuses_a_dossier_when_the_catalogue_has_no_version_that_day(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValidationError) as error:
        permits.due_date(PermitKind.ISSUE, D(2020, 12, 1), calendar=calendar)
    assert "15/02/2021" in error.value.message_dict["received_on"][0]
