"""Ids in the package pages' links and form values are written without the Vietnamese thousands
separator (`{{ x.pk|unlocalize }}`): "21.344" is an id the server refuses."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "payments" / "packages"
BARE_ID = re.compile(r"\{\{ *[a-z_.]*(?:pk|_id|\.id) *\}\}")


def test_it_writes_no_id_with_a_thousands_separator() -> None:
    paths = sorted(TEMPLATES.rglob("*.html"))
    assert paths
    found = [f"{path.name}:{n}: {line.strip()[:80]}" for path in paths
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if BARE_ID.search(line)]
    assert not found, found
