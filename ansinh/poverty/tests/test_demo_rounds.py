"""`ansinh demo rounds`: last year's round decided and locked, this year's under way."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ansinh.poverty.models import Assessment, ReviewRound, RoundProgress, RoundStatus

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_it_leaves_one_round_decided_and_one_under_way(settings, units):
    settings.DEMO = True
    call_command("demo", "generate", "--province", "86", "--households", "400", "--seed", "3", stdout=StringIO())
    out = StringIO()
    call_command("demo", "rounds", "--province", "86", "--year", "2025", stdout=out)
    last, this = ReviewRound.objects.get(year=2024), ReviewRound.objects.get(year=2025)
    assert last.status == RoundStatus.DECIDED and last.decision_number == "125/QĐ-UBND"
    assert this.status == RoundStatus.OPEN and this.previous == last
    assert Assessment.objects.filter(round=this).count() == 400
    assert Assessment.objects.filter(round=this).exclude(transition="").exists()
    steps = RoundProgress.objects.filter(round=this).values_list("commune_id", flat=True)
    assert 0 < len(set(steps)) and "400" in out.getvalue()
    again = StringIO()
    call_command("demo", "rounds", "--province", "86", "--year", "2025", stdout=again)
    assert again.getvalue() == "" and Assessment.objects.filter(round=this).count() == 400
