"""Import of children in special circumstances from a spreadsheet (docs/care-children-import.md),
on the project's tabular framework: every column declared once, every bad cell a problem with its
row and column, and nothing written unless the whole file is right (all or nothing).

1. read the sheet "Trẻ em" (the columns below);
2. match each child to the household register by citizen ID (`labour.people.match_people`: one
   query per 1.000 IDs; the name and birth date must agree with the register's), inside `unit`;
3. check each row: the groups (numbers 1–14 of the Law on Children Art. 10, separated by commas)
   in force on the start date, the child under 16 that day, not already registered, not twice in
   the file, the importer allowed to change the child's commune;
4. write the children and their circumstances in bulk, with one audit row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Unit
from ansinh.households.models import Member
from ansinh.labour.people import match_people
from ansinh.lib.parsing import message
from ansinh.lib.spreadsheets import SpreadsheetError, read_rows
from ansinh.lib.tabular import Column, ImportProblems, Problem, Problems, read_table, record_refused

from . import access_children as access
from .models_children import Child, ChildCircumstance, ChildGroup, sixteenth_birthday

SHEET = "Trẻ em"
COLUMNS = [
    Column("Số định danh cá nhân", "citizen_id", "citizen_id", required=True, aliases=("Số CCCD", "CCCD")),
    Column("Họ và tên", "full_name", "text", max_length=150, aliases=("Họ tên",)),
    Column("Ngày sinh", "birth_date", "date"),
    Column("Nhóm", "groups", "text", required=True, max_length=60,
           note="Số thứ tự nhóm theo Điều 10 Luật Trẻ em (1–14), cách nhau bởi dấu phẩy"),
    Column("Từ ngày", "since", "date", required=True),
    Column("Ghi chú", "note", "text", max_length=500),
]


@dataclass(frozen=True)
class Imported:
    children: int
    circumstances: int


def import_children(source: bytes | str | Path | IO[bytes], *, unit: Unit, actor: Actor, name: str = "",
                    dry_run: bool = False) -> Imported:
    problems = Problems()
    try:
        rows = read_table(read_rows(source), SHEET, COLUMNS, problems)
    except SpreadsheetError:
        raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file is not a readable .xlsx workbook.")))]) \
            from None
    if not rows and not problems:
        problems.add(SHEET, 0, "", message(gettext_noop("The sheet has no child.")))
    matches, errors = match_people([(r.values.get("citizen_id") or "", r.values.get("full_name") or "",
                                     r.values.get("birth_date")) for r in rows], unit)
    groups_by_number: dict[int, list[ChildGroup]] = {}
    for group in ChildGroup.objects.all():
        groups_by_number.setdefault(group.number, []).append(group)
    people = {m.person_id for m in matches.values()}
    registered = set(Child.objects.filter(person_id__in=people).values_list("person_id", flat=True))
    born = dict(Member.objects.filter(pk__in=people).values_list("pk", "birth_date"))
    communes = {u.pk: u for u in Unit.objects.filter(pk__in={m.commune_id for m in matches.values()})}
    user = actor.user
    seen: dict[int, int] = {}
    today = timezone.localdate()
    plan: list[tuple[int, int, dt.date, list[ChildGroup], str]] = []
    id_header, group_header, since_header = COLUMNS[0].header, COLUMNS[3].header, COLUMNS[4].header
    for index, row in enumerate(rows):
        if index in errors:
            problems.add(row.sheet, row.number, id_header, errors[index])
            continue
        match = matches.get(index)
        if match is None:
            continue
        since = row.values.get("since")
        if since is None:
            continue
        if match.person_id in seen:
            problems.add(row.sheet, row.number, id_header, message(
                gettext_noop("This child is already on row %(row)s."), row=seen[match.person_id]))
            continue
        seen[match.person_id] = row.number
        if match.person_id in registered:
            problems.add(row.sheet, row.number, id_header, message(
                gettext_noop("This child is already in the register of children in special circumstances.")))
            continue
        if user is not None and not access.may_change(user, communes[match.commune_id]):
            problems.add(row.sheet, row.number, id_header, message(
                gettext_noop("You may not change the children's records of %(unit)s."),
                unit=communes[match.commune_id].name))
            continue
        if since > today or since < born[match.person_id] or since >= sixteenth_birthday(born[match.person_id]):
            problems.add(row.sheet, row.number, since_header, message(
                gettext_noop("On %(date)s the child was not yet born, was already 16, or the date is in the future."),
                date=f"{since:%d/%m/%Y}"))
            continue
        chosen: list[ChildGroup] = []
        bad = False
        for part in str(row.values.get("groups") or "").replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            number = int(part) if part.isdigit() else 0
            found = [g for g in groups_by_number.get(number, []) if g.valid_from <= since
                     and (g.valid_to is None or g.valid_to >= since)]
            if not found:
                problems.add(row.sheet, row.number, group_header, message(
                    gettext_noop("“%(value)s” is not a group of the Law on Children (1 to 14) in force on %(date)s."),
                    value=part, date=f"{since:%d/%m/%Y}"))
                bad = True
            elif found[0] not in chosen:
                chosen.append(found[0])
        if bad:
            continue
        if not chosen:
            problems.add(row.sheet, row.number, group_header, message(gettext_noop("Give at least one group.")))
            continue
        plan.append((match.person_id, match.commune_id, since, chosen, row.values.get("note") or ""))
    if problems:
        record_refused(actor=actor, kind="children", name=name, rows=len(rows), problems=problems.sorted(), unit=unit)
        problems.raise_if_any()
    if dry_run:
        return Imported(children=len(plan), circumstances=sum(len(chosen) for *_x, chosen, _n in plan))
    with transaction.atomic():
        Child.objects.bulk_create([Child(person_id=p, commune_id=c, registered_on=today, note=note[:500],
                                         created_by=user) for p, c, _s, _g, note in plan], batch_size=2000)
        ids = dict(Child.objects.filter(Q(person_id__in=[p for p, *_ in plan])).values_list("person_id", "pk"))
        circumstances = [ChildCircumstance(child_id=ids[p], group=g, since=since)
                         for p, _c, since, chosen, _n in plan for g in chosen]
        ChildCircumstance.objects.bulk_create(circumstances, batch_size=2000)
        audit.record(actor=actor, action=AuditAction.CHILD_IMPORT, obj=Child, unit=unit,
                     after={"file": name, "children": len(plan), "circumstances": len(circumstances)})
    return Imported(children=len(plan), circumstances=len(circumstances))


GUIDE = [
    "Mỗi dòng là một trẻ em dưới 16 tuổi đã có trong sổ hộ gia đình của tỉnh (tìm theo số định danh cá nhân; "
    "họ tên và ngày sinh, nếu ghi, phải khớp với sổ).",
    "Cột Nhóm ghi số thứ tự các nhóm trẻ em có hoàn cảnh đặc biệt theo Điều 10 Luật Trẻ em 102/2016/QH13 "
    "(1 đến 14), cách nhau bởi dấu phẩy, ví dụ: 1, 4.",
    "Cột Từ ngày là ngày trẻ bắt đầu thuộc các nhóm đó (không sau hôm nay, trẻ chưa đủ 16 tuổi vào ngày đó).",
    "Cả tệp được kiểm tra trước: nếu có dòng sai, không dòng nào được nhập và mọi lỗi được liệt kê theo dòng, cột.",
]


def template_xlsx() -> bytes:
    """The import template (the labour imports' template writer over these columns)."""
    from ansinh.labour.placements_import import template_xlsx as write

    return write(COLUMNS, sheet_name=SHEET, steps=GUIDE, title="HƯỚNG DẪN NHẬP TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT")


__all__ = ["COLUMNS", "SHEET", "Imported", "import_children", "template_xlsx"]
