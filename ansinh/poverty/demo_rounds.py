"""Review rounds for the demo province: last year's decided, this year's under way.

Used by `ansinh demo rounds` after `ansinh demo generate`, so that `make demo` shows a province
whose transitions, progress table and locked results a provincial officer would recognise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household
from ansinh.lib.vietnamese import format_number
from ansinh.poverty import services

from .models import ReviewRound, RoundProgress, RoundStatus, Step


def demo_rounds(*, province: Unit, year: int, write: Callable[[str], None] = print) -> list[ReviewRound]:
    """1. Year-1: open, classify, every commune records steps 1–4, the province decides (locked).
    2. Year: open and classify; communes are at different steps (the progress table has gaps).
    Idempotent: a round already decided or classified is left as it is."""
    communes = list(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=province.path,
                                        pk__in=Household.objects.values("commune_id")).order_by("code"))
    rounds = []
    for y, steps_for in ((year - 1, lambda i: 4), (year, lambda i: i % 5)):
        round_ = services.review_round_open(actor=Actor.system(), unit=province, year=y)
        if round_.classified_at is None:
            n = services.review_round_run(round=round_, actor=Actor.system())
            write(f"Đợt rà soát năm {y}: đã phân loại {format_number(n)} hộ.")
        if round_.status != RoundStatus.DECIDED and not RoundProgress.objects.filter(round=round_).exists():
            with_households = set(round_.assessments.values("commune_id").annotate(n=Count("id"))
                                  .values_list("commune_id", flat=True))
            for i, commune in enumerate(communes):
                if commune.pk not in with_households:
                    continue
                for step in list(Step)[:steps_for(i)]:
                    services.review_round_step(actor=Actor.system(), round=round_, commune=commune, step=step,
                                               on=dt.date(y, 10, 1) + dt.timedelta(days=14 * list(Step).index(step)))
        if y == year - 1 and round_.status != RoundStatus.DECIDED:
            services.review_round_decide(round=round_, actor=Actor.system(), decision_number="125/QĐ-UBND",
                                         decided_on=dt.date(y, 12, 20))
            write(f"Đợt rà soát năm {y}: đã có quyết định 125/QĐ-UBND, số liệu đã khóa.")
        rounds.append(round_)
    return rounds
