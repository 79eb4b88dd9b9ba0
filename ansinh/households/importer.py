"""Importing households, their members and living conditions from the .xlsx template.

The template (`template_xlsx`) has Vietnamese headers, notes on every header cell, drop-down
lists for every choice column and a "Hướng dẫn" sheet; `household_import` reads a filled copy.

1. Read the three sheets (`ansinh.lib.spreadsheets.Reader`, python-calamine, after the row and
   size limits) and parse every cell by the column's kind with the tabular import framework
   (`ansinh.lib.tabular.read_table`: the columns below are declared once, for the reader and the
   template), collecting every problem as (sheet, Excel row, column header, message).
2. Check the rows against each other and against the registry with a few set-based queries:
   communes of the current map and the importer's scope, hamlets, legacy communes (the official
   crosswalk), one head per household, citizen IDs against sex and birth year (Decree
   137/2015/NĐ-CP, Art. 7), duplicates within the file and against the registry.
3. Only if nothing is wrong, write everything in one transaction with `insert_rows` (no ORM
   object per row): households with their derived fields, members, living conditions, one
   "created" event per household and one audit row for the whole import. A file with one bad
   row writes nothing (all or nothing).

Personal data (Decree 13/2023/NĐ-CP): citizen IDs already in the registry are reported without
saying in which household they are, since the importer may not be allowed to see it; one held
outside the communes the importer may change is reported as registered in another locality, with
the province to contact, and a run that met such IDs leaves one audit row with their count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor, user_of
from ansinh.geo.models import Edition, Level, Succession, Unit, code_candidates
from ansinh.lib.bulk import insert_rows, next_ids
from ansinh.lib.citizen_id import CitizenIdError, check_citizen_id
from ansinh.lib.ethnicity import ETHNIC_GROUPS, KINH, ethnicity_code, ethnicity_name
from ansinh.lib.spreadsheets import LimitError, Reader, SpreadsheetError, Writer, file_name as _file_name, find_sheet, \
    read_workbook
from ansinh.lib.tabular import (NO, YES, Column, ImportProblems, Problem, Problems, Row, message, read_table,
                                record_refused, scope_of)
from ansinh.lib.vietnamese import fold, sort_key

from .models import (
    Area,
    Disability,
    Education,
    Employment,
    Household,
    HouseholdEvent,
    HouseholdEventKind,
    HouseholdStatus,
    Housing,
    Latrine,
    LivingConditions,
    Member,
    Relation,
    Schooling,
    Sex,
    WaterSource,
)
from .services import citizen_ids_elsewhere_audit

SHEET_HOUSEHOLDS = "Hộ gia đình"
SHEET_MEMBERS = "Thành viên"
SHEET_CONDITIONS = "Điều kiện sống"
SHEET_GUIDE = "Hướng dẫn"
SHEET_LISTS = "Danh mục"
SHEET_ORDER = [SHEET_HOUSEHOLDS, SHEET_MEMBERS, SHEET_CONDITIONS]
HEADER_SEARCH_ROWS = 10  # the header row is the first of these rows that has "Mã hộ"
CHUNK = 5_000  # values per IN (...) query: well below SQLite's and PostgreSQL's parameter limits

# --- Vietnamese labels of the choices (the model's msgids are English) -----------------------

AREA_LABELS: dict[str, str] = {Area.URBAN: "Thành thị", Area.RURAL: "Nông thôn"}
SEX_LABELS: dict[str, str] = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
RELATION_LABELS: dict[str, str] = {
    Relation.HEAD: "Chủ hộ", Relation.SPOUSE: "Vợ/Chồng", Relation.CHILD: "Con", Relation.PARENT: "Cha/Mẹ",
    Relation.GRANDCHILD: "Cháu", Relation.GRANDPARENT: "Ông/Bà", Relation.SIBLING: "Anh/Chị/Em",
    Relation.OTHER: "Khác",
}
SCHOOLING_LABELS: dict[str, str] = {
    Schooling.NONE: "Không đi học", Schooling.PRESCHOOL: "Mầm non", Schooling.PRIMARY: "Tiểu học",
    Schooling.LOWER_SECONDARY: "Trung học cơ sở", Schooling.UPPER_SECONDARY: "Trung học phổ thông",
    Schooling.VOCATIONAL: "Giáo dục nghề nghiệp", Schooling.HIGHER: "Cao đẳng/Đại học",
}
EDUCATION_LABELS: dict[str, str] = {
    Education.NONE: "Chưa có bằng cấp", Education.PRIMARY: "Tiểu học", Education.LOWER_SECONDARY: "Trung học cơ sở",
    Education.UPPER_SECONDARY: "Trung học phổ thông", Education.VOCATIONAL: "Sơ cấp/Trung cấp nghề",
    Education.HIGHER: "Cao đẳng/Đại học trở lên",
}
EMPLOYMENT_LABELS: dict[str, str] = {
    Employment.CONTRACT: "Làm công, có hợp đồng lao động",
    Employment.NO_CONTRACT: "Làm công, không có hợp đồng lao động",
    Employment.SELF_EMPLOYED: "Tự làm, sản xuất kinh doanh của hộ",
    Employment.UNEMPLOYED: "Thất nghiệp",
    Employment.INACTIVE: "Không tham gia lao động (đi học, nghỉ hưu, nội trợ…)",
}
DISABILITY_LABELS: dict[str, str] = {Disability.NONE: "Không", Disability.MILD: "Nhẹ", Disability.SEVERE: "Nặng",
                     Disability.ESPECIALLY_SEVERE: "Đặc biệt nặng"}
HOUSING_LABELS: dict[str, str] = {Housing.DURABLE: "Kiên cố", Housing.SEMI_DURABLE: "Bán kiên cố",
                  Housing.LESS_DURABLE: "Thiếu kiên cố", Housing.SIMPLE: "Đơn sơ"}
WATER_LABELS: dict[str, str] = {
    WaterSource.PIPED: "Nước máy", WaterSource.DRILLED_WELL: "Giếng khoan",
    WaterSource.PROTECTED_WELL: "Giếng đào được bảo vệ", WaterSource.RAINWATER: "Nước mưa được trữ an toàn",
    WaterSource.BOTTLED: "Nước đóng bình, nước đã lọc", WaterSource.UNPROTECTED: "Giếng, nguồn không được bảo vệ",
    WaterSource.SURFACE: "Sông, hồ, ao, kênh rạch",
}
LATRINE_LABELS: dict[str, str] = {
    Latrine.FLUSH: "Tự hoại, bán tự hoại", Latrine.DOUBLE_VAULT: "Hai ngăn ủ phân",
    Latrine.VENTILATED_PIT: "Chìm có ống thông hơi", Latrine.UNHYGIENIC: "Không hợp vệ sinh",
    Latrine.NONE: "Không có nhà tiêu",
}
# Other spellings met in commune spreadsheets (folded).
ALIASES: dict[str, dict[str, str]] = {
    "relation": {"vo": "spouse", "chong": "spouse", "cha": "parent", "me": "parent", "bo": "parent",
                 "con trai": "child", "con gai": "child", "con de": "child", "con nuoi": "child",
                 "chau noi": "grandchild", "chau ngoai": "grandchild", "anh": "sibling", "chi": "sibling",
                 "em": "sibling", "anh chi em": "sibling", "nguoi than khac": "other", "chu ho": "head"},
    "sex": {"nu": "female", "gioi tinh nu": "female", "gioi tinh nam": "male"},
    "schooling": {"khong": "none", "mau giao": "preschool", "nha tre": "preschool", "thcs": "lower_secondary",
                  "thpt": "upper_secondary", "cap 1": "primary", "cap 2": "lower_secondary",
                  "cap 3": "upper_secondary", "hoc nghe": "vocational", "trung cap": "vocational",
                  "cao dang": "higher", "dai hoc": "higher"},
    "education": {"khong": "none", "khong co": "none", "thcs": "lower_secondary", "thpt": "upper_secondary",
                  "cap 1": "primary", "cap 2": "lower_secondary", "cap 3": "upper_secondary",
                  "so cap": "vocational", "trung cap": "vocational", "cao dang": "higher", "dai hoc": "higher"},
    "employment": {"co hop dong": "contract", "khong hop dong": "no_contract", "khong co hop dong": "no_contract",
                   "tu lam": "self_employed", "lam nong": "self_employed", "khong lam viec": "inactive",
                   "nghi huu": "inactive", "noi tro": "inactive", "di hoc": "inactive",
                   "khong tham gia lao dong": "inactive"},
    "disability": {"khong khuyet tat": "none", "khuyet tat nhe": "mild", "khuyet tat nang": "severe",
                   "khuyet tat dac biet nang": "especially_severe"},
    "area": {"thanh pho": "urban", "do thi": "urban", "nong thon": "rural"},
    "water": {"nuoc may": "piped", "gieng khoan": "drilled_well", "nuoc mua": "rainwater", "song": "surface",
              "ao": "surface", "kenh": "surface"},
    "latrine": {"tu hoai": "flush", "ban tu hoai": "flush", "khong co": "none", "khong": "none"},
    "housing": {},
}
def _model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _model_default(model: type[models.Model], name: str) -> Any:
    return _model_field(model, name).get_default()


def _bool(header: str, model: type[models.Model], name: str, note: str, width: int = 12) -> Column:
    return Column(header, name, "yes_no", note, default=_model_default(model, name), width=width)


def _choice(header: str, model: type[models.Model], name: str, labels: Mapping[str, str], aliases: str, note: str,
            *, required: bool = False, width: int = 18) -> Column:
    default = None if required else _model_default(model, name)
    return Column(header, name, "choice", note, required=required, labels=labels, choice_aliases=ALIASES[aliases],
                  default=default, width=width)


HOUSEHOLD_COLUMNS = [
    Column("Mã hộ", "code", "code", "Mã hộ trong sổ hộ của xã; không trùng với hộ đã có trong hệ thống. Các sheet "
           "Thành viên và Điều kiện sống dùng mã này để nối với hộ.", required=True, max_length=40, width=16),
    Column("Mã xã", "commune", "code", "Mã xã/phường/đặc khu theo bản đồ hành chính từ 01/07/2025 (5 chữ số, "
           "ví dụ 29461 là Xã Trà Cú, tỉnh Vĩnh Long). Chỉ nhập được hộ của đơn vị mình phụ trách.",
           required=True, width=10),
    Column("Thôn/ấp", "hamlet", "text", "Tên thôn/ấp/khóm/tổ dân phố đã khai báo trong xã (trang Bản đồ hành chính). "
           "Không bắt buộc.", max_length=200, width=18),
    Column("Mã xã cũ", "legacy_commune", "code", "Mã xã/phường/thị trấn trước 01/07/2025 nơi hộ đăng ký, nếu biết. "
           "Phải là một trong các xã cũ đã hợp thành xã mới (trang của xã trên Bản đồ hành chính liệt kê các xã "
           "cũ). Không bắt buộc.", width=10),
    Column("Địa chỉ", "address", "text", "Số nhà, đường, thôn/ấp. Không bắt buộc.", max_length=255, width=32),
    Column("Khu vực", "area", "choice", "Thành thị hoặc Nông thôn. Để trống: phường là thành thị, xã và đặc khu là "
           "nông thôn (Nghị định 07/2021/NĐ-CP).", labels=AREA_LABELS, choice_aliases=ALIASES["area"], width=12),
    Column("Dân tộc chủ hộ", "head_ethnicity", "ethnicity", "Tên dân tộc (ví dụ Kinh, Khmer) hoặc mã 01–55 theo "
           "danh mục của Tổng cục Thống kê. Dùng làm dân tộc của thành viên nào để trống cột Dân tộc; phải khớp "
           "với dân tộc của chủ hộ nếu cả hai được ghi.", width=14),
]

MEMBER_COLUMNS = [
    Column("Mã hộ", "household", "code", "Mã hộ của một hộ trong sheet Hộ gia đình.", required=True, max_length=40,
           width=16),
    Column("Họ và tên", "full_name", "text", "Họ và tên đầy đủ, có dấu.", required=True, max_length=150, width=24),
    Column("Số định danh cá nhân", "citizen_id", "citizen_id", "12 chữ số (số căn cước công dân). Ô được định dạng "
           "văn bản để giữ số 0 ở đầu. Chữ số thứ 4 phải khớp giới tính và thế kỷ sinh, chữ số 5–6 khớp năm sinh "
           "(Nghị định 137/2015/NĐ-CP). Để trống nếu chưa có.", width=16),
    Column("Giới tính", "sex", "choice", "Nam hoặc Nữ.", required=True, labels=SEX_LABELS,
           choice_aliases=ALIASES["sex"], width=9),
    Column("Ngày sinh", "birth_date", "date", "Dạng dd/mm/yyyy (ví dụ 05/03/1980) hoặc ô ngày của Excel. Không "
           "được sau ngày hôm nay.", required=True, width=12, past=True),
    Column("Quan hệ với chủ hộ", "relation", "choice", "Mỗi hộ có đúng một người là Chủ hộ.", required=True,
           labels=RELATION_LABELS, choice_aliases=ALIASES["relation"], width=14),
    Column("Dân tộc", "ethnicity", "ethnicity", "Tên dân tộc hoặc mã 01–55. Để trống: theo cột Dân tộc chủ hộ của "
           "hộ, nếu không có thì Kinh.", width=12),
    _bool("Có thẻ BHYT", Member, "health_insurance", "Đang có thẻ bảo hiểm y tế còn hạn. Để trống: Có."),
    _choice("Đang đi học (cấp)", Member, "schooling", SCHOOLING_LABELS, "schooling",
            "Cấp học hoặc loại trường đang theo học. Để trống: Không đi học."),
    _choice("Trình độ cao nhất", Member, "education", EDUCATION_LABELS, "education",
            "Bằng cấp, chứng chỉ cao nhất đã có. Để trống: Chưa có bằng cấp."),
    _bool("Đang tham gia đào tạo", Member, "in_training", "Đang học một khóa đào tạo nghề. Để trống: Không."),
    _choice("Việc làm", Member, "employment", EMPLOYMENT_LABELS, "employment",
            "Tình trạng việc làm. Để trống: Không tham gia lao động.", width=28),
    _bool("Có khả năng lao động", Member, "can_work", "Để trống: Có."),
    _choice("Khuyết tật", Member, "disability", DISABILITY_LABELS, "disability",
            "Mức độ khuyết tật theo giấy xác nhận. Để trống: Không.", width=12),
    _bool("Hưởng lương hưu/BHXH hằng tháng", Member, "pension", "Để trống: Không."),
    _bool("Hưởng trợ cấp xã hội hằng tháng", Member, "social_allowance", "Để trống: Không."),
    _bool("Người có công", Member, "meritorious", "Người có công với cách mạng. Để trống: Không."),
    _bool("Suy dinh dưỡng thấp còi", Member, "stunted", "Trẻ em dưới 16 tuổi suy dinh dưỡng chiều cao theo tuổi. "
          "Để trống: Không."),
    _bool("Suy dinh dưỡng nhẹ cân", Member, "underweight", "Trẻ em dưới 16 tuổi suy dinh dưỡng cân nặng theo tuổi. "
          "Để trống: Không."),
    _bool("Sử dụng internet", Member, "uses_internet", "Để trống: Không."),
    _bool("Ốm đau không khám chữa bệnh", Member, "sick_untreated", "Bị ốm đau trong 12 tháng qua mà không đi khám "
          "chữa bệnh. Để trống: Không."),
]

CONDITION_COLUMNS = [
    Column("Mã hộ", "household", "code", "Mã hộ trong sheet Hộ gia đình, hoặc mã một hộ đã có trong hệ thống.",
           required=True, max_length=40, width=16),
    Column("Năm rà soát", "year", "year", "Năm của kỳ rà soát (ví dụ 2025). Mỗi hộ một dòng cho mỗi năm.",
           required=True, width=10),
    _choice("Loại nhà", LivingConditions, "housing", HOUSING_LABELS, "housing", "Loại nhà đang ở.", required=True,
            width=14),
    Column("Diện tích ở (m²)", "floor_area", "decimal", "Diện tích nhà ở của cả hộ, m², một chữ số thập phân "
           "(ví dụ 36 hoặc 36,5).", required=True, width=10, limits=(Decimal("0.1"), Decimal("99999.9")), places=1),
    _choice("Nguồn nước", LivingConditions, "water_source", WATER_LABELS, "water", "Nguồn nước sinh hoạt chính.",
            required=True, width=24),
    _choice("Nhà tiêu", LivingConditions, "latrine", LATRINE_LABELS, "latrine", "Loại nhà tiêu đang dùng.",
            required=True, width=20),
    _bool("Rác thải được thu gom/xử lý", LivingConditions, "waste_treated", "Để trống: Có."),
    _bool("Ti vi", LivingConditions, "has_tv", "Để trống: Không.", width=8),
    _bool("Radio", LivingConditions, "has_radio", "Để trống: Không.", width=8),
    _bool("Máy tính", LivingConditions, "has_computer", "Máy tính hoặc máy tính bảng. Để trống: Không.", width=9),
    _bool("Điện thoại", LivingConditions, "has_phone", "Để trống: Không.", width=9),
    _bool("Nghe loa truyền thanh", LivingConditions, "hears_loudspeaker", "Nghe được loa truyền thanh của xã, "
          "thôn. Để trống: Không."),
    Column("Thu nhập bình quân (đồng/người/tháng)", "income_per_capita", "decimal", "Thu nhập bình quân đầu người "
           "mỗi tháng, đồng (ví dụ 1.200.000). Để trống: ước tính theo bảng chấm điểm (mẫu B1).", width=16,
           limits=(Decimal(0), Decimal("999999999999"))),
    _bool("Cần vay vốn", LivingConditions, "needs_credit", "Cần vay vốn ưu đãi. Để trống: Không.", width=10),
    _bool("Cần hỗ trợ nhà ở", LivingConditions, "needs_housing", "Để trống: Không.", width=10),
    _bool("Cần nước sạch", LivingConditions, "needs_water", "Để trống: Không.", width=10),
    _bool("Cần nhà tiêu", LivingConditions, "needs_latrine", "Cần nhà tiêu hợp vệ sinh. Để trống: Không.", width=10),
    _bool("Cần học nghề", LivingConditions, "needs_training", "Để trống: Không.", width=10),
    _bool("Cần giới thiệu việc làm", LivingConditions, "needs_job", "Để trống: Không.", width=10),
    _bool("Cần trợ cấp hằng tháng", LivingConditions, "needs_monthly_support", "Để trống: Không.", width=10),
]

SHEETS: dict[str, list[Column]] = {
    SHEET_HOUSEHOLDS: HOUSEHOLD_COLUMNS, SHEET_MEMBERS: MEMBER_COLUMNS, SHEET_CONDITIONS: CONDITION_COLUMNS,
}


# --- Problems and results ---------------------------------------------------------------------

HouseholdImportError = ImportProblems  # the name the pages and the CLI catch


@dataclass(frozen=True)
class ImportResult:
    file: str
    households: int
    members: int
    conditions: int
    household_ids: range = range(0)
    written: bool = True


# --- Checking rows against each other and the registry ----------------------------------------


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _existing(queryset: Any, name: str, values: Iterable[Any], *fields: str) -> list[Any]:
    """Rows of `queryset` whose `name` is among `values`, a chunk at a time."""
    wanted = sorted(set(values))
    out: list[Any] = []
    for chunk in _chunks(wanted):
        out.extend(queryset.filter(**{f"{name}__in": chunk}).values_list(*fields))
    return out


def _existing_units(codes: set[str]) -> list[Unit]:
    """Communes of the current map with these codes (Unit.objects.by_code, for many codes at once)."""
    found: list[Unit] = []
    for chunk in _chunks(sorted(codes)):
        found.extend(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, code__in=chunk))
    return found


@dataclass
class Plan:
    """What the file will write once every check passes."""

    households: list[Row] = field(default_factory=list)
    members: list[Row] = field(default_factory=list)
    conditions: list[Row] = field(default_factory=list)
    communes: dict[int, Unit] = field(default_factory=dict)


class _Checker:
    def __init__(self, reader: Problems, allowed: Callable[[Unit], bool] | None) -> None:
        self.reader = reader
        self.allowed = allowed
        self.allowed_cache: dict[int, bool] = {}
        self.elsewhere = 0

    def add(self, row: Row, column: str, text: str) -> None:
        self.reader.add(row.sheet, row.number, column, text)

    def may_change(self, unit: Unit) -> bool:
        if self.allowed is None:
            return True
        if unit.pk not in self.allowed_cache:
            self.allowed_cache[unit.pk] = bool(self.allowed(unit))
        return self.allowed_cache[unit.pk]

    def households(self, rows: list[Row]) -> dict[str, Row]:
        """Checks codes, communes (and scope), hamlets and legacy communes; returns rows by code."""
        by_code: dict[str, Row] = {}
        for row in rows:
            code = row.values["code"]
            if code is None:
                continue
            if code in by_code:
                self.add(row, "Mã hộ", message(gettext_noop("Household code %(code)s repeats row %(row)s."), code=code,
                                                row=by_code[code].number))
            else:
                by_code[code] = row
        for (code,) in _existing(Household.objects.all(), "code", by_code, "code"):
            self.add(by_code[code], "Mã hộ", message(gettext_noop(
                "Household code %(code)s is already in the register."), code=code))
        named = {row.values["commune"] for row in rows if row.values["commune"] is not None}
        communes = {unit.code: unit for unit in _existing_units({c for code in named for c in code_candidates(code)})}
        for row in rows:
            raw = row.values["commune"]
            if raw is None:
                continue
            unit = next((communes[c] for c in code_candidates(raw) if c in communes), None)
            row.values["commune"] = unit
            if unit is None:
                self.add(row, "Mã xã", message(gettext_noop(
                    "There is no commune, ward or special zone with code %(code)s on the map in force from "
                    "01/07/2025."), code=raw))
            elif not self.may_change(unit):
                self.add(row, "Mã xã", message(gettext_noop(
                    "You may not import households of %(unit)s (code %(code)s): this commune is outside your "
                    "scope."), unit=unit.name, code=unit.code))
                row.values["commune"] = None
        self._places(rows)
        return by_code

    def _places(self, rows: list[Row]) -> None:
        """Hamlets by name (or code) under their commune; legacy communes from the crosswalk."""
        commune_ids = {row.values["commune"].pk for row in rows if row.values["commune"] is not None}
        hamlets: dict[tuple[int, str], int] = {}
        hamlet_rows = _existing(Unit.objects.filter(level=Level.HAMLET, valid_to__isnull=True), "parent_id",
                                commune_ids, "parent_id", "search_name", "code", "pk")
        for parent, name, code, pk in hamlet_rows:
            hamlets[(parent, name)] = pk
            hamlets[(parent, fold(code))] = pk
        sources: dict[int, dict[str, int]] = defaultdict(dict)
        for new, old_code, old in _existing(Succession.objects.filter(old__level=Level.COMMUNE), "new_id",
                                            commune_ids, "new_id", "old__code", "old_id"):
            sources[new][old_code] = old
        for row in rows:
            commune: Unit | None = row.values["commune"]
            hamlet, legacy = row.values["hamlet"], row.values["legacy_commune"]
            row.values["hamlet"] = row.values["legacy_commune"] = None
            if commune is None:
                continue
            if hamlet:
                found = hamlets.get((commune.pk, fold(hamlet)))
                if found is None:
                    self.add(row, "Thôn/ấp", message(gettext_noop(
                        "%(commune)s has no hamlet “%(hamlet)s”. Add the hamlet on the commune's page "
                        "(Administrative map), then import again."), commune=commune.name, hamlet=hamlet))
                row.values["hamlet"] = found
            if legacy:
                valid = sources.get(commune.pk, {})
                found = next((valid[c] for c in code_candidates(legacy) if c in valid), None)
                if found is None:
                    listed = ", ".join(sorted(valid)) or "không có"
                    self.add(row, "Mã xã cũ", message(gettext_noop(
                        "Former commune code %(code)s is not one of the former communes merged into %(commune)s "
                        "(valid codes: %(codes)s)."), code=legacy, commune=commune.name, codes=listed))
                row.values["legacy_commune"] = found

    def members(self, rows: list[Row], households: dict[str, Row]) -> None:
        """Household codes, citizen IDs (shape, sex, birth year, duplicates), one head per household."""
        registered = self._registered_codes({row.values["household"] for row in rows} - set(households))
        seen_ids: dict[str, Row] = {}
        heads: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            values = row.values
            code = values["household"]
            if code is not None and code not in households:
                if code in registered:
                    self.add(row, "Mã hộ", message(gettext_noop(
                        "Household %(code)s is already in the register: add members on the household's page, not "
                        "through a file."), code=code))
                else:
                    self.add(row, "Mã hộ", message(gettext_noop(
                        "Household code %(code)s is not in the sheet %(sheet)s."), code=code, sheet=SHEET_HOUSEHOLDS))
            household = households.get(code) if code is not None else None
            stated = household.values["head_ethnicity"] if household is not None else None
            if values["relation"] == Relation.HEAD and code is not None:
                heads[code].append(row)
                if stated and values["ethnicity"] and values["ethnicity"] != stated:
                    self.add(row, "Dân tộc", message(gettext_noop(
                        "The head's ethnic group (%(group)s) differs from the column Dân tộc chủ hộ of household "
                        "%(code)s (%(stated)s)."), group=ethnicity_name(values["ethnicity"]), code=code,
                        stated=ethnicity_name(stated)))
            # A member's blank ethnicity is the household's stated one (usually the family's), else Kinh.
            values["ethnicity"] = values["ethnicity"] or stated or KINH
            number = values["citizen_id"]
            if not number:
                values["citizen_id"] = None
                continue
            birth = values["birth_date"]
            try:
                check_citizen_id(number, sex=values["sex"], birth_year=birth.year if birth else None)
            except CitizenIdError as error:
                self.add(row, "Số định danh cá nhân", str(error))
                continue
            if number in seen_ids:
                self.add(row, "Số định danh cá nhân", message(gettext_noop(
                    "Citizen ID %(number)s repeats row %(row)s."), number=number, row=seen_ids[number].number))
            else:
                seen_ids[number] = row
        found = _existing(Member.objects.all(), "citizen_id", seen_ids, "citizen_id", "household__commune_id")
        communes = Unit.objects.in_bulk({commune for _, commune in found})
        # Provinces by the communes' paths: one query, whatever the number of communes.
        above = {c.pk: [int(part) for part in c.path.strip("/").split("/")] for c in communes.values()}
        provinces = Unit.objects.filter(pk__in={i for ids in above.values() for i in ids},
                                        level=Level.PROVINCE).in_bulk()
        for number, commune_id in found:
            commune = communes[commune_id]
            if self.may_change(commune):
                self.add(seen_ids[number], "Số định danh cá nhân", f"Số định danh {number} đã có trong sổ hộ (một "
                                                                   f"thành viên đã đăng ký).")
                continue
            # Outside the importer's communes: where to send the person, not which household holds them.
            self.elsewhere += 1
            province = next((provinces[i] for i in above[commune.pk] if i in provinces), commune)
            self.add(seen_ids[number], "Số định danh cá nhân", "Số định danh này đã được đăng ký ở địa phương khác; "
                                                               "liên hệ Sở Nội vụ hoặc đơn vị quản lý hộ ở "
                                                               f"{province.name} để chuyển khẩu.")
        for code, row in households.items():
            found = heads.get(code, [])
            if not found:
                self.add(row, "Mã hộ", message(gettext_noop(
                    "Household %(code)s has no head: the sheet %(sheet)s needs exactly one person whose "
                    "Quan hệ với chủ hộ is “Chủ hộ”."), code=code, sheet=SHEET_MEMBERS))
            for extra in found[1:]:
                self.add(extra, "Quan hệ với chủ hộ", message(gettext_noop(
                    "Household %(code)s already has its head on row %(row)s: a household has one head."),
                    code=code, row=found[0].number))

    def _registered_codes(self, codes: set[Any]) -> set[str]:
        return {code for (code,) in _existing(Household.objects.all(), "code", {c for c in codes if c}, "code")}

    def conditions(self, rows: list[Row], households: dict[str, Row]) -> dict[str, tuple[int, Unit]]:
        """Household codes (in the file, or registered and in scope), years, duplicates. Returns the
        registered households the file adds conditions to, by code."""
        others = {row.values["household"] for row in rows} - set(households) - {None}
        registered: dict[str, tuple[int, Unit]] = {}
        found = _existing(Household.objects.all(), "code", others, "code", "pk", "commune_id")
        units = Unit.objects.in_bulk({commune for _, _, commune in found})
        for code, pk, commune in found:
            registered[code] = (pk, units[commune])
        existing_years = set(_existing(LivingConditions.objects.all(), "household_id",
                                       [pk for pk, _ in registered.values()], "household_id", "year"))
        seen: dict[tuple[str, int], Row] = {}
        for row in rows:
            code, year = row.values["household"], row.values["year"]
            if code is None:
                continue
            if code not in households:
                if code not in registered:
                    self.add(row, "Mã hộ", message(gettext_noop(
                        "Household code %(code)s is neither in the sheet %(sheet)s nor in the register."),
                        code=code, sheet=SHEET_HOUSEHOLDS))
                    continue
                pk, commune = registered[code]
                if not self.may_change(commune):
                    self.add(row, "Mã hộ", message(gettext_noop(
                        "You may not change household %(code)s of %(commune)s: this commune is outside your "
                        "scope."), code=code, commune=commune.name))
                    continue
                if year is not None and (pk, year) in existing_years:
                    self.add(row, "Năm rà soát", message(gettext_noop(
                        "Household %(code)s already has living conditions for %(year)s in the register; change "
                        "them on the household's page."), code=code, year=year))
            if year is None:
                continue
            if (code, year) in seen:
                self.add(row, "Năm rà soát", message(gettext_noop(
                    "Household %(code)s already has living conditions for %(year)s on row %(row)s."), code=code,
                    year=year, row=seen[(code, year)].number))
            else:
                seen[(code, year)] = row
        return registered


# --- Writing ----------------------------------------------------------------------------------


def _columns(model: type[models.Model], given: Sequence[str], now: dt.datetime) -> tuple[list[str], tuple[Any, ...]]:
    """Database columns: the `given` fields (attnames) first, then every other concrete field with
    the value the ORM would give it (its default, or now for auto_now fields), adapted once."""
    columns = [str(_model_field(model, name).column) for name in given]
    rest: list[Any] = []
    for model_field in model._meta.concrete_fields:
        if model_field.attname in given or model_field.primary_key:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value: Any = now
        elif model_field.has_default():
            value = model_field.get_default()
        elif model_field.null:
            value = None
        elif model_field.blank:
            value = ""
        else:
            raise RuntimeError(f"The import does not fill {model.__name__}.{model_field.name}.")
        columns.append(str(model_field.column))
        rest.append(model_field.get_db_prep_save(value, connection))
    return columns, tuple(rest)


def derived_household_fields(*, code: str, head_name: str, address: str) -> tuple[str, str]:
    """search_text and sort_key exactly as `Household.set_derived_fields` computes them."""
    return fold(f"{head_name} {code} {address}")[:400], sort_key(head_name or code)


def derived_member_fields(full_name: str) -> tuple[str, str]:
    """search_name and sort_key exactly as `Member.set_derived_fields` computes them."""
    return fold(full_name), sort_key(full_name)


HOUSEHOLD_GIVEN = ["id", "code", "commune_id", "hamlet_id", "legacy_commune_id", "address", "area", "area_overridden",
                   "head_name", "head_ethnicity", "status", "search_text", "sort_key"]
MEMBER_VALUES = [column.key for column in MEMBER_COLUMNS[1:]]
MEMBER_GIVEN = ["household_id", *MEMBER_VALUES, "search_name", "sort_key"]
CONDITION_VALUES = [column.key for column in CONDITION_COLUMNS[1:]]
CONDITION_GIVEN = ["household_id", *CONDITION_VALUES]
EVENT_GIVEN = ["household_id", "kind", "on", "note", "actor_id"]


def _lock_tables() -> None:
    """`next_ids` needs the write lock: SQLite takes it at BEGIN (transaction_mode IMMEDIATE); on
    PostgreSQL, keep other writers of households out until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Household._meta.db_table)} "
                           f"IN SHARE ROW EXCLUSIVE MODE")


