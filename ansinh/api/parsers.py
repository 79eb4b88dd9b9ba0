"""The API's JSON parser: DRF's, refusing bodies nested too deep with 400.

Python's json module recurses once per level: a body of 5,000 nested arrays raised
RecursionError, which DRF's parser does not catch (a 500). No request of this API nests more
than a few levels, so anything deeper than MAX_DEPTH is refused before a serializer sees it."""

from __future__ import annotations

import json

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def depth_exceeds(data: Any, limit: int) -> bool:
    """Whether `data` nests lists or objects deeper than `limit` (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error: the body is nested too deeply.")) from None
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("JSON parse error: the body is nested more than %(n)s levels deep.") % {"n": MAX_DEPTH})
        if "\\u0000" in json.dumps(data):  # no text column stores NUL on PostgreSQL
            raise ParseError(_("The request holds a character no text may hold (NUL)."))
        return data
