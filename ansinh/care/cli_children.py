"""`ansinh care children-import FILE --unit CODE [--json]` and `ansinh care child-friendly --unit
CODE --year YYYY [--json]`.

- children-import: the spreadsheet of docs/care-children-import.md into the register, all or
  nothing; the problems listed by row and column, exit non-zero;
- child-friendly: the province's (or a commune's) assessments of a year: each commune's total,
  minimum, result and status, and the rate counted as the indicator counts it (approved
  assessments meeting the standard over all communes of the current map).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.tabular import ImportProblems
from ansinh.lib.vietnamese import format_number

from .models_children import ChildAssessmentStatus, ChildFriendlyAssessment


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(edition=Edition.CURRENT, code=code).first()
    if unit is None:
        raise CommandError(f"Không có đơn vị mã {code} trên bản đồ hiện hành.")
    return unit


def children_import(command: Any, options: dict[str, Any]) -> None:
    from .import_children import import_children

    unit = _unit(options["unit"])
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"Không tìm thấy tệp {path}.")
    try:
        done = import_children(path, unit=unit, actor=Actor.system(), name=path.name)
    except ImportProblems as error:
        if options["json"]:
            command.stdout.write(json.dumps({"imported": 0, "problems": [str(p) for p in error.problems]},
                                            ensure_ascii=False))
        else:
            for problem in error.problems:
                command.stderr.write(str(problem))
        raise CommandError(f"Tệp không được nhập: {len(error.problems)} lỗi.") from None
    if options["json"]:
        command.stdout.write(json.dumps({"imported": done.children, "circumstances": done.circumstances}))
    else:
        command.stdout.write(f"Đã nhập {format_number(done.children)} trẻ em ({format_number(done.circumstances)} "
                             "nhóm hoàn cảnh đặc biệt).")


def child_friendly(command: Any, options: dict[str, Any]) -> None:
    unit = _unit(options["unit"])
    year = options["year"]
    communes = Unit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE, edition=Edition.CURRENT)
    total = communes.count()
    rows = list(ChildFriendlyAssessment.objects.filter(commune__in=communes, year=year).select_related("commune")
                .order_by("commune__sort_key"))
    recognised = sum(1 for a in rows if a.recognised and a.status == ChildAssessmentStatus.APPROVED)
    rate = 100 * recognised / total if total else None
    if options["json"]:
        command.stdout.write(json.dumps({
            "unit": unit.code, "year": year, "communes": total, "assessed": len(rows), "recognised": recognised,
            "rate": round(rate, 1) if rate is not None else None,
            "assessments": [{"commune": a.commune.code, "name": a.commune.name, "total": a.total,
                             "threshold": a.threshold, "recognised": a.recognised, "status": a.status} for a in rows]},
            ensure_ascii=False))
        return
    for a in rows:
        result = "đạt" if a.recognised else "không đạt"
        command.stdout.write(f"{a.commune.name}: {format_number(a.total)}/{format_number(a.threshold)} điểm, {result} "
                             f"({a.get_status_display()})")
    shown = format_number(round(rate, 1), decimals=1) if rate is not None else "—"
    command.stdout.write(f"{unit.name} năm {year}: {format_number(recognised)}/{format_number(total)} xã, phường đạt "
                         f"tiêu chuẩn phù hợp với trẻ em (được tỉnh phê duyệt), tỷ lệ {shown}%.")


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("children-import", help="Import children in special circumstances from a spreadsheet.")
    p.add_argument("file")
    p.add_argument("--unit", required=True, help="The province's or commune's code (current map).")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=children_import)
    p = sub.add_parser("child-friendly", help="Child-friendly assessments of a year and the rate.")
    p.add_argument("--unit", required=True)
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=child_friendly)
