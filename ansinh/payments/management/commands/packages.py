"""`ansinh packages create …`: a one-off package and its frozen list from the command line.

    ansinh packages create --name N --unit CODE --date YYYY-MM-DD --amount VND --per household|person
        (--household-status poor|near_poor … | --age N … --in-year YYYY | --category CODE …) [--json]
    ansinh packages create --file package.json [--json]

A simple package has one tier; `--file` gives several (docs/package-file.md). Creating the same
package again (same name, unit, date and tiers) returns the existing one: no one is paid twice.
`--json` prints exactly `{"recipients": N, "total": VND}`; otherwise a sentence, with a progress
bar on stderr when it is a terminal. Errors exit non-zero with a Vietnamese message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Field, User
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.parsing import command_date
from ansinh.lib.vietnamese import format_number
from ansinh.payments.models import Per, Purpose, TierRule
from ansinh.payments.packages import TierSpec, create_package, tiers_from_json

FUNDING = ("central", "local", "socialised")
# The field whose officers run a package, when not given: from its rule.
DEFAULT_FIELD = {TierRule.HOUSEHOLD_STATUS: Field.POVERTY, TierRule.MEMBERS_OF_STATUS: Field.POVERTY,
                 TierRule.AGE: Field.SOCIAL_ASSISTANCE, TierRule.CATEGORY: Field.MERITORIOUS,
                 TierRule.FILE: Field.SOCIAL_ASSISTANCE}
DEFAULT_PURPOSE = {TierRule.AGE: Purpose.LONGEVITY}


def _unit(code: str) -> Unit:
    unit = (Unit.objects.filter(code=code, edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
            .first())
    if unit is None:
        raise CommandError(f"Không có tỉnh hoặc xã mã {code!r} trên bản đồ hành chính hiện hành.")
    return unit


def _money(value: Any, what: str) -> int:
    text = str(value).replace(".", "").replace(",", "").replace(" ", "")
    if not text.isdigit():
        raise CommandError(f"{what} không hợp lệ: {value!r} (cần số tiền nguyên, đồng).")
    return int(text)


class Progress:
    """A bar on stderr when it is a terminal (nothing otherwise: a script reads stdout)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.on = bool(getattr(stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        if not self.on or not total:
            return
        width = 30
        filled = int(width * done / total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "One-off support packages: create a package and freeze its list."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a package (one tier from the options, or several from --file).")
        create.add_argument("--file", default=None, help="a package file with several tiers (docs/package-file.md)")
        create.add_argument("--name", default=None, help="the package's name")
        create.add_argument("--unit", default=None, help="province or commune code (current map)")
        create.add_argument("--date", default=None, help="YYYY-MM-DD: eligibility is read on this date")
        create.add_argument("--amount", default=None, help="đồng per recipient")
        create.add_argument("--per", choices=[p.value for p in Per], default=None)
        create.add_argument("--household-status", nargs="+", default=None, choices=["poor", "near_poor"],
                            help="households by their status in the review round in force on the date")
        create.add_argument("--members", action="store_true",
                            help="with --household-status: the members of such households (per person)")
        create.add_argument("--age", nargs="+", default=None, help="ages reached in --in-year (e.g. 90 100)")
        create.add_argument("--in-year", default=None, help="YYYY: the year the ages are reached")
        create.add_argument("--category", nargs="+", default=None, help="benefit category codes held on the date")
        create.add_argument("--purpose", choices=[p.value for p in Purpose], default=None,
                            help="default: tet (longevity for --age)")
        create.add_argument("--field", choices=[f.value for f in Field], default=None,
                            help="whose officers run it (default from the rule)")
        create.add_argument("--funding", choices=FUNDING, default="local", help="who pays the amount (default local)")
        create.add_argument("--legal-basis", default="", help="the decision it implements")
        create.add_argument("--as", dest="as_user", default=None, help="username whose rights apply (default: system)")
        create.add_argument("--json", action="store_true", help='print {"recipients": N, "total": VND}')

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        getattr(self, f"handle_{options['action']}")(options)

    def _simple(self, options: dict[str, Any]) -> dict[str, Any]:
        for option in ("name", "unit", "date", "amount", "per"):
            if not options[option]:
                raise CommandError(f"Thiếu --{option} (hoặc dùng --file package.json).")
        rules = [r for r in ("household_status", "age", "category") if options[r]]
        if len(rules) != 1:
            raise CommandError("Chọn đúng một điều kiện: --household-status, --age hoặc --category.")
        amount = _money(options["amount"], "Số tiền")
        funding = {options["funding"]: amount}
        if options["household_status"]:
            rule = TierRule.MEMBERS_OF_STATUS if options["members"] else TierRule.HOUSEHOLD_STATUS
            params: dict[str, Any] = {"statuses": options["household_status"]}
            name = "Hộ " + ", ".join({"poor": "nghèo", "near_poor": "cận nghèo"}[s] for s in options["household_status"])
        elif options["age"]:
            if not options["in_year"]:
                raise CommandError("Thiếu --in-year YYYY (năm tròn tuổi) cho --age.")
            rule, name = TierRule.AGE, f"Tròn {', '.join(options['age'])} tuổi"
            try:
                params = {"ages": [int(a) for a in options["age"]], "year": int(options["in_year"])}
            except ValueError:
                raise CommandError("--age và --in-year là số nguyên (ví dụ --age 90 100 --in-year 2026).") from None
        else:
            rule, name = TierRule.CATEGORY, "Diện " + ", ".join(options["category"])
            params = {"codes": options["category"]}
        tier = TierSpec(name=name, rule=rule, params=params, per=options["per"], **funding)
        return {"name": options["name"], "unit": options["unit"], "date": options["date"],
                "purpose": options["purpose"] or DEFAULT_PURPOSE.get(rule, Purpose.TET),
                "field": options["field"] or DEFAULT_FIELD[rule], "legal_basis": options["legal_basis"],
                "tiers": [tier]}

    def _from_file(self, options: dict[str, Any]) -> dict[str, Any]:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {path}: {error.strerror or error}.") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"Tệp {path} không phải JSON hợp lệ: {error}.") from None
        try:
            fields, tiers = tiers_from_json(data)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        first = TierRule(tiers[0].rule) if tiers[0].rule in TierRule.values else TierRule.CATEGORY
        for key in ("name", "unit", "date"):
            if not fields.get(key):
                raise CommandError(f"Tệp gói hỗ trợ thiếu khóa “{key}”.")
        return {"name": str(fields["name"]), "unit": str(fields["unit"]), "date": str(fields["date"]),
                "purpose": fields.get("purpose") or DEFAULT_PURPOSE.get(first, Purpose.TET),
                "field": fields.get("field") or DEFAULT_FIELD[first], "legal_basis": str(fields.get("legal_basis", "")),
                "period": fields.get("period"), "note": str(fields.get("note", "")), "tiers": tiers}

    def handle_create(self, options: dict[str, Any]) -> None:
        spec = self._from_file(options) if options["file"] else self._simple(options)
        unit = _unit(spec["unit"])
        on = command_date(spec["date"])
        period = None
        if spec.get("period"):
            raw = spec["period"]
            if not isinstance(raw, list) or len(raw) != 2:
                raise CommandError("“period” là hai ngày [\"YYYY-MM-DD\", \"YYYY-MM-DD\"].")
            period = (command_date(str(raw[0])), command_date(str(raw[1])))
        user = None
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"], is_active=True).first()
            if user is None:
                raise CommandError(f"Không có người dùng đang hoạt động tên {options['as_user']!r}.")
        try:
            package, created = create_package(
                name=spec["name"], purpose=spec["purpose"], field=spec["field"], unit=unit, on=on,
                tiers=spec["tiers"], actor=Actor.cli(user), legal_basis=spec["legal_basis"], period=period,
                note=spec.get("note", ""), progress=None if options["json"] else Progress(sys.stderr))
        except ValidationError as error:
            raise CommandError(" ".join(str(m) for m in error.messages)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"recipients": package.recipients, "total": package.total}))
            return
        figures = f"{format_number(package.recipients)} người/hộ nhận, tổng {format_number(package.total)} đồng"
        if created:
            self.stdout.write(f"Đã lập gói “{package.name}” (mã {package.pk}) và chốt danh sách: {figures}.")
        else:
            self.stdout.write(f"Gói “{package.name}” (mã {package.pk}) đã có, không thêm ai: {figures}.")