def _common_unit(communes: Iterable[Unit]) -> Unit | None:
    """The smallest unit containing all the communes (the commune itself when there is one)."""
    paths = [unit.path.strip("/").split("/") for unit in communes]
    if not paths:
        return None
    common: list[str] = []
    for parts in zip(*paths, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return Unit.objects.filter(pk=int(common[-1])).first() if common else None


def _commit(plan: Plan, registered: dict[str, tuple[int, Unit]], *, actor: Actor,
            name: str) -> ImportResult:
    now = timezone.now()
    today = timezone.localdate()
    heads = {row.values["household"]: row.values for row in plan.members if row.values["relation"] == Relation.HEAD}
    note = f"Nhập từ tệp {name}"[:255] if name else "Nhập từ tệp Excel"
    with transaction.atomic():
        _lock_tables()
        ids = next_ids(Household, len(plan.households))
        household_ids: dict[str, int] = {}
        household_rows = []
        for pk, row in zip(ids, plan.households, strict=True):
            values = row.values
            commune: Unit = values["commune"]
            head = heads[values["code"]]
            natural = Area.URBAN if commune.is_urban else Area.RURAL
            area = values["area"] or natural
            search_text, key = derived_household_fields(code=values["code"], head_name=head["full_name"],
                                                        address=values["address"] or "")
            household_ids[values["code"]] = pk
            household_rows.append((pk, values["code"], commune.pk, values["hamlet"], values["legacy_commune"],
                                   values["address"] or "", area, area != natural, head["full_name"],
                                   head["ethnicity"], HouseholdStatus.ACTIVE.value, search_text, key))
        columns, rest = _columns(Household, HOUSEHOLD_GIVEN, now)
        insert_rows(Household, columns, (row + rest for row in household_rows))
        for code, (pk, _) in registered.items():
            household_ids.setdefault(code, pk)

        columns, rest = _columns(Member, MEMBER_GIVEN, now)
        insert_rows(Member, columns, (
            (household_ids[v["household"]], *(v[name] for name in MEMBER_VALUES),
             *derived_member_fields(v["full_name"])) + rest
            for v in (row.values for row in plan.members)))
        columns, rest = _columns(LivingConditions, CONDITION_GIVEN, now)
        insert_rows(LivingConditions, columns, (
            (household_ids[v["household"]], *(v[name] for name in CONDITION_VALUES)) + rest
            for v in (row.values for row in plan.conditions)))
        columns, rest = _columns(HouseholdEvent, EVENT_GIVEN, now)
        who = user_of(actor)
        actor_id = who.pk if who is not None else None
        insert_rows(HouseholdEvent, columns, (
            (pk, HouseholdEventKind.CREATED.value, today, note, actor_id) + rest for pk in ids))

        # One audit row for the import (Decree 13/2023/NĐ-CP, Art. 27), on one household it wrote.
        communes = list(plan.communes.values()) + [unit for _, unit in registered.values()]
        first_code = plan.households[0].values["code"] if plan.households else next(iter(registered))
        subject = Household(pk=household_ids[first_code], code=first_code,
                            head_name=heads[first_code]["full_name"] if first_code in heads else "")
        audit.record(actor=actor, action="households.import", obj=subject, unit=_common_unit(communes),
                     after={"file": name, "households": len(plan.households), "members": len(plan.members),
                            "conditions": len(plan.conditions)})
    return ImportResult(file=name, households=len(plan.households), members=len(plan.members),
                        conditions=len(plan.conditions), household_ids=ids)


# --- The service ------------------------------------------------------------------------------


def _sort(problems: list[Problem]) -> list[Problem]:
    sheets = {sheet: i for i, sheet in enumerate(SHEET_ORDER)}
    headers = {sheet: {c.header: i for i, c in enumerate(columns)} for sheet, columns in SHEETS.items()}
    return sorted(problems, key=lambda p: (sheets.get(p.sheet, -1), p.row,
                                           headers.get(p.sheet, {}).get(p.column, -1)))


def _check(workbook: Reader, allowed: Callable[[Unit], bool] | None,
           counted: list[int]) -> tuple[Plan, dict[str, tuple[int, Unit]]]:
    reader = Problems()
    plan = Plan()
    sheets = {title: find_sheet(workbook, title) for title in SHEET_ORDER}
    for title in (SHEET_HOUSEHOLDS, SHEET_MEMBERS):
        if sheets[title] is None:
            reader.add(title, 0, "", message(gettext_noop("The file has no sheet “%(sheet)s” (use the template "
                                                          "downloaded from the system)."), sheet=title))
            reader.broken = True
    read: list[tuple[str, list[Column]]] = [(SHEET_HOUSEHOLDS, HOUSEHOLD_COLUMNS), (SHEET_MEMBERS, MEMBER_COLUMNS),
                                            (SHEET_CONDITIONS, CONDITION_COLUMNS)]
    for title, columns in read:
        found = sheets[title]
        if found is not None:
            rows = read_table(workbook.rows(found), title, columns, reader, epoch=workbook.epoch)
            counted[0] += len(rows)
            setattr(plan, {SHEET_HOUSEHOLDS: "households", SHEET_MEMBERS: "members"}.get(title, "conditions"), rows)
    registered: dict[str, tuple[int, Unit]] = {}
    checker = _Checker(reader, allowed)
    if not reader.broken:
        households = checker.households(plan.households)
        checker.members(plan.members, households)
        registered = checker.conditions(plan.conditions, households)
        # Only the registered households the conditions sheet names are kept.
        used = {row.values["household"] for row in plan.conditions}
        registered = {code: found for code, found in registered.items() if code in used}
    if not reader.problems and not plan.households and not plan.conditions:
        reader.add("", 0, "", message(gettext_noop("The file has no data rows.")))
    if reader.problems:
        raise HouseholdImportError(_sort(reader.problems), elsewhere=checker.elsewhere)
    plan.communes = {row.values["commune"].pk: row.values["commune"] for row in plan.households}
    return plan, registered


def household_import(*, actor: Actor, data: bytes | str | Path | IO[bytes],
                     allowed: Callable[[Unit], bool] | None = None, name: str = "",
                     dry_run: bool = False) -> ImportResult:
    """Checks the whole file, then writes all of it in one transaction, or nothing.

    `allowed(commune)` says whether the importer may change a commune's households (the web
    passes `get_scope(user).can_change`); None means the actor's own scope, or every commune when
    there is no actor (the CLI run by an operator).
    Raises HouseholdImportError listing every problem; with `dry_run`, only checks.
    """
    counted = [0]
    allowed = scope_of(actor, allowed)
    try:
        try:
            (plan, registered), file_name = read_workbook(data, lambda workbook: _check(workbook, allowed, counted))
        except LimitError as error:
            raise HouseholdImportError([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                                   reason=error))]) from None
        except SpreadsheetError:
            raise HouseholdImportError([Problem("", 0, "", message(gettext_noop(
                "The file cannot be read: an Excel .xlsx file is needed (use the template downloaded from the "
                "system).")))]) from None
    except HouseholdImportError as refused:
        if refused.elsewhere and actor.user is not None:
            units = get_scope(actor.user).units
            citizen_ids_elsewhere_audit(actor=actor, obj=actor.user, count=refused.elsewhere,
                                        unit=units[0] if units else None, source="import")
        record_refused(actor=actor, kind="households", name=name or _file_name(data), rows=counted[0],
                       problems=refused.problems, check=dry_run)
        raise
    name = name or file_name
    if dry_run:
        return ImportResult(file=name, households=len(plan.households), members=len(plan.members),
                            conditions=len(plan.conditions), written=False)
    try:
        return _commit(plan, registered, actor=actor, name=name)
    except IntegrityError:
        # Someone registered the same household code or citizen ID between the checks and the write.
        raise HouseholdImportError([Problem("", 0, "", message(gettext_noop(
            "The register changed during the import (a household code or citizen ID was added meanwhile). "
            "Nothing was written; import the file again.")))]) from None


