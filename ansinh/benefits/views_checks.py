"""Pages of helper CHECKS: the two lists of who should and who should not be paid
(`benefit-eligible-unpaid`, `benefit-paid-ineligible`) and the month's figures by unit
(`benefit-figures`).

Scope: the lists are personal data and follow `ansinh.benefits.access` — a commune officer sees
every scheme of her commune, a provincial officer the schemes of her field, leaders read their
units; a line of a scheme the user does not see in that commune is not shown. The figures are
counts, shown for any unit the user sees (as the plans' indicators are).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope, get_unit_for_user, request_user
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.spreadsheets import Writer
from ansinh.lib.vietnamese import sort_key
from ansinh.web.shortcuts import download

from . import access, checks, indicators
from .models import Category, Entitlement, Scheme
from .months import parse_month, this_month

PAGE_SIZE = 100
MILLION = 1_000_000

KIND_LABELS: dict[str, Any] = {
    checks.Kind.AGE_80: gettext_lazy("aged 80, no pension, no allowance (Art. 5(5)c)"),
    checks.Kind.PENSION_75: gettext_lazy("aged 75, no pension: social pension"),
    checks.Kind.PENSION_70_POOR: gettext_lazy("aged 70–75 in a poor or near-poor household: social pension"),
    checks.Kind.CHILD_NO_PARENT: gettext_lazy("child under 16 in a poor household with no parent recorded"),
    checks.Kind.DISABILITY: gettext_lazy("severe or especially severe disability, no social assistance"),
    checks.Kind.ELDERLY_POOR_ALONE: gettext_lazy("aged 60 or over, alone in a poor household"),
    checks.Kind.DIED: pgettext_lazy("benefit checks", "died"),
    checks.Kind.MOVED: gettext_lazy("moved out of the household"),
    checks.Kind.OTHER_COMMUNE: gettext_lazy("lives in another commune than the one that pays"),
    checks.Kind.NOT_POOR: gettext_lazy("household no longer poor or near-poor"),
    checks.Kind.PENSION_UNDER_70: gettext_lazy("social pensioner under 70"),
    checks.Kind.HAS_PENSION: gettext_lazy("a pension is recorded"),
    checks.Kind.ORPHAN_16: gettext_lazy("turned 16 and not studying"),
    checks.Kind.STUDENT_22: gettext_lazy("turned 22"),
    checks.Kind.STUDENT_NOT_STUDYING: gettext_lazy("no longer studying"),
    checks.Kind.TWO_SA: gettext_lazy("two social assistance categories at once"),
    checks.Kind.PENSION_AND_SA: gettext_lazy("social pension and social assistance at once"),
    checks.Kind.CATEGORY_ENDED: gettext_lazy("category no longer in force"),
}


def month_asked(text: str | None) -> dt.date:
    """The month of `?month=` ("2025-11"), this month when empty or not a month."""
    return parse_month(text) or this_month()


def _url(name: str, *args: Any) -> str | None:
    """The URL of another part's page, or None when that part is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _chosen_unit(request: HttpRequest) -> tuple[Unit | None, list[Unit]]:
    """The unit asked for (`unit`, a province or commune the user sees), or the user's own unit
    when it is a province or a commune; and the provinces to choose from (national users)."""
    user = request_user(request)
    scope = get_scope(user)
    raw = request.GET.get("unit", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        unit = get_unit_for_user(user, int(raw))
        if unit.edition != Edition.CURRENT or unit.level not in (Level.PROVINCE, Level.COMMUNE):
            raise Http404
        return unit, []
    own = [a.unit for a in scope.assignments if a.unit.level in (Level.PROVINCE, Level.COMMUNE)]
    if own and not scope.national:
        return min(own, key=lambda u: (u.level, u.pk)), []
    provinces = list(Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT).order_by("code"))
    return None, provinces


def visible_communes(user: Any, unit: Unit) -> dict[str, set[int]]:
    """For each scheme, the communes of `unit` whose records of it the user sees."""
    communes = checks.commune_ids(unit)
    out: dict[str, set[int]] = {}
    for scheme in Scheme:
        q = access._records(user, change=False, unit_field="", scheme_field=None, schemes=(scheme.value,))
        out[scheme.value] = set(Unit.objects.filter(q, pk__in=communes).values_list("pk", flat=True))
    return out


@dataclass
class Line:
    finding: checks.Finding
    commune: str
    person_url: str | None
    entitlement_url: str | None
    kind_label: str


