"""Counted labour indicators (issue 13 item 2): each registry registers its provider with
`ansinh.plans.counted.add_provider` from a module of its own (`indicators_<registry>.register()`);
this module calls them in turn."""

from __future__ import annotations

import importlib
import importlib.util

PARTS = ("indicators_placements", "indicators_training", "indicators_abroad", "indicators_unemployment")


def register() -> None:
    for name in PARTS:
        if importlib.util.find_spec(f"ansinh.labour.{name}") is not None:
            importlib.import_module(f"ansinh.labour.{name}").register()
