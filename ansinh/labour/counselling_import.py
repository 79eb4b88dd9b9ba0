"""Importing job counselling (lượt tư vấn) from the employment service centre's spreadsheet.

Columns (the contract between the labour registries): `Họ và tên | Ngày sinh | Số CCCD | Ngày tư
vấn | Nội dung tư vấn | Đang hưởng trợ cấp thất nghiệp | Phiên | Ghi chú`. `Phiên` (optional) is
the title of a session or job fair held that day in the province (recorded first on the
sessions page), whose area includes the person's commune.

The steps are those of the placements import (`placements_import`): read with the tabular
framework, match the people to the register, check scope, sessions and duplicates (the same
person, date, topic and session twice in the file, or already in the register: "đã có trong
sổ") in set-based queries, then bulk-create everything in one transaction or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Unit
from ansinh.lib.bulk import insert_rows
from ansinh.lib.tabular import NO, YES, Column, ImportProblems, Problems, Row, message, record_refused
from ansinh.lib.vietnamese import fold

from .models import Counselling, CounsellingSession, CounsellingTopic
from .people import Match
from .placements_import import (
    ImportResult,
    PersonChecks,
    Progress,
    chunks,
    person_columns,
    stamp,
    template_xlsx,
    vi_labels,
)

SHEET = "Tư vấn việc làm"
COLUMNS_WRITTEN = ["person_id", "commune_id", "counselled_on", "topic", "on_unemployment_benefit", "session_id",
                   "created_at", "created_by_id", "import_job_id", "note"]
H_DATE, H_TOPIC, H_BENEFIT, H_SESSION, H_NOTE = ("Ngày tư vấn", "Nội dung tư vấn", "Đang hưởng trợ cấp thất nghiệp",
                                                 "Phiên", "Ghi chú")
TOPIC_ALIASES = {fold("Việc làm"): CounsellingTopic.JOBS, fold("Học nghề"): CounsellingTopic.TRAINING,
                 fold("Nghề"): CounsellingTopic.TRAINING, fold("Xuất khẩu lao động"): CounsellingTopic.ABROAD,
                 fold("Nước ngoài"): CounsellingTopic.ABROAD, fold("BHTN"): CounsellingTopic.UNEMPLOYMENT}


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    return (
        *person_columns(),
        Column(H_DATE, "counselled_on", "date", "Ngày tư vấn, dd/mm/yyyy; không sau ngày hôm nay.", required=True,
               width=12, past=True),
        Column(H_TOPIC, "topic", "choice", "Nội dung tư vấn. Để trống: việc làm.", labels=vi_labels(CounsellingTopic),
               choice_aliases=TOPIC_ALIASES, default=CounsellingTopic.JOBS, width=24),
        Column(H_BENEFIT, "on_unemployment_benefit", "yes_no", "Có: người được tư vấn đang hưởng trợ cấp thất "
               "nghiệp. Để trống: Không.", default=False, width=14, aliases=("Đang hưởng TCTN",)),
        Column(H_SESSION, "session", "text", "Tên phiên giao dịch việc làm, hội thảo tổ chức đúng ngày tư vấn trong "
               "tỉnh (đã ghi ở trang Phiên giao dịch việc làm). Không bắt buộc.", max_length=255, default="",
               width=28),
        Column(H_NOTE, "note", "text", "Ghi chú (không bắt buộc).", max_length=255, default="", width=24),
    )


def _sessions(checks: PersonChecks, rows: list[Row], people: dict[int, Match], province: Unit) -> dict[int, int]:
    """Row number → session id, for the rows that name a session (one query for the days named)."""
    named = [row for row in rows if row.values["session"] and row.values["counselled_on"] is not None]
    if not named:
        return {}
    by_key: dict[tuple[str, dt.date], list[tuple[int, str]]] = defaultdict(list)
    days = sorted({row.values["counselled_on"] for row in named})
    for chunk in chunks(days):
        for pk, title, held_on, path in (CounsellingSession.objects.filter(
                unit__path__under=province.path, held_on__in=chunk).values_list("pk", "title", "held_on",
                                                                                 "unit__path")):
            by_key[(fold(title), held_on)].append((pk, path))
    communes = dict(Unit.objects.filter(pk__in={m.commune_id for m in people.values()}).values_list("pk", "path"))
    out: dict[int, int] = {}
    for row in named:
        v = row.values
        found = by_key.get((fold(v["session"]), v["counselled_on"]), [])
        match = people.get(row.number)
        if match is not None:
            found = [(pk, path) for pk, path in found if communes.get(match.commune_id, "").startswith(path)]
        if not found:
            checks.add(row, H_SESSION, message(gettext_noop(
                "No session “%(title)s” held on %(date)s in the province for the person's commune: record the session "
                "first, or leave the cell empty."), title=v["session"], date=f"{v['counselled_on']:%d/%m/%Y}"))
        elif len(found) > 1:
            checks.add(row, H_SESSION, message(gettext_noop(
                "Several sessions “%(title)s” were held on %(date)s: give them different titles."),
                title=v["session"], date=f"{v['counselled_on']:%d/%m/%Y}"))
        else:
            out[row.number] = found[0][0]
    return out


def _duplicates(checks: PersonChecks, rows: list[Row], people: dict[int, Match], sessions: dict[int, int]) -> None:
    first: dict[tuple[int, dt.date, str, int | None], Row] = {}
    for row in rows:
        match, v = people.get(row.number), row.values
        if match is None or v["counselled_on"] is None or v["topic"] is None:
            continue
        key = (match.person_id, v["counselled_on"], v["topic"], sessions.get(row.number))
        if key in first:
            checks.add(row, H_DATE, message(gettext_noop(
                "The same person, date, topic and session as row %(row)s of the file."), row=first[key].number))
            continue
        first[key] = row
    persons = sorted({key[0] for key in first})
    for chunk in chunks(persons):
        for key in (Counselling.objects.filter(person_id__in=chunk)
                    .values_list("person_id", "counselled_on", "topic", "session_id")):
            met = first.get(key)
            if met is not None:
                checks.add(met, H_DATE, message(gettext_noop(
                    "This counselling (same person, date, topic and session) is in the register already (đã có "
                    "trong sổ).")))


def import_counselling(*, actor: Actor | Any, data: bytes, filename: str, province: Unit, progress: Progress = None,
                       import_job: Any = None) -> ImportResult:
    """Checks the whole file, then creates every lượt of counselling in one transaction, or
    nothing. Raises ImportProblems listing every problem (and records the refusal)."""
    rows: list[Row] = []
    try:
        problems = Problems()
        table = columns()
        checks = PersonChecks(actor=actor, province=province, sheet=SHEET, table=table, kind="counselling",
                              problems=problems)
        rows, people = checks.read(data, table, progress)
        sessions = _sessions(checks, rows, people, province)
        _duplicates(checks, rows, people, sessions)
        problems.raise_if_any()
        if progress:
            progress(len(rows) // 2, len(rows))
        user_id, job_id, now = getattr(user_of(actor), "pk", None), getattr(import_job, "pk", None), stamp()
        values = ((people[row.number].person_id, people[row.number].commune_id, row.values["counselled_on"],
                   row.values["topic"], bool(row.values["on_unemployment_benefit"]), sessions.get(row.number),
                   now, user_id, job_id, row.values["note"] or "") for row in rows)
        with transaction.atomic():
            created = insert_rows(Counselling, COLUMNS_WRITTEN, values)
            audit.record(actor=actor, action=AuditAction.LABOUR_IMPORT, obj=Counselling, unit=province,
                         after={"import": "counselling", "file": filename, "created": created})
        if progress:
            progress(len(rows), len(rows))
    except ImportProblems as refused:
        record_refused(actor=actor, kind="labour.counselling", name=filename, rows=len(rows),
                       problems=refused.problems, unit=province)
        raise
    return ImportResult(created=created, file=filename, rows=len(rows))


GUIDE_STEPS = [
    f"Sheet «{SHEET}»: mỗi dòng là một lượt tư vấn việc làm của một người đã có trong sổ hộ gia đình của tỉnh.",
    "Người được tư vấn được tìm theo Số CCCD; Họ và tên, Ngày sinh phải khớp với sổ hộ (so sánh không phân biệt dấu).",
    "Nội dung tư vấn: việc làm, giáo dục nghề nghiệp, đi làm việc ở nước ngoài, bảo hiểm thất nghiệp (để trống là "
    "việc làm).",
    "Phiên: tên phiên giao dịch việc làm hoặc hội thảo tổ chức đúng ngày tư vấn, đã ghi ở trang Phiên giao dịch việc "
    "làm. Để trống nếu tư vấn lẻ.",
    f"Cột Có/Không ghi {YES} hoặc {NO} (để trống là {NO}). Ngày ghi dd/mm/yyyy. Tệp .csv (UTF-8) cùng tiêu đề cột cũng "
    "được nhận.",
    "Tải tệp lên trang «Nhập tư vấn việc làm», hoặc chạy lệnh: ansinh labour import-counselling TÊN_TỆP.xlsx --unit "
    "MÃ_TỈNH --as TÊN_ĐĂNG_NHẬP",
    "Hệ thống kiểm tra toàn bộ tệp trước khi ghi: chỉ cần một dòng sai là không dòng nào được ghi; mỗi lỗi được báo "
    "theo dòng, cột. Dòng trùng (cùng người, ngày, nội dung, phiên) trong tệp hoặc đã có trong sổ bị báo lỗi.",
    "Số CCCD là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): giữ tệp cẩn thận, xóa sau khi nhập xong.",
]


def counselling_template_xlsx() -> bytes:
    return template_xlsx(columns(), sheet_name=SHEET, steps=GUIDE_STEPS, title="HƯỚNG DẪN NHẬP TƯ VẤN VIỆC LÀM")


__all__ = ["columns", "counselling_template_xlsx", "import_counselling", "H_ID"]