def _list_page(request: HttpRequest, *, compute: Callable[[Unit, dt.date], list[checks.Finding]], kinds: tuple[str, ...],
               title: str, url_name: str, template: str) -> HttpResponse:
    user = request_user(request)
    unit, provinces = _chosen_unit(request)
    month = month_asked(request.GET.get("month"))
    context: dict[str, Any] = {"title": title, "unit": unit, "provinces": provinces, "month": month,
                               "month_value": f"{month:%Y-%m}", "url_name": url_name}
    if unit is None:
        return render(request, template, context)
    seen = visible_communes(user, unit)
    findings = [f for f in compute(unit, month) if f.commune_id in seen.get(f.scheme, set())]
    names = dict(Unit.objects.filter(pk__in={f.commune_id for f in findings} | seen[Scheme.SOCIAL_ASSISTANCE]
                                     | seen[Scheme.MERITORIOUS]).values_list("pk", "name"))
    by_kind = Counter(f.kind for f in findings)
    communes = sorted({c for ids in seen.values() for c in ids}, key=lambda pk: sort_key(names.get(pk, "")))
    commune = request.GET.get("commune", "")
    if commune.isdigit() and int(commune) in names:
        findings = [f for f in findings if f.commune_id == int(commune)]
    kind = request.GET.get("kind", "")
    if kind in kinds:
        findings = [f for f in findings if f.kind == kind]
    findings.sort(key=lambda f: (sort_key(names.get(f.commune_id, "")), sort_key(f.name), f.person_id, f.kind))
    if request.GET.get("format") == "xlsx":
        return _export(request, findings, names, title=title, unit=unit, month=month, url_name=url_name)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [  # the page's findings, with their links
        Line(f, names.get(f.commune_id, ""), _url("benefit-person", f.person_id) or _url("household-detail", f.household_id),
             _url("entitlement-detail", f.entitlement_id) if f.entitlement_id else None, str(KIND_LABELS.get(f.kind, f.kind)))
        for f in page.object_list]
    page.object_list = cast(Any, lines)
    context.update({
        "page": page, "people": len({f.person_id for f in findings}), "lines": len(findings),
        "kinds": [(k, KIND_LABELS[k], by_kind.get(k, 0)) for k in kinds],
        "kind": kind, "communes": [(pk, names.get(pk, "")) for pk in communes],
        "commune": int(commune) if commune.isdigit() else None, "list_url": reverse(url_name),
    })
    return render(request, template, context)


EXPORT_COLUMNS = (("STT", 6), ("Họ và tên", 26), ("Ngày sinh", 12), ("Xã, phường", 22), ("Diện trợ cấp", 30),
                  ("Lý do", 30), ("Căn cứ", 60))
EXPORT_SLUGS = {"benefit-eligible-unpaid": "du-dieu-kien-chua-huong", "benefit-paid-ineligible": "dang-huong-khong-con-du"}


def _export(request: HttpRequest, findings: list[checks.Finding], names: dict[int, str], *, title: str, unit: Unit,
            month: dt.date, url_name: str) -> HttpResponse:
    """The list as shown (the unit, the month, the commune and reason chosen; every page) in an
    .xlsx workbook, audited: named people leave the system (Decree 13/2023/NĐ-CP Art. 27)."""
    categories = dict(Category.objects.values_list("code", "name"))
    book = Writer(font="Times New Roman", size=12)
    sheet = book.sheet("Danh sách")
    sheet.widths([width for _, width in EXPORT_COLUMNS])
    bold, wrap = book.format(bold=True, text_wrap=True, border=1, valign="top"), book.format(text_wrap=True, border=1,
                                                                                             valign="top")
    sheet.append([(f"{title} — {unit.name}, tháng {month.month:02d}/{month.year}", book.format(bold=True, size=14))])
    sheet.append([f"{len(findings)} dòng, {len({f.person_id for f in findings})} người. Là gợi ý để cán bộ xã "
                  "kiểm tra, không phải quyết định; tuổi tính đến ngày cuối tháng."])
    sheet.append([])
    sheet.append([(header, bold) for header, _ in EXPORT_COLUMNS])
    sheet.freeze(4)
    sheet.print_titles(4)
    sheet.page(landscape=True)
    for number, f in enumerate(findings, start=1):
        category = " + ".join(categories.get(code, code) for code in f.category.split("+") if code) if f.category else ""
        sheet.append([(number, wrap), (f.name, wrap), (f.birth_date or "", wrap),
                      (names.get(f.commune_id, ""), wrap), (category, wrap),
                      (str(KIND_LABELS.get(f.kind, f.kind)).capitalize(), wrap), (f.reason, wrap)])
    content = book.save()
    with transaction.atomic():
        audit.record(actor=Actor.from_request(request), action="benefit_checks.export", obj=Entitlement, unit=unit,
                     after={"list": url_name, "unit": unit.code, "month": f"{month:%Y-%m}", "lines": len(findings),
                            "kind": request.GET.get("kind", ""), "commune": request.GET.get("commune", "")})
    return download(content, f"{EXPORT_SLUGS.get(url_name, 'danh-sach')}-{month:%Y-%m}-{unit.code}.xlsx")


