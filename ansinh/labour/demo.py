"""`ansinh demo labour --province CODE [--year Y] [--replace]`: a year of the five labour registries
for the demo province, drawn from its register (issue 13), at Trà Vinh's scale (seed 001's quarter
× 4).

Each registry makes its own records (`demo_<registry>.generate`, bulk-created); this module calls
them in the contract's order — training, abroad (its departures make their placements), unemployment
insurance, placements and counselling — and deletes in the reverse order for `--replace`. A province
that already has labour records is left alone unless `--replace` is given, so `make demo` can run
twice. One audit row for the lot (the registries' own rows are demo data, written in bulk).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Unit
from ansinh.lib.vietnamese import format_number

from .models import Counselling, Departure, Enrolment, Placement, UnemploymentDossier

Write = Callable[[str], None]
# The contract's order: abroad before placements (a departure makes its placement).
ORDER = ("demo_training", "demo_abroad", "demo_unemployment", "demo_placements")
NAMES = {"demo_training": "đào tạo nghề", "demo_abroad": "lao động đi làm việc ở nước ngoài, lao động nước ngoài",
         "demo_unemployment": "bảo hiểm thất nghiệp", "demo_placements": "giải quyết việc làm, tư vấn việc làm"}


def _parts() -> list[tuple[str, Any]]:
    out = []
    for name in ORDER:
        try:
            out.append((name, importlib.import_module(f"ansinh.labour.{name}")))
        except ModuleNotFoundError as error:  # a registry not merged yet: its part is skipped, and said so
            if error.name != f"ansinh.labour.{name}":
                raise
    return out


def has_records(province: Unit) -> bool:
    under = province.path
    return any(model.objects.filter(commune__path__startswith=under).exists()
               for model in (Placement, Counselling, Enrolment, Departure, UnemploymentDossier))


def demo_labour(*, province: Unit, year: int, seed: int = 1, replace: bool = False,
                write: Write = print) -> dict[str, int]:
    """Makes a year of labour records for `province`; returns the counts made (empty when skipped)."""
    parts = _parts()
    missing = [NAMES[name] for name in ORDER if name not in dict(parts)]
    if missing:
        write(f"Chưa có phần dữ liệu mẫu: {', '.join(missing)} (bỏ qua).")
    if has_records(province) and not replace:
        write(f"{province.name} ({province.code}) đã có dữ liệu lao động: không tạo thêm. Dùng --replace để xoá và "
              "tạo lại.")
        return {}
    started = time.perf_counter()
    made: dict[str, int] = {}
    with transaction.atomic():
        if replace:
            for _name, module in reversed(parts):
                module.delete(province)
        for name, module in parts:
            counts = module.generate(province, year=year, seed=seed)
            made.update({f"{name.removeprefix('demo_')}.{key}": int(value) for key, value in counts.items()})
            write(f"  {NAMES[name]}: " + ", ".join(f"{key} {format_number(value)}" for key, value in counts.items()))
        # One row for the lot, as an import of labour records (no audit action of its own: that would be
        # a migration of accounts' choices), marked as the demo's.
        audit.record(actor=Actor.system(), action=AuditAction.LABOUR_IMPORT, obj=Placement, unit=province,
                     after={"demo": True, "year": year, "seed": seed, "replace": replace, **made})
    write(f"Dữ liệu lao động mẫu năm {year} của {province.name} ({province.code}): "
          f"{format_number(time.perf_counter() - started, 1)} giây.")
    return made
