"""Small pieces the apps' views share: a file as a download, the ?unit= parameter of a page, and
the check that the user has a role that edits data (the imports)."""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ansinh.accounts.access import get_scope, get_unit_for_user, request_user
from ansinh.accounts.models import EDITING_ROLES, User
from ansinh.geo.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    """The file as an attachment (an .xlsx workbook unless `content_type` says otherwise)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def editor(request: HttpRequest) -> User:
    """The user, if a role of theirs edits data (commune and provincial officers, administrators:
    who may import); else 403."""
    user = request_user(request)
    if not get_scope(user).roles & EDITING_ROLES:
        raise PermissionDenied
    return user


MIN_INT64, MAX_INT64 = -(2**63), 2**63 - 1  # what SQLite and PostgreSQL (bigint) store


def parse_int(value: str | None, *, low: int = MIN_INT64, high: int = MAX_INT64) -> int | None:
    """The whole number in `value` if it lies in [low, high], else None (Python's int() would take
    "١٢", "1_000" or a 25-digit number that overflows the database's integer)."""
    raw = (value or "").strip()
    digits = raw[1:] if raw[:1] in "+-" else raw
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        return None
    number = int(raw)
    return number if low <= number <= high else None


def int_param(request: HttpRequest, name: str, default: int | None = None, *, low: int = MIN_INT64,
              high: int = MAX_INT64, not_found: bool = False) -> int | None:
    """The integer in ?name=, `default` when absent or empty. Anything else that is not a whole
    number between `low` and `high` (by default the 64-bit range a database stores: a 25-digit
    id would overflow the query) answers 400, or 404 with `not_found` (an id that cannot exist)."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    value = parse_int(raw, low=low, high=high)
    if value is None:
        if not_found:
            raise Http404
        if (low, high) == (MIN_INT64, MAX_INT64):
            raise BadRequest(_("The parameter “%(name)s” must be a whole number.") % {"name": name})
        raise BadRequest(_("The parameter “%(name)s” must be a whole number from %(low)s to %(high)s.")
                         % {"name": name, "low": low, "high": high})
    return value


def unit_param(request: HttpRequest, user: User, default: Unit) -> Unit:
    """The unit of ?unit=ID, if the user may see it (else 404); `default` without the parameter."""
    pk = int_param(request, "unit", not_found=True)
    if pk is None:
        return default
    return get_unit_for_user(user, pk)
