"""The unemployment registry's actions of `ansinh labour`:

- `ui-benefit --contract-end YYYY-MM-DD --months N --average-salary VND --region 1|2|3|4
  [--state-pay-scale] [--filed-on YYYY-MM-DD] --json`: the benefit by the law in force on the
  contract's end; prints `{"monthly": VND, "months": N, "starts": "YYYY-MM-DD" or null}` (starts
  only with --filed-on); without --json, each step with its article. Not eligible: the reason in
  Vietnamese on stderr, exit code 1.
- `import-unemployment FILE --unit PROVINCE_CODE [--as USERNAME] [--json]`: the import (all or
  nothing); `--json` prints `{"created": N}`; problems one per line in Vietnamese, exit code 1.
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
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.vietnamese import format_number


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày “{text}” không hợp lệ: ghi dạng YYYY-MM-DD.") from None


def add_parsers(sub: Any) -> None:
    benefit = sub.add_parser("ui-benefit", help="Unemployment benefit by the law in force on the contract's end.")
    benefit.add_argument("--contract-end", required=True, help="YYYY-MM-DD")
    benefit.add_argument("--months", required=True, type=int, help="months of contributions not yet used")
    benefit.add_argument("--average-salary", required=True, type=int, help="average contribution salary, last 6 months (VND)")
    benefit.add_argument("--region", required=True, type=int, choices=[1, 2, 3, 4], help="minimum-wage region")
    benefit.add_argument("--state-pay-scale", action="store_true", help="paid on a state pay scale")
    benefit.add_argument("--filed-on", default=None, help="YYYY-MM-DD: the dossier's date (gives the start date)")
    benefit.add_argument("--json", action="store_true", help='print {"monthly": VND, "months": N, "starts": …}')
    benefit.set_defaults(handler=handle_benefit)
    imp = sub.add_parser("import-unemployment", help="Import unemployment insurance dossiers (all or nothing).")
    imp.add_argument("file")
    imp.add_argument("--unit", required=True, help="province code (current map)")
    imp.add_argument("--as", dest="as_user", default=None, help="username whose scope applies and who is recorded")
    imp.add_argument("--json", action="store_true", help='print {"created": N}')
    imp.set_defaults(handler=handle_import)


def handle_benefit(command: BaseCommand, options: dict[str, Any]) -> None:
    from .ui_law import compute

    filed = _date(options["filed_on"]) if options.get("filed_on") else None
    decision = compute(contract_end=_date(options["contract_end"]), months=options["months"],
                       average_salary=options["average_salary"], region=options["region"],
                       state_pay_scale=bool(options.get("state_pay_scale")), filed_on=filed)
    if not decision.eligible:
        command.stderr.write(f"Không đủ điều kiện hưởng trợ cấp thất nghiệp: {decision.reason}")
        sys.exit(1)
    if options.get("json"):
        command.stdout.write(json.dumps(decision.as_json()))
        return
    for number, step in enumerate(decision.steps, start=1):
        command.stdout.write(f"{number}. {step.text} [{step.article}]")


def _actor(username: str | None) -> Actor:
    if not username:
        return Actor.cli(None)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{username}” (hoặc tài khoản đã bị khóa).")
    return Actor.cli(user)


def handle_import(command: BaseCommand, options: dict[str, Any]) -> None:
    from ansinh.lib.tabular import ImportProblems, upload_limit_error

    from .unemployment_import import import_unemployment

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"Không có tệp {path}.")
    if too_big := upload_limit_error(path.stat().st_size):
        raise CommandError(too_big)
    province = Unit.objects.filter(code=options["unit"], level=Level.PROVINCE, edition=Edition.CURRENT).first()
    if province is None:
        raise CommandError(f"Không có tỉnh mã {options['unit']} (bản đồ hiện hành).")
    try:
        result = import_unemployment(actor=_actor(options["as_user"]), data=path.read_bytes(), filename=path.name,
                                     province=province)
    except ImportProblems as error:
        for problem in error.problems:
            command.stderr.write(str(problem))
        command.stderr.write(f"Tệp có {format_number(len(error.problems))} lỗi: không ghi gì. Sửa tệp rồi nhập lại.")
        sys.exit(1)
    if options.get("json"):
        command.stdout.write(json.dumps({"created": result.created}))
        return
    command.stdout.write(f"Đã nhập {format_number(result.created)} hồ sơ từ {path.name} ({format_number(result.granted)} "
                         f"được hưởng, {format_number(result.refused)} không được hưởng).")


__all__ = ["add_parsers", "handle_benefit", "handle_import"]
