"""The pages of one-off packages (mounted at /payments/packages/): the list, the form that creates
a package (a province's list is built by a background job whose progress the page shows), and a
package with its tiers in words, totals by funding source, payment progress and its list.

Access: every package and line comes through `ansinh.payments.access` (404 outside the user's
units; a commune officer sees her commune's lines of a province's package; 403 on the form for
whoever may not create packages). Lines show names, not citizen IDs.
"""

from __future__ import annotations

import datetime as dt
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Level, Unit
from ansinh.lib.tabular import ImportProblems
from ansinh.lib.vietnamese import fold
from ansinh.web.shortcuts import parse_int

from . import access
from .forms_packages import PackageForm, units_to_run
from .jobs_packages import package_create_start
from .models import PayStatus, Per, Purpose
from .packages import packages_around, category_names, create_package, list_from_file, package_totals, tier_words

PAGE_SIZE = 50


def _settle_ready() -> bool:
    """The settle part's include (exports and the results upload) is there."""
    try:
        select_template(["payments/includes/package_settle.html"])
    except TemplateDoesNotExist:
        return False
    return True


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
@require_GET
def package_list(request: HttpRequest) -> HttpResponse:
    """Packages in the user's units (and those of the units above, whose lines she may see),
    newest first, filtered by purpose, unit, period and name."""
    user = request_user(request)
    found = access.packages_for_user(user).select_related("unit")
    purpose = request.GET.get("purpose", "")
    if purpose in Purpose.values:
        found = found.filter(purpose=purpose)
    else:
        purpose = ""
    unit_id = parse_int(request.GET.get("unit"), low=1)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit is not None:
        found = packages_around(found, unit)
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if start:
        found = found.filter(on__gte=start)
    if end:
        found = found.filter(on__lte=end)
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        found = found.filter(name__icontains=q)
    page = Paginator(found.order_by("-on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "purposes": Purpose.choices, "purpose": purpose, "unit": unit, "q": q,
               "start": start, "end": end, "can_create": bool(units_to_run(user))}
    return render(request, "payments/packages/list.html", context)


def _file_members(request: HttpRequest, form: PackageForm, unit: Unit) -> dict[int, list[int]] | None:
    """The people of each file tier; None (and the problems on the form) when a file is wrong."""
    out: dict[int, list[int]] = {}
    ok = True
    for i in range(1, 5):
        upload = form.cleaned_data.get(f"t{i}_file")
        if form.cleaned_data.get(f"t{i}_rule") != "file" or upload is None:
            continue
        try:
            out[i] = list_from_file(upload.read(), unit=unit, actor=Actor.from_request(request),
                                    name=upload.name or "")
        except ImportProblems as error:
            ok = False
            for problem in error.problems[:20]:
                form.add_error(f"t{i}_file", str(problem))
            if len(error.problems) > 20:
                form.add_error(f"t{i}_file", _("… and %(n)s more problems.") % {"n": len(error.problems) - 20})
    return out if ok else None


@login_required
@require_http_methods(["GET", "POST"])
def package_create(request: HttpRequest) -> HttpResponse:
    """The form: a commune's package is created at once; a province's list is built by a
    background job (`payments.package_create`), whose page shows the progress and the package."""
    user = request_user(request)
    form = PackageForm(request.POST or None, request.FILES or None, user=user)
    if not form.units:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        if form.is_valid():
            unit = form.chosen_unit()
            assert unit is not None
            field = form.cleaned_data["field"]
            if not access.may_run_package(user, unit, field):
                form.add_error("field", _("You may not create packages of this field in %(unit)s.")
                               % {"unit": unit.name})
            else:
                members = _file_members(request, form, unit)
                if members is not None:
                    response = _create(request, form, unit, members)
                    if response is not None:
                        return response
        status = 400
    return render(request, "payments/packages/form.html", {"form": form}, status=status)


def _create(request: HttpRequest, form: PackageForm, unit: Unit, members: dict[int, list[int]]) -> HttpResponse | None:
    data = form.cleaned_data
    tiers = form.tiers(members=members)
    actor = Actor.from_request(request)
    period = form.period()
    if unit.level == Level.PROVINCE:
        spec = {"name": data["name"], "purpose": data["purpose"], "field": data["field"], "unit": unit.pk,
                "on": data["on"].isoformat(), "legal_basis": data.get("legal_basis") or "",
                "note": data.get("note") or "",
                "period": [period[0].isoformat(), period[1].isoformat()] if period else None,
                "tiers": [t.__dict__ for t in tiers]}
        job = package_create_start(actor=actor, unit=unit, spec=spec)
        return redirect(job.get_absolute_url())
    try:
        package, _created = create_package(
            name=data["name"], purpose=data["purpose"], field=data["field"], unit=unit, on=data["on"], tiers=tiers,
            actor=actor, legal_basis=data.get("legal_basis") or "", period=period, note=data.get("note") or "")
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    return redirect("package-detail", pk=package.pk)


STATUS_LABELS = dict(PayStatus.choices)


@login_required
@require_GET
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    package = access.get_package_for_user(user, pk)
    tiers = list(package.tiers.all())
    names = category_names(tiers)
    for row in tiers:
        row.words = tier_words(row.rule, row.params, categories=names)  # type: ignore[attr-defined]
    visible = access.package_lines_for_user(user).filter(package=package)
    whole = visible.count() == package.recipients
    totals = package_totals(package, lines=None if whole else visible)
    lines = visible.select_related("person", "household", "commune", "hamlet", "tier")
    communes = list(Unit.objects.filter(pk__in=visible.order_by().values("commune_id").distinct())
                    .order_by("sort_key"))
    commune = parse_int(request.GET.get("commune"), low=1)
    if commune:
        lines = lines.filter(commune_id=commune)
    hamlets = list(Unit.objects.filter(parent_id=commune, level=Level.HAMLET).order_by("sort_key")) if commune else []
    hamlet = parse_int(request.GET.get("hamlet"), low=1)
    if hamlet:
        lines = lines.filter(hamlet_id=hamlet)
    tier = parse_int(request.GET.get("tier"), low=1)
    if tier:
        lines = lines.filter(tier_id=tier)
    pay = request.GET.get("status", "")
    if pay in PayStatus.values:
        lines = lines.filter(status=pay)
    else:
        pay = ""
    also = request.GET.get("also") == "1"
    if also:
        lines = lines.exclude(also_in="")
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        words = fold(q).split()
        for word in words:
            lines = lines.filter(Q(person__search_name__contains=word) | Q(household__search_text__contains=word))
    page = Paginator(lines.order_by("commune__sort_key", "hamlet_id", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    for line in page.object_list:
        line.status_label = STATUS_LABELS.get(line.status, line.status)  # type: ignore[attr-defined]
    progress = [(STATUS_LABELS[s], s, totals["by_status"][s]) for s in PayStatus.values]
    context = {
        "package": package, "tiers": tiers, "totals": totals, "whole": whole, "page": page, "communes": communes,
        "hamlets": hamlets, "commune": commune, "hamlet": hamlet, "tier": tier, "pay": pay, "also": also, "q": q,
        "statuses": PayStatus.choices, "progress": progress, "settle_ready": _settle_ready(),
        "can_run": access.may_run_package(user, package.unit, package.field), "per_household": Per.HOUSEHOLD,
    }
    return render(request, "payments/packages/detail.html", context)


__all__ = ["package_create", "package_detail", "package_list"]
