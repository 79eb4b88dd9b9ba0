"""The demo province's payments: payrolls of its recent months (approved, sent to the post office,
reconciled with a result file, some lines not collected), then its one-off packages (Tết gifts,
longevity gifts, near-poor households' gifts), then the search for duplicate people. `demo payments` runs it after `demo rounds` (the
packages read the decided poverty round). Idempotent: run twice, nothing is paid twice."""

from __future__ import annotations

from collections.abc import Callable

from ansinh.geo.models import Unit


def demo_payments(*, province: Unit, write: Callable[[str], None]) -> None:
    from ansinh.dedup import demo as dedup_demo

    from . import demo_packages, demo_payroll

    demo_payroll.generate(province=province, write=write)
    demo_packages.generate(province=province, write=write)
    dedup_demo.find(province=province, write=write)
