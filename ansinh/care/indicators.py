"""Counted indicators of the care app (issue 14): each area registers its providers with
`ansinh.plans.counted.add_provider` from `indicators_<area>.register()`."""

from __future__ import annotations

from .lanes import parts


def register() -> None:
    for module in parts("indicators"):
        module.register()
