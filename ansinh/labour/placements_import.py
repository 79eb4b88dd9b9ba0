"""Importing job placements from the employment service centre's spreadsheet (.xlsx or .csv UTF-8).

One sheet, a header row, the columns of the contract between the labour registries:
`Họ và tên | Ngày sinh | Số CCCD | Ngày giải quyết việc làm | Hình thức | Người sử dụng lao động |
Mã số thuế | Việc làm tăng thêm | Ghi chú`.

1. Read the sheet with the tabular import framework (`lib.tabular.read_table`; a workbook over the
   row or size limits, a zip bomb, is refused before it is loaded; a CSV over the row limit is
   refused as it is read), each bad cell a problem (row, Vietnamese header, message).
2. Match the people to the province's household register (`labour.people.match_people`, one
   query per 1.000 IDs): an ID not in the register, a name or birth date that differs, a person
   dead or gone is a problem of the row; her commune comes from the register.
3. Check scope (the importer may enter placements in each row's commune), duplicates within the
   file (the same person, date and channel twice) and against the register ("đã có trong sổ"),
   a few set-based queries.
4. Only if nothing is wrong, bulk-create every placement in one transaction with one audit row
   (LABOUR_IMPORT); a refused file writes nothing and leaves an audit row (`record_refused`).

The pages run it as a background job (`labour/jobs_placements.py`); the CLI calls it directly
(`ansinh labour import-placements FILE --unit CODE`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.bulk import insert_rows
from ansinh.lib.spreadsheets import Writer
from ansinh.lib.tabular import (
    NO,
    YES,
    Column,
    ImportProblems,
    Problem,
    Problems,
    Row,
    message,
    read_upload,
    record_refused,
)
from ansinh.lib.vietnamese import fold

from . import access
from .models import Employer, Placement, PlacementChannel
from .people import Match, match_people

SHEET = "Giải quyết việc làm"
# The columns `lib.bulk.insert_rows` writes (COPY on PostgreSQL): no ORM object per row.
COLUMNS_WRITTEN = ["person_id", "commune_id", "placed_on", "channel", "employer_id", "employer_name", "new_job",
                   "created_at", "created_by_id", "import_job_id", "note"]
CHUNK = 1_000

H_NAME, H_BIRTH, H_ID = "Họ và tên", "Ngày sinh", "Số CCCD"
H_DATE, H_CHANNEL, H_EMPLOYER, H_TAX = "Ngày giải quyết việc làm", "Hình thức", "Người sử dụng lao động", "Mã số thuế"
H_NEW, H_NOTE = "Việc làm tăng thêm", "Ghi chú"

CHANNEL_ALIASES = {fold("Doanh nghiệp"): PlacementChannel.EMPLOYER, fold("Trung tâm DVVL"): PlacementChannel.JOB_CENTRE,
                   fold("Vay vốn"): PlacementChannel.LOAN, fold("Việc làm công"): PlacementChannel.PUBLIC_WORKS,
                   fold("Nước ngoài"): PlacementChannel.ABROAD}

Progress = Callable[[int, int | None], None] | None


@dataclass(frozen=True)
class ImportResult:
    created: int
    file: str = ""
    rows: int = 0


def vi_labels(choices: Any) -> dict[str, str]:
    """value → Vietnamese label of a TextChoices (the files are Vietnamese whatever the page's language)."""
    with translation.override("vi"):
        return {member: str(member.label) for member in choices}


def person_columns() -> list[Column]:
    return [
        Column(H_NAME, "full_name", "text", "Họ và tên đầy đủ, có dấu, như trong sổ hộ gia đình.", required=True,
               max_length=150, width=24, aliases=("Họ tên",)),
        Column(H_BIRTH, "birth_date", "date", "Ngày sinh dd/mm/yyyy, như trong sổ hộ (để kiểm tra; có thể để trống).",
               width=12, past=True),
        Column(H_ID, "citizen_id", "citizen_id", "Số căn cước công dân 12 chữ số (hoặc CMND 9 chữ số) của người đã có "
               "trong sổ hộ gia đình của tỉnh.", required=True, width=16,
               aliases=("Số định danh cá nhân", "CCCD", "Số CCCD/CMND")),
    ]


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    return (
        *person_columns(),
        Column(H_DATE, "placed_on", "date", "Ngày người lao động có việc làm (ngày ký hợp đồng, ngày nhận việc), "
               "dd/mm/yyyy; không sau ngày hôm nay.", required=True, width=14, past=True),
        Column(H_CHANNEL, "channel", "choice", "Hình thức giải quyết việc làm; viết tắt được: Doanh nghiệp, Trung tâm "
               "DVVL, Vay vốn, Việc làm công, Nước ngoài.", required=True, labels=vi_labels(PlacementChannel),
               choice_aliases=CHANNEL_ALIASES, width=30),
        Column(H_EMPLOYER, "employer_name", "text", "Tên doanh nghiệp, cơ sở tuyển dụng (không bắt buộc).",
               max_length=255, default="", width=28),
        Column(H_TAX, "tax_code", "code", "Mã số thuế của người sử dụng lao động, nếu có: tìm trong danh sách "
               "doanh nghiệp.", max_length=14, default="", width=14),
        Column(H_NEW, "new_job", "yes_no", "Có: việc làm tăng thêm (việc làm mới tạo ra). Để trống: Không.",
               default=False, width=12),
        Column(H_NOTE, "note", "text", "Ghi chú (không bắt buộc).", max_length=255, default="", width=24),
    )


# --- Reading ----------------------------------------------------------------------------------


def read_file(data: bytes, sheet: str, table: Sequence[Column], problems: Problems) -> list[Row]:
    """The rows of a .xlsx or .csv file (`lib.tabular.read_upload`)."""
    return read_upload(data, sheet, table, problems)


class PersonChecks:
    """The checks every person file of this lane shares: the province, the people, the scope."""

    def __init__(self, *, actor: Actor | Any, province: Unit, sheet: str, table: Sequence[Column], kind: str,
                 problems: Problems) -> None:
        self.user = user_of(actor)
        self.province, self.sheet, self.kind, self.problems = province, sheet, kind, problems
        self.places = {column.header: i for i, column in enumerate(table)}
        self._allowed: dict[int, bool] = {}

    def add(self, row: Row, column: str, text: str) -> None:
        self.problems.add(self.sheet, row.number, column, text, order=(row.number, self.places.get(column, -1)))

    def province_error(self) -> str | None:
        p = self.province
        if p.level != Level.PROVINCE or p.edition != Edition.CURRENT:
            return message(gettext_noop("%(unit)s is not a province of the current map."), unit=p.name)
        return None

    def read(self, data: bytes, table: Sequence[Column], progress: Progress = None) -> tuple[list[Row], dict[int, Match]]:
        """The file's rows and the person each names, the rows outside the importer's scope dropped
        with a problem; raises ImportProblems for a province not of the current map, a file that
        cannot be read or has no data rows. Problems of the rows are left in `problems` for the
        lane's own checks to add to."""
        if problem := self.province_error():
            raise ImportProblems([Problem("", 0, "", problem)])
        rows = read_file(data, self.sheet, table, self.problems)
        if self.problems.broken:
            self.problems.raise_if_any()
        if not rows:
            self.problems.add(self.sheet, 0, "", message(gettext_noop("The file has no data rows.")))
            self.problems.raise_if_any()
        if progress:
            progress(len(rows) // 4, len(rows))
        people = self.people(rows)
        self.scope(rows, people)
        return rows, people

    def people(self, rows: list[Row]) -> dict[int, Match]:
        """Row number → the person matched (rows whose ID cell could be read)."""
        asked = [row for row in rows if row.values.get("citizen_id")]
        matches, errors = match_people([(r.values["citizen_id"], r.values.get("full_name") or "",
                                         r.values.get("birth_date")) for r in asked], self.province)
        for index, text in errors.items():
            self.add(asked[index], H_ID, text)
        return {asked[index].number: match for index, match in matches.items()}

    def scope(self, rows: list[Row], people: dict[int, Match]) -> None:
        """Drops (with a problem) the rows of communes the importer may not enter records in."""
        if self.user is None:
            return
        units = Unit.objects.in_bulk({m.commune_id for m in people.values()})
        for row in rows:
            match = people.get(row.number)
            if match is None:
                continue
            allowed = self._allowed.get(match.commune_id)
            if allowed is None:
                allowed = self._allowed[match.commune_id] = access.may_change(self.user, units[match.commune_id],
                                                                              self.kind)
            if not allowed:
                self.add(row, H_ID, message(gettext_noop(
                    "The person lives in %(commune)s: you may not enter records there."),
                    commune=units[match.commune_id].name))
                del people[row.number]


def stamp() -> Any:
    """Now, as `lib.bulk.insert_rows` writes a DateTimeField (no ORM to do it)."""
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(timezone.now())


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def employers_by_tax_code(codes: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in chunks(sorted(code for code in codes if code)):
        out.update(Employer.objects.filter(tax_code__in=chunk).values_list("tax_code", "pk"))
    return out


def _duplicates(checks: PersonChecks, rows: list[Row], people: dict[int, Match]) -> None:
    """The same person, date and channel twice in the file, or already in the register."""
    first: dict[tuple[int, dt.date, str], Row] = {}
    for row in rows:
        match, v = people.get(row.number), row.values
        if match is None or v["placed_on"] is None or v["channel"] is None:
            continue
        key = (match.person_id, v["placed_on"], v["channel"])
        if key in first:
            checks.add(row, H_DATE, message(gettext_noop(
                "The same person, date and channel as row %(row)s of the file."), row=first[key].number))
            continue
        first[key] = row
    persons = sorted({key[0] for key in first})
    for chunk in chunks(persons):
        for person_id, placed_on, channel in (Placement.objects.filter(person_id__in=chunk)
                                              .values_list("person_id", "placed_on", "channel")):
            met = first.get((person_id, placed_on, channel))
            if met is not None:
                checks.add(met, H_DATE, message(gettext_noop(
                    "This placement (same person, date and channel) is in the register already (đã có trong sổ).")))


def _check(*, actor: Actor | Any, data: bytes, province: Unit, progress: Progress) -> tuple[list[Row], dict[int, Match]]:
    problems = Problems()
    table = columns()
    checks = PersonChecks(actor=actor, province=province, sheet=SHEET, table=table, kind="placement",
                          problems=problems)
    rows, people = checks.read(data, table, progress)
    _duplicates(checks, rows, people)
    if progress:
        progress(len(rows) // 2, len(rows))
    problems.raise_if_any()
    return rows, people


def import_placements(*, actor: Actor | Any, data: bytes, filename: str, province: Unit, progress: Progress = None,
                      import_job: Any = None) -> ImportResult:
    """Checks the whole file, then creates every placement in one transaction, or nothing.
    Raises ImportProblems listing every problem (and records the refusal)."""
    rows: list[Row] = []
    try:
        rows, people = _check(actor=actor, data=data, province=province, progress=progress)
        codes = employers_by_tax_code({row.values["tax_code"] for row in rows})
        user_id, job_id, now = getattr(user_of(actor), "pk", None), getattr(import_job, "pk", None), stamp()

        def values() -> Iterator[tuple[Any, ...]]:
            for row in rows:
                v, match = row.values, people[row.number]
                employer_id = codes.get(v["tax_code"] or "")
                name = v["employer_name"] or ""
                if employer_id is None and v["tax_code"]:
                    name = f"{name} (MST {v['tax_code']})" if name else f"MST {v['tax_code']}"
                yield (match.person_id, match.commune_id, v["placed_on"], v["channel"], employer_id,
                       "" if employer_id else name[:255], bool(v["new_job"]), now, user_id, job_id, v["note"] or "")

        try:
            with transaction.atomic():
                created = insert_rows(Placement, COLUMNS_WRITTEN, values())
                audit.record(actor=actor, action=AuditAction.LABOUR_IMPORT, obj=Placement, unit=province,
                             after={"import": "placements", "file": filename, "created": created})
        except IntegrityError:
            raise ImportProblems([Problem("", 0, "", message(gettext_noop(
                "Some placements of the file were recorded meanwhile: upload the file again.")))]) from None
        if progress:
            progress(len(rows), len(rows))
    except ImportProblems as refused:
        record_refused(actor=actor, kind="labour.placements", name=filename, rows=len(rows),
                       problems=refused.problems, unit=province)
        raise
    return ImportResult(created=created, file=filename, rows=len(rows))


# --- The template -----------------------------------------------------------------------------

GUIDE_STEPS = [
    f"Sheet «{SHEET}»: mỗi dòng là một lượt giải quyết việc làm của một người đã có trong sổ hộ gia đình của tỉnh.",
    "Người lao động được tìm theo Số CCCD; Họ và tên, Ngày sinh phải khớp với sổ hộ (so sánh không phân biệt dấu). "
    "Giới tính, dân tộc, tuổi và xã nơi ở lấy từ sổ hộ, không nhập.",
    "Cùng một người, cùng ngày, cùng hình thức chỉ ghi một lần; dòng đã có trong sổ bị báo lỗi.",
    f"Cột Có/Không ghi {YES} hoặc {NO} (để trống là {NO}). Ngày ghi dd/mm/yyyy.",
    "Cột có tiêu đề tô màu cam là bắt buộc. Không đổi tiêu đề cột; cột thêm vào được bỏ qua. Tệp .csv (UTF-8) "
    "cùng tiêu đề cột cũng được nhận.",
    "Tải tệp lên trang «Nhập giải quyết việc làm», hoặc chạy lệnh: ansinh labour import-placements TÊN_TỆP.xlsx "
    "--unit MÃ_TỈNH --as TÊN_ĐĂNG_NHẬP",
    "Hệ thống kiểm tra toàn bộ tệp trước khi ghi: chỉ cần một dòng sai là không dòng nào được ghi; mỗi lỗi được báo "
    "theo dòng, cột để sửa rồi nhập lại.",
    "Số CCCD là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): giữ tệp cẩn thận, xóa sau khi nhập xong.",
]


def template_xlsx(table: Sequence[Column] | None = None, *, sheet_name: str = SHEET,
                  steps: Sequence[str] = GUIDE_STEPS, title: str = "HƯỚNG DẪN NHẬP GIẢI QUYẾT VIỆC LÀM",
                  sample: Sequence[dict[str, Any]] = ()) -> bytes:
    """The import template: the data sheet with a note on every header and drop-downs for the
    choices and yes/no, and the guide. Vietnamese whatever the page's language."""
    with translation.override("vi"):
        return _template(list(table or columns()), sheet_name, steps, title, sample)


def _template(table: list[Column], sheet_name: str, steps: Sequence[str], title: str,
              sample: Sequence[dict[str, Any]]) -> bytes:
    workbook = Writer(constant_memory=False)
    border = {"border": 1, "border_color": "#A0A8B4"}
    centre = {"text_wrap": True, "valign": "vcenter", "align": "center"}
    wrap_box = workbook.format(text_wrap=True, valign="top", **border)
    required = workbook.format(bold=True, bg_color="#F8CBAD", **border, **centre)
    optional = workbook.format(bold=True, bg_color="#DDEBF7", **border, **centre)
    text = workbook.format(num_format="@")
    date = workbook.format(num_format="DD/MM/YYYY")
    guide = workbook.sheet("Hướng dẫn")
    sheet = workbook.sheet(sheet_name)
    lists = workbook.sheet("Danh mục")
    # The drop-downs' lists, one column each: the choices of each choice column, then Có/Không.
    listed = [c for c in table if c.kind == "choice" and c.labels] + [Column("Có/Không", "", "yes_no")]
    values_of = [list((c.labels or {}).values()) if c.kind == "choice" else [YES, NO] for c in listed]
    lists.append([(c.header, workbook.format(bold=True)) for c in listed])
    for i in range(max(len(v) for v in values_of)):
        lists.append([v[i] if i < len(v) else None for v in values_of])
    lists.widths([40] * len(listed))
    letters = "ABCDEFGHIJ"
    source = {c.header: f"'Danh mục'!${letters[i]}$2:${letters[i]}${len(values_of[i]) + 1}"
              for i, c in enumerate(listed)}
    for index, column in enumerate(table, start=1):
        note = f"{column.note}\nGiá trị: {column.allowed_text()}."
        sheet.comment(1, index, ("Bắt buộc. " if column.required else "") + note, author="ansinh", width=320,
                      height=150)
        typed = column.kind in ("citizen_id", "code")
        sheet.widths([column.width], first=index, formats=[text if typed else date if column.kind == "date" else None])
        if column.kind == "choice" and column.labels:
            sheet.drop_down(index, source=source[column.header], error="Chọn một giá trị trong danh sách (sheet "
                            "Danh mục) hoặc viết tắt như hướng dẫn.", error_title=column.header, show_error=False)
        elif column.kind == "yes_no":
            sheet.drop_down(index, source=source["Có/Không"], error=f"Chọn {YES} hoặc {NO}.",
                            error_title=column.header, show_error=True)
    sheet.append([(c.header, required if c.required else optional) for c in table], height=48)
    sheet.freeze(1, 1)
    for values in sample:
        cells: list[Any] = []
        for column in table:
            value = values.get(column.header)
            if isinstance(value, dt.date):
                cells.append((value, date))
            elif value is not None and column.kind in ("citizen_id", "code"):
                cells.append((value, text))
            else:
                cells.append(value)
        sheet.append(cells)
    guide.append([(title, workbook.format(bold=True, font_size=14))])
    guide.append([])
    for number, step in enumerate(steps, start=1):
        guide.append([f"{number}.", (step, workbook.format(text_wrap=True, valign="top"))], height=32, merge=[(2, 6)])
    guide.append([])
    guide.append([(t, optional) for t in ["Cột", "Bắt buộc", "Giá trị cho phép", "Giải thích"]])
    for column in table:
        guide.append([(t or None, wrap_box) for t in [column.header, "Có" if column.required else "",
                                                       column.allowed_text(), column.note]])
    guide.widths([28, 9, 40, 90])
    sheet.activate()
    return workbook.save()


__all__ = ["ImportResult", "PersonChecks", "columns", "import_placements", "person_columns", "read_file",
           "template_xlsx", "vi_labels"]
