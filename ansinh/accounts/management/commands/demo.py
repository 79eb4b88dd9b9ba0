"""`ansinh demo setup` and `ansinh demo generate`: demo users and a demo province, in demo mode
only (ANSINH_DEMO=1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ansinh.accounts.models import Role, User
# The demo password is refused for every account but the demo users in demo mode (passwords.py).
from ansinh.accounts.passwords import DEMO_PASSWORD
from ansinh.accounts.services import unit_for_role, user_create
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.vietnamese import format_number

DEMO_PROVINCE = "86"  # Vĩnh Long since 1 Jul 2025 (merging Vĩnh Long, Bến Tre and Trà Vinh)
DEMO_COMMUNE = "29461"  # Xã Trà Cú, successor of legacy Thị trấn Trà Cú and Xã Ngãi Xuyên
DEMO_USERS = [
    ("xa", Role.COMMUNE_OFFICER, DEMO_COMMUNE, "", "Nguyễn Thị Lan"),
    ("giamngheo", Role.PROVINCIAL_OFFICER, DEMO_PROVINCE, "poverty", "Trần Văn Minh"),
    ("laodong", Role.PROVINCIAL_OFFICER, DEMO_PROVINCE, "labour", "Lê Thị Hồng"),
    ("trogiup", Role.PROVINCIAL_OFFICER, DEMO_PROVINCE, "social_assistance", "Đặng Thị Thu"),
    ("nguoicocong", Role.PROVINCIAL_OFFICER, DEMO_PROVINCE, "meritorious", "Huỳnh Văn Nghĩa"),
    ("treem", Role.PROVINCIAL_OFFICER, DEMO_PROVINCE, "children", "Sơn Thị Mỹ Duyên"),
    ("lanhdao", Role.PROVINCIAL_LEADER, DEMO_PROVINCE, "", "Phạm Quốc Bảo"),
    ("thanhtra", Role.INSPECTOR, DEMO_PROVINCE, "", "Trương Thị Thanh"),
    ("trunguong", Role.NATIONAL_VIEWER, None, "", "Hoàng Minh Đức"),
    ("quantri", Role.ADMIN, None, "", "Võ Thanh Tùng"),
]


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


class Command(BaseCommand):
    help = "Demo data for `make demo` (only when ANSINH_DEMO=1)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("setup", help="Create one demo user per role and print their passwords.")
        generate = sub.add_parser(
            "generate", help="Create a realistic, deterministic demo province: households, members, living "
                             "conditions for two review years.")
        generate.add_argument("--province", required=True, help="Province code on the current map, e.g. 86.")
        generate.add_argument("--households", required=True, type=int, help="How many households.")
        generate.add_argument("--seed", required=True, type=int, help="Same seed, same data.")
        generate.add_argument("--year", type=int, default=2025,
                              help="Review year (default 2025); living conditions are made for it and the year before.")
        generate.add_argument("--replace", action="store_true",
                              help="Delete the province's households first (otherwise a province that has "
                                   "households is left alone).")

        rounds = sub.add_parser(
            "rounds", help="Review rounds of the demo province: the year before decided and locked, the year "
                           "itself classified with communes at different steps.")
        rounds.add_argument("--province", required=True, help="Province code on the current map, e.g. 86.")
        rounds.add_argument("--year", type=int, default=2025, help="Review year (default 2025).")
        plans = sub.add_parser("plans", help="The example plans of examples/ (the Trà Vinh Q1 2020 form approved) "
                                             "and a 2025 plan of the province with commune forms in every state.")
        plans.add_argument("--province", required=True, help="Province code on the current map, e.g. 86.")
        payments = sub.add_parser("payments", help="Payrolls of the demo province's recent months (approved, sent, "
                                                   "reconciled) and its one-off packages.")
        payments.add_argument("--province", required=True, help="Province code on the current map, e.g. 86.")
        procedures = sub.add_parser("procedures", help="Procedure dossiers of the demo province (seed 001's 287).")
        procedures.add_argument("--province", required=True, help="Province code on the current map, e.g. 86.")
        care = sub.add_parser("care", help="Care facilities, children in special circumstances and inspections of "
                                           "the demo province (seed 001's figures in 2025-Q1).")
        care.add_argument("--province", required=True, help="Province code on the current map, e.g. 86.")
        from ansinh.labour import cli_demo  # labour: a year of its registries (issue 13)

        cli_demo.add_arguments(sub.add_parser("labour", help="A year of the labour registries of the demo province."))

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Chỉ dùng ở chế độ trình diễn (ANSINH_DEMO=1): dữ liệu mẫu không được có trong hệ thống thật.")
        if not Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE).exists():
            raise CommandError("Chưa có bản đồ hành chính: chạy `ansinh geo load` trước.")
        if options["action"] == "generate":
            self.generate(**options)
        elif options["action"] == "rounds":
            self.rounds(province=options["province"], year=options["year"])
        elif options["action"] == "plans":
            self.plans(province=options["province"])
        elif options["action"] == "payments":
            self.payments(province=options["province"])
        elif options["action"] == "procedures":
            self.procedures(province=options["province"])
        elif options["action"] == "care":
            self.care(province=options["province"])
        elif options["action"] == "labour":
            from ansinh.labour import cli_demo

            cli_demo.run(self, options)
        else:
            self.setup()

    def setup(self) -> None:
        with transaction.atomic():
            for username, role, code, field, name in DEMO_USERS:
                if User.objects.filter(username=username).exists():
                    continue
                unit = unit_for_role(role=role, code=code)
                user_create(username=username, password=DEMO_PASSWORD, role=role, unit=unit,
                            field=field, full_name=name, is_demo=True)
        self.stdout.write("Demo users (password for all: %s):" % DEMO_PASSWORD)
        for username, role, code, field, name in DEMO_USERS:
            where = code or "VN"
            self.stdout.write(f"  {username:<10} {role}{'/' + field if field else ''} @ {where}  ({name})")

    def generate(self, *, province: str, households: int, seed: int, year: int, replace: bool, **_: Any) -> None:
        from ansinh.households import demo

        unit = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE).by_code(province).first()
        if unit is None:
            raise CommandError(f"--province {province}: không có tỉnh, thành phố nào mang mã này trên bản đồ hiện hành.")
        if households < 1:
            raise CommandError(f"--households {households}: số hộ phải từ 1 trở lên.")
        if not 2000 <= year <= 2099:
            raise CommandError(f"--year {year}: năm rà soát phải từ 2000 đến 2099.")
        if seed < 0:
            raise CommandError(f"--seed {seed}: hạt giống phải là số nguyên không âm.")
        try:
            result = demo.generate(province=unit, households=households, seed=seed, year=year, replace=replace,
                                   progress=self.stdout.write)
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        if result.skipped:
            self.stdout.write(
                f"{unit.name} ({unit.code}) đã có {format_number(result.existing)} hộ: không tạo thêm. "
                "Dùng --replace để xoá và tạo lại.")
            return
        replaced = f", đã thay {format_number(result.replaced)} hộ cũ" if result.replaced else ""
        self.stdout.write(
            f"{unit.name} ({unit.code}): {format_number(result.households)} hộ, "
            f"{format_number(result.members)} nhân khẩu, {format_number(result.communes)} xã/phường, "
            f"{result.hamlets_created} ấp mới{replaced}; năm rà soát {year - 1} và {year}; "
            f"{format_number(result.seconds, 1)} giây.")

    def _in_province(self, make: Callable[..., Any], province: str, **options: Any) -> None:
        """Runs a demo step `make(province=<unit>, write=…, **options)` for the province of this code
        on the current map; its refusals become the command's error."""
        unit = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE).by_code(province).first()
        if unit is None:
            raise CommandError(f"--province {province}: không có tỉnh, thành phố nào mang mã này trên bản đồ hiện hành.")
        try:
            make(province=unit, write=self.stdout.write, **options)
        except ValidationError as error:
            raise CommandError(_messages(error)) from error

    def rounds(self, *, province: str, year: int) -> None:
        from ansinh.poverty.demo_rounds import demo_rounds

        self._in_province(demo_rounds, province, year=year)

    def plans(self, *, province: str) -> None:
        from ansinh.plans.demo import demo_plans

        self._in_province(demo_plans, province)

    def procedures(self, *, province: str) -> None:
        from ansinh.procedures.demo import demo_procedures

        self._in_province(demo_procedures, province)

    def care(self, *, province: str) -> None:
        from ansinh.care.demo import demo_care

        self._in_province(demo_care, province)

    def payments(self, *, province: str) -> None:
        from ansinh.payments.demo import demo_payments

        self._in_province(demo_payments, province)
