"""The settle part of `ansinh payroll` (the command is the payroll lane's; it adds these actions):

- `ansinh payroll reconcile FILE [--json] [--as USERNAME]`: applies a paying agent's result file
  (.xlsx or .csv, the documented template): the line codes say which payrolls and packages. All
  or nothing: every problem is printed by row and column, nothing is written, exit code 1. With
  `--json` prints `{"rows": N, "paid": N, "partly": N, "not_paid": N, "amount_paid": VND}`.
- `ansinh payroll template [FILE] [--csv]`: writes the result template (default
  `mau-ket-qua-chi-tra.xlsx`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.lib.vietnamese import format_number


def add_parsers(sub: Any) -> None:
    reconcile = sub.add_parser("reconcile", help="Apply a paying agent's result file (.xlsx or .csv): all or nothing.")
    reconcile.add_argument("file", help="the result file (the template's columns)")
    reconcile.add_argument("--json", action="store_true",
                           help='print {"rows": N, "paid": N, "partly": N, "not_paid": N, "amount_paid": VND}')
    reconcile.add_argument("--as", dest="as_user", default=None,
                           help="username whose scope applies and who is recorded (default: an operator's run)")
    template = sub.add_parser("template", help="Write the result file template.")
    template.add_argument("file", nargs="?", default=None, help="where to write it (default mau-ket-qua-chi-tra.xlsx)")
    template.add_argument("--csv", action="store_true", help="the template as .csv (UTF-8)")


def _actor(username: str | None) -> Actor:
    if not username:
        return Actor.cli(None)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{username}” (hoặc tài khoản đã bị khóa).")
    return Actor.cli(user)


def handle_reconcile(command: BaseCommand, options: dict[str, Any]) -> None:
    from ansinh.payments.results import ResultsError, apply_results

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"Không có tệp {path}.")
    try:
        result = apply_results(path, actor=_actor(options["as_user"]), name=path.name)
    except ResultsError as error:
        for problem in error.problems:
            command.stderr.write(str(problem))
        raise CommandError(f"Tệp có {format_number(len(error.problems))} lỗi: không ghi gì. Sửa tệp rồi nhập lại.") \
            from None
    if options["json"]:
        command.stdout.write(json.dumps({"rows": result.rows, "paid": result.paid, "partly": result.partly,
                                         "not_paid": result.not_paid, "amount_paid": result.amount_paid}))
        return
    command.stdout.write(
        f"Đã ghi kết quả {format_number(result.rows)} dòng từ {path.name}: {format_number(result.paid)} đã nhận, "
        f"{format_number(result.partly)} nhận một phần, {format_number(result.not_paid)} chưa nhận; đã chi "
        f"{format_number(result.amount_paid)} đồng.")


def handle_template(command: BaseCommand, options: dict[str, Any]) -> None:
    from ansinh.payments.results import results_template_csv, results_template_xlsx

    default = "mau-ket-qua-chi-tra.csv" if options["csv"] else "mau-ket-qua-chi-tra.xlsx"
    path = Path(options["file"] or default)
    path.write_bytes(results_template_csv() if options["csv"] or path.suffix.lower() == ".csv"
                     else results_template_xlsx())
    command.stdout.write(f"Đã ghi mẫu tệp kết quả chi trả: {path}")


__all__ = ["add_parsers", "handle_reconcile", "handle_template"]
