"""The issue's "what shows it works", year by year: due dates across Tết, across a weekend
followed by a holiday, across a make-up working day and after a request for additions, for 2024,
2025 and 2026, on the shipped calendar decisions (`workdays/migrations/0002_decisions_2024_2026.py`).

Where each case is tested (test_due_dates.py: D; here: E; test_one_deadline_logic.py: O):

| case                        | 2024       | 2025          | 2026       |
|-----------------------------|------------|---------------|------------|
| Tết                         | D (5/2)    | D (23/1), O   | D (11/2), O|
| weekend then a holiday      | D (30/8)   | E (29/8)      | D (24/4)   |
| make-up working day         | D (26/4)   | E (24/4), O   | D (8/1)    |
| restart after additions     | E (6/2)    | D (1/4)       | E (13/2)   |

The dates below are worked out by hand in the comments; the count starts the day after the start
(Civil Code 2015 Art. 147.2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ansinh.procedures import services
from ansinh.procedures.models import DossierStatus

from .helpers import at, procedure, receive

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("received", "days", "expected"), [
    # 2025, a weekend followed by holidays: Sat 30/8, Sun 31/8, Mon 1/9 (the day next to National
    # Day), Tue 2/9/2025 off. From Fri 29/8: Wed 3/9 (1), Thu 4/9 (2).
    (at(2025, 8, 29), 2, D(2025, 9, 4)),
    # 2025, a make-up Saturday: Sat 26/4/2025 worked for Fri 2/5 (30/4 – 4/5 off). From Thu 24/4:
    # Fri 25 (1), Sat 26 (2).
    (at(2025, 4, 24), 2, D(2025, 4, 26)),
    # … and a day further: Sun 27 off, Mon 28/4 (3).
    (at(2025, 4, 24), 3, D(2025, 4, 28)),
    # … and across the run that follows: Mon 28 (3), Tue 29 (4), 30/4 – Sun 4/5 off, Mon 5/5 (5).
    (at(2025, 4, 24), 5, D(2025, 5, 5)),
])
def test_it_counts_the_cases_2025_lacked(units: Any, received: dt.datetime, days: int, expected: dt.date) -> None:
    assert receive(procedure(days), units.tra_cu, received).due_on == expected


@pytest.mark.parametrize(("received", "asked", "brought", "days", "first_due", "restarted"), [
    # 2024: received Mon 29/1/2024, 5 days: Tue 30, Wed 31, Thu 1/2, Fri 2, Mon 5/2. Additions asked
    # Wed 31/1, brought Tue 6/2: the term restarts from zero on 6/2: Wed 7 (1), Tết Thu 8 – Wed 14
    # off, Thu 15 (2), Fri 16 (3), Mon 19 (4), Tue 20/2 (5).
    (at(2024, 1, 29), at(2024, 1, 31), at(2024, 2, 6, 10), 5, D(2024, 2, 5), D(2024, 2, 20)),
    # 2026: received Mon 5/1/2026, 3 days: Tue 6, Wed 7, Thu 8/1. Additions asked Tue 6/1, brought
    # Fri 13/2, the eve of Tết (Sat 14 – Sun 22/2 off): Mon 23 (1), Tue 24 (2), Wed 25/2 (3).
    (at(2026, 1, 5), at(2026, 1, 6), at(2026, 2, 13, 10), 3, D(2026, 1, 8), D(2026, 2, 25)),
    # 2026 again, brought Thu 8/1 (Fri 2/1 swapped for Sat 10/1): Fri 9 (1), Sat 10/1 (2, make-up).
    (at(2026, 1, 5), at(2026, 1, 6), at(2026, 1, 8, 10), 2, D(2026, 1, 7), D(2026, 1, 10)),
])
def test_it_restarts_the_term_after_additions_each_year(units: Any, received: dt.datetime, asked: dt.datetime,
                                                         brought: dt.datetime, days: int, first_due: dt.date,
                                                         restarted: dt.date) -> None:
    dossier = receive(procedure(days), units.tra_cu, received)
    assert dossier.due_on == first_due
    dossier = services.dossier_request_additions(actor=None, dossier=dossier, reason="Thiếu giấy tờ", at=asked)
    assert dossier.status == DossierStatus.ADDITIONS
    dossier = services.dossier_complete_additions(actor=None, dossier=dossier, at=brought)
    assert (dossier.start_on, dossier.due_on) == (brought.date(), restarted)
