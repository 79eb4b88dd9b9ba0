"""`ansinh geo load | stats --on DATE | successors CODE`."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ansinh.geo.loader import load_official_map
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.parsing import command_date



class Command(BaseCommand):
    help = "The administrative map: load it, count its units on a date, follow the crosswalk."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Load or refresh both maps and the old → new relation.")
        stats = sub.add_parser("stats", help="Count provinces, districts and communes in force on a date.")
        stats.add_argument("--on", default=None, help="YYYY-MM-DD (default: today)")
        successors = sub.add_parser("successors", help="Current successors of a legacy commune code.")
        successors.add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        if "geo_unit" not in connection.introspection.table_names():
            raise CommandError("Cơ sở dữ liệu chưa được khởi tạo: chạy `ansinh migrate` rồi `ansinh geo load`.")
        getattr(self, f"handle_{options['action']}")(options)

    def handle_load(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        result = load_official_map()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"units: {result.created} created, {result.updated} updated, {result.unchanged} unchanged; "
            f"crosswalk: {result.successions_created} created, {result.successions_deleted} removed "
            f"({elapsed:.1f} s)"
        )

    def handle_stats(self, options: dict[str, Any]) -> None:
        on = command_date(options["on"]) if options["on"] else dt.date.today()
        units = Unit.objects.on(on)
        for label, level in (("provinces", Level.PROVINCE), ("districts", Level.DISTRICT), ("communes", Level.COMMUNE)):
            self.stdout.write(f"{label}: {units.filter(level=level).count()}")

    def handle_successors(self, options: dict[str, Any]) -> None:
        code = options["code"]
        legacy = Unit.objects.filter(edition=Edition.LEGACY, level=Level.COMMUNE).by_code(code).first()
        if legacy is None:
            raise CommandError(f"Không có xã/phường/thị trấn nào mang mã {code} trong bản đồ trước 01/07/2025.")
        for unit in legacy.successors().select_related("parent"):
            province = unit.province()
            self.stdout.write(f"{unit.code}\t{unit.name}\t{province.code if province else ''}")