# --- The template -----------------------------------------------------------------------------


GUIDE_STEPS = [
    f"Sheet «{SHEET_HOUSEHOLDS}»: mỗi hộ một dòng.",
    f"Sheet «{SHEET_MEMBERS}»: mỗi người một dòng; cột Mã hộ nối người đó với hộ. Mỗi hộ có đúng một Chủ hộ.",
    f"Sheet «{SHEET_CONDITIONS}» (không bắt buộc): mỗi hộ một dòng cho mỗi năm rà soát; có thể ghi cho hộ đã có "
    "trong hệ thống.",
    "Cột có tiêu đề tô màu cam là bắt buộc. Cột có danh sách thả xuống nhận các giá trị trong danh mục, không phân "
    "biệt chữ hoa, chữ thường, có dấu hay không dấu. Các cột Có/Không để trống thì lấy giá trị ghi ở cột «Để trống».",
    "Không đổi tên sheet và tiêu đề cột. Cột thêm vào (ghi chú) được bỏ qua.",
    "Tải tệp lên trang «Nhập hộ từ Excel», hoặc chạy lệnh: ansinh households import TÊN_TỆP.xlsx",
    "Hệ thống kiểm tra toàn bộ tệp trước khi ghi: chỉ cần một dòng sai là không dòng nào được ghi, và mỗi lỗi được "
    "báo theo sheet, dòng, cột để sửa rồi nhập lại.",
    "Số định danh cá nhân là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): giữ tệp cẩn thận, xóa sau khi nhập xong.",
]


