"""`ansinh procedures <action> …`: procedure dossiers on the command line.

- `due --unit CODE [--on YYYY-MM-DD] [--json]`: the dossiers of a commune or province (and its
  communes) due on that day, due later that week, and overdue;
- `import FILE --user USERNAME [--check]`: the portal's export, all or nothing, with the user's scope;
- `recompute-due [--province CODE]`: every due date again, set-based (after a calendar change).
Messages for people are in Vietnamese; a refusal exits non-zero.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.geo.models import Edition, Level, Unit


class Command(BaseCommand):
    help = "Procedure dossiers: due lists, import of the portal's export, due dates recomputed."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="Dossiers due on a day, this week, and overdue.")
        due.add_argument("--unit", required=True, help="Code of a commune or province on the current map.")
        due.add_argument("--on", help="YYYY-MM-DD (today by default).")
        due.add_argument("--json", action="store_true")
        imp = sub.add_parser("import", help="Import the portal's export (.xlsx or .csv), all or nothing.")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="The username whose scope the import uses.")
        imp.add_argument("--check", action="store_true", help="Check only: write nothing.")
        again = sub.add_parser("recompute-due", help="Recompute every due date, set-based.")
        again.add_argument("--province", help="Code of a province (all by default).")

    def handle(self, *args: Any, **options: Any) -> None:
        actions = {"due": self.due, "import": self.import_file, "recompute-due": self.recompute_due}
        actions[options["action"]](options)

    def due(self, options: dict[str, Any]) -> None:
        from ansinh.procedures.models import Dossier
        from ansinh.procedures.views import week_of

        unit = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE],
                                   code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"--unit {options['unit']}: không có xã hoặc tỉnh nào mang mã này trên bản đồ hiện hành.")
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on {options['on']}: ngày phải viết dạng YYYY-MM-DD.") from None
        dossiers = Dossier.objects.filter(unit__path__under=unit.path).select_related("procedure", "unit")
        _monday, sunday = week_of(on)
        groups = {"due_today": dossiers.due_between(on, on),
                  "due_this_week": dossiers.due_between(on + dt.timedelta(days=1), sunday),
                  "overdue": dossiers.overdue(on)}
        rows = {name: [{"code": d.code, "procedure": d.procedure.code, "unit": d.unit.code, "agency": d.agency,
                        "received_at": d.received_at.isoformat(), "due_on": d.due_on.isoformat(),
                        "new_due_on": d.new_due_on.isoformat() if d.new_due_on else None}
                       for d in qs.order_by("due_on", "code")] for name, qs in groups.items()}
        if options["json"]:
            self.stdout.write(json.dumps({"unit": unit.code, "on": on.isoformat(), **rows}, ensure_ascii=False, indent=2))
            return
        titles = {"due_today": "Đến hạn hôm nay", "due_this_week": "Đến hạn trong tuần", "overdue": "Quá hạn"}
        self.stdout.write(f"{unit.name}, ngày {on:%d/%m/%Y}")
        for name, found in rows.items():
            self.stdout.write(f"{titles[name]}: {len(found)} hồ sơ")
            for row in found:
                due = dt.date.fromisoformat(str(row["due_on"]))
                self.stdout.write(f"  {row['code']}  hạn {due:%d/%m/%Y}  {row['agency']}")

    def import_file(self, options: dict[str, Any]) -> None:
        from ansinh.lib.tabular import ImportProblems
        from ansinh.procedures.importer import import_dossiers

        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user {options['user']}: không có người dùng đang hoạt động với tên này.")
        try:
            result = import_dossiers(options["file"], actor=Actor.cli(user), check=options["check"])
        except ImportProblems as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Tệp có {len(error.problems)} lỗi: không nhập hồ sơ nào.") from None
        verb = "Kiểm tra xong" if options["check"] else "Đã nhập"
        self.stdout.write(f"{verb} {result.rows} hồ sơ ({result.resolved} đã có kết quả).")

    def recompute_due(self, options: dict[str, Any]) -> None:
        from ansinh.procedures.due import recompute_due_dates
        from ansinh.procedures.models import Dossier

        dossiers = Dossier.objects.all()
        if options["province"]:
            province = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE,
                                           code=options["province"]).first()
            if province is None:
                raise CommandError(f"--province {options['province']}: không có tỉnh nào mang mã này.")
            dossiers = dossiers.filter(province=province)
        self.stdout.write(f"Đã tính lại hạn của {recompute_due_dates(dossiers)} hồ sơ.")

