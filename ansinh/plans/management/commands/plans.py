"""`ansinh plans template -o FILE.xlsx` and `ansinh plans import FILE [--as USERNAME] [--check] [--replace]`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.cli import cli_actor
from ansinh.plans.importer import ImportProblems, plan_import, template_xlsx


def actor_for(username: str | None) -> Actor:
    """The person a command acts as (the system, for an operator at the console, without --as)."""
    return cli_actor(username)


def run_import(command: BaseCommand, do_import: Callable[[], list[str]]) -> None:
    """Runs an import and writes what it did; or writes every problem to stderr and fails."""
    try:
        lines = do_import()
    except ImportProblems as error:
        for problem in error.problems:
            command.stderr.write(str(problem))
        raise CommandError(f"Không nhập gì: {len(error.problems)} lỗi.") from None
    except PermissionDenied as error:
        raise CommandError(str(error) or "Không có quyền.") from None
    for line in lines:
        command.stdout.write(line)


class Command(BaseCommand):
    help = "Import a plan (document, targets and their split, tasks) from the .xlsx template, or write the template."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Check the whole file, then import all of it or nothing.")
        load.add_argument("file", type=Path)
        load.add_argument("--as", dest="username", default=None,
                          help="Import as this user, within the user's units (default: any unit, as 'system').")
        load.add_argument("--check", action="store_true", help="Only check the file; write nothing.")
        load.add_argument("--replace", action="store_true",
                          help="Update the plan the issuing body already has under the same number and year.")
        template = sub.add_parser("template", help="Write the plan template (.xlsx).")
        template.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        if options["action"] == "template":
            options["output"].write_bytes(template_xlsx())
            self.stdout.write(f"Đã ghi {options['output']}")
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        actor = actor_for(options["username"])
        allowed = get_scope(actor.user).can_change if actor.user is not None else None
        run_import(self, lambda: plan_import(actor=actor, data=path, name=path.name, allowed=allowed,
                                             replace=options["replace"], dry_run=options["check"]).lines())
