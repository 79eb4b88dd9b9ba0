"""Importing people served and their entitlements from the .xlsx template.

One sheet, «Người hưởng», one row per entitlement of a person already in the household register:
the person by citizen ID, or by household code + full name + date of birth; the category by its
code (`sa_elderly_80`) or its Vietnamese name; the decision (number, date, signer); the start
month (empty: by the law's start rules); and what the category needs (injury rate, number of
martyrs, children raised, years of seniority), the martyrs' names for their relatives.

1. Read the sheet with the tabular import framework (`ansinh.lib.tabular.read_table`, after the
   spreadsheet reader's row, size and range limits: a huge or hostile file is refused before it
   is loaded), every bad cell a problem (row, Vietnamese header, message).
2. Check the rows against each other and the registers with a few set-based queries (people by
   citizen ID or household code, categories, martyrs, open entitlements): a person not found or
   found twice, dead or moved away; a commune or scheme outside the importer's scope; a category
   unknown or not in force on the decision date; a parameter missing or not taken; the same
   entitlement twice in the file or already open.
3. Only if nothing is wrong, hand every row to `services.bulk_create_entitlements` (set-based,
   audited, one transaction). A file with one bad row writes nothing; a refused file leaves an
   audit row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.households.models import Member
from ansinh.lib.parsing import cell_text
from ansinh.lib.spreadsheets import LimitError, Reader, SpreadsheetError, Writer, file_name as _file_name, find_sheet, \
    read_workbook
from ansinh.lib.tabular import NO, YES, Column, ImportProblems, Problem, Problems, Row, message, read_table, \
    record_refused
from ansinh.lib.vietnamese import fold

from . import access, services
from .forms_pages import SCHEME_LABELS, parse_month
from .models import Category, Entitlement, LineKind, Martyr, Scheme

SHEET = "Người hưởng"
SHEET_GUIDE = "Hướng dẫn"
SHEET_LISTS = "Danh mục"
CHUNK = 5_000  # values per IN (...) query

EntitlementImportError = ImportProblems  # the name the pages and the CLI catch

H_ID, H_CODE, H_NAME, H_BIRTH = "Số định danh cá nhân", "Mã hộ", "Họ và tên", "Ngày sinh"
H_CATEGORY, H_NUMBER, H_DATE, H_SIGNER = "Chế độ (mã hoặc tên)", "Số quyết định", "Ngày quyết định", "Người ký"
H_START, H_RATE, H_MARTYRS, H_CHILDREN = "Tháng bắt đầu hưởng", "Tỷ lệ tổn thương (%)", "Số liệt sĩ", "Số con đang nuôi"
H_YEARS, H_MARTYR_NAMES, H_SEVERE, H_ALONE = "Số năm hoạt động", "Họ tên liệt sĩ", "Đặc biệt nặng", "Sống cô đơn"
H_RECOGNISED, H_CARER = "Ngày công nhận", "Người chăm sóc"

COLUMNS = [
    Column(H_ID, "citizen_id", "citizen_id", "12 chữ số (số căn cước công dân) của người hưởng đã có trong sổ hộ. "
           "Để trống thì ghi Mã hộ, Họ và tên, Ngày sinh để tìm người trong sổ hộ.", width=16),
    Column(H_CODE, "household", "code", "Mã hộ trong sổ hộ của xã (khi không ghi số định danh).", max_length=40,
           width=14),
    Column(H_NAME, "full_name", "text", "Họ và tên đầy đủ, có dấu, như trong sổ hộ.", max_length=150, width=24),
    Column(H_BIRTH, "birth_date", "date", "Dạng dd/mm/yyyy (khi không ghi số định danh).", width=12, past=True),
    Column(H_CATEGORY, "category", "text", "Mã chế độ (ví dụ sa_elderly_80) hoặc tên đối tượng như trong sheet Danh "
           "mục (chỉ các chế độ trợ cấp hằng tháng còn hiệu lực).", required=True, max_length=255, width=40),
    Column(H_NUMBER, "decision_number", "text", "Số quyết định hưởng (ví dụ 125/QĐ-UBND).", required=True,
           max_length=60, width=16),
    Column(H_DATE, "decision_date", "date", "Ngày ký quyết định, dd/mm/yyyy.", required=True, width=12, past=True),
    Column(H_SIGNER, "decision_signer", "text", "Chức danh, họ tên người ký (từ 01/07/2025 Chủ tịch UBND xã quyết định "
           "trợ cấp xã hội và trợ cấp hưu trí xã hội).", max_length=150, width=20),
    Column(H_START, "start_month", "raw", "Tháng đầu tiên được hưởng, dạng mm/yyyy. Để trống: theo quy định (tháng "
           "ký quyết định; tháng đủ 75 hoặc 80 tuổi; người có công: tháng công nhận).", width=12),
    Column(H_RATE, "rate", "integer", "Tỷ lệ tổn thương cơ thể, 1–100 (thương binh, bệnh binh, người nhiễm chất độc "
           "hóa học). Chỉ ghi cho các chế độ tính theo tỷ lệ.", width=10, limits=(Decimal(1), Decimal(100))),
    Column(H_MARTYRS, "martyr_count", "integer", "Số liệt sĩ (thân nhân liệt sĩ). Để trống: số tên ở cột Họ tên liệt "
           "sĩ.", width=9, limits=(Decimal(1), Decimal(20))),
    Column(H_CHILDREN, "children", "integer", "Số con đang nuôi (người đơn thân nghèo, Điều 5 khoản 4 Nghị định "
           "20/2021/NĐ-CP).", width=9, limits=(Decimal(1), Decimal(20))),
    Column(H_YEARS, "years", "integer", "Số năm hoạt động (cán bộ lão thành cách mạng thoát ly).", width=9,
           limits=(Decimal(1), Decimal(80))),
    Column(H_MARTYR_NAMES, "martyr_names", "text", "Họ tên liệt sĩ đã ghi trong hệ thống (trang Liệt sĩ), cách nhau "
           "bởi dấu chấm phẩy. Không bắt buộc.", max_length=1000, width=28),
    Column(H_SEVERE, "especially_severe", "yes_no", "Thương tật, bệnh tật đặc biệt nặng (người có công). Để trống: "
           "Không.", default=False, width=10),
    Column(H_ALONE, "living_alone", "yes_no", "Sống cô đơn. Để trống: Không.", default=False, width=10),
    Column(H_RECOGNISED, "recognised_on", "date", "Ngày công nhận hoặc ngày Hội đồng giám định y khoa kết luận "
           "(người có công); ngày cấp giấy xác nhận mức độ khuyết tật (người khuyết tật: hưởng từ tháng đó). "
           "dd/mm/yyyy. Không bắt buộc.", width=12, past=True),
    Column(H_CARER, "carer_name", "text", "Họ tên người chăm sóc (không có trong sổ hộ). Không bắt buộc.",
           max_length=150, width=20),
]
PLACES = {column.header: i for i, column in enumerate(COLUMNS)}
PARAMETER_COLUMNS = [("rate", "uses_rate", H_RATE), ("martyr_count", "uses_martyrs", H_MARTYRS),
                     ("children", "uses_children", H_CHILDREN), ("years", "uses_years", H_YEARS)]


@dataclass(frozen=True)
class ImportResult:
    file: str
    entitlements: int
    written: bool = True


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _month(value: Any) -> dt.date:
    """A month cell: a date cell (its month), or mm/yyyy, yyyy-mm as text."""
    if isinstance(value, (dt.datetime, dt.date)):
        return dt.date(value.year, value.month, 1)
    found = parse_month(cell_text(value))
    if found is None:
        raise ValueError
    return found


@dataclass
class Plan:
    rows: list[Row]
    persons: dict[int, Member]
    categories: dict[int, Category]
    martyrs: dict[int, list[Martyr]]


class _Checker:
    def __init__(self, problems: Problems, user: Any) -> None:
        self.problems = problems
        self.user = user  # None: an operator's run (the CLI without --as), every commune

    def add(self, row: Row, column: str, text: str) -> None:
        self.problems.add(SHEET, row.number, column, text, order=(row.number, PLACES.get(column, -1)))

    def may_change(self, person: Member, scheme: str) -> bool:
        return self.user is None or access.may_change_scheme(self.user, person.household.commune, scheme)

    # 1. The person, by citizen ID or household code + name + birth date.
    def persons(self, rows: list[Row]) -> dict[int, Member]:
        ids = sorted({r.values["citizen_id"] for r in rows if r.values["citizen_id"]})
        codes = sorted({r.values["household"] for r in rows if not r.values["citizen_id"] and r.values["household"]})
        by_id: dict[str, Member] = {}
        by_key: dict[tuple[str, str, dt.date], list[Member]] = defaultdict(list)
        members = Member.objects.select_related("household__commune")
        for chunk in _chunks(ids):
            for member in members.filter(citizen_id__in=chunk):
                by_id[member.citizen_id or ""] = member
        for chunk in _chunks(codes):
            for member in members.filter(household__code__in=chunk):
                by_key[(member.household.code, member.search_name, member.birth_date)].append(member)
        found: dict[int, Member] = {}
        for row in rows:
            v = row.values
            if v["citizen_id"]:
                by_number = by_id.get(v["citizen_id"])
                if by_number is None:
                    self.add(row, H_ID, message(gettext_noop(
                        "No member of the household register has citizen ID %(number)s: register the person in "
                        "the household register first."), number=v["citizen_id"]))
                    continue
                member = by_number
            else:
                missing = [h for h, k in ((H_CODE, "household"), (H_NAME, "full_name"), (H_BIRTH, "birth_date"))
                           if not v[k]]
                if missing:
                    for header in missing:
                        self.add(row, header, message(gettext_noop(
                            "Empty: without a citizen ID, the household code, full name and date of birth find the "
                            "person.")))
                    continue
                candidates = by_key.get((v["household"], fold(v["full_name"]), v["birth_date"]), [])
                if not candidates:
                    self.add(row, H_NAME, message(gettext_noop(
                        "Household %(code)s has no member %(name)s born on %(born)s."), code=v["household"],
                        name=v["full_name"], born=f"{v['birth_date']:%d/%m/%Y}"))
                    continue
                if len(candidates) > 1:
                    self.add(row, H_NAME, message(gettext_noop(
                        "Household %(code)s has several members %(name)s born on %(born)s: write the citizen ID."),
                        code=v["household"], name=v["full_name"], born=f"{v['birth_date']:%d/%m/%Y}"))
                    continue
                member = candidates[0]
            column = H_ID if v["citizen_id"] else H_NAME
            if member.died_on is not None:
                self.add(row, column, message(gettext_noop(
                    "%(name)s died on %(date)s: an entitlement cannot start."), name=member.full_name,
                    date=f"{member.died_on:%d/%m/%Y}"))
                continue
            if member.left_on is not None:
                self.add(row, column, message(gettext_noop(
                    "%(name)s left household %(code)s on %(date)s: record the entitlement where the person lives "
                    "now."), name=member.full_name, code=member.household.code, date=f"{member.left_on:%d/%m/%Y}"))
                continue
            found[row.number] = member
        return found

    # 2. The category, in force on the decision date, with what it needs.
    def categories(self, rows: list[Row]) -> dict[int, Category]:
        every = list(Category.objects.filter(kind=LineKind.ALLOWANCE).order_by("valid_from"))
        by_code = {c.code.lower(): c for c in every}
        by_name: dict[str, list[Category]] = defaultdict(list)
        for c in every:
            by_name[fold(c.name)].append(c)
        found: dict[int, Category] = {}
        for row in rows:
            text = row.values["category"]
            if not text:
                continue
            options = [by_code[text.strip().lower()]] if text.strip().lower() in by_code else by_name.get(fold(text), [])
            if not options:
                self.add(row, H_CATEGORY, message(gettext_noop(
                    "Unknown category “%(value)s”: write its code or its name as in the sheet %(sheet)s."),
                    value=text, sheet=SHEET_LISTS))
                continue
            on = row.values["decision_date"]
            in_force = [c for c in options if on is None or (c.valid_from <= on and (c.valid_to is None or on <= c.valid_to))]
            if not in_force:
                self.add(row, H_CATEGORY, message(gettext_noop(
                    "The category “%(value)s” is not in force on the decision date %(date)s."), value=text,
                    date=f"{on:%d/%m/%Y}"))
                continue
            found[row.number] = in_force[-1]
        return found

    def parameters(self, row: Row, category: Category) -> None:
        v = row.values
        if category.uses_martyrs and not v["martyr_count"] and v["martyr_names"]:
            v["martyr_count"] = len(_names(v["martyr_names"]))
        for key, flag, header in PARAMETER_COLUMNS:
            needed, given = bool(getattr(category, flag)), v[key] is not None
            if needed and not given:
                self.add(row, header, message(gettext_noop("Empty: the category “%(category)s” needs this value."),
                                              category=category.name))
            elif given and not needed:
                self.add(row, header, message(gettext_noop(
                    "The category “%(category)s” does not take this value: leave the cell empty."),
                    category=category.name))
        if v["martyr_names"] and not category.uses_martyrs:
            self.add(row, H_MARTYR_NAMES, message(gettext_noop(
                "The category “%(category)s” does not take this value: leave the cell empty."), category=category.name))
        if v["especially_severe"] and category.scheme != Scheme.MERITORIOUS:
            self.add(row, H_SEVERE, message(gettext_noop("Only for people with meritorious service.")))

    def martyrs(self, rows: list[Row], persons: dict[int, Member]) -> dict[int, list[Martyr]]:
        """Martyrs named for their relatives: recorded in the system, in the importer's scope."""
        wanted = {fold(name) for row in rows for name in _names(row.values["martyr_names"] or "")}
        if not wanted:
            return {}
        visible = access.martyrs_for_user(self.user) if self.user is not None else Martyr.objects.all()
        by_name: dict[str, list[Martyr]] = defaultdict(list)
        for chunk in _chunks(sorted(wanted)):
            for martyr in visible.filter(search_name__in=chunk):
                by_name[martyr.search_name].append(martyr)
        out: dict[int, list[Martyr]] = {}
        for row in rows:
            names = _names(row.values["martyr_names"] or "")
            person = persons.get(row.number)
            chosen: list[Martyr] = []
            for name in names:
                options = by_name.get(fold(name), [])
                if len(options) > 1 and person is not None:
                    options = [m for m in options if m.commune_id == person.household.commune_id] or options
                if not options:
                    self.add(row, H_MARTYR_NAMES, message(gettext_noop(
                        "No martyr “%(name)s” is recorded in your communes: record the martyr first (page Martyrs)."),
                        name=name))
                elif len(options) > 1:
                    self.add(row, H_MARTYR_NAMES, message(gettext_noop(
                        "Several martyrs are named “%(name)s”: link the right one on the entitlement's page after "
                        "the import, and leave this cell empty."), name=name))
                else:
                    chosen.append(options[0])
            if names and row.values["martyr_count"] is not None and row.values["martyr_count"] < len(names):
                self.add(row, H_MARTYRS, message(gettext_noop(
                    "Fewer martyrs (%(count)s) than names given (%(names)s)."), count=row.values["martyr_count"],
                    names=len(names)))
            out[row.number] = chosen
        return out

    def duplicates(self, rows: list[Row], persons: dict[int, Member], categories: dict[int, Category]) -> None:
        """The same person and category twice in the file, or already open in the registry."""
        seen: dict[tuple[int, int], Row] = {}
        pairs: dict[tuple[int, int], Row] = {}
        for row in rows:
            person, category = persons.get(row.number), categories.get(row.number)
            if person is None or category is None:
                continue
            key = (person.pk, category.pk)
            if key in seen:
                self.add(row, H_CATEGORY, message(gettext_noop(
                    "The same person and category already appear on row %(row)s."), row=seen[key].number))
            else:
                seen[key] = pairs[key] = row
        person_ids = sorted({p for p, _ in pairs})
        for chunk in _chunks(person_ids):
            for person_id, category_id, start in (Entitlement.objects.filter(person_id__in=chunk, stop_month__isnull=True)
                                                  .values_list("person_id", "category_id", "start_month")):
                first = pairs.get((person_id, category_id))
                if first is not None:
                    self.add(first, H_CATEGORY, message(gettext_noop(
                        "This person already receives this category (from %(month)s): change that entitlement "
                        "instead."), month=f"{start:%m/%Y}"))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ";").split(";") if part.strip()]


