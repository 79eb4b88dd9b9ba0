"""`ansinh labour import-departures|import-foreign-workers FILE --unit CODE [--as USERNAME] [--json]`
and `ansinh labour abroad-template departures|foreign_workers FILE`: the abroad registries' imports
on the command line (the same functions as the pages' background jobs: all or nothing). Problems
are printed one per line in Vietnamese, and the command exits 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.tabular import ImportProblems

from .import_abroad import KINDS, template

ACTIONS = {"import-departures": "departures", "import-foreign-workers": "foreign_workers"}


def add_parsers(sub: Any) -> None:
    for action, kind in ACTIONS.items():
        parser = sub.add_parser(action, help=f"Import {kind.replace('_', ' ')} from an .xlsx or .csv file "
                                             "(all or nothing).")
        parser.add_argument("file", help="the filled-in template (.xlsx or UTF-8 .csv)")
        parser.add_argument("--unit", required=True, help="the province's code (e.g. 86)")
        parser.add_argument("--as", dest="as_user", default=None,
                            help="username whose scope applies (default: an operator's run)")
        parser.add_argument("--json", action="store_true", help='print {"created": N}')
        parser.set_defaults(handler=_import_handler(kind))
    parser = sub.add_parser("abroad-template", help="Write the .xlsx template of an abroad import.")
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("file")
    parser.set_defaults(handler=_template)


def _import_handler(kind: str) -> Any:
    def handle(command: BaseCommand, options: dict[str, Any]) -> None:
        _import(command, options, kind)
    return handle


def _import(command: BaseCommand, options: dict[str, Any], kind: str) -> None:
    from ansinh.accounts.models import User

    province = Unit.objects.filter(code=options["unit"], level=Level.PROVINCE, edition=Edition.CURRENT).first()
    if province is None:
        raise CommandError(f"Không có tỉnh, thành phố mã {options['unit']!r} theo bản đồ hành chính hiện hành.")
    user = None
    if options["as_user"]:
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng đang hoạt động tên {options['as_user']!r}.")
    path = Path(options["file"])
    try:
        data = path.read_bytes()
    except OSError:
        raise CommandError(f"Không đọc được tệp {path}.") from None
    _sheet, _columns, function = KINDS[kind]
    try:
        with translation.override("vi"):
            result = function(actor=Actor.cli(user), data=data, filename=path.name, province=province)
    except ImportProblems as error:
        with translation.override("vi"):
            for problem in error.problems:
                command.stderr.write(str(problem))
        command.stderr.write(f"Tệp có {len(error.problems)} lỗi: không ghi gì. Sửa tệp rồi nhập lại.")
        raise SystemExit(1) from None
    if options["json"]:
        command.stdout.write(json.dumps({"created": result.created}))
    else:
        command.stdout.write(f"Đã nhập {result.created} dòng từ {result.file}.")


def _template(command: BaseCommand, options: dict[str, Any]) -> None:
    Path(options["file"]).write_bytes(template(options["kind"]))
    command.stdout.write(f"Đã ghi mẫu nhập: {options['file']}")


__all__ = ["add_parsers"]
