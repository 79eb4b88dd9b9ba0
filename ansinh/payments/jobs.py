"""The payments app's kinds of background job (found by `jobs`' autodiscovery): each part of the
app keeps its own module, imported here when it is there."""

from __future__ import annotations

import importlib
import importlib.util

for _name in ("jobs_payroll", "jobs_settle", "jobs_packages"):
    if importlib.util.find_spec(f"ansinh.payments.{_name}") is not None:
        importlib.import_module(f"ansinh.payments.{_name}")
