"""Counted labour indicators (issue 13 item 2): each registry registers its provider with
`ansinh.plans.counted` from its own module; this module only calls them in turn."""

from __future__ import annotations

from importlib import import_module

# The registries' indicator modules, each with a `register()` (see CONTRACT13).
PARTS = ("indicators_placements", "indicators_training", "indicators_abroad", "indicators_unemployment")


def register() -> None:
    for name in PARTS:
        try:
            module = import_module(f"ansinh.labour.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"ansinh.labour.{name}":
                raise
            continue  # a registry not built yet (while the helpers work on their branches)
        module.register()