@login_required
def eligible_unpaid(request: HttpRequest) -> HttpResponse:
    """People who appear eligible but receive nothing this month, with why (issue 11 item 4)."""
    return _list_page(request, compute=checks.eligible_unpaid, kinds=checks.ELIGIBLE_KINDS,
                      title=_("Appear eligible, receive nothing"), url_name="benefit-eligible-unpaid",
                      template="benefits/checks/list.html")


@login_required
def paid_ineligible(request: HttpRequest) -> HttpResponse:
    """Entitlements still paid to people who no longer appear eligible, with why."""
    return _list_page(request, compute=checks.paid_ineligible, kinds=checks.INELIGIBLE_KINDS,
                      title=_("Paid, no longer eligible"), url_name="benefit-paid-ineligible",
                      template="benefits/checks/list.html")


# --- The figures ---------------------------------------------------------------------------


@dataclass
class Row:
    unit: Unit
    cells: list[tuple[int, Decimal, str | None]]  # per scheme: people, million đồng, the entitlements behind


def _million(amount: int) -> Decimal:
    return Decimal(amount) / MILLION


SCHEMES = (Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION, Scheme.MERITORIOUS)


def _entitlements_url(scheme: str, unit: Unit, month: dt.date, category: str = "") -> str | None:
    base = _url("entitlement-list")
    if base is None:
        return None
    from urllib.parse import urlencode

    params = {"scheme": scheme, "month": f"{month:%Y-%m}", "status": "active",
              ("province" if unit.level <= Level.PROVINCE else "commune"): str(unit.pk)}
    if category:
        params["category"] = category
    return f"{base}?{urlencode(params)}"


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The month's people and amounts per scheme, one row per child unit (a province's communes),
    with the total, and people with meritorious service by category; each figure links to the
    entitlements behind it."""
    unit, provinces = _chosen_unit(request)
    month = month_asked(request.GET.get("month"))
    context: dict[str, Any] = {"unit": unit, "provinces": provinces, "month": month, "month_value": f"{month:%Y-%m}"}
    if unit is None:
        return render(request, "benefits/checks/figures.html", context)
    communes = checks.commune_ids(unit)
    data = indicators.unit_figures(communes, month)
    children = [unit] if unit.level == Level.COMMUNE else list(Unit.objects.filter(pk__in=communes))
    children.sort(key=lambda u: sort_key(u.name))
    rows = []
    totals = [[0, 0] for _ in SCHEMES]
    for child in children:
        own = data.by_commune.get(child.pk, {})
        cells = [own.get(s.value, (0, 0)) for s in SCHEMES]
        for i, (people, amount) in enumerate(cells):
            totals[i][0] += people
            totals[i][1] += amount
        rows.append(Row(child, [(people, _million(amount), _entitlements_url(s.value, child, month))
                                for s, (people, amount) in zip(SCHEMES, cells, strict=True)]))
    total = Row(unit, [(people, _million(amount), _entitlements_url(s.value, unit, month))
                       for s, (people, amount) in zip(SCHEMES, totals, strict=True)])
    groups = []
    for code, codes in indicators.MERIT_GROUPS.items():
        people, amount = data.merit_groups.get(code, (0, 0))
        link = _entitlements_url(Scheme.MERITORIOUS, unit, month, codes[0] if len(codes) == 1 else "")
        groups.append((code, indicators.MERIT_GROUP_NAMES[code], people, _million(amount), link))
    people, amount = data.merit_groups.get("relatives", (0, 0))
    groups.append(("relatives", _("relatives of people with meritorious service"), people, _million(amount),
                   _entitlements_url(Scheme.MERITORIOUS, unit, month)))
    context.update({"rows": rows, "total": total, "groups": groups,
                    "child_level": _("commune") if unit.level != Level.COMMUNE else _("unit")})
    return render(request, "benefits/checks/figures.html", context)
