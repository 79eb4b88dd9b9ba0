"""The lists of poor and near-poor households of a review round, as Excel (mounted under /households/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_GET

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.access import request_user
from ansinh.poverty.access import assessments_for_user, get_round_for_user
from ansinh.geo.models import Level
from ansinh.poverty.exports import TITLES, household_list_file
from ansinh.web.shortcuts import download, unit_param


@login_required
@require_GET
def round_list_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    """?status=poor|near_poor&unit=<id>: the list of a round for a unit (the round's own by
    default); only the households the user may see are in it."""
    user = request_user(request)
    round_ = get_round_for_user(user, round_id)
    status = request.GET.get("status", "poor")
    if status not in TITLES:
        return HttpResponseBadRequest("status must be poor or near_poor")
    unit = unit_param(request, user, round_.unit)
    if request.GET.get("unit") and (not unit.path.startswith(round_.unit.path)
                                    or unit.level not in (Level.PROVINCE, Level.COMMUNE)):
        raise Http404
    found = household_list_file(round=round_, assessments=assessments_for_user(user), status=status, unit=unit)
    # Lists of named households leave the system: log who took which (Decree 13/2023/NĐ-CP, Art. 27).
    # Built first, so the (write-locking) transaction holds only the audit row.
    with transaction.atomic():
        audit.record(actor=Actor.from_request(request), action="households.list_export", obj=round_, unit=unit,
                     after={"status": status, "unit": unit.code, "households": found.rows})
    return download(found.content, found.filename)
