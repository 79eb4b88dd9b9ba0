"""The demo's planted duplicates and their search (the review lane replaces these placeholders)."""

from __future__ import annotations

from collections.abc import Callable

from ansinh.geo.models import Unit


def plant(*, province: Unit, seed: int, progress: Callable[[str], None] | None = None) -> int:
    return 0


def find(*, province: Unit, write: Callable[[str], None]) -> None:
    write("(duplicates: not searched yet)")
