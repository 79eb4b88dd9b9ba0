"""`ansinh reports generate | plan`: the documents of a plan, written to a file.

- `generate --plan NUMBER --period PERIOD [--unit CODE] [--map legacy|current] [--year Y]
  -o FILE.docx|FILE.xlsx`: the periodic report of a unit (default: the plan's unit) for a
  period (2025-Q1, 2025-H1, 2025, 2025-03): the document in the layout of Decree 30/2020/NĐ-CP,
  or its tables as a workbook. The unit's code is read on the map of the plan's unit (a 2020
  plan of Trà Vinh is on the legacy map), or on the map given by --map.
- `plan --plan NUMBER [--year Y] -o FILE.docx|FILE.xlsx`: the plan itself with its appendix, or
  the appendix as a workbook.

A plan is found by its number and symbol ("12/KH-UBND"); when several plans share it, --year and
--agency (part of the issuing body's name) tell them apart.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import translation

from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.vietnamese import fold, format_number
from ansinh.plans import documents, results, tables_xlsx
from ansinh.plans.models import Plan
from ansinh.plans.periods import Period

MAPS = {"legacy": Edition.LEGACY, "current": Edition.CURRENT}
MAP_NAMES: dict[str, str] = {Edition.LEGACY: "bản đồ trước ngày 01/07/2025", Edition.CURRENT: "bản đồ hiện hành (từ 01/07/2025)",
             Edition.PERMANENT: "bản đồ chung"}


def find_plan(number: str, year: int | None = None, agency: str | None = None) -> Plan:
    """The plan with this number and symbol (spaces ignored, letters in any case)."""
    plans = Plan.objects.select_related("agency", "unit", "home").order_by("year", "pk")
    candidates = list(plans.filter(number=" ".join(number.split())))
    if not candidates:  # "12/kh-ubnd", "12 /KH-UBND": compared without spaces, in upper case
        wanted = "".join(number.split()).upper()
        scope = plans.filter(year=year) if year is not None else plans
        candidates = [p for p in scope if "".join(p.number.split()).upper() == wanted]
    if year is not None:
        candidates = [p for p in candidates if p.year == year]
    if agency:
        candidates = [p for p in candidates if fold(agency) in fold(p.agency.name)]
    if not candidates:
        extra = f" năm {year}" if year is not None else ""
        raise CommandError(f"Không có kế hoạch số {number}{extra}.")
    if len(candidates) > 1:
        listed = "; ".join(f"năm {p.year}, {p.agency.name}" for p in candidates)
        hint = "--agency (tên cơ quan ban hành)" if len({p.year for p in candidates}) == 1 else "--year"
        raise CommandError(f"Có {len(candidates)} kế hoạch số {number} ({listed}): ghi thêm {hint}.")
    return candidates[0]


def find_unit(plan: Plan, code: str | None, map_name: str | None) -> Unit:
    """The unit by its code on the plan unit's map (or the given map), inside the plan's area."""
    if not code:
        return plan.unit
    edition = MAPS[map_name] if map_name else plan.unit.edition
    found = list(Unit.objects.filter(edition=edition, level__lte=Level.COMMUNE).by_code(code))
    exact = [u for u in found if u.code == code.strip()]
    if len(exact) == 1:
        found = exact
    if not found:
        raise CommandError(f"Không có đơn vị mã {code} trên {MAP_NAMES.get(edition, edition)}.")
    if len(found) > 1:
        choices = ", ".join(f"{u.code} {u.name}" for u in found)
        raise CommandError(f"Mã {code} không rõ là đơn vị nào ({choices}): ghi đủ số 0 ở đầu.")
    unit = found[0]
    area = plan.unit if unit.edition == plan.unit.edition else plan.home
    if not unit.path.startswith(area.path):
        raise CommandError(f"{unit.name} (mã {unit.code}) không thuộc địa bàn của kế hoạch {plan.number} "
                           f"({area.name}).")
    return unit


def parse_period(text: str, plan: Plan) -> Period:
    try:
        period = Period.parse(text)
    except ValidationError:
        raise CommandError(f"“{text}” không phải là kỳ báo cáo: ghi 2025, 2025-H1, 2025-Q1 hoặc 2025-03.") from None
    if period.year != plan.year:
        raise CommandError(f"Kỳ {text} không thuộc năm của kế hoạch {plan.number} ({plan.year}).")
    return period


def output_path(text: str) -> tuple[Path, str]:
    path = Path(text)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("docx", "xlsx"):
        raise CommandError(f"Tệp kết quả phải là .docx (văn bản) hoặc .xlsx (bảng số liệu): {text}")
    return path, kind


def write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise CommandError(f"Không ghi được tệp {path}: {error.strerror}.") from None


class Command(BaseCommand):
    help = "Documents of a plan: the periodic report of a unit, or the plan with its appendix (.docx or .xlsx)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="The periodic report of a unit for a period.")
        plan = sub.add_parser("plan", help="The plan with its appendix (.docx), or the appendix (.xlsx).")
        for which in (generate, plan):
            which.add_argument("--plan", required=True, help='number and symbol, e.g. "12/KH-UBND"')
            which.add_argument("--year", type=int, default=None, help="the plan's year, when the number is shared")
            which.add_argument("--agency", default=None, help="part of the issuing body's name, when still shared")
            which.add_argument("-o", "--output", required=True, help="FILE.docx or FILE.xlsx")
        generate.add_argument("--period", required=True, help="2025-Q1, 2025-H1, 2025 or 2025-03")
        generate.add_argument("--unit", default=None, help="unit code (default: the plan's unit)")
        generate.add_argument("--map", default=None, choices=sorted(MAPS),
                              help="map of the unit code (default: the map of the plan's unit)")

    def handle(self, *args: Any, **options: Any) -> None:
        if "plans_plan" not in connection.introspection.table_names():
            raise CommandError("Cơ sở dữ liệu chưa được khởi tạo: chạy `ansinh migrate` rồi `ansinh geo load`.")
        translation.activate("vi")
        path, kind = output_path(options["output"])
        plan = find_plan(options["plan"], options["year"], options["agency"])
        started = time.perf_counter()
        if options["action"] == "plan":
            write(path, documents.plan_docx(plan) if kind == "docx" else tables_xlsx.plan_appendix_xlsx(plan))
            what = f"kế hoạch {plan.number}" if kind == "docx" else f"phụ lục kế hoạch {plan.number}"
        else:
            unit = find_unit(plan, options["unit"], options["map"])
            period = parse_period(options["period"], plan)
            figures = results.compute(unit, period, plan)
            if kind == "docx":
                write(path, documents.report_docx(plan, period, unit, figures))
            else:
                write(path, tables_xlsx.report_xlsx(plan, period, unit, figures))
            what = f"báo cáo {period.label_vi()} của {unit.name} (kế hoạch {plan.number})"
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã ghi {what} → {path} ({format_number(elapsed, 1)} giây)")
