"""`ansinh labour demo --province CODE [--year Y] [--seed N] [--replace]` (also `ansinh demo labour`,
beside the other demos): a year of the labour registries for the demo province (`labour.demo`), in
demo mode only (ANSINH_DEMO=1)."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ansinh.geo.models import Edition, Level, Unit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--province", required=True, help="Province code on the current map, e.g. 86.")
    parser.add_argument("--year", type=int, default=2025, help="The year of the records (default 2025).")
    parser.add_argument("--seed", type=int, default=1, help="Same seed, same data (default 1).")
    parser.add_argument("--replace", action="store_true",
                        help="Delete the province's labour records first (otherwise a province that has some is "
                             "left alone).")


def add_parsers(sub: Any) -> None:
    parser = sub.add_parser("demo", help="A year of demo labour records for a province (ANSINH_DEMO=1 only).")
    add_arguments(parser)
    parser.set_defaults(handler=run)


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    from .demo import demo_labour

    if not settings.DEMO:
        raise CommandError("Chỉ dùng ở chế độ trình diễn (ANSINH_DEMO=1): dữ liệu mẫu không được có trong hệ thống "
                           "thật.")
    code, year, seed = options["province"], options["year"], options["seed"]
    province = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE).by_code(code).first()
    if province is None:
        raise CommandError(f"--province {code}: không có tỉnh, thành phố nào mang mã này trên bản đồ hiện hành.")
    if not 2020 <= year <= 2099:
        raise CommandError(f"--year {year}: năm phải từ 2020 đến 2099.")
    if seed < 0:
        raise CommandError(f"--seed {seed}: hạt giống phải là số nguyên không âm.")
    try:
        demo_labour(province=province, year=year, seed=seed, replace=options["replace"], write=command.stdout.write)
    except (ValidationError, ValueError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise CommandError(" ".join(messages)) from error
