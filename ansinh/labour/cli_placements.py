"""The placements part of `ansinh labour`:

- `ansinh labour import-placements FILE --unit PROVINCE_CODE [--as USERNAME] [--json]`
- `ansinh labour import-counselling FILE --unit PROVINCE_CODE [--as USERNAME] [--json]`
- `ansinh labour placements-template [FILE]`, `ansinh labour counselling-template [FILE]`

All or nothing: every problem is printed in Vietnamese, one per line, nothing is written and the
command exits 1. With `--json` prints `{"created": N}`. Without `--as` it is an operator's run
(every commune of the province); with it, that user's scope applies and she is recorded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.tabular import ImportProblems, upload_limit_error
from ansinh.lib.vietnamese import format_number


def add_parsers(sub: Any) -> None:
    for kind, what in (("placements", "job placements"), ("counselling", "job counselling")):
        parser = sub.add_parser(f"import-{kind}", help=f"Import {what} from the template (.xlsx or .csv): all or "
                                                       "nothing.")
        parser.add_argument("file", help="the filled-in template")
        parser.add_argument("--unit", required=True, help="code of the province (current map), e.g. 86")
        parser.add_argument("--as", dest="as_user", default=None,
                            help="username whose scope applies and who is recorded (default: an operator's run)")
        parser.add_argument("--json", action="store_true", help='print {"created": N}')
        parser.set_defaults(handler=handle_import, kind=kind)
        template = sub.add_parser(f"{kind}-template", help=f"Write the import template of {what} (.xlsx).")
        template.add_argument("file", nargs="?", default=None, help="where to write it")
        template.set_defaults(handler=handle_template, kind=kind)


def _actor(username: str | None) -> Actor:
    if not username:
        return Actor.cli(None)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{username}” (hoặc tài khoản đã bị khóa).")
    return Actor.cli(user)


def _province(code: str) -> Unit:
    province = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE, code=code.strip()).first()
    if province is None:
        raise CommandError(f"Không có tỉnh mã “{code}” trong bản đồ hành chính hiện hành.")
    return province


def handle_import(command: BaseCommand, options: dict[str, Any]) -> None:
    from .counselling_import import import_counselling
    from .placements_import import import_placements

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"Không có tệp {path}.")
    with translation.override("vi"):
        if too_big := upload_limit_error(path.stat().st_size):
            raise CommandError(too_big)
        actor, province = _actor(options["as_user"]), _province(options["unit"])
        run = import_placements if options["kind"] == "placements" else import_counselling
        try:
            result = run(actor=actor, data=path.read_bytes(), filename=path.name, province=province)
        except ImportProblems as error:
            for problem in error.problems:
                command.stderr.write(str(problem))
            raise CommandError(f"Tệp có {format_number(len(error.problems))} lỗi: không ghi gì. Sửa tệp rồi nhập "
                               "lại.") from None
    if options["json"]:
        command.stdout.write(json.dumps({"created": result.created}))
        return
    what = "lượt giải quyết việc làm" if options["kind"] == "placements" else "lượt tư vấn việc làm"
    command.stdout.write(f"Đã ghi {format_number(result.created)} {what} từ {path.name} ({province.name}).")


def handle_template(command: BaseCommand, options: dict[str, Any]) -> None:
    from .counselling_import import counselling_template_xlsx
    from .placements_import import template_xlsx

    placements = options["kind"] == "placements"
    path = Path(options["file"] or ("mau-giai-quyet-viec-lam.xlsx" if placements else "mau-tu-van-viec-lam.xlsx"))
    path.write_bytes(template_xlsx() if placements else counselling_template_xlsx())
    command.stdout.write(f"Đã ghi mẫu tệp: {path}")


__all__ = ["add_parsers"]
