"""The labour registries' kinds of background job (found by the jobs app's autodiscovery): each
registry registers its own from a module of its own, imported here when it is there."""

from __future__ import annotations

import importlib
import importlib.util

PARTS = ("jobs_placements", "jobs_training", "jobs_abroad", "jobs_unemployment", "unemployment_jobs")

for _name in PARTS:
    if importlib.util.find_spec(f"ansinh.labour.{_name}") is not None:
        importlib.import_module(f"ansinh.labour.{_name}")
