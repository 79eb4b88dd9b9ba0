"""Small pieces the apps' views share: a file as a download, the ?unit= parameter of a page, and
the check that the user has a role that edits data (the imports)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

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


def unit_param(request: HttpRequest, user: User, default: Unit) -> Unit:
    """The unit of ?unit=ID, if the user may see it (else 404); `default` without the parameter."""
    if not request.GET.get("unit"):
        return default
    try:
        return get_unit_for_user(user, int(request.GET["unit"]))
    except ValueError:
        raise Http404 from None
