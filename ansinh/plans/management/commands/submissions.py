"""`ansinh submissions template --plan NUMBER --unit CODE --period KEY -o FILE` and
`ansinh submissions import FILE [--as USERNAME] [--submit]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ansinh.accounts.access import get_scope
from ansinh.plans.access import plans_for_user
from ansinh.plans.importer import CellError
from ansinh.plans.periods import Period
from ansinh.plans.submission_io import find_plan_and_unit, submission_import, submission_template_xlsx

from .plans import actor_for, run_import


class Command(BaseCommand):
    help = "Write a unit's periodic form (.xlsx) for a plan and period, or import a filled one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        template = sub.add_parser("template", help="Write the unit's form, filled with what it already holds.")
        template.add_argument("--plan", required=True, help="The plan's number and symbol, e.g. 15/KH-SLĐTBXH.")
        template.add_argument("--unit", required=True,
                              help="Code of the reporting unit on the plan's map (the plan's own unit or one below).")
        template.add_argument("--period", required=True, help="2020-Q1, 2020-H1, 2020 or 2020-03.")
        template.add_argument("--agency", default="", help="The issuing body, when several plans share the number.")
        template.add_argument("-o", "--output", type=Path, required=True)
        load = sub.add_parser("import", help="Check the whole form, then save its figures or nothing.")
        load.add_argument("file", type=Path)
        load.add_argument("--as", dest="username", default=None,
                          help="Import as this user, within the user's units (default: any unit, as 'system').")
        load.add_argument("--submit", action="store_true", help="Also submit the form to the unit above.")
        load.add_argument("--check", action="store_true", help="Only check the file; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        if options["action"] == "template":
            self.template(**options)
        else:
            self.load(options["file"], options["username"], submit=options["submit"], check=options["check"])

    def template(self, *, plan: str, unit: str, period: str, agency: str, output: Path, **_: Any) -> None:
        try:
            key = Period.parse(period)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        try:
            found, reporting = find_plan_and_unit(number=plan, year=key.year, unit_code=unit, agency=agency)
        except CellError as error:
            raise CommandError(str(error)) from None
        output.write_bytes(submission_template_xlsx(found, reporting, key))
        self.stdout.write(f"Đã ghi {output}: biểu của {reporting.name}, kế hoạch {found.number}, kỳ {key.key}.")

    def load(self, path: Path, username: str | None, *, submit: bool, check: bool = False) -> None:
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        actor = actor_for(username)
        run_import(self, lambda: submission_import(
            actor=actor, data=path, name=path.name, submit=submit, dry_run=check,
            allowed=get_scope(actor.user).can_change if actor.user is not None else None,
            plans=plans_for_user(actor.user) if actor.user is not None else None).lines())
