"""Import of citizen receptions (sổ tiếp công dân) from a spreadsheet, on the tabular import
framework (`ansinh.lib.tabular`): one row a lượt, all or nothing, every problem reported by row and
column. Template and columns: `docs/care-inspections-import.md`.

1. Read the .xlsx (sheet "Tiếp công dân", else the one Excel shows) or .csv file with the declared
   columns; each bad cell is a problem, the row is kept.
2. Check the units (a province or commune of the current map, by code) and the importer's scope
   (an inspector records in her province), in one query.
3. Only without any problem, write every row in one transaction with one audit row; a refused file
   writes nothing and leaves an audit row (`record_refused`). `check=True` checks and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.labour.placements_import import read_file, template_xlsx
from ansinh.lib.tabular import Column, ImportProblems, Problems, Row, message, record_refused

from . import access_inspections as access
from .models_inspections import LegalArea, Reception, ReceptionKind, ReceptionOutcome

SHEET = "Tiếp công dân"
H_DATE, H_UNIT, H_KIND, H_RECEIVER = "Ngày tiếp", "Mã đơn vị tiếp", "Hình thức tiếp", "Người tiếp"
H_CITIZEN, H_PEOPLE, H_SUBJECT, H_AREA, H_OUTCOME = ("Công dân hoặc người đại diện", "Số người", "Nội dung",
                                                     "Lĩnh vực", "Kết quả")


def _labels(choices: Any) -> dict[str, str]:
    with translation.override("vi"):
        return {member: str(member.label) for member in choices}


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    return (
        Column(H_DATE, "received_on", "date", "Ngày tiếp công dân dd/mm/yyyy; không sau ngày hôm nay.", required=True,
               width=12, past=True),
        Column(H_UNIT, "unit_code", "code", "Mã tỉnh, thành phố (ví dụ 86) hoặc mã xã, phường (5 chữ số) trên bản đồ "
               "hành chính hiện hành, nơi tiếp công dân.", required=True, max_length=10, width=12),
        Column(H_KIND, "kind", "choice", "Tiếp thường xuyên, thủ trưởng tiếp định kỳ hoặc tiếp đột xuất; để trống: "
               "tiếp thường xuyên.", labels=_labels(ReceptionKind), default=ReceptionKind.REGULAR, width=20),
        Column(H_RECEIVER, "receiver", "text", "Người tiếp (họ tên, chức vụ).", required=True, max_length=150,
               width=20),
        Column(H_CITIZEN, "citizen_name", "text", "Họ tên công dân, hoặc người đại diện của đoàn đông người.",
               required=True, max_length=150, width=24, aliases=("Họ tên công dân",)),
        Column(H_PEOPLE, "headcount", "integer", "Số người của lượt tiếp: 1 cho một công dân; đoàn từ 5 người trở "
               "lên vẫn là một lượt. Để trống: 1.", default=1, width=10, limits=None),
        Column(H_SUBJECT, "subject", "text", "Nội dung công dân trình bày.", required=True, max_length=500, width=36),
        Column(H_AREA, "legal_area", "choice", "Lĩnh vực; để trống: pháp luật lao động.", labels=_labels(LegalArea),
               default=LegalArea.LABOUR, width=24),
        Column(H_OUTCOME, "outcome", "choice", "Hướng dẫn, giải thích trả lời, hoặc tiếp nhận đơn (đơn được vào sổ "
               "xử lý đơn riêng).", required=True, labels=_labels(ReceptionOutcome), width=24),
    )


@dataclass(frozen=True)
class ImportResult:
    created: int
    rows: int
    file: str = ""


def _check(*, actor: Actor | Any, data: bytes) -> tuple[list[Row], dict[str, Unit]]:
    problems = Problems()
    rows = read_file(data, SHEET, columns(), problems)
    if problems.broken:
        problems.raise_if_any()
    codes = {row.values["unit_code"] for row in rows if row.values.get("unit_code")}
    units = {u.code: u for u in Unit.objects.filter(edition=Edition.CURRENT, code__in=codes,
                                                     level__in=[Level.PROVINCE, Level.COMMUNE])}
    provinces = {u.code: (u if u.level == Level.PROVINCE else u.province()) or u for u in units.values()}
    user = audit.user_of(actor)
    for row in rows:
        v = row.values
        code = v.get("unit_code")
        if code and code not in units:
            problems.add(row.sheet, row.number, H_UNIT, message(gettext_noop(
                "No province or commune with code %(code)s on the current map."), code=code))
        elif code and user is not None and not access.may_change(user, provinces[code]):
            problems.add(row.sheet, row.number, H_UNIT, message(gettext_noop(
                "You do not record citizen reception in %(name)s."), name=units[code].name))
        if v.get("headcount") is not None and v["headcount"] < 1:
            problems.add(row.sheet, row.number, H_PEOPLE, message(gettext_noop("At least one person.")))
    if not rows and not problems:
        problems.add(SHEET, 0, "", message(gettext_noop("The file has no row to import.")))
    problems.raise_if_any()
    return rows, units


def import_receptions(*, actor: Actor | Any, data: bytes, filename: str, check: bool = False) -> ImportResult:
    """Checks the whole file, then records every row in one transaction, or nothing. Raises
    ImportProblems listing every problem (and records the refusal)."""
    rows: list[Row] = []
    try:
        rows, units = _check(actor=actor, data=data)
        if check:
            return ImportResult(created=0, rows=len(rows), file=filename)
        made = []
        for row in rows:
            v = row.values
            unit = units[v["unit_code"]]
            made.append(Reception(province=unit if unit.level == Level.PROVINCE else unit.province(), unit=unit,
                                  received_on=v["received_on"], kind=v["kind"], receiver=v["receiver"],
                                  citizen_name=v["citizen_name"], headcount=v["headcount"] or 1, subject=v["subject"],
                                  legal_area=v["legal_area"], outcome=v["outcome"]))
        with transaction.atomic():
            Reception.objects.bulk_create(made, batch_size=1000)
            provinces = sorted({r.province.code for r in made})
            audit.record(actor=actor, action=AuditAction.INSPECTION_RECEPTION_SAVE, obj=Reception,
                         unit=made[0].province if len(provinces) == 1 else None,
                         after={"import": "receptions", "file": filename, "created": len(made),
                                "provinces": provinces})
    except ImportProblems as refused:
        record_refused(actor=actor, kind="care.receptions", name=filename, rows=len(rows), problems=refused.problems,
                       check=check)
        raise
    return ImportResult(created=len(made), rows=len(rows), file=filename)


GUIDE_STEPS = [
    f"Sheet «{SHEET}»: mỗi dòng là một lượt tiếp công dân: một công dân, hoặc một đoàn đông người cùng một nội dung "
    "(ghi số người của đoàn ở cột «Số người»; đoàn vẫn là một lượt).",
    "Mã đơn vị tiếp là mã tỉnh, thành phố hoặc mã xã, phường trên bản đồ hành chính hiện hành.",
    "Ngày ghi dd/mm/yyyy. Cột có tiêu đề tô màu cam là bắt buộc. Không đổi tiêu đề cột; cột thêm vào được bỏ qua. "
    "Tệp .csv (UTF-8) cùng tiêu đề cột cũng được nhận.",
    "Nhập tệp ở trang Tiếp công dân › Nhập từ tệp (đánh dấu «Chỉ kiểm tra, không ghi gì» để chỉ kiểm tra), hoặc chạy "
    "lệnh: ansinh care inspections-import-receptions TÊN_TỆP.xlsx --as TÊN_ĐĂNG_NHẬP (thêm --check để chỉ kiểm tra).",
    "Hệ thống kiểm tra toàn bộ tệp trước khi ghi: chỉ cần một dòng sai là không dòng nào được ghi; mỗi lỗi được báo "
    "theo dòng, cột để sửa rồi nhập lại.",
    "Họ tên công dân là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): giữ tệp cẩn thận, xóa sau khi nhập xong.",
]


def template(sample: Sequence[dict[str, Any]] = ()) -> bytes:
    return template_xlsx(list(columns()), sheet_name=SHEET, steps=GUIDE_STEPS, title="HƯỚNG DẪN NHẬP SỔ TIẾP CÔNG DÂN",
                         sample=sample)


__all__ = ["ImportResult", "columns", "import_receptions", "template"]