def _sample_rows() -> dict[str, list[dict[str, Any]]]:
    """Five households of Xã Trà Cú (29461, Vĩnh Long) for newcomers to try; IDs are made up but
    well-formed (084 = Trà Vinh, where the births were registered)."""
    d = dt.date
    households: list[dict[str, Any]] = [
        {"Mã hộ": "TC-0001", "Mã xã": "29461", "Mã xã cũ": "29461", "Địa chỉ": "Ấp Chợ, Xã Trà Cú",
         "Dân tộc chủ hộ": "Khmer"},
        {"Mã hộ": "TC-0002", "Mã xã": "29461", "Mã xã cũ": "29461", "Địa chỉ": "12 đường 3 Tháng 2, Xã Trà Cú",
         "Dân tộc chủ hộ": "Kinh"},
        {"Mã hộ": "TC-0003", "Mã xã": "29461", "Mã xã cũ": "29479", "Địa chỉ": "Ấp Xoài Xiêm, Xã Trà Cú",
         "Dân tộc chủ hộ": "Khmer"},
        {"Mã hộ": "TC-0004", "Mã xã": "29461", "Mã xã cũ": "29485", "Địa chỉ": "Ấp Bến Thế, Xã Trà Cú",
         "Dân tộc chủ hộ": "Kinh"},
        {"Mã hộ": "TC-0005", "Mã xã": "29461", "Địa chỉ": "Ấp Chợ, Xã Trà Cú", "Dân tộc chủ hộ": "05"},
    ]
    worker = {"Việc làm": "Tự làm, sản xuất kinh doanh của hộ", "Trình độ cao nhất": "Tiểu học"}
    members: list[dict[str, Any]] = [
        {"Mã hộ": "TC-0001", "Họ và tên": "Thạch Sol", "Số định danh cá nhân": "084078001234", "Giới tính": "Nam",
         "Ngày sinh": d(1978, 4, 12), "Quan hệ với chủ hộ": "Chủ hộ", **worker},
        {"Mã hộ": "TC-0001", "Họ và tên": "Kim Thị Sa Phol", "Số định danh cá nhân": "084180002345",
         "Giới tính": "Nữ", "Ngày sinh": d(1980, 9, 3), "Quan hệ với chủ hộ": "Vợ/Chồng",
         "Việc làm": "Làm công, không có hợp đồng lao động", "Trình độ cao nhất": "Tiểu học", "Có thẻ BHYT": "Không"},
        {"Mã hộ": "TC-0001", "Họ và tên": "Thạch Minh Tâm", "Số định danh cá nhân": "084210003456",
         "Giới tính": "Nam", "Ngày sinh": "15/06/2010", "Quan hệ với chủ hộ": "Con",
         "Đang đi học (cấp)": "Trung học cơ sở", "Trình độ cao nhất": "Tiểu học", "Sử dụng internet": "Có"},
        {"Mã hộ": "TC-0001", "Họ và tên": "Thạch Thị Bích", "Giới tính": "Nữ", "Ngày sinh": d(2019, 2, 20),
         "Quan hệ với chủ hộ": "Con", "Đang đi học (cấp)": "Mầm non", "Suy dinh dưỡng nhẹ cân": "Có"},
        {"Mã hộ": "TC-0002", "Họ và tên": "Nguyễn Văn An", "Số định danh cá nhân": "084085004567", "Giới tính": "Nam",
         "Ngày sinh": d(1985, 1, 30), "Quan hệ với chủ hộ": "Chủ hộ", "Việc làm": "Làm công, có hợp đồng lao động",
         "Trình độ cao nhất": "Trung học phổ thông", "Sử dụng internet": "Có"},
        {"Mã hộ": "TC-0002", "Họ và tên": "Trần Thị Mai", "Số định danh cá nhân": "084187005678", "Giới tính": "Nữ",
         "Ngày sinh": d(1987, 7, 7), "Quan hệ với chủ hộ": "Vợ/Chồng", "Việc làm": "Tự làm, sản xuất kinh doanh của hộ",
         "Trình độ cao nhất": "Sơ cấp/Trung cấp nghề", "Sử dụng internet": "Có"},
        {"Mã hộ": "TC-0002", "Họ và tên": "Nguyễn Trần Gia Huy", "Giới tính": "Nam", "Ngày sinh": d(2014, 11, 2),
         "Quan hệ với chủ hộ": "Con", "Đang đi học (cấp)": "Tiểu học"},
        {"Mã hộ": "TC-0003", "Họ và tên": "Kim Thị Sa Rinh", "Số định danh cá nhân": "084150006789",
         "Giới tính": "Nữ", "Ngày sinh": d(1950, 3, 8), "Quan hệ với chủ hộ": "Chủ hộ",
         "Có khả năng lao động": "Không", "Hưởng trợ cấp xã hội hằng tháng": "Có",
         "Ốm đau không khám chữa bệnh": "Có"},
        {"Mã hộ": "TC-0003", "Họ và tên": "Thạch Sô Phiếp", "Số định danh cá nhân": "084072007890",
         "Giới tính": "Nam", "Ngày sinh": d(1972, 12, 24), "Quan hệ với chủ hộ": "Con", "Khuyết tật": "Nặng",
         "Có khả năng lao động": "Không"},
        {"Mã hộ": "TC-0004", "Họ và tên": "Lê Thị Hoa", "Số định danh cá nhân": "084182008901", "Giới tính": "Nữ",
         "Ngày sinh": d(1982, 5, 19), "Quan hệ với chủ hộ": "Chủ hộ", **worker},
        {"Mã hộ": "TC-0004", "Họ và tên": "Đặng Văn Bình", "Số định danh cá nhân": "084079009012", "Giới tính": "Nam",
         "Ngày sinh": d(1979, 8, 14), "Quan hệ với chủ hộ": "Vợ/Chồng", "Việc làm": "Thất nghiệp",
         "Trình độ cao nhất": "Trung học cơ sở"},
        {"Mã hộ": "TC-0004", "Họ và tên": "Đặng Thị Ngọc Ánh", "Số định danh cá nhân": "084307010123",
         "Giới tính": "Nữ", "Ngày sinh": d(2007, 10, 1), "Quan hệ với chủ hộ": "Con",
         "Trình độ cao nhất": "Trung học cơ sở", "Việc làm": "Làm công, không có hợp đồng lao động"},
        {"Mã hộ": "TC-0004", "Họ và tên": "Lê Văn Sáu", "Giới tính": "Nam", "Ngày sinh": d(1948, 6, 6),
         "Quan hệ với chủ hộ": "Cha/Mẹ", "Người có công": "Có", "Hưởng lương hưu/BHXH hằng tháng": "Có",
         "Có khả năng lao động": "Không"},
        {"Mã hộ": "TC-0005", "Họ và tên": "Sơn Văn Tha", "Số định danh cá nhân": "084090011234", "Giới tính": "Nam",
         "Ngày sinh": d(1990, 2, 2), "Quan hệ với chủ hộ": "Chủ hộ", **worker},
        {"Mã hộ": "TC-0005", "Họ và tên": "Thạch Thị Sa Vy", "Số định danh cá nhân": "084192012345",
         "Giới tính": "Nữ", "Ngày sinh": d(1992, 12, 12), "Quan hệ với chủ hộ": "Vợ/Chồng", **worker},
    ]
    conditions: list[dict[str, Any]] = [
        {"Mã hộ": "TC-0001", "Năm rà soát": 2025, "Loại nhà": "Thiếu kiên cố", "Diện tích ở (m²)": 28,
         "Nguồn nước": "Giếng khoan", "Nhà tiêu": "Không hợp vệ sinh", "Điện thoại": "Có",
         "Thu nhập bình quân (đồng/người/tháng)": 1_350_000, "Cần vay vốn": "Có", "Cần nhà tiêu": "Có"},
        {"Mã hộ": "TC-0002", "Năm rà soát": 2025, "Loại nhà": "Kiên cố", "Diện tích ở (m²)": 80,
         "Nguồn nước": "Nước máy", "Nhà tiêu": "Tự hoại, bán tự hoại", "Ti vi": "Có", "Máy tính": "Có",
         "Điện thoại": "Có", "Nghe loa truyền thanh": "Có", "Thu nhập bình quân (đồng/người/tháng)": 4_200_000},
        {"Mã hộ": "TC-0003", "Năm rà soát": 2025, "Loại nhà": "Đơn sơ", "Diện tích ở (m²)": 18,
         "Nguồn nước": "Giếng, nguồn không được bảo vệ", "Nhà tiêu": "Không có nhà tiêu",
         "Rác thải được thu gom/xử lý": "Không", "Thu nhập bình quân (đồng/người/tháng)": 900_000,
         "Cần hỗ trợ nhà ở": "Có", "Cần nước sạch": "Có", "Cần trợ cấp hằng tháng": "Có"},
        {"Mã hộ": "TC-0004", "Năm rà soát": 2025, "Loại nhà": "Bán kiên cố", "Diện tích ở (m²)": "45,5",
         "Nguồn nước": "Nước máy", "Nhà tiêu": "Tự hoại, bán tự hoại", "Ti vi": "Có", "Điện thoại": "Có",
         "Thu nhập bình quân (đồng/người/tháng)": "1.800.000", "Cần giới thiệu việc làm": "Có"},
        {"Mã hộ": "TC-0005", "Năm rà soát": 2025, "Loại nhà": "Bán kiên cố", "Diện tích ở (m²)": 40,
         "Nguồn nước": "Giếng khoan", "Nhà tiêu": "Tự hoại, bán tự hoại", "Điện thoại": "Có",
         "Cần học nghề": "Có"},
    ]
    return {SHEET_HOUSEHOLDS: households, SHEET_MEMBERS: members, SHEET_CONDITIONS: conditions}