def _check(workbook: Reader, user: Any, counted: list[int]) -> Plan:
    problems = Problems()
    title = find_sheet(workbook, SHEET)
    if title is None:
        problems.add(SHEET, 0, "", message(gettext_noop("The file has no sheet “%(sheet)s” (use the template "
                                                        "downloaded from the system)."), sheet=SHEET))
        raise ImportProblems(problems.sorted())
    rows = read_table(workbook.rows(title), SHEET, COLUMNS, problems, epoch=workbook.epoch)
    counted[0] = len(rows)
    checker = _Checker(problems, user)
    for row in rows:  # the start month: a date cell or mm/yyyy text
        raw = row.values["start_month"]
        if raw is None or cell_text(raw) == "":
            row.values["start_month"] = None
            continue
        try:
            row.values["start_month"] = _month(raw)
        except ValueError:
            checker.add(row, H_START, message(gettext_noop("“%(value)s” is not a month: write it as mm/yyyy (for "
                                                           "example 07/2025)."), value=cell_text(raw)))
            row.values["start_month"] = None
    if problems.broken:
        raise ImportProblems(problems.sorted())
    if not rows:
        problems.add(SHEET, 0, "", message(gettext_noop("The file has no data rows.")))
        raise ImportProblems(problems.sorted())
    persons = checker.persons(rows)
    categories = checker.categories(rows)
    for row in rows:
        category, person = categories.get(row.number), persons.get(row.number)
        if category is None:
            continue
        checker.parameters(row, category)
        if person is not None and not checker.may_change(person, category.scheme):
            checker.add(row, H_CATEGORY, message(gettext_noop(
                "You may not record %(scheme)s in %(commune)s: it is outside your scope."),
                scheme=str(SCHEME_LABELS.get(category.scheme, category.scheme)), commune=person.household.commune.name))
            persons.pop(row.number)
    martyrs = checker.martyrs(rows, persons)
    checker.duplicates(rows, persons, categories)
    if problems:
        raise ImportProblems(problems.sorted())
    return Plan(rows=rows, persons=persons, categories=categories, martyrs=martyrs)


