"""A commune records a round's step only if the round covers it (the check reads the units, no query)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ansinh.poverty import services
from ansinh.poverty.models import RoundProgress, Step

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 11, 1)


def test_it_records_a_step_for_a_commune_of_the_provinces_round(people: Any, units: Any) -> None:
    round_ = services.review_round_open(actor=people.minh, unit=units.vinh_long, year=2025)
    services.review_round_step(actor=people.lan, round=round_, commune=units.tra_cu, step=Step.LIST, on=ON)
    assert RoundProgress.objects.filter(round=round_, commune=units.tra_cu, step=Step.LIST).exists()


@pytest.mark.parametrize("where", ["ba_dinh", "legacy_thi_tran_tra_cu", "vinh_long"])
def test_it_refuses_a_unit_the_provinces_round_does_not_cover(people: Any, units: Any, where: str) -> None:
    """Another province's commune, a legacy commune with the same code, the province itself."""
    round_ = services.review_round_open(actor=people.minh, unit=units.vinh_long, year=2025)
    with pytest.raises(ValidationError, match="commune"):
        services.review_round_step(actor=people.minh, round=round_, commune=getattr(units, where), step=Step.LIST,
                                   on=ON)
    assert not RoundProgress.objects.filter(round=round_).exists()


def test_it_a_communes_round_covers_that_commune_only(people: Any, units: Any) -> None:
    round_ = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    with pytest.raises(ValidationError, match="commune"):
        services.review_round_step(actor=people.binh, round=round_, commune=units.ba_dinh, step=Step.LIST, on=ON)
    services.review_round_step(actor=people.lan, round=round_, commune=units.tra_cu, step=Step.LIST, on=ON)
    assert RoundProgress.objects.filter(round=round_).count() == 1
