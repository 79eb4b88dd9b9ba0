"""`ansinh labour import-enrolments FILE --unit PROVINCE_CODE [--as USERNAME] [--json]` and
`ansinh labour enrolments-template -o FILE.xlsx`: the training registry on the command line.

The import is the pages' (`training_import.import_enrolments`: all or nothing); with `--json` it
prints `{"created": N, "courses_created": M}`; problems are printed one per line in Vietnamese and
the command exits 1."""

from __future__ import annotations

import json
from argparse import _SubParsersAction
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ansinh.accounts.cli import cli_actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.tabular import ImportProblems, upload_limit_error
from ansinh.lib.vietnamese import format_number


def province_for(code: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip(), edition=Edition.CURRENT, level=Level.PROVINCE).first()
    if unit is None:
        raise CommandError(f"Không có tỉnh, thành phố mã {code} trên bản đồ hiện hành.")
    return unit


def import_enrolments_command(command: BaseCommand, options: dict[str, Any]) -> None:
    from .training_import import import_enrolments

    translation.activate("vi")
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"Không có tệp {path}.")
    if too_big := upload_limit_error(path.stat().st_size):
        raise CommandError(too_big)
    province = province_for(options["unit"])
    actor = cli_actor(options.get("username"))
    try:
        result = import_enrolments(actor=actor, data=path.read_bytes(), filename=path.name, province=province)
    except ImportProblems as error:
        for problem in error.problems:
            command.stderr.write(str(problem))
        raise CommandError(f"Không nhập gì: {len(error.problems)} lỗi.", returncode=1) from None
    if options.get("json"):
        command.stdout.write(json.dumps({"created": result.created, "courses_created": result.courses_created}))
        return
    command.stdout.write(f"Đã nhập {format_number(result.created)} người học "
                         f"({format_number(result.courses_created)} lớp mới) từ {path.name}.")


def template_command(command: BaseCommand, options: dict[str, Any]) -> None:
    from .training_import import template_xlsx

    output = Path(options["output"])
    output.write_bytes(template_xlsx())
    command.stdout.write(f"Đã ghi {output}")


def add_parsers(sub: _SubParsersAction) -> None:  # type: ignore[type-arg]
    load = sub.add_parser("import-enrolments", help="Import enrolments (people in vocational training): all or nothing.")
    load.add_argument("file", type=Path)
    load.add_argument("--unit", required=True, help="Code of the province (current map), e.g. 86.")
    load.add_argument("--as", dest="username", default=None,
                      help="Import as this user, within the user's units (default: as 'system').")
    load.add_argument("--json", action="store_true", help='Print {"created": N} as JSON.')
    load.set_defaults(handler=import_enrolments_command)
    template = sub.add_parser("enrolments-template", help="Write the enrolment import template (.xlsx).")
    template.add_argument("-o", "--output", type=Path, required=True)
    template.set_defaults(handler=template_command)
