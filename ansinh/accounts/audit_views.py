"""The audit trail as people read it: `/audit/` and its export.

Each row names the action in words, and shows only the fields that changed, with the model's
label for each and its value before and after; citizen IDs stay masked for a viewer who may not
see them in full (Decree 13/2023/NĐ-CP). The page and the export read the same filtered rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ansinh.geo.models import Unit
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.spreadsheets import Writer
from ansinh.lib.vietnamese import format_number

from . import audit
from .access import Scope, audit_events_for_user, get_scope, request_user, units_for_user
from .models import AUDIT_ROLES, LEGACY_ACTIONS, AuditAction, AuditEvent, action_label

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000  # rows in one export; a wider trail is exported filtered, in parts
FILTERS = ("user", "action", "type", "object", "unit", "since", "until")
# Apps whose records the audit log names; the object-type filter offers their models.
AUDITED_APPS = ("accounts", "geo", "households", "poverty", "plans", "documents")


@dataclass(frozen=True)
class Change:
    """One field of a record, as the trail shows it: its label, and its value before and after."""

    key: str
    label: str
    before: str
    after: str


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


# Keys of snapshots that are not fields of the audited model (what an action records about
# itself: an import's counts, a job's parameters, a round's tally), named for people.
KEY_LABELS: dict[str, Any] = {
    "via": gettext_lazy("read through"), "citizen_ids": gettext_lazy("citizen IDs shown"),
    "is_demo": gettext_lazy("demo user"), "role": gettext_lazy("role"), "unit": gettext_lazy("unit"),
    "units": gettext_lazy("units"), "field": gettext_lazy("field of work"), "step": gettext_lazy("step"),
    "done_on": gettext_lazy("done on"), "households": gettext_lazy("households"), "poor": gettext_lazy("poor"),
    "near_poor": gettext_lazy("near-poor"), "not_poor": gettext_lazy("not poor"),
    "average": gettext_lazy("average"), "format": gettext_lazy("format"), "rows": gettext_lazy("rows"),
    "filters": gettext_lazy("filters"), "import": gettext_lazy("import"), "file": gettext_lazy("file"),
    "problems": gettext_lazy("problems"), "first": gettext_lazy("first problems"),
    "check": gettext_lazy("check only"), "order": gettext_lazy("order"), "note": gettext_lazy("note"),
    "prefix": gettext_lazy("token prefix"), "user": gettext_lazy("user"), "expires_at": gettext_lazy("expires"),
    "kind": gettext_lazy("kind"), "title": gettext_lazy("title"), "params": gettext_lazy("parameters"),
    "count": gettext_lazy("count"), "source": gettext_lazy("source"), "plan": gettext_lazy("plan"),
    "period": gettext_lazy("period"), "status": gettext_lazy("status"), "year": gettext_lazy("year"),
    "month": gettext_lazy("month"), "standard": gettext_lazy("poverty standard"), "error": gettext_lazy("error"),
    "generated": gettext_lazy("generated password"), "reason": gettext_lazy("reason"),
}
# Keys whose values are record ids: shown as they are, never as "13.785".
ID_KEYS = {"plan", "unit", "units", "id", "pk", "round", "household", "member", "job"}


def _value_choices() -> dict[str, dict[str, str]]:
    """Codes a snapshot stores for a role, a field of work or a review step, by their names."""
    from .models import Field, Role

    steps = apps.get_model("poverty", "RoundProgress")._meta.get_field("step").flatchoices  # no import upward
    named = {key: {str(k): str(v) for k, v in choices.choices} for key, choices in (("role", Role), ("field", Field))}
    named["step"] = {str(k): str(v) for k, v in steps}
    return named


def _label(field: models.Field[Any, Any] | None, key: str) -> str:
    if field is not None and field.verbose_name:
        return capfirst(str(field.verbose_name))
    if key in KEY_LABELS:
        return capfirst(str(KEY_LABELS[key]))
    return capfirst(key.replace("_", " "))


def _text(value: Any, field: models.Field[Any, Any] | None, *, masked: bool, key: str = "") -> str:
    """A snapshot value in words: choices by their label, yes/no, dates as dd/mm/yyyy, numbers in
    the Vietnamese format, lists and small dictionaries flattened; citizen IDs masked."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "; ".join(f"{_label(None, str(k))}: {_text(v, None, masked=masked, key=str(k))}"
                         for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(item, None, masked=masked, key=key) for item in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices:
        choices = {str(k): v for k, v in field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if field is None and key in (named := _value_choices()) and str(value) in named[key]:
        return named[key][str(value)]
    if masked:
        return mask_citizen_id(str(value))
    if isinstance(value, int) and key not in ID_KEYS and not (
            field is not None and (field.is_relation or field.primary_key)):
        return format_number(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            pass
    if isinstance(value, str) and len(value) > 10 and value[4] == "-" and value[10] == "T":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return f"{timezone.localtime(moment) if timezone.is_aware(moment) else moment:%d/%m/%Y %H:%M}"
    return str(value)


def _as_dict(snapshot: Any) -> dict[str, Any]:
    if snapshot is None:
        return {}
    if isinstance(snapshot, dict):
        return snapshot
    return {"value": snapshot}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def changes(event: AuditEvent, *, mask_ids: bool) -> list[Change]:
    """The fields that changed (all of them for a creation or a deletion), in snapshot order."""
    before, after = _as_dict(event.before), _as_dict(event.after)
    model = _model(event.object_type)
    keys = list(before) + [key for key in after if key not in before]
    rows = []
    for key in keys:
        if key in before and key in after and before[key] == after[key]:
            continue
        if _empty(before.get(key)) and _empty(after.get(key)):
            continue  # a creation's blank fields say nothing
        field = _field(model, key)
        masked = mask_ids and "citizen_id" in key
        rows.append(Change(
            key=key, label=_label(field, key),
            before=_text(before[key], field, masked=masked, key=key) if key in before else "",
            after=_text(after[key], field, masked=masked, key=key) if key in after else "",
        ))
    return rows


@dataclass
class Row:
    event: AuditEvent
    action: str
    object_type: str
    changes: list[Change]


def _type_label(object_type: str) -> str:
    model = _model(object_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else object_type


def rows(events: Iterable[AuditEvent], scope: Scope) -> Iterator[Row]:
    """Events ready to show; whether IDs are masked is decided per event's unit (no queries)."""
    for event in events:
        yield Row(event=event, action=action_label(event.action), object_type=_type_label(event.object_type),
                  changes=changes(event, mask_ids=not scope.may_see_citizen_ids(event.unit)))


def object_types() -> list[tuple[str, str]]:
    """The models of the audited apps, by their names, for the object-type filter."""
    found = [(model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
             for model in apps.get_models() if model._meta.app_label in AUDITED_APPS]
    return sorted(found, key=lambda pair: pair[1].lower())


@dataclass
class Filtered:
    events: QuerySet[AuditEvent]
    values: dict[str, str]
    errors: list[str]
    unit: Unit | None = None


def filtered(request: HttpRequest) -> Filtered:
    """The viewer's events, filtered by the query: person, action, object (type; id or words),
    unit (one the viewer may see, with the units below it) and a date range. A value that
    cannot be read is dropped with a message, never answered with an error page."""
    user = request_user(request)
    values = {key: request.GET.get(key, "").strip()[:100] for key in FILTERS}
    errors: list[str] = []
    unit: Unit | None = None
    if values["unit"]:
        # The newest unit of that code (the current map's, not the legacy one it took over); NULLs
        # last, as SQLite sorts them and PostgreSQL does not by default.
        unit = (units_for_user(user).filter(code=values["unit"])
                .order_by(F("valid_from").desc(nulls_last=True)).first())
        if unit is None:
            errors.append(_("No unit with code %(code)s within your units.") % {"code": values["unit"]})
            values["unit"] = ""
    events = audit_events_for_user(user, unit=unit)
    if values["user"]:
        events = events.filter(Q(actor_name__icontains=values["user"]) | Q(actor__full_name__icontains=values["user"]))
    if values["action"]:
        # One action, or every action under a dotted prefix ("plans.submission", older links).
        wanted = [value for value in AuditAction.values
                  if value == values["action"] or value.startswith(values["action"].rstrip(".") + ".")]
        if wanted:
            legacy = [old for old, new in LEGACY_ACTIONS.items() if new in wanted]
            events = events.filter(action__in=[*wanted, *legacy])
        else:
            errors.append(_("Unknown action: %(action)s.") % {"action": values["action"]})
            values["action"] = ""
    if values["type"]:
        events = events.filter(object_type=values["type"])
    if values["object"]:
        events = events.filter(Q(object_id=values["object"]) | Q(object_repr__icontains=values["object"]))
    for key, lookup in (("since", "at__gte"), ("until", "at__lt")):
        if not values[key]:
            continue
        try:
            day = dt.date.fromisoformat(values[key])
        except ValueError:
            errors.append(_("Not a date: %(value)s (use the date picker).") % {"value": values[key]})
            values[key] = ""
            continue
        # Whole local days, as an index range on `at` (not a date cast, which no index serves).
        start = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=key == "until"), dt.time()))
        events = events.filter(**{lookup: start})
    return Filtered(events=events.select_related("unit"), values=values, errors=errors, unit=unit)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit trail of the user's units, newest first (provincial leaders and administrators);
    `?export=xlsx` or `?export=csv` downloads the filtered rows (itself audited)."""
    found = filtered(request)
    export = request.GET.get("export", "")
    if export in ("xlsx", "csv") and not found.errors:
        total = found.events.count()
        if total <= EXPORT_LIMIT:
            return _export(request, found, export, total)
        found.errors.append(_("%(count)s records are too many for one file (at most %(limit)s): narrow the "
                              "filter, for example by date.") % {"count": format_number(total),
                                                                 "limit": format_number(EXPORT_LIMIT)})
    scope = get_scope(request_user(request))
    paginator = Paginator(found.events, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "accounts/audit_list.html", {
        "page": page,
        "rows": list(rows(page.object_list, scope)),
        "filters": found.values,
        "errors": found.errors,
        "actions": AuditAction.choices,
        "types": object_types(),
        "first": format_number(page.start_index()),
        "last": format_number(page.end_index()),
        "total": format_number(paginator.count),
    })


HEADERS = [gettext_lazy("Time"), gettext_lazy("User"), gettext_lazy("Action"), gettext_lazy("Object type"),
           gettext_lazy("Object"), gettext_lazy("Unit"), gettext_lazy("IP address"), pgettext_lazy("audit", "Field"),
           gettext_lazy("Before"), gettext_lazy("After")]


def _lines(found: Filtered, scope: Scope) -> Iterator[list[Any]]:
    """One line per changed field (one for an event without changes), newest event first."""
    for row in rows(found.events.iterator(chunk_size=2000), scope):
        event = row.event
        head = [timezone.localtime(event.at).replace(tzinfo=None), event.actor_name, row.action, row.object_type,
                event.object_repr, event.unit.name if event.unit else "", event.ip or ""]
        for change in row.changes or [Change("", "", "", "")]:
            yield head + [change.label, change.before, change.after]


def _export(request: HttpRequest, found: Filtered, kind: str, total: int) -> HttpResponse:
    """The filtered rows as .xlsx (through the project's Writer) or .csv (UTF-8 with a BOM, for
    Excel), masked as on the page; the export is an audit row of its own."""
    user = request_user(request)
    scope = get_scope(user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # Written on the unit exported (or the viewer's own), so that the leaders who read that unit's
    # trail also see who took a copy of it.
    unit = found.unit or next((a.unit for a in scope.assignments if a.role in AUDIT_ROLES), None)
    with transaction.atomic():
        audit.record(actor=audit.Actor.from_request(request), action=AuditAction.AUDIT_EXPORT, obj=AuditEvent, unit=unit,
                     after={"format": kind, "rows": total,
                            "filters": {key: value for key, value in found.values.items() if value}})
    headers = [str(header) for header in HEADERS]
    if kind == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        out = csv.writer(buffer)
        out.writerow(headers)
        for line in _lines(found, scope):
            line[0] = f"{line[0]:%d/%m/%Y %H:%M:%S}"
            out.writerow([_safe_csv(str(cell)) for cell in line])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Writer()
        sheet = book.sheet(_("Audit trail")[:31])
        sheet.widths([18, 14, 28, 20, 36, 24, 15, 22, 36, 36])
        sheet.freeze(1)
        bold = book.format(bold=True, bg_color="#EEF2F6", border=1)
        sheet.append([(header, bold) for header in headers])
        for line in _lines(found, scope):
            sheet.append(line)
        response = HttpResponse(book.save(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.{kind}"'
    return response


def _safe_csv(text: str) -> str:
    """A value a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is quoted with '."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
