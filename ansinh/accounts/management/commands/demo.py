"""`ansinh demo setup`: demo users, one per role, in demo mode only (ANSINH_DEMO=1)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ansinh.accounts.models import Role, User
from ansinh.accounts.services import unit_for_role, user_create
from ansinh.geo.models import Edition, Level, Unit

DEMO_PROVINCE = "86"  # Vĩnh Long since 1 Jul 2025 (merging Vĩnh Long, Bến Tre and Trà Vinh)
DEMO_COMMUNE = "29461"  # Xã Trà Cú, successor of legacy Thị trấn Trà Cú and Xã Ngãi Xuyên
DEMO_PASSWORD = "ansinh-demo-2026"
DEMO_USERS = [
    ("xa", Role.COMMUNE_OFFICER, DEMO_COMMUNE, "", "Nguyễn Thị Lan"),
    ("giamngheo", Role.PROVINCIAL_OFFICER, DEMO_PROVINCE, "poverty", "Trần Văn Minh"),
    ("laodong", Role.PROVINCIAL_OFFICER, DEMO_PROVINCE, "labour", "Lê Thị Hồng"),
    ("lanhdao", Role.PROVINCIAL_LEADER, DEMO_PROVINCE, "", "Phạm Quốc Bảo"),
    ("trunguong", Role.NATIONAL_VIEWER, None, "", "Hoàng Minh Đức"),
    ("quantri", Role.ADMIN, None, "", "Võ Thanh Tùng"),
]


class Command(BaseCommand):
    help = "Demo data for `make demo` (only when ANSINH_DEMO=1)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("setup", help="Create one demo user per role and print their passwords.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Chỉ dùng ở chế độ trình diễn (ANSINH_DEMO=1): người dùng mẫu không được có trong hệ thống thật.")
        if not Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE).exists():
            raise CommandError("Chưa có bản đồ hành chính: chạy `ansinh geo load` trước.")
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