def template_xlsx(*, sample: bool = False) -> bytes:
    """The import template: the three data sheets with notes on every header and drop-down lists,
    the guide, and the lists of allowed values; with `sample`, five households to try."""
    workbook = Writer(constant_memory=False)  # the lists sheet is written column by column
    border = {"border": 1, "border_color": "#A0A8B4"}
    bold = workbook.format(bold=True)
    centre = {"text_wrap": True, "valign": "vcenter", "align": "center"}
    wrap = workbook.format(text_wrap=True, valign="top")
    wrap_box = workbook.format(text_wrap=True, valign="top", **border)
    required = workbook.format(bold=True, bg_color="#F8CBAD", **border, **centre)
    optional = workbook.format(bold=True, bg_color="#DDEBF7", **border, **centre)
    text = workbook.format(num_format="@")
    date = workbook.format(num_format="DD/MM/YYYY")

    # Sheets in their order in the file: the guide, the data sheets, the lists.
    guide = workbook.sheet(SHEET_GUIDE)
    data_sheets = {title: workbook.sheet(title) for title in SHEETS}
    lists = workbook.sheet(SHEET_LISTS)

    # The lists sheet: one column per list; drop-downs point at these ranges.
    list_ranges: dict[str, str] = {}
    list_columns: list[tuple[str, list[str]]] = [("Có/Không", [YES, NO])]
    for columns in SHEETS.values():
        for column in columns:
            if column.kind == "choice" and column.labels is not None and column.header not in dict(list_columns):
                list_columns.append((column.header, list(column.labels.values())))
    list_columns.append(("Dân tộc", list(ETHNIC_GROUPS.values())))
    list_columns.append(("Mã dân tộc", list(ETHNIC_GROUPS)))
    for index, (title, values) in enumerate(list_columns, start=1):
        letter = _letter(index)
        lists.cell(1, index, title, bold)
        for row, value in enumerate(values, start=2):
            lists.cell(row, index, value)
        lists.widths([max(12, min(48, max(len(v) for v in values) + 2))], first=index)
        list_ranges[title] = f"'{SHEET_LISTS}'!${letter}$2:${letter}${len(values) + 1}"
    lists.freeze(1)

    samples = _sample_rows() if sample else {}
    for title, columns in SHEETS.items():
        sheet = data_sheets[title]
        header = []
        for index, column in enumerate(columns, start=1):
            header.append((column.header, required if column.required else optional))
            default = column.default_text()
            note = f"{column.note}\nGiá trị: {column.allowed_text()}." + (f"\nĐể trống: {default}." if default else "")
            if column.required:
                note = "Bắt buộc. " + note
            sheet.comment(1, index, note, author="ansinh", width=320, height=170)
            typed = column.kind in ("citizen_id", "code")
            sheet.widths([column.width], first=index,
                         formats=[text if typed else date if column.kind == "date" else None])
            if column.kind in ("choice", "yes_no", "ethnicity"):
                source = {"yes_no": "Có/Không", "ethnicity": "Dân tộc"}.get(column.kind, column.header)
                # Ethnicity also takes codes (01–55), which are not in the drop-down.
                sheet.drop_down(index, source=list_ranges[source],
                                error=f"Chọn một giá trị trong danh sách ({column.allowed_text()}).",
                                error_title=column.header, show_error=column.kind != "ethnicity")
        sheet.append(header, height=48)
        sheet.freeze(1, 1)
        for sample_row in samples.get(title, []):
            cells: list[Any] = []
            for column in columns:
                sample_value = sample_row.get(column.header)
                if isinstance(sample_value, dt.date):
                    cells.append((sample_value, date))
                elif sample_value is not None and column.kind in ("citizen_id", "code"):
                    cells.append((sample_value, text))
                else:
                    cells.append(sample_value)
            sheet.append(cells)

    # The guide: how to fill the file, then every column with its allowed values and default.
    guide.append([("HƯỚNG DẪN NHẬP HỘ GIA ĐÌNH TỪ TỆP EXCEL", workbook.format(bold=True, font_size=14))])
    guide.append([])
    for number, step in enumerate(GUIDE_STEPS, start=1):
        guide.append([f"{number}.", (step, wrap)], height=32, merge=[(2, 6)])
    guide.append([])
    guide.append([(title, optional) for title in ["Sheet", "Cột", "Bắt buộc", "Giá trị cho phép", "Để trống",
                                                   "Giải thích"]])
    guide.freeze(guide.next_row)
    for title, columns in SHEETS.items():
        for column in columns:
            line = [title, column.header, "Có" if column.required else "", column.allowed_text(),
                    column.default_text(), column.note]
            guide.append([(text_ or None, wrap_box) for text_ in line])
    guide.widths([16, 30, 9, 44, 18, 70])
    (data_sheets[SHEET_HOUSEHOLDS] if sample else guide).activate()
    return workbook.save()


def _letter(column: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
