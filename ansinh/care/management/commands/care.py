"""`ansinh care <action> …`: care facilities, children and inspections on the command line.

Each area adds its actions from `ansinh.care.cli_<area>` with `add_parsers(sub)` (the subparsers
of this command; every parser it adds sets `handler` with `set_defaults(handler=…)`, a function
`(command, options) -> None`). Messages for people are in Vietnamese; a refusal exits non-zero.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ansinh.care.lanes import parts


class Command(BaseCommand):
    help = "Care facilities, children in special circumstances, inspections and citizen reception."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for module in parts("cli"):
            module.add_parsers(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        options["handler"](self, options)
