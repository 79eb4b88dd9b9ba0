"""Ids in the training pages' links and form values are written without the Vietnamese thousands
separator (`{{ x.pk|unlocalize }}`): a bare `{{ x.pk }}` renders 21344 as "21.344"."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "labour"
BARE_ID = re.compile(r"\{\{ *[a-z_.]*(?:pk|_id|\.id) *\}\}")


def test_it_writes_no_training_id_with_a_thousands_separator() -> None:
    found = [f"{path.name}:{n}: {line.strip()[:80]}"
             for path in sorted(TEMPLATES.glob("training_*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if BARE_ID.search(line)]
    assert not found, found
    assert BARE_ID.search("{{ course.pk }}") and not BARE_ID.search("{{ course.pk|unlocalize }}")
