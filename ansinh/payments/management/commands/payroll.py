"""`ansinh payroll run --unit CODE --month YYYY-MM [--json] [--as USERNAME]`: a commune's or a
province's payrolls of a month (computed, or recomputed in place while drafts). With `--json` it
prints exactly `{"lines": N, "people": N, "total": VND}`; a progress bar goes to stderr when it is
a terminal. An approved payroll is never recomputed: the command says so in Vietnamese and exits
with code 1 (the other communes' payrolls are still computed).

`ansinh payroll approve|send --unit CODE --month YYYY-MM --as USERNAME [--field F]`: approves (or
marks as sent) the unit's payrolls of the month that are in the state before, as that person.

Other parts of the payments app add their actions (`reconcile`, `template`) through a module
`ansinh.payments.cli_settle` with `add_parsers(sub)` and `handle_<action>(command, options)`.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from types import ModuleType
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.benefits.months import parse_month
from ansinh.lib.vietnamese import format_number
from ansinh.payments import payroll as engine
from ansinh.payments.models import PayField, Payroll, PayrollState
from ansinh.poverty.management.commands.poverty import ProgressBar, find_unit


def _extra() -> list[ModuleType]:
    out = []
    for name in ("cli_settle",):
        if importlib.util.find_spec(f"ansinh.payments.{name}") is not None:
            out.append(importlib.import_module(f"ansinh.payments.{name}"))
    return out


class _Bar(ProgressBar):
    """The poverty command's bar, counting communes × fields."""

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.perf_counter()
        if done < total and now - self.last < 0.1:
            return
        self.last, self.drawn = now, True
        share = done / total if total else 1.0
        filled = int(self.width * share)
        self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {format_number(done)}/"
                       f"{format_number(total)} bảng (xã × lĩnh vực)", style_func=lambda s: s, ending="")
        self.out.flush()


class Command(BaseCommand):
    help = "Monthly payrolls: compute a commune's or a province's payrolls of a month, approve them, send them."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Compute (or recompute, while drafts) the payrolls of a month.")
        run.add_argument("--unit", required=True, help="commune or province code (e.g. 29461, 86)")
        run.add_argument("--month", required=True, help="YYYY-MM")
        run.add_argument("--json", action="store_true", help='print {"lines": N, "people": N, "total": VND}')
        run.add_argument("--as", dest="as_user", default=None,
                         help="username whose scope applies and who is recorded (default: an operator's run)")
        for action, text in (("approve", "Approve the drafts of a month (someone who did not compute them)."),
                             ("send", "Mark the approved payrolls of a month as sent to the paying agent.")):
            p = sub.add_parser(action, help=text)
            p.add_argument("--unit", required=True, help="commune or province code")
            p.add_argument("--month", required=True, help="YYYY-MM")
            p.add_argument("--as", dest="as_user", required=True, help="username")
            p.add_argument("--field", default=None, choices=PayField.values, help="only this field")
        for module in _extra():
            module.add_parsers(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        handler = getattr(self, f"handle_{action}", None)
        if handler is not None:
            handler(options)
            return
        for module in _extra():
            found = getattr(module, f"handle_{action}", None)
            if found is not None:
                found(self, options)
                return
        raise CommandError(f"Không có lệnh “{action}”.")  # pragma: no cover - argparse refuses it first

    # --- helpers -------------------------------------------------------------------------------

    def _month(self, value: str) -> Any:
        month = parse_month(value)
        if month is None:
            raise CommandError(f"Tháng không hợp lệ: {value!r} (ghi theo dạng YYYY-MM, ví dụ 2026-04).")
        return month

    def _actor(self, username: str | None) -> Actor:
        if not username:
            return Actor(user=None)
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}” (hoặc tài khoản đã bị khóa).")
        return Actor(user=user)

    # --- actions -------------------------------------------------------------------------------

    def handle_run(self, options: dict[str, Any]) -> None:
        unit = find_unit(options["unit"])
        month = self._month(options["month"])
        actor = self._actor(options["as_user"])
        bar = _Bar(self.stderr) if self.stderr.isatty() else None
        try:
            result = engine.run_unit(unit=unit, month=month, actor=actor, progress=bar)
        except PermissionDenied:
            raise CommandError(f"{options['as_user']} không được lập bảng chi trả của {unit.name}.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        finally:
            if bar is not None:
                bar.close()
        if options["json"]:
            self.stdout.write(json.dumps({"lines": result.lines, "people": result.people, "total": result.total}))
        else:
            self.stdout.write(f"{unit.name}, tháng {month:%m/%Y}: {format_number(len(result.payrolls))} bảng chi trả, "
                              f"{format_number(result.lines)} dòng, {format_number(result.people)} người, "
                              f"tổng {format_number(result.total)} đồng.")
        if result.refused:
            for message in result.refused:
                self.stderr.write(message)
            raise CommandError(f"{format_number(len(result.refused))} bảng chi trả đã duyệt không được tính lại.")

    def _move(self, options: dict[str, Any], source: str, mover: Any, verb: str) -> None:
        unit = find_unit(options["unit"])
        month = self._month(options["month"])
        actor = self._actor(options["as_user"])
        payrolls = Payroll.objects.filter(commune__path__startswith=unit.path, month=month, state=source) \
            .select_related("commune").order_by("commune__sort_key", "field", "sequence")
        if options["field"]:
            payrolls = payrolls.filter(field=options["field"])
        done, problems = 0, []
        for p in payrolls:
            try:
                mover(p, actor=actor)
                done += 1
            except PermissionDenied as error:
                problems.append(f"{p.commune.name}: {error.args[0] if error.args else 'không có quyền.'}")
            except ValidationError as error:
                problems.append(f"{p.commune.name}: {' '.join(error.messages)}")
        self.stdout.write(f"Đã {verb} {format_number(done)} bảng chi trả tháng {month:%m/%Y}.")
        for problem in problems:
            self.stderr.write(problem)
        if problems or not done:
            raise CommandError(f"{format_number(len(problems))} bảng chi trả không {verb} được."
                               if problems else f"Không có bảng chi trả nào để {verb}.")

    def handle_approve(self, options: dict[str, Any]) -> None:
        self._move(options, PayrollState.DRAFT, engine.approve, "duyệt")

    def handle_send(self, options: dict[str, Any]) -> None:
        self._move(options, PayrollState.APPROVED, engine.mark_sent, "gửi")