def _service_rows(plan: Plan) -> list[Any]:
    out = []
    for row in plan.rows:
        v = row.values
        out.append(services.EntitlementRow(
            person=plan.persons[row.number], category_code=plan.categories[row.number].code,
            decision_number=v["decision_number"], decision_date=v["decision_date"],
            decision_signer=v["decision_signer"] or "", start_month=v["start_month"], rate=v["rate"],
            martyr_count=v["martyr_count"], children=v["children"], years=v["years"],
            especially_severe=bool(v["especially_severe"]), living_alone=bool(v["living_alone"]),
            carer_name=v["carer_name"] or "", recognised_on=v["recognised_on"], line=row.number))
    return out


def _link_martyrs(actor: Actor, plan: Plan) -> int:
    """Links the martyrs named in the file to their relatives' new entitlements (the service
    creates them without links): one read of the new rows, one insert, one audit row."""
    wanted = {(plan.persons[row.number].pk, plan.categories[row.number].pk): plan.martyrs[row.number]
              for row in plan.rows if plan.martyrs.get(row.number)}
    if not wanted:
        return 0
    persons = sorted({person for person, _ in wanted})
    through = Entitlement.martyrs.through
    links = []
    for chunk in _chunks(persons):
        for pk, person_id, category_id in (Entitlement.objects.filter(person_id__in=chunk, stop_month__isnull=True)
                                           .values_list("pk", "person_id", "category_id")):
            for martyr in wanted.get((person_id, category_id), []):
                links.append(through(entitlement_id=pk, martyr_id=martyr.pk))
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    audit.record(actor=actor, action="entitlement.update", obj=Entitlement,
                 after={"martyrs_linked": len(links), "via": "import"})
    return len(links)


