"""The labour registries' kinds of background job (found by the jobs app's autodiscovery): each
registry declares its own in `labour/jobs_<registry>.py`; this module imports them in turn."""

from __future__ import annotations

import importlib
import importlib.util

PARTS = ("jobs_placements", "jobs_training", "jobs_abroad", "jobs_unemployment")

for _name in PARTS:
    if importlib.util.find_spec(f"ansinh.labour.{_name}") is not None:
        importlib.import_module(f"ansinh.labour.{_name}")
