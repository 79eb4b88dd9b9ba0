"""Reading the API's typed query parameters: an integer, enum or flag parameter that is present
but empty is a bad request (400), as the schema says, not a silently ignored filter."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


def typed_value(request: Request, name: str) -> str | None:
    """The stripped value of ?name=; None when absent; 400 when present but blank, or repeated."""
    if name not in request.query_params:
        return None
    if len(request.query_params.getlist(name)) > 1:
        raise ValidationError({name: [_("Give this parameter once.")]})
    value = request.query_params.get(name, "").strip()
    if not value:
        raise ValidationError({name: [_("This parameter is empty: give a value or leave it out.")]})
    return value