def _service_problems(error: ValidationError, plan: Plan) -> list[Problem]:
    """The service's own refusals, by row where it says which (its messages are Vietnamese)."""
    numbers = [row.number for row in plan.rows]
    out: list[Problem] = []
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            index = int(key) if str(key).isdigit() and int(key) < len(numbers) else None
            for text in ValidationError(errors).messages:
                out.append(Problem(SHEET, numbers[index] if index is not None else 0,
                                   "" if index is not None else str(key), text))
    else:
        out = [Problem(SHEET, 0, "", text) for text in error.messages]
    return out


def entitlement_import(*, actor: Actor, data: bytes | str | Path | IO[bytes], name: str = "",
                       dry_run: bool = False) -> ImportResult:
    """Checks the whole file, then creates every entitlement in one transaction, or nothing.

    The importer's scope is checked for every row (`access.may_change_scheme`): a commune officer
    imports her commune's people, a provincial officer the schemes of her field; an operator's run
    without a user (the CLI without --as) every commune. Raises EntitlementImportError listing
    every problem; with `dry_run`, only checks."""
    user = user_of(actor)
    counted = [0]
    try:
        try:
            plan, file_name = read_workbook(data, lambda workbook: _check(workbook, user, counted))
        except LimitError as error:
            raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                             reason=error))]) from None
        except SpreadsheetError:
            raise ImportProblems([Problem("", 0, "", message(gettext_noop(
                "The file cannot be read: an Excel .xlsx file is needed (use the template downloaded from the "
                "system).")))]) from None
        name = name or file_name
        if dry_run:
            return ImportResult(file=name, entitlements=len(plan.rows), written=False)
        try:
            with transaction.atomic():
                created = services.bulk_create_entitlements(actor, _service_rows(plan))
                _link_martyrs(actor, plan)
        except ValidationError as error:
            raise ImportProblems(_service_problems(error, plan)) from None
    except ImportProblems as refused:
        record_refused(actor=actor, kind="benefits", name=name or _file_name(data), rows=counted[0],
                       problems=refused.problems, check=dry_run)
        raise
    return ImportResult(file=name, entitlements=created)


