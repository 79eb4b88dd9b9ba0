"""`ansinh labour <action> …`: the labour registries on the command line.

Each registry adds its actions from a module of its own (`ansinh.labour.cli_<registry>`) with
`add_parsers(sub)` (the subparsers of this command; every parser it adds sets `handler` with
`set_defaults(handler=…)`, a function `(command, options) -> None`). The unemployment registry adds
`ui-benefit` (issue 13: `ansinh labour ui-benefit --contract-end YYYY-MM-DD --months N
--average-salary VND --region 1|2|3|4 [--state-pay-scale] [--filed-on YYYY-MM-DD] --json`).
Messages for people are in Vietnamese; a refusal exits non-zero.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

PARTS = ("cli_placements", "cli_training", "cli_abroad", "cli_unemployment", "cli_demo")


def _parts() -> list[ModuleType]:
    out = []
    for name in PARTS:
        if importlib.util.find_spec(f"ansinh.labour.{name}") is not None:
            out.append(importlib.import_module(f"ansinh.labour.{name}"))
    return out


class Command(BaseCommand):
    help = "Labour registries: unemployment benefit calculator, imports, reports."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for module in _parts():
            module.add_parsers(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        options["handler"](self, options)
