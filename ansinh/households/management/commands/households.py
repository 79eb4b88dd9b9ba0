"""`ansinh households import FILE [--as USERNAME] [--check]` and `ansinh households template -o FILE [--sample]`."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ansinh.accounts.cli import cli_actor
from ansinh.geo.models import Unit
from ansinh.households.access import register_change_check, register_editor
from ansinh.households.importer import HouseholdImportError, household_import, template_xlsx


class Command(BaseCommand):
    help = "Import households from the .xlsx template, or write the template."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Check the whole file, then import all of it or nothing.")
        load.add_argument("file", type=Path)
        load.add_argument("--as", dest="username", default=None,
                          help="Import as this user, within the user's units (default: every commune, as 'system').")
        load.add_argument("--check", action="store_true", help="Only check the file; write nothing.")
        template = sub.add_parser("template", help="Write the import template (.xlsx).")
        template.add_argument("-o", "--output", type=Path, required=True)
        template.add_argument("--sample", action="store_true", help="Fill in five sample households of Xã Trà Cú.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        if options["action"] == "template":
            options["output"].write_bytes(template_xlsx(sample=options["sample"]))
            self.stdout.write(f"Đã ghi {options['output']}")
            return
        self._import(options["file"], options["username"], check=options["check"])

    def _import(self, path: Path, username: str | None, *, check: bool) -> None:
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        actor = cli_actor(username, data="dữ liệu hộ")
        allowed: Callable[[Unit], bool] | None = None
        if actor.user is not None:
            if not register_editor(actor.user):
                raise CommandError(f"Người dùng {username!r} không có vai trò được nhập, sửa dữ liệu hộ.")
            allowed = register_change_check(actor.user)
        started = time.perf_counter()
        try:
            result = household_import(actor=actor, data=path, allowed=allowed, name=path.name, dry_run=check)
        except HouseholdImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Không nhập gì: {len(error.problems)} lỗi.") from None
        counts = (f"{result.households} hộ, {result.members} thành viên, {result.conditions} dòng điều kiện sống "
                  f"({time.perf_counter() - started:.1f} giây)")
        if check:
            self.stdout.write(f"Tệp hợp lệ, không ghi gì: {counts}.")
        else:
            self.stdout.write(f"Đã nhập {counts}.")
