"""The facilities' actions of `ansinh care`:

- `facilities-import FILE --facility CODE [--as USERNAME] [--check] [--json]`: the residents of one
  facility from a spreadsheet (all or nothing, docs/care-facilities-import.md); with `--as`, the
  user's scope applies (she must manage the facility) and she is recorded; `--json` prints
  `{"rows": N, "discharged": N, "linked": N}`; problems one per line in Vietnamese, exit code 1.
- `occupancy --facility CODE --month YYYY-MM [--json]`: residents on the month's last day against
  the capacity; `--json` prints `{"facility": CODE, "month": "YYYY-MM", "residents": N, "capacity":
  N, "rate": percent}`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.lib.vietnamese import format_number

from .models_facilities import Facility


def add_parsers(sub: Any) -> None:
    imp = sub.add_parser("facilities-import", help="Import the residents of a care or rehabilitation facility.")
    imp.add_argument("file")
    imp.add_argument("--facility", required=True, help="the facility's code")
    imp.add_argument("--as", dest="as_user", default=None, help="username whose scope applies and who is recorded")
    imp.add_argument("--check", action="store_true", help="check the file only, write nothing")
    imp.add_argument("--json", action="store_true", help='print {"rows": N, "discharged": N, "linked": N}')
    imp.set_defaults(handler=handle_import)
    occ = sub.add_parser("occupancy", help="Residents of a facility on the last day of a month, against capacity.")
    occ.add_argument("--facility", required=True, help="the facility's code")
    occ.add_argument("--month", required=True, help="YYYY-MM")
    occ.add_argument("--json", action="store_true", help="print the figures as JSON")
    occ.set_defaults(handler=handle_occupancy)


def _facility(code: str) -> Facility:
    found = Facility.objects.select_related("unit").filter(code=code).first()
    if found is None:
        raise CommandError(f"Không có cơ sở mã {code}.")
    return found


def _actor(username: str | None, facility: Facility) -> Actor:
    from . import access_facilities as access

    if not username:
        return Actor.cli(None)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{username}” (hoặc tài khoản đã bị khóa).")
    if not access.may_change(user, facility):
        raise CommandError(f"Người dùng “{username}” không quản lý {facility.name}.")
    return Actor.cli(user)


def handle_import(command: BaseCommand, options: dict[str, Any]) -> None:
    from ansinh.lib.tabular import ImportProblems, upload_limit_error

    from .import_facilities import import_residents

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"Không có tệp {path}.")
    if too_big := upload_limit_error(path.stat().st_size):
        raise CommandError(too_big)
    facility = _facility(options["facility"])
    try:
        result = import_residents(path, facility=facility, actor=_actor(options["as_user"], facility),
                                  check=bool(options.get("check")))
    except ImportProblems as error:
        for problem in error.problems:
            command.stderr.write(str(problem))
        command.stderr.write(f"Tệp có {format_number(len(error.problems))} lỗi: không ghi gì. Sửa tệp rồi nhập lại.")
        sys.exit(1)
    if options.get("json"):
        command.stdout.write(json.dumps({"rows": result.rows, "discharged": result.discharged, "linked": result.linked}))
        return
    verb = "Tệp hợp lệ" if options.get("check") else "Đã nhập"
    command.stdout.write(f"{verb}: {format_number(result.rows)} đối tượng của {facility.name} "
                         f"({format_number(result.discharged)} đã rời cơ sở, {format_number(result.linked)} "
                         "nối với sổ hộ).")


def handle_occupancy(command: BaseCommand, options: dict[str, Any]) -> None:
    from .services_facilities import month_ends, occupancy

    facility = _facility(options["facility"])
    try:
        first = dt.date.fromisoformat(f"{options['month']}-01")
    except ValueError:
        raise CommandError(f"Tháng “{options['month']}” không hợp lệ: ghi dạng YYYY-MM.") from None
    end = month_ends(first, first)[0]
    row = occupancy([facility], [end])[0]
    residents, rate = row.counts[0], row.rates()[0]
    if options.get("json"):
        command.stdout.write(json.dumps({"facility": facility.code, "month": f"{first:%Y-%m}", "residents": residents,
                                         "capacity": facility.capacity, "rate": round(rate, 1)}))
        return
    command.stdout.write(f"{facility.name}, ngày {end:%d/%m/%Y}: {format_number(residents)} đối tượng / công suất "
                         f"{format_number(facility.capacity)} ({format_number(round(rate, 1), 1)}%).")


__all__ = ["add_parsers", "handle_import", "handle_occupancy"]
