"""Ids in the pages' links and form values are written without the Vietnamese thousands separator:
`{{ person.pk }}` renders 21344 as "21.344" (USE_THOUSAND_SEPARATOR), a link the server refuses.
The test data's ids are small on SQLite and large on PostgreSQL, so the browser test found it only
there; this scans every template of the people-served pages for an id written without `unlocalize`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
BARE_ID = re.compile(r"\{\{ *[a-z_.]*(?:pk|_id|\.id) *\}\}")


def test_it_writes_no_id_with_a_thousands_separator() -> None:
    found = [f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()[:80]}"
             for path in sorted(TEMPLATES.rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if BARE_ID.search(line)]
    assert not found, found


@pytest.mark.parametrize("pk", [7, 21344, 1234567])
def test_it_unlocalize_keeps_a_large_id_whole(pk: int) -> None:
    with translation.override("vi"):
        bare = Template("{{ pk }}").render(Context({"pk": pk}))
        kept = Template("{% load l10n %}{{ pk|unlocalize }}").render(Context({"pk": pk}))
    assert kept == str(pk)
    assert (bare == kept) == (pk < 1000)  # what the scan above guards against
