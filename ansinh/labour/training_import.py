"""Importing enrolments (người học) from the vocational schools' and the employment service
centre's spreadsheets: one sheet, one row per person enrolled in a course, the columns of the
contract between the labour registries (`docs/labour-import.md`, section "Người học nghề").

1. Read the sheet (.xlsx or UTF-8 .csv) with the tabular import framework (`lib.tabular`): every
   bad cell a problem (row, Vietnamese header, message).
2. Check the rows in a few set-based queries: the person by citizen ID among the living members
   of the province's register (`labour.people.match_people`); the provider by name among the
   province's (it must exist); the level by its name or code, in force on the course's start
   date (dated law: trung học nghề from 1 Jan 2026); the course found by provider + occupation +
   level + start date, or created; completion and certificate (a certificate needs completion,
   dates in order); the same person twice in a course of the file, or already enrolled in it
   ("đã có trong sổ"); the importer's scope.
3. Only when nothing is wrong, create the new courses and every enrolment in one transaction
   (bulk), with one audit row (LABOUR_IMPORT). One bad row writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Unit
from ansinh.lib.spreadsheets import LimitError, Reader, SpreadsheetError, Writer, csv_rows
from ansinh.lib.tabular import Column, ImportProblems, Problem, Problems, Row, message, read_table, record_refused
from ansinh.lib.vietnamese import fold

from . import access
from .people import match_people
from .models import Course, Enrolment, EnrolmentStatus, Funding, TrainingField, TrainingLevel, TrainingProvider
from .training import check_enrolment

SHEET = "Người học"
CHUNK = 1_000
H_NAME, H_BIRTH, H_ID = "Họ và tên", "Ngày sinh", "Số CCCD"
H_PROVIDER, H_OCCUPATION, H_LEVEL, H_FIELD = "Cơ sở đào tạo", "Nghề đào tạo", "Trình độ", "Lĩnh vực"
H_FUNDING, H_STARTS, H_ENROLLED, H_STATUS = "Nguồn kinh phí", "Ngày khai giảng", "Ngày nhập học", "Tình trạng"
H_COMPLETED, H_CERTIFICATE = "Ngày tốt nghiệp", "Số văn bằng, chứng chỉ"
HEADERS = [H_NAME, H_BIRTH, H_ID, H_PROVIDER, H_OCCUPATION, H_LEVEL, H_FIELD, H_FUNDING, H_STARTS, H_ENROLLED,
           H_STATUS, H_COMPLETED, H_CERTIFICATE]

# Level names and codes are data (`TrainingLevel`); these spellings are accepted besides them.
LEVEL_ALIASES = {"duoi 3 thang": "under_3_months", "duoi 03 thang": "under_3_months",
                 "dao tao duoi 3 thang": "under_3_months", "so cap nghe": "elementary",
                 "trung cap nghe": "intermediate", "cao dang nghe": "college"}


def _labels(choices: Any) -> dict[str, str]:
    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}


def columns() -> list[Column]:
    """The table, declared once (the reader, the checks and the template read it)."""
    return [
        Column(H_NAME, "full_name", "text", "Họ và tên như trong sổ hộ (so khớp không phân biệt dấu).",
               required=True, max_length=150, width=24),
        Column(H_BIRTH, "birth_date", "date", "Ngày sinh như trong sổ hộ, dd/mm/yyyy.", required=True, past=True,
               width=12),
        Column(H_ID, "citizen_id", "citizen_id", "Số căn cước công dân (12 chữ số) của người đã có trong sổ hộ của "
               "tỉnh.", required=True, width=15, aliases=("Số định danh cá nhân", "CCCD")),
        Column(H_PROVIDER, "provider", "text", "Tên cơ sở giáo dục nghề nghiệp đã có trong danh sách của tỉnh.",
               required=True, max_length=255, width=30),
        Column(H_OCCUPATION, "occupation", "text", "Tên nghề đào tạo (ví dụ Kỹ thuật chế biến món ăn).",
               required=True, max_length=200, width=24, aliases=("Nghề",)),
        Column(H_LEVEL, "level", "text", "Cao đẳng; Trung cấp; Sơ cấp; Đào tạo dưới 03 tháng; từ 01/01/2026 thêm "
               "Trung học nghề.", required=True, max_length=120, width=18),
        Column(H_FIELD, "field", "choice", "Lĩnh vực của nghề.", required=True, labels=_labels(TrainingField),
               choice_aliases={"phi nong nghiep": "non_farm", "pnn": "non_farm", "nong nghiep": "farm", "nn": "farm"},
               width=14),
        Column(H_FUNDING, "funding", "choice", "Để trống: ngân sách nhà nước.", labels=_labels(Funding),
               default=Funding.STATE.value, width=18),
        Column(H_STARTS, "starts_on", "date", "Ngày khai giảng lớp, dd/mm/yyyy.", required=True, width=12),
        Column(H_ENROLLED, "enrolled_on", "date", "Ngày nhập học của người học, dd/mm/yyyy.", required=True, width=12),
        Column(H_STATUS, "status", "choice", "Để trống: đã tốt nghiệp khi có Ngày tốt nghiệp, nếu không là đang học.",
               labels=_labels(EnrolmentStatus), choice_aliases={"tot nghiep": "completed", "dang hoc": "enrolled",
                                                                "hoan thanh": "completed", "bo hoc": "dropped"},
               width=14),
        Column(H_COMPLETED, "completed_on", "date", "Ngày tốt nghiệp, hoàn thành khóa học, dd/mm/yyyy.", width=12),
        Column(H_CERTIFICATE, "certificate_number", "text", "Số văn bằng, chứng chỉ (chỉ khi đã tốt nghiệp; ngày cấp "
               "lấy theo Ngày tốt nghiệp).", max_length=60, width=16),
    ]


@dataclass
class ImportResult:
    created: int
    courses_created: int = 0
    file: str = ""
    course_ids: list[int] = field(default_factory=list)


def _match_people(rows: Sequence[tuple[str, str, dt.date | None]], province: Unit
                  ) -> tuple[dict[int, Any], dict[int, str]]:
    """The shared person matcher (`labour.people.match_people`)."""
    return match_people(rows, province)


# --- Reading ---------------------------------------------------------------------------------------


def _read(data: bytes, filename: str, cols: list[Column], problems: Problems) -> list[Row]:
    if data[:4] == b"PK\x03\x04":
        with Reader(data) as reader:
            sheet = next((name for name in reader.sheetnames if name == SHEET), reader.active)
            return read_table(reader.rows(sheet), SHEET, cols, problems, epoch=reader.epoch)
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("binary")
    return read_table(csv_rows(data), SHEET, cols, problems)


# --- Checking --------------------------------------------------------------------------------------


@dataclass
class _Plan:
    rows: list[Row]
    people: dict[int, Any]  # row number -> match
    courses: dict[int, tuple[Any, ...]]  # row number -> course key
    existing: dict[tuple[Any, ...], Course]
    new: dict[tuple[Any, ...], dict[str, Any]]


class _Checker:
    def __init__(self, problems: Problems, user: Any, province: Unit) -> None:
        self.problems = problems
        self.user = user
        self.province = province
        self.places = {h: i for i, h in enumerate(HEADERS)}
        self.today = timezone.localdate()

    def add(self, row: Row, column: str, text: str) -> None:
        self.problems.add(SHEET, row.number, column, text, order=(row.number, self.places.get(column, -1)))

    def people(self, rows: list[Row]) -> dict[int, Any]:
        asked = [r for r in rows if r.values["citizen_id"]]
        found, errors = _match_people([(r.values["citizen_id"], r.values["full_name"] or "", r.values["birth_date"])
                                       for r in asked], self.province)
        out: dict[int, Any] = {}
        for index, row in enumerate(asked):
            if index in errors:
                self.add(row, H_ID, errors[index])
            elif index in found:
                out[row.number] = found[index]
        communes = {m.commune_id for m in out.values()}
        if self.user is not None and communes:
            units = {u.pk: u for u in Unit.objects.filter(pk__in=communes)}
            refused = {pk for pk, unit in units.items() if not access.may_change(self.user, unit, "training")}
            for row in asked:
                match = out.get(row.number)
                if match is not None and match.commune_id in refused:
                    self.add(row, H_ID, message(gettext_noop(
                        "You may not enter training records of %(unit)s."), unit=units[match.commune_id].name))
                    del out[row.number]
        return out

    def providers(self, rows: list[Row]) -> dict[int, TrainingProvider]:
        by_name: dict[str, list[TrainingProvider]] = defaultdict(list)
        names = sorted({fold(r.values["provider"]) for r in rows if r.values["provider"]})
        for provider in TrainingProvider.objects.filter(search_name__in=names,
                                                        unit__path__startswith=self.province.path):
            by_name[provider.search_name].append(provider)
        out: dict[int, TrainingProvider] = {}
        for row in rows:
            name = row.values["provider"]
            if not name:
                continue
            options = by_name.get(fold(name), [])
            if not options:
                self.add(row, H_PROVIDER, message(gettext_noop(
                    "The training provider “%(name)s” is not on the province's list: add it first (page Training "
                    "providers)."), name=name))
            elif len(options) > 1:
                self.add(row, H_PROVIDER, message(gettext_noop(
                    "Several training providers are named “%(name)s”: rename one of them."), name=name))
            else:
                out[row.number] = options[0]
        return out

    def levels(self, rows: list[Row]) -> dict[int, TrainingLevel]:
        every = list(TrainingLevel.objects.all())
        lookup: dict[str, TrainingLevel] = {}
        for level in every:
            lookup[fold(level.name)] = level
            lookup[fold(level.code).replace("_", " ")] = level
            lookup[fold(level.code)] = level
        by_code = {level.code: level for level in every}
        for alias, code in LEVEL_ALIASES.items():
            if code in by_code:
                lookup.setdefault(alias, by_code[code])
        out: dict[int, TrainingLevel] = {}
        for row in rows:
            text = row.values["level"]
            if not text:
                continue
            found = lookup.get(fold(text))
            if found is None:
                self.add(row, H_LEVEL, message(gettext_noop(
                    "Unknown level “%(value)s”. Choose one of: %(allowed)s."), value=text,
                    allowed="; ".join(item.name for item in every)))
                continue
            starts = row.values["starts_on"]
            if starts is not None and starts < found.valid_from:
                self.add(row, H_LEVEL, message(gettext_noop(
                    "The level “%(level)s” applies only from %(start)s (%(basis)s): a course starting on %(on)s cannot "
                    "be at this level."), level=found.name, start=f"{found.valid_from:%d/%m/%Y}",
                    basis=found.legal_basis, on=f"{starts:%d/%m/%Y}"))
                continue
            if starts is not None and found.valid_to is not None and starts > found.valid_to:
                self.add(row, H_LEVEL, message(gettext_noop(
                    "The level “%(level)s” no longer applies after %(end)s: a course starting on %(on)s cannot be at "
                    "this level."), level=found.name, end=f"{found.valid_to:%d/%m/%Y}", on=f"{starts:%d/%m/%Y}"))
                continue
            out[row.number] = found
        return out

    def statuses(self, rows: list[Row]) -> None:
        for row in rows:
            v = row.values
            if v["status"] is None:
                v["status"] = EnrolmentStatus.COMPLETED.value if v["completed_on"] else EnrolmentStatus.ENROLLED.value
            if v["enrolled_on"] is None:
                continue
            errors = check_enrolment(enrolled_on=v["enrolled_on"], status=v["status"], completed_on=v["completed_on"],
                                     certificate_number=v["certificate_number"] or "",
                                     certificate_on=v["completed_on"] if v["certificate_number"] else None,
                                     today=self.today)
            headers = {"enrolled_on": H_ENROLLED, "status": H_STATUS, "completed_on": H_COMPLETED,
                       "certificate_number": H_CERTIFICATE, "certificate_on": H_CERTIFICATE}
            for key, text in errors.items():
                self.add(row, headers[key], text)
            if v["starts_on"] is not None and v["completed_on"] is not None and v["completed_on"] < v["starts_on"]:
                self.add(row, H_COMPLETED, message(gettext_noop(
                    "The completion date %(done)s is before the course starts (%(start)s)."),
                    done=f"{v['completed_on']:%d/%m/%Y}", start=f"{v['starts_on']:%d/%m/%Y}"))

    def courses(self, rows: list[Row], providers: dict[int, TrainingProvider], levels: dict[int, TrainingLevel]
                ) -> tuple[dict[int, tuple[Any, ...]], dict[tuple[Any, ...], Course], dict[tuple[Any, ...], dict[str, Any]]]:
        """Each row's course key (provider, folded occupation, level, start); the courses already
        there (one query for the providers of the file) and those to create."""
        keys: dict[int, tuple[Any, ...]] = {}
        for row in rows:
            v = row.values
            provider, level = providers.get(row.number), levels.get(row.number)
            if provider is None or level is None or not v["occupation"] or v["starts_on"] is None:
                continue
            if provider.closed_on is not None and v["starts_on"] > provider.closed_on:
                self.add(row, H_PROVIDER, message(gettext_noop("%(provider)s closed on %(date)s."),
                                                  provider=provider.name, date=f"{provider.closed_on:%d/%m/%Y}"))
                continue
            keys[row.number] = (provider.pk, fold(v["occupation"]), level.pk, v["starts_on"])
        existing: dict[tuple[Any, ...], Course] = {}
        provider_ids = sorted({key[0] for key in keys.values()})
        starts = sorted({key[3] for key in keys.values()})
        if provider_ids:
            for course in Course.objects.filter(provider_id__in=provider_ids, starts_on__in=starts):
                existing.setdefault((course.provider_id, fold(course.occupation), course.level_id, course.starts_on),
                                    course)
        new: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows:
            key = keys.get(row.number)
            if key is None:
                continue
            v = row.values
            there = existing.get(key)
            first = new.get(key)
            if there is not None:
                if v["field"] and there.field != v["field"]:
                    self.add(row, H_FIELD, message(gettext_noop(
                        "The course is already registered with another field (%(field)s)."),
                        field=_labels(TrainingField).get(there.field, there.field)))
                continue
            if first is None:
                new[key] = {"provider": providers[row.number], "occupation": " ".join(v["occupation"].split()),
                            "level": levels[row.number], "field": v["field"], "funding": v["funding"],
                            "starts_on": v["starts_on"], "row": row.number}
            elif v["field"] and first["field"] and first["field"] != v["field"]:
                self.add(row, H_FIELD, message(gettext_noop(
                    "The same course has another field on row %(row)s."), row=first["row"]))
        return keys, existing, new

    def duplicates(self, rows: list[Row], people: dict[int, Any], keys: dict[int, tuple[Any, ...]],
                   existing: dict[tuple[Any, ...], Course]) -> None:
        seen: dict[tuple[Any, ...], int] = {}
        for row in rows:
            person, key = people.get(row.number), keys.get(row.number)
            if person is None or key is None:
                continue
            twice = (*key, person.person_id)
            if twice in seen:
                self.add(row, H_ID, message(gettext_noop(
                    "The same person in the same course as on row %(row)s."), row=seen[twice]))
            else:
                seen[twice] = row.number
        course_ids = {existing[key].pk: key for key in keys.values() if key in existing}
        person_ids = sorted({m.person_id for m in people.values()})
        already: set[tuple[int, int]] = set()
        for start in range(0, len(person_ids), CHUNK):
            already.update(Enrolment.objects.filter(course_id__in=list(course_ids),
                                                    person_id__in=person_ids[start:start + CHUNK])
                           .values_list("course_id", "person_id"))
        for row in rows:
            person, key = people.get(row.number), keys.get(row.number)
            if person is None or key is None or key not in existing:
                continue
            if (existing[key].pk, person.person_id) in already:
                self.add(row, H_ID, message(gettext_noop(
                    "Already in the register: this person is enrolled in this course.")))


def _check(data: bytes, filename: str, user: Any, province: Unit, problems: Problems) -> _Plan:
    cols = columns()
    rows = _read(data, filename, cols, problems)
    if problems.broken:
        problems.raise_if_any()
    if not rows:
        problems.add(SHEET, 0, "", message(gettext_noop("The file has no rows to import.")))
        problems.raise_if_any()
    checker = _Checker(problems, user, province)
    people = checker.people(rows)
    providers = checker.providers(rows)
    levels = checker.levels(rows)
    checker.statuses(rows)
    keys, existing, new = checker.courses(rows, providers, levels)
    checker.duplicates(rows, people, keys, existing)
    problems.raise_if_any()
    return _Plan(rows=rows, people=people, courses=keys, existing=existing, new=new)


# --- Writing ---------------------------------------------------------------------------------------


def _write(plan: _Plan, *, actor: Actor, province: Unit, filename: str, job: Any) -> ImportResult:
    user = audit.user_of(actor)
    with transaction.atomic():
        made = Course.objects.bulk_create([
            Course(provider=spec["provider"], occupation=spec["occupation"], level=spec["level"], field=spec["field"],
                   funding=spec["funding"], unit=spec["provider"].unit, starts_on=spec["starts_on"], created_by=user,
                   import_job=job)
            for spec in plan.new.values()])
        courses = dict(plan.existing)
        for key, course in zip(plan.new, made, strict=True):
            courses[key] = course
        enrolments = []
        for row in plan.rows:
            v, person = row.values, plan.people[row.number]
            certificate = v["certificate_number"] or ""
            enrolments.append(Enrolment(
                course_id=courses[plan.courses[row.number]].pk, person_id=person.person_id,
                commune_id=person.commune_id, enrolled_on=v["enrolled_on"], status=v["status"],
                completed_on=v["completed_on"], certificate_number=certificate,
                certificate_on=v["completed_on"] if certificate else None, created_by=user, import_job=job))
        Enrolment.objects.bulk_create(enrolments, batch_size=5_000)
        audit.record(actor=actor, action=AuditAction.LABOUR_IMPORT, obj=Enrolment, unit=province,
                     after={"import": "enrolments", "file": filename, "created": len(enrolments),
                            "courses_created": [c.pk for c in made]})
    return ImportResult(created=len(enrolments), courses_created=len(made), file=filename,
                        course_ids=[c.pk for c in made])


def import_enrolments(*, actor: Actor, data: bytes, filename: str, province: Unit,
                      progress: Callable[..., Any] | None = None, job: Any = None) -> ImportResult:
    """Checks the whole file, then writes every enrolment (and the new courses) in one transaction,
    or nothing: raises `ImportProblems` listing every problem. `job` is the background job that
    runs it (the records remember their import)."""
    user = audit.user_of(actor)
    problems = Problems()
    try:
        try:
            if progress is not None and hasattr(progress, "say"):
                progress.say(str(message(gettext_noop("Checking the file…"))))
            plan = _check(data, filename, user, province, problems)
        except LimitError as error:
            raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                             reason=error))]) from None
        except (SpreadsheetError, csv.Error, UnicodeDecodeError):
            raise ImportProblems([Problem("", 0, "", message(gettext_noop(
                "The file cannot be read: an Excel .xlsx file or a .csv file (UTF-8) with the template's columns "
                "is needed.")))]) from None
        result = _write(plan, actor=actor, province=province, filename=filename, job=job)
    except ImportProblems as refused:
        with transaction.atomic():
            record_refused(actor=actor, kind="labour.enrolments", name=filename, rows=0, problems=refused.problems,
                           unit=province)
        raise
    if progress is not None:
        progress(result.created, result.created)
    return result


# --- The template ----------------------------------------------------------------------------------

GUIDE = [
    f"Sheet «{SHEET}»: mỗi dòng là một người học một lớp (khóa) đào tạo nghề; người học phải có trong sổ hộ của "
    "tỉnh (tìm theo Số CCCD; họ tên và ngày sinh phải khớp sổ hộ).",
    "Cơ sở đào tạo phải có sẵn trong danh sách cơ sở giáo dục nghề nghiệp của tỉnh (ghi đúng tên).",
    "Lớp được tìm theo Cơ sở đào tạo + Nghề đào tạo + Trình độ + Ngày khai giảng; chưa có thì hệ thống tạo mới.",
    "Trình độ: Cao đẳng, Trung cấp, Sơ cấp, Đào tạo dưới 03 tháng; Trung học nghề chỉ cho lớp khai giảng từ "
    "01/01/2026 (Luật Giáo dục nghề nghiệp 124/2025/QH15).",
    "Số văn bằng, chứng chỉ chỉ ghi khi đã tốt nghiệp (có Ngày tốt nghiệp).",
    "Ngày ghi dạng dd/mm/yyyy. Tệp .xlsx hoặc .csv (UTF-8) với đúng các tiêu đề cột.",
    "Hệ thống kiểm tra toàn bộ tệp trước khi ghi: một dòng sai thì không dòng nào được ghi; người đã học lớp đó "
    "có trong sổ là lỗi «đã có trong sổ».",
    "Dòng lệnh: ansinh labour import-enrolments TÊN_TỆP --unit MÃ_TỈNH --as TÊN_ĐĂNG_NHẬP",
    "Số CCCD là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): giữ tệp cẩn thận, xóa sau khi nhập.",
]


def template_xlsx() -> bytes:
    """The import template: the data sheet (headers with notes, drop-downs) and the guide."""
    with translation.override("vi"):
        cols = columns()
        workbook = Writer(constant_memory=False)
        required = workbook.format(bold=True, bg_color="#F8CBAD", border=1, text_wrap=True, valign="vcenter")
        optional = workbook.format(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True, valign="vcenter")
        text = workbook.format(num_format="@")
        date = workbook.format(num_format="DD/MM/YYYY")
        sheet = workbook.sheet(SHEET)
        guide = workbook.sheet("Hướng dẫn")
        for index, column in enumerate(cols, start=1):
            note = f"{column.note}\nGiá trị: {column.allowed_text()}."
            sheet.comment(1, index, ("Bắt buộc. " if column.required else "") + note, author="ansinh", width=300,
                          height=120)
            sheet.widths([column.width], first=index,
                         formats=[text if column.kind == "citizen_id" else date if column.kind == "date" else None])
        sheet.append([(c.header, required if c.required else optional) for c in cols], height=40)
        sheet.freeze(1, 1)
        guide.append([("HƯỚNG DẪN NHẬP NGƯỜI HỌC NGHỀ TỪ TỆP", workbook.format(bold=True, font_size=14))])
        for number, step in enumerate(GUIDE, start=1):
            guide.append([f"{number}.", step])
        guide.append([])
        for column in cols:
            guide.append([column.header, "Bắt buộc" if column.required else "", column.allowed_text(), column.note])
        guide.widths([28, 10, 40, 80])
        sheet.activate()
        return workbook.save()


def template_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(HEADERS)
    return out.getvalue().encode("utf-8-sig")


__all__ = ["HEADERS", "ImportResult", "columns", "import_enrolments", "template_csv", "template_xlsx"]