# --- The template -----------------------------------------------------------------------------


GUIDE_STEPS = [
    f"Sheet «{SHEET}»: mỗi dòng là một chế độ hưởng của một người đã có trong sổ hộ gia đình.",
    "Người hưởng được tìm theo Số định danh cá nhân; nếu để trống thì theo Mã hộ, Họ và tên, Ngày sinh.",
    f"Chế độ ghi theo mã (ví dụ sa_elderly_80) hoặc tên như trong sheet «{SHEET_LISTS}». Chỉ ghi tỷ lệ tổn "
    "thương, số liệt sĩ, số con, số năm hoạt động cho các chế độ cần đến (cột «Cần ghi» của sheet Danh mục).",
    "Cột có tiêu đề tô màu cam là bắt buộc. Các cột Có/Không để trống là Không.",
    "Không đổi tên sheet và tiêu đề cột. Cột thêm vào (ghi chú) được bỏ qua.",
    "Tải tệp lên trang «Nhập người hưởng từ Excel», hoặc chạy lệnh: ansinh benefits import TÊN_TỆP.xlsx --as TÊN_ĐĂNG_NHẬP",
    "Hệ thống kiểm tra toàn bộ tệp trước khi ghi: chỉ cần một dòng sai là không dòng nào được ghi, và mỗi lỗi được "
    "báo theo dòng, cột để sửa rồi nhập lại. Số tiền hằng tháng do hệ thống tính theo quy định, không nhập.",
    "Số định danh cá nhân là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): giữ tệp cẩn thận, xóa sau khi nhập xong.",
]


