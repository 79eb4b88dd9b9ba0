"""The inspectorate on the command line (`ansinh care …`); messages for people are in Vietnamese,
a refusal exits non-zero.

- `inspections-due --unit CODE [--on YYYY-MM-DD] [--json]`: the deadlines in a province or commune
  (and the communes under it): letters (complaints, denunciations, recommendations) due today,
  later this week and overdue, and follow-ups of inspections overdue;
- `inspections-import-receptions FILE [--as USERNAME] [--check]`: the book of citizen reception from
  a spreadsheet, all or nothing (`import_inspections`); `--template OUT.xlsx` writes the template.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from ansinh.geo.models import Edition, Level, Unit

from .models_inspections import FollowUp, Petition
from .views_inspections import week_of


def add_parsers(sub: Any) -> None:
    due = sub.add_parser("inspections-due", help="Letters due and overdue, follow-ups overdue (the inspectorate).")
    due.add_argument("--unit", required=True, help="Code of a province or commune on the current map.")
    due.add_argument("--on", default="", help="The day to look from (YYYY-MM-DD); today by default.")
    due.add_argument("--json", action="store_true")
    due.set_defaults(handler=inspections_due)
    imp = sub.add_parser("inspections-import-receptions", help="Import citizen receptions from a .xlsx or .csv file.")
    imp.add_argument("file", nargs="?", default="", help="The .xlsx or .csv file.")
    imp.add_argument("--as", dest="as_user", default="", help="Username of the inspector who imports.")
    imp.add_argument("--check", action="store_true", help="Check the file and write nothing.")
    imp.add_argument("--template", default="", help="Write the import template to this .xlsx file and stop.")
    imp.set_defaults(handler=import_receptions)


def import_receptions(command: BaseCommand, options: dict[str, Any]) -> None:
    from pathlib import Path

    from ansinh.accounts.audit import Actor
    from ansinh.accounts.models import User
    from ansinh.lib.tabular import ImportProblems

    from . import access_inspections as access
    from . import import_inspections

    if options["template"]:
        Path(options["template"]).write_bytes(import_inspections.template())
        command.stdout.write(f"Đã ghi mẫu nhập sổ tiếp công dân: {options['template']}")
        return
    if not options["file"]:
        raise CommandError("Cần tên tệp .xlsx hoặc .csv cần nhập (hoặc --template TÊN_TỆP.xlsx để lấy mẫu).")
    actor: Actor = Actor.cli(None)
    if options["as_user"]:
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--as {options['as_user']}: không có người dùng đang hoạt động mang tên này.")
        if not access.records_anything(user):
            raise CommandError(f"--as {options['as_user']}: người này không có vai trò ghi sổ tiếp công dân.")
        actor = Actor.cli(user)
    path = Path(options["file"])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Không đọc được tệp {path}: {error.strerror}.") from None
    try:
        result = import_inspections.import_receptions(actor=actor, data=data, filename=path.name,
                                                      check=options["check"])
    except ImportProblems as refused:
        for problem in refused.problems[:200]:
            command.stderr.write(str(problem))
        raise CommandError(f"Tệp {path.name} không được nhập: {len(refused.problems)} lỗi; không dòng nào được ghi.") \
            from None
    if options["check"]:
        command.stdout.write(f"{path.name}: {result.rows} dòng hợp lệ (chỉ kiểm tra, chưa ghi).")
    else:
        command.stdout.write(f"{path.name}: đã ghi {result.created} lượt tiếp công dân.")


def inspections_due(command: BaseCommand, options: dict[str, Any]) -> None:
    unit = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE],
                               code=options["unit"]).first()
    if unit is None:
        raise CommandError(f"--unit {options['unit']}: không có xã hoặc tỉnh nào mang mã này trên bản đồ hiện hành.")
    try:
        on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
    except ValueError:
        raise CommandError(f"--on {options['on']}: ngày phải viết dạng YYYY-MM-DD.") from None
    within = Q(unit=unit) | Q(unit__path__under=unit.path)
    letters = Petition.objects.open().filter(within).select_related("unit")
    _monday, sunday = week_of(on)
    groups = {"due_today": letters.filter(due_on=on),
              "due_this_week": letters.filter(due_on__gt=on, due_on__lte=sunday),
              "overdue": letters.filter(due_on__lt=on)}
    rows: dict[str, list[dict[str, Any]]] = {
        name: [{"code": p.code, "kind": p.kind, "status": p.status, "unit": p.unit.code, "petitioner": p.petitioner_name,
                "received_on": p.received_on.isoformat(), "due_on": p.due_on.isoformat() if p.due_on else None,
                "rule": p.rule} for p in qs.order_by("due_on", "code")]
        for name, qs in groups.items()}
    follow_ups = (FollowUp.objects.filter(done_on__isnull=True, due_on__lt=on)
                  .filter(Q(inspection__unit=unit) | Q(inspection__unit__path__under=unit.path))
                  .select_related("inspection", "inspection__unit").order_by("due_on", "pk"))
    rows["follow_ups_overdue"] = [{"inspection": f.inspection_id, "subject": f.inspection.subject_name,
                                   "unit": f.inspection.unit.code, "action": f.action, "due_on": f.due_on.isoformat()}
                                  for f in follow_ups]
    if options["json"]:
        command.stdout.write(json.dumps({"unit": unit.code, "on": on.isoformat(), **rows}, ensure_ascii=False, indent=2))
        return
    titles = {"due_today": "Đơn đến hạn hôm nay", "due_this_week": "Đơn đến hạn trong tuần", "overdue": "Đơn quá hạn",
              "follow_ups_overdue": "Việc sau thanh tra, kiểm tra quá hạn"}
    kinds = {"complaint": "khiếu nại", "denunciation": "tố cáo", "recommendation": "kiến nghị, phản ánh"}
    command.stdout.write(f"{unit.name}, ngày {on:%d/%m/%Y}")
    for name, found in rows.items():
        command.stdout.write(f"{titles[name]}: {len(found)}")
        for row in found:
            due = dt.date.fromisoformat(str(row["due_on"]))
            if name == "follow_ups_overdue":
                command.stdout.write(f"  hạn {due:%d/%m/%Y}  {row['subject']}: {row['action']}")
            else:
                command.stdout.write(f"  {row['code']}  {kinds[row['kind']]}  hạn {due:%d/%m/%Y}  {row['petitioner']}")
