"""The demo's packages (the packages lane replaces this placeholder)."""

from __future__ import annotations

from collections.abc import Callable

from ansinh.geo.models import Unit


def generate(*, province: Unit, write: Callable[[str], None]) -> None:
    write("(packages: not generated yet)")
