"""Demo data of the care app (`ansinh demo care --province 86`): each area's `demo_<area>.run(
province=…, write=…) -> dict[str, int]` in turn (counts made). Deterministic and idempotent."""

from __future__ import annotations

from collections.abc import Callable

from ansinh.geo.models import Unit

from .lanes import parts


def demo_care(*, province: Unit, write: Callable[[str], None] = print) -> dict[str, int]:
    made: dict[str, int] = {}
    for module in parts("demo"):
        made.update(module.run(province=province, write=write))
    return made