def _needs(category: Category) -> str:
    parts = [label for flag, label in (("uses_rate", H_RATE), ("uses_martyrs", H_MARTYRS),
                                        ("uses_children", H_CHILDREN), ("uses_years", H_YEARS))
             if getattr(category, flag)]
    return ", ".join(parts)


def _sample_rows() -> list[dict[str, Any]]:
    d = dt.date
    return [
        {H_ID: "084150006789", H_CATEGORY: "sa_elderly_80", H_NUMBER: "125/QĐ-UBND", H_DATE: d(2025, 8, 4),
         H_SIGNER: "Chủ tịch UBND xã"},
        {H_CODE: "TC-0003", H_NAME: "Thạch Sô Phiếp", H_BIRTH: d(1972, 12, 24),
         H_CATEGORY: "sa_disability_severe", H_NUMBER: "126/QĐ-UBND", H_DATE: d(2025, 8, 4), H_START: "08/2025"},
        {H_ID: "084048001111", H_CATEGORY: "merit_war_invalid", H_NUMBER: "88/QĐ-SNV", H_DATE: d(2024, 3, 1),
         H_RATE: 61, H_RECOGNISED: d(2024, 1, 15)},
    ]


def template_xlsx(*, sample: bool = False) -> bytes:
    """The import template: the data sheet with notes on every header, the guide, and the list of
    categories in force (code, name, what each needs) that the category column's drop-down uses.
    The file is Vietnamese whatever the language of the page that asks for it."""
    with translation.override("vi"):
        return _template_xlsx(sample=sample)


