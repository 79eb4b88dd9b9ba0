"""`ansinh benefits amount CATEGORY --on YYYY-MM-DD [--birth-date …] [--rate N] [--martyrs N]` and
`ansinh benefits rules [--on YYYY-MM-DD]`.

`amount` explains the rule it used and prints the category's own monthly amount in đồng alone on
its last line (`750000`), so that a script can take it with `tail -n 1`; it exits non-zero with a
Vietnamese message when the law gives no amount (not in force, a parameter missing, out of range).
Each action is a subparser handled by `handle_<action>`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ansinh.benefits.law import BASE_LABELS, PROVISIONAL_NOTE, BaseRow, NotInForce, RuleBook, day_text, money
from ansinh.benefits.models import BaseKind, Scheme
from ansinh.lib.parsing import command_date

SCHEME_LABELS = {
    Scheme.SOCIAL_ASSISTANCE: "Trợ giúp xã hội hằng tháng (Nghị định 20/2021/NĐ-CP)",
    Scheme.SOCIAL_PENSION: "Trợ cấp hưu trí xã hội (Luật 41/2024/QH15, Nghị định 176/2025/NĐ-CP)",
    Scheme.MERITORIOUS: "Ưu đãi người có công với cách mạng (Pháp lệnh 02/2020/UBTVQH14, Nghị định 75/2021/NĐ-CP)",
}
KIND_LABELS = {"allowance": "trợ cấp", "supplement": "phụ cấp", "carer": "người phục vụ, chăm sóc"}


def _count(value: str | None, what: str, low: int = 0) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"{what} không hợp lệ: {value!r} (cần một số nguyên)") from None
    if number < low:
        raise CommandError(f"{what} không hợp lệ: {number} (cần từ {low} trở lên)")
    return number


class Command(BaseCommand):
    help = "The law of the people served: a category's monthly amount on a date, and the rules in force."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        amount = sub.add_parser("amount", help="A category's own monthly amount (đồng) on a date, on the last line.")
        amount.add_argument("category", help="category code, e.g. sa_orphan, merit_war_invalid")
        amount.add_argument("--on", required=True, help="YYYY-MM-DD")
        amount.add_argument("--birth-date", default=None, help="YYYY-MM-DD (categories with age bands)")
        amount.add_argument("--rate", default=None, help="injury or illness rate, %% (war invalids, sick soldiers …)")
        amount.add_argument("--martyrs", default=None, help="number of martyrs (a martyr's relative)")
        amount.add_argument("--children", default=None, help="children raised (single parent; default 1)")
        amount.add_argument("--years", default=None, help="years of seniority (pre-1945 revolutionaries' supplement)")
        amount.add_argument("--case", default="", help="a case the bands cannot tell (e.g. medal, especially_severe)")
        rules = sub.add_parser("rules", help="The categories in force on a date with their amount rules.")
        rules.add_argument("--on", default=None, help="YYYY-MM-DD (default: today)")
        # People served from the .xlsx template (ansinh.benefits.importer): all or nothing.
        imported = sub.add_parser("import", help="Import people served and their entitlements from the .xlsx template.")
        imported.add_argument("file", help="the filled-in template (.xlsx)")
        imported.add_argument("--as", dest="as_user", default=None,
                              help="username whose scope applies (default: an operator's run, every commune)")
        imported.add_argument("--check", action="store_true", help="check the whole file, write nothing")
        template = sub.add_parser("template", help="Write the .xlsx import template of people served.")
        template.add_argument("file", help="where to write it (.xlsx)")
        template.add_argument("--sample", action="store_true", help="with sample rows to try")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(options)

    def handle_amount(self, options: dict[str, Any]) -> None:
        on = command_date(options["on"])
        birth = command_date(options["birth_date"]) if options["birth_date"] else None
        book = RuleBook.load(on)
        code = options["category"]
        try:
            found = book.amount(code, on, birth_date=birth, rate=_count(options["rate"], "Tỷ lệ tổn thương"),
                                martyrs=_count(options["martyrs"], "Số liệt sĩ"),
                                children=_count(options["children"], "Số con"),
                                years=_count(options["years"], "Số năm thâm niên"), flag=options["case"])
        except NotInForce as exc:
            raise CommandError(str(exc)) from None
        cat = book.categories[code]
        self.stdout.write(f"Diện: {cat.name} ({code}) — {cat.article}")
        self.stdout.write(f"Ngày tính: {day_text(on)}")
        self.stdout.write(f"Cách tính: {found.text}")
        self.stdout.write(f"Căn cứ: {found.legal_basis}")
        if found.provisional:
            self.stdout.write(f"Lưu ý: {PROVISIONAL_NOTE}.")
        self.stdout.write(str(found.amount))

    def handle_rules(self, options: dict[str, Any]) -> None:
        on = command_date(options["on"]) if options["on"] else timezone.localdate()
        book = RuleBook.load(on)
        for scheme in Scheme:
            self.stdout.write(f"== {SCHEME_LABELS[scheme]} — ngày {day_text(on)}")
            for kind in (BaseKind.SA_BASE, BaseKind.SOCIAL_PENSION) if scheme != Scheme.MERITORIOUS else (
                    BaseKind.MERIT_BASE, BaseKind.BASE_SALARY):
                self.stdout.write(self._base_line(book, kind, on))
            for cat in book.categories_on(on, scheme=scheme):
                rules = book.rules_on(cat.code, on)
                label = KIND_LABELS.get(cat.kind, cat.kind)
                if not rules:
                    self.stdout.write(f"{cat.code}\t{label}\t{cat.name}\t— chưa có bảng mức cho ngày này")
                    continue
                for rule in rules:
                    mark = f" ({PROVISIONAL_NOTE})" if rule.provisional else ""
                    self.stdout.write(f"{cat.code}\t{label}\t{rule.describe('năm' if cat.uses_years else 'con')}{mark}\t{rule.legal_basis}")

    def _base_line(self, book: RuleBook, kind: str, on: dt.date) -> str:
        label = BASE_LABELS[kind].capitalize()
        try:
            row: BaseRow = book.base(kind, on)
        except NotInForce:
            return f"  {label}: chưa có"
        mark = f" ({PROVISIONAL_NOTE})" if row.provisional else ""
        return f"  {label}: {money(row.amount)} đ từ {day_text(row.valid_from)}{mark} — {row.legal_basis}"

    def handle_import(self, options: dict[str, Any]) -> None:
        from ansinh.benefits.importer import EntitlementImportError, import_file
        from ansinh.accounts.audit import Actor
        from ansinh.accounts.models import User

        user = None
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"], is_active=True).first()
            if user is None:
                raise CommandError(f"Không có người dùng đang hoạt động tên {options['as_user']!r}.")
        try:
            result = import_file(options["file"], actor=Actor.cli(user), dry_run=options["check"])
        except EntitlementImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Tệp có {len(error.problems)} lỗi: không ghi gì. Sửa tệp rồi nhập lại.") from None
        if options["check"]:
            self.stdout.write(f"Tệp hợp lệ, chưa ghi gì: {result.entitlements} chế độ hưởng.")
        else:
            self.stdout.write(f"Đã nhập {result.entitlements} chế độ hưởng từ {result.file}.")

    def handle_template(self, options: dict[str, Any]) -> None:
        from ansinh.benefits.importer import write_template

        write_template(options["file"], sample=options["sample"])
        self.stdout.write(f"Đã ghi mẫu nhập người hưởng chính sách: {options['file']}")
