"""Dossiers from the provincial public-service portal's export (docs/procedure-import.md).

All or nothing, as every import of the project (`ansinh.lib.tabular`): the file (.xlsx, or .csv
with the same headers) is read as a stream, every cell and row is checked (unknown procedure or
procedure not in force on the day of receipt, unknown unit, unit outside the importer's scope,
a code already registered or twice in the file, a result before the receipt …) and each problem is
reported by row and column in Vietnamese; only a clean file is written, in one transaction, with
bulk inserts of the dossiers and their events (no ORM object saved one by one). Due dates are
computed by the system from the calendar (one `WorkingCalendar` per province, in memory), not
taken from the portal, so that every dossier of the system has one deadline logic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.tabular import Column, ImportProblems, Problems, Row, message, read_upload, record_refused
from ansinh.lib.uploads import read_source
from ansinh.workdays.calendar import calendar_for

from . import services
from .models import Channel, Dossier, DossierEvent, DossierStatus, EventKind, HandoverRule, Outcome, Procedure

SHEET = "Hồ sơ"
CHANNEL_LABELS = {Channel.IN_PERSON.value: "Trực tiếp", Channel.POST.value: "Bưu chính",
                  Channel.ONLINE.value: "Trực tuyến"}
CHANNEL_ALIASES = {"truc tiep": "in_person", "tai quay": "in_person", "buu chinh": "post", "qua buu chinh": "post",
                   "truc tuyen": "online", "dich vu cong truc tuyen": "online", "online": "online"}
OUTCOME_LABELS = {Outcome.GRANTED.value: "Giải quyết", Outcome.REFUSED.value: "Từ chối"}
OUTCOME_ALIASES = {"da giai quyet": "granted", "chap thuan": "granted", "tu choi giai quyet": "refused",
                   "khong giai quyet": "refused"}

COLUMNS = [
    Column("Mã hồ sơ", "code", "code", "Mã hồ sơ trên Cổng dịch vụ công của tỉnh (duy nhất).", required=True,
           max_length=40, width=24, aliases=("Ma ho so", "code")),
    Column("Mã thủ tục", "procedure", "code", "Mã thủ tục hành chính (theo danh mục của hệ thống).", required=True,
           max_length=30, width=16, aliases=("Ma thu tuc", "procedure_code")),
    Column("Tên thủ tục", "procedure_name", "text", "Chép để dễ đọc (không đọc lại).", max_length=400, width=30,
           informative=True),
    Column("Kênh nộp", "channel", "choice", "Trực tiếp; Bưu chính; Trực tuyến.", labels=CHANNEL_LABELS,
           choice_aliases=CHANNEL_ALIASES, default=Channel.IN_PERSON.value, width=12),
    Column("Người nộp", "applicant_name", "text", "Họ và tên người nộp hồ sơ.", required=True, max_length=200,
           width=24),
    Column("Số định danh", "applicant_id_number", "citizen_id", "Số định danh cá nhân (12 chữ số), nếu có.", width=15),
    Column("Liên hệ", "applicant_contact", "text", "Số điện thoại, địa chỉ.", max_length=300, width=24),
    Column("Mã đơn vị tiếp nhận", "unit", "code", "Mã xã hoặc mã tỉnh (bản đồ hành chính hiện hành).", required=True,
           max_length=10, width=12),
    Column("Cơ quan giải quyết", "agency", "text", "Để trống: Bộ phận Một cửa của đơn vị tiếp nhận.", max_length=200,
           width=24),
    Column("Ngày tiếp nhận", "received_on", "date", "dd/mm/yyyy.", required=True, width=12),
    Column("Giờ tiếp nhận", "received_time", "text", "hh:mm (để trống: 08:00).", max_length=8, width=10),
    Column("Ngày có kết quả", "resolved_on", "date", "dd/mm/yyyy, khi đã có kết quả.", width=12),
    Column("Kết quả", "outcome", "choice", "Giải quyết; Từ chối (bắt buộc khi có ngày có kết quả).",
           labels=OUTCOME_LABELS, choice_aliases=OUTCOME_ALIASES, width=12),
    Column("Ngày trả kết quả", "returned_on", "date", "dd/mm/yyyy, khi đã trả cho người nộp.", width=12),
]
PLACES = {column.header: i for i, column in enumerate(COLUMNS)}
_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})$")
DEFAULT_TIME = dt.time(8, 0)
CHUNK = 5_000


@dataclass(frozen=True)
class ImportResult:
    rows: int
    resolved: int
    returned: int


def _parse(data: bytes) -> tuple[list[Row], Problems]:
    problems = Problems()
    rows = read_upload(data, SHEET, COLUMNS, problems, unreadable=gettext_noop(
        "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8."))
    return rows, problems


def _add(problems: Problems, row: Row, header: str, text: str) -> None:
    problems.add(SHEET, row.number, header, text, order=(row.number, PLACES.get(header, -1)))


def _check(rows: list[Row], problems: Problems, user: Any) -> list[dict[str, Any]]:
    """Every row against the others and the database (a few IN queries); the dossiers to write."""
    codes = [str(r.values.get("code") or "").strip() for r in rows]
    taken: set[str] = set()
    present = [c for c in codes if c]
    for start in range(0, len(present), CHUNK):
        taken |= set(Dossier.objects.filter(code__in=present[start:start + CHUNK]).values_list("code", flat=True))
    versions: dict[str, list[Procedure]] = {}
    for version in Procedure.objects.filter(code__in={str(r.values.get("procedure") or "") for r in rows}):
        versions.setdefault(version.code, []).append(version)
    units = {u.code: u for u in Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE],
                                                   code__in={str(r.values.get("unit") or "") for r in rows})}
    scope = get_scope(user) if user is not None else None
    seen: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    today = timezone.localdate()
    for row, code in zip(rows, codes, strict=True):
        v = row.values
        if code:
            if code in taken:
                _add(problems, row, "Mã hồ sơ", message(gettext_noop("A dossier with this code already exists.")))
            elif code in seen:
                _add(problems, row, "Mã hồ sơ", message(gettext_noop("The same code is on row %(row)s."),
                                                        row=seen[code]))
            seen.setdefault(code, row.number)
        received_on: dt.date | None = v.get("received_on")
        when = DEFAULT_TIME
        raw_time = str(v.get("received_time") or "").strip()
        if raw_time:
            found = _TIME.match(raw_time)
            if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
                _add(problems, row, "Giờ tiếp nhận", message(gettext_noop("Write the time as hh:mm, e.g. 14:30.")))
            else:
                when = dt.time(int(found.group(1)), int(found.group(2)))
        if received_on is not None and received_on > today:
            _add(problems, row, "Ngày tiếp nhận", message(gettext_noop("The date of receipt is in the future.")))
        proc: Procedure | None = None
        if v.get("procedure") and received_on is not None:
            candidates = versions.get(str(v["procedure"]), [])
            proc = next((p for p in candidates if p.in_force(received_on)), None)
            if not candidates:
                _add(problems, row, "Mã thủ tục", message(gettext_noop("No procedure has this code in the catalogue.")))
            elif proc is None:
                _add(problems, row, "Mã thủ tục", message(gettext_noop(
                    "The procedure is not in force on the date of receipt.")))
        unit = units.get(str(v.get("unit") or ""))
        if v.get("unit") and unit is None:
            _add(problems, row, "Mã đơn vị tiếp nhận", message(gettext_noop(
                "No commune or province of the current map has this code.")))
        if unit is not None and proc is not None and scope is not None and not scope.can_change(unit, field=proc.field):
            _add(problems, row, "Mã đơn vị tiếp nhận", message(gettext_noop(
                "You may not receive dossiers of this procedure in this unit.")))
        resolved, outcome, returned = v.get("resolved_on"), v.get("outcome"), v.get("returned_on")
        if resolved is not None and not outcome:
            _add(problems, row, "Kết quả", message(gettext_noop("Give the result (Giải quyết or Từ chối).")))
        if outcome and resolved is None:
            _add(problems, row, "Ngày có kết quả", message(gettext_noop("Give the date of the result.")))
        if resolved is not None and received_on is not None and resolved < received_on:
            _add(problems, row, "Ngày có kết quả", message(gettext_noop("The result is dated before the receipt.")))
        if resolved is not None and resolved > today:
            _add(problems, row, "Ngày có kết quả", message(gettext_noop("The date of the result is in the future.")))
        if returned is not None and (resolved is None or returned < resolved):
            _add(problems, row, "Ngày trả kết quả", message(gettext_noop(
                "The result is returned after it is ready: give the date of the result, on or before this one.")))
        if proc is not None and unit is not None and received_on is not None:
            out.append({"row": row, "code": code, "procedure": proc, "unit": unit, "received_on": received_on,
                        "time": when})
    return out


def import_dossiers(source: bytes | str | Path | IO[bytes], *, actor: Actor, name: str = "",
                    check: bool = False) -> ImportResult:
    """Checks the whole file and, when it has no problem (and not `check`), writes it."""
    data, file_name = read_source(source)
    name = name or file_name
    user = user_of(actor)
    rows, problems = _parse(data)
    planned = _check(rows, problems, user) if not problems.broken else []
    if not rows and not problems:
        problems.add(SHEET, 0, "", message(gettext_noop("The file has no dossier.")))
    if problems:
        record_refused(actor=actor, kind="procedure_dossiers", name=name, rows=len(rows), problems=problems.sorted(),
                       check=check)
        raise ImportProblems(problems.sorted())
    resolved = sum(1 for p in planned if p["row"].values.get("resolved_on"))
    returned = sum(1 for p in planned if p["row"].values.get("returned_on"))
    if check:
        return ImportResult(len(planned), resolved, returned)
    _write(planned, actor=actor, name=name)
    return ImportResult(len(planned), resolved, returned)


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


@transaction.atomic
def _write(planned: Sequence[Mapping[str, Any]], *, actor: Actor, name: str) -> None:
    """1. one calendar per province and the hand-over rules, in memory; 2. the dossiers in bulk;
    3. their events in bulk; 4. one audit row for the file."""
    provinces: dict[int, Unit] = {}
    calendars: dict[int, Any] = {}
    rules = list(HandoverRule.objects.all())

    def rule_on(day: dt.date) -> HandoverRule | None:
        return next((r for r in sorted(rules, key=lambda r: r.valid_from, reverse=True)
                     if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)), None)

    province_ids = {int(p["unit"].path.strip("/").split("/")[1]) if p["unit"].level != Level.PROVINCE
                    else p["unit"].pk for p in planned}
    for province in Unit.objects.filter(pk__in=province_ids):
        provinces[province.pk] = province
        calendars[province.pk] = calendar_for(province)
    dossiers: list[Dossier] = []
    counters: dict[str, int] = {}
    for p in planned:
        unit, proc, v = p["unit"], p["procedure"], p["row"].values
        province_id = unit.pk if unit.level == Level.PROVINCE else int(unit.path.strip("/").split("/")[1])
        calendar = calendars[province_id]
        received_at = _at(p["received_on"], p["time"])
        start = services.count_start(received_at, proc, calendar, rule_on(p["received_on"]))
        due = services.due_date(start, proc.days, calendar)
        code = p["code"]
        if not code:
            prefix = f"{unit.code}-{p['received_on']:%y%m%d}-"
            counters[prefix] = counters.get(prefix, Dossier.objects.filter(code__startswith=prefix).count()) + 1
            code = f"{prefix}{counters[prefix]:04d}"
        resolved_on, returned_on = v.get("resolved_on"), v.get("returned_on")
        status = (DossierStatus.RETURNED if returned_on else DossierStatus.RESOLVED if resolved_on
                  else DossierStatus.RECEIVED)
        dossiers.append(Dossier(
            code=code, procedure=proc, field=proc.field, channel=v.get("channel") or Channel.IN_PERSON,
            applicant_name=(v.get("applicant_name") or "").strip(), applicant_id_number=v.get("applicant_id_number") or "",
            applicant_contact=v.get("applicant_contact") or "", unit=unit, province_id=province_id,
            agency=(v.get("agency") or "").strip() or services.default_agency(unit, proc), received_at=received_at,
            received_on=p["received_on"], start_on=start, days=proc.days, due_on=due, status=status,
            outcome=v.get("outcome") or "", resolved_on=resolved_on,
            resolved_at=_at(resolved_on, dt.time(16, 0)) if resolved_on else None,
            returned_at=_at(returned_on, dt.time(16, 30)) if returned_on else None))
    Dossier.objects.bulk_create(dossiers, batch_size=2000)
    by_code = dict(Dossier.objects.filter(code__in=[d.code for d in dossiers]).values_list("code", "pk")) \
        if dossiers and dossiers[0].pk is None else {d.code: d.pk for d in dossiers}
    user = user_of(actor)
    events: list[DossierEvent] = []
    for d in dossiers:
        pk = by_code[d.code]
        events.append(DossierEvent(dossier_id=pk, kind=EventKind.RECEIVED, at=d.received_at, actor=user,
                                   due_on=d.due_on, to_agency=d.agency, note=f"Nhập từ tệp {name}"[:500]))
        if d.resolved_at is not None:
            events.append(DossierEvent(dossier_id=pk, kind=EventKind.RESOLVED, at=d.resolved_at, actor=user,
                                       due_on=d.due_on))
        if d.returned_at is not None:
            events.append(DossierEvent(dossier_id=pk, kind=EventKind.RETURNED, at=d.returned_at, actor=user,
                                       due_on=d.due_on))
    DossierEvent.objects.bulk_create(events, batch_size=2000)
    audit.record(actor=actor, action=AuditAction.PROC_DOSSIER_IMPORT, obj=Dossier,
                 after={"file": name, "rows": len(dossiers),
                        "units": sorted({d.unit.code for d in dossiers})[:50]})


__all__ = ["COLUMNS", "ImportResult", "import_dossiers"]