def _template_xlsx(*, sample: bool) -> bytes:
    workbook = Writer(constant_memory=False)
    border = {"border": 1, "border_color": "#A0A8B4"}
    centre = {"text_wrap": True, "valign": "vcenter", "align": "center"}
    wrap_box = workbook.format(text_wrap=True, valign="top", **border)
    required = workbook.format(bold=True, bg_color="#F8CBAD", **border, **centre)
    optional = workbook.format(bold=True, bg_color="#DDEBF7", **border, **centre)
    bold = workbook.format(bold=True)
    text = workbook.format(num_format="@")
    date = workbook.format(num_format="DD/MM/YYYY")

    guide = workbook.sheet(SHEET_GUIDE)
    sheet = workbook.sheet(SHEET)
    lists = workbook.sheet(SHEET_LISTS)

    today = dt.date.today()
    categories = list(Category.objects.filter(kind=LineKind.ALLOWANCE, valid_from__lte=today)
                      .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).order_by("scheme", "order", "code"))
    labels = SCHEME_LABELS
    lists.append([(h, bold) for h in ("Mã chế độ", "Tên đối tượng", "Chính sách", "Căn cứ", "Cần ghi")])
    for category in categories:
        lists.append([category.code, category.name, str(labels.get(category.scheme, "")), category.article,
                      _needs(category)])
    lists.append([])
    lists.append([("Có/Không", bold)])
    yes_no_first = len(categories) + 4
    lists.append([YES])
    lists.append([NO])
    lists.widths([30, 60, 30, 40, 40])
    lists.freeze(1)

    for index, column in enumerate(COLUMNS, start=1):
        note = f"{column.note}\nGiá trị: {column.allowed_text()}."
        if column.required:
            note = "Bắt buộc. " + note
        sheet.comment(1, index, note, author="ansinh", width=320, height=150)
        typed = column.kind in ("citizen_id", "code") or column.key == "start_month"
        sheet.widths([column.width], first=index,
                     formats=[text if typed else date if column.kind == "date" else None])
        if column.key == "category" and categories:
            sheet.drop_down(index, source=f"'{SHEET_LISTS}'!$B$2:$B${len(categories) + 1}",
                            error="Chọn một chế độ trong danh sách, hoặc ghi mã chế độ.", error_title=column.header,
                            show_error=False)
        elif column.kind == "yes_no":
            sheet.drop_down(index, source=f"'{SHEET_LISTS}'!$A${yes_no_first}:$A${yes_no_first + 1}",
                            error=f"Chọn {YES} hoặc {NO}.", error_title=column.header, show_error=True)
    sheet.append([(c.header, required if c.required else optional) for c in COLUMNS], height=48)
    sheet.freeze(1, 1)
    if sample:
        for values in _sample_rows():
            cells: list[Any] = []
            for column in COLUMNS:
                value = values.get(column.header)
                if isinstance(value, dt.date):
                    cells.append((value, date))
                elif value is not None and (column.kind in ("citizen_id", "code") or column.key == "start_month"):
                    cells.append((value, text))
                else:
                    cells.append(value)
            sheet.append(cells)

    guide.append([("HƯỚNG DẪN NHẬP NGƯỜI HƯỞNG CHÍNH SÁCH TỪ TỆP EXCEL", workbook.format(bold=True, font_size=14))])
    guide.append([])
    for number, step in enumerate(GUIDE_STEPS, start=1):
        guide.append([f"{number}.", (step, workbook.format(text_wrap=True, valign="top"))], height=32, merge=[(2, 6)])
    guide.append([])
    guide.append([(t, optional) for t in ["Cột", "Bắt buộc", "Giá trị cho phép", "Giải thích"]])
    for column in COLUMNS:
        guide.append([(t or None, wrap_box) for t in [column.header, "Có" if column.required else "",
                                                       column.allowed_text(), column.note]])
    guide.widths([28, 9, 30, 90])
    (sheet if sample else guide).activate()
    return workbook.save()


def write_template(path: str | Path, *, sample: bool = False) -> None:
    Path(path).write_bytes(template_xlsx(sample=sample))


def import_file(path: str | Path, *, actor: Actor, dry_run: bool = False) -> ImportResult:
    """The CLI's import: the same size limit as the pages' upload, then `entitlement_import`."""
    from ansinh.lib.tabular import upload_limit_error

    source = Path(path)
    if not source.is_file():
        raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file %(name)s does not exist."),
                                                         name=str(path)))])
    if too_big := upload_limit_error(source.stat().st_size):
        raise ImportProblems([Problem("", 0, "", too_big)])
    return entitlement_import(actor=actor, data=source, name=source.name, dry_run=dry_run)


__all__ = ["COLUMNS", "EntitlementImportError", "ImportResult", "entitlement_import", "import_file", "template_xlsx",
           "write_template"]
