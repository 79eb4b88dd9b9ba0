"""`ansinh poverty assess | standards | review run | review decide`.

- `assess INPUT --standard CODE -o OUTPUT`: classify the households of a .csv/.xlsx file
  (docs/poverty-assess.md), stateless: nothing is stored.
- `standards [--code CODE | --on DATE | --dump FILE | --load FILE]`: the standards in the
  database, the one in force on a date, or their export and audited re-import as JSON.
- `review run --year Y --unit CODE [--kind regular --month M]`: open (or get) a review round
  and classify every household it covers, with a progress bar.
- `review decide --year Y --unit CODE --number N --date D`: record the decision and lock it.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import connection
from django.db.models import Count
from django.utils import translation

from ansinh.accounts.audit import Actor
from ansinh.accounts.cli import cli_actor, cli_check_admin, cli_check_unit
from ansinh.accounts.models import Field
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.vietnamese import format_number, format_percent
from ansinh.poverty import fileassess, standards_io
from ansinh.poverty.models import Assessment, PovertyStandard, PovertyStatus, ReviewRound, RoundKind, Rule
from ansinh.lib.parsing import command_date

PROVISIONAL = "TẠM THỜI – chưa đối chiếu văn bản gốc, cấu hình được"
NOT_SET = "chưa có quy định"
RULE_TEXT = {
    Rule.INCOME_OR_DEPRIVATION: "thu nhập từ đủ chuẩn nghèo trở xuống → hộ nghèo; trên chuẩn nghèo đến chuẩn cận "
                                "nghèo: thiếu hụt từ {n:02d} chỉ số trở lên → hộ nghèo, dưới {n:02d} → hộ cận nghèo",
    Rule.INCOME_AND_DEPRIVATION: "thu nhập từ đủ chuẩn trở xuống và thiếu hụt từ {n:02d} chỉ số trở lên → hộ nghèo; "
                                 "thu nhập từ đủ chuẩn trở xuống và thiếu hụt dưới {n:02d} chỉ số → hộ cận nghèo",
}
STATUS_LABEL = {PovertyStatus.POOR: "hộ nghèo", PovertyStatus.NEAR_POOR: "hộ cận nghèo",
                PovertyStatus.AVERAGE: "mức sống trung bình", PovertyStatus.NOT_POOR: "không nghèo"}



MAX_ERROR_LINES = 1000  # a file in a wrong layout can have a million bad cells


def _errors(error: ValidationError, heading: str = "") -> CommandError:
    lines = error.messages
    if not heading:
        return CommandError("; ".join(lines))
    text = "\n".join(f"  - {line}" for line in lines[:MAX_ERROR_LINES])
    if len(lines) > MAX_ERROR_LINES:
        text += f"\n  … và {format_number(len(lines) - MAX_ERROR_LINES)} lỗi khác: sửa các lỗi trên rồi chạy lại."
    return CommandError(f"{heading}\n{text}")


def _pair(rural: Any, urban: Any) -> str:
    if rural is None or urban is None:
        return NOT_SET
    return f"nông thôn {format_number(int(rural))}; thành thị {format_number(int(urban))} (đồng/người/tháng)"


def _params(params: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in params.items()) or "—"


def describe_standard(standard: PovertyStandard) -> list[str]:
    """The standard as a department reads it: dates, rule, lines and bands, indicators in order."""
    valid_to = f"{standard.valid_to:%d/%m/%Y}" if standard.valid_to else "chưa định"
    lines = [f"{standard.name}  [mã {standard.code}]"]
    if standard.provisional:
        lines.append(f"  *** {PROVISIONAL} ***")
    lines += [
        f"  Căn cứ: {standard.basis}",
        f"  Hiệu lực: từ {standard.valid_from:%d/%m/%Y} đến hết {valid_to}",
        f"  Quy tắc: {standard.rule} — "
        + RULE_TEXT.get(Rule(standard.rule), standard.rule).format(n=standard.min_deprivations),
        f"  Chuẩn nghèo: {_pair(standard.poverty_line_rural, standard.poverty_line_urban)}",
    ]
    if standard.rule == Rule.INCOME_OR_DEPRIVATION:
        near = _pair(standard.near_poor_line_rural, standard.near_poor_line_urban)
        lines.append(f"  Hộ cận nghèo: trên chuẩn nghèo đến {near}" if near != NOT_SET else f"  Hộ cận nghèo: {near}")
    else:
        lines.append(f"  Hộ cận nghèo: thu nhập từ đủ chuẩn nghèo trở xuống và thiếu hụt dưới "
                     f"{standard.min_deprivations:02d} chỉ số")
    average = _pair(standard.average_line_rural, standard.average_line_urban)
    upper = "chuẩn cận nghèo" if standard.rule == Rule.INCOME_OR_DEPRIVATION else "chuẩn nghèo"
    lines.append(f"  Hộ có mức sống trung bình: trên {upper} đến {average}" if average != NOT_SET
                 else f"  Hộ có mức sống trung bình: {average}")
    if standard.note:
        lines.append(f"  Ghi chú: {standard.note}")
    indicators = list(standard.indicators.order_by("position"))
    lines.append(f"  Chỉ số thiếu hụt ({len(indicators)}; là tên cột 0/1 của tệp, theo thứ tự):")
    for number, indicator in enumerate(indicators, start=1):
        mark = f"  [{PROVISIONAL}]" if indicator.provisional else ""
        lines += [
            f"  {number:2d}. {indicator.code} — {indicator.dimension} / {indicator.name}{mark}",
            f"      Ngưỡng thiếu hụt: {indicator.definition}",
            f"      Tham số: {_params(indicator.params or {})}; tính bởi: {indicator.rule or 'chỉ theo phiếu B2'}",
        ]
        if indicator.basis:
            lines.append(f"      Căn cứ: {indicator.basis}")
    return lines


def find_unit(code: str) -> Unit:
    """A province or commune of the current map by its code ("86", "29461", "1" for "01")."""
    found = list(Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
                 .by_code(code))
    exact = [unit for unit in found if unit.code == code.strip()]
    if len(exact) == 1:
        return exact[0]
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f"Không có tỉnh/thành phố hay xã/phường nào mang mã {code} trên bản đồ hiện hành "
                           "(từ 01/07/2025).")
    choices = ", ".join(f"{unit.code} {unit.name}" for unit in found)
    raise CommandError(f"Mã {code} không rõ là đơn vị nào ({choices}): ghi đủ số 0 ở đầu.")


class ProgressBar:
    """A text bar on stderr, redrawn in place with \\r at most ten times a second."""

    def __init__(self, out: OutputWrapper, width: int = 30) -> None:
        self.out, self.width, self.last, self.drawn = out, width, 0.0, False

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.last < 0.1:
            return
        self.last, self.drawn = now, True
        share = done / total if total else 1.0
        filled = int(self.width * share)
        self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {format_number(done)}/"
                       f"{format_number(total)} hộ ({format_percent(share * 100, 0)})", style_func=_plain, ending="")
        self.out.flush()

    def close(self) -> None:
        if self.drawn:
            self.out.write("", style_func=_plain)


def _plain(text: str) -> str:
    return text


class Command(BaseCommand):
    help = "Poverty: assess a spreadsheet, list or edit the standards, run and decide review rounds."
    # A data command: the web checks (URLs, templates) say nothing about it, and their warnings
    # would be mixed into output that people read or pipe.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        assess = sub.add_parser("assess", help="Classify the households of a .csv or .xlsx file (nothing is stored).")
        assess.add_argument("input", help="INPUT.csv or INPUT.xlsx (see docs/poverty-assess.md)")
        assess.add_argument("--standard", required=True, help="standard code, e.g. 2022-2025 (see `poverty standards`)")
        assess.add_argument("-o", "--output", required=True, help="OUTPUT.csv or OUTPUT.xlsx")
        assess.add_argument("--region", default=None,
                            help="member layout: region for estimating income (code, name or province code)")
        assess.add_argument("--on", default=None, help="member layout: date ages are taken on, YYYY-MM-DD")

        standards = sub.add_parser("standards", help="Print the poverty standards, or export/import them as JSON.")
        standards.add_argument("--code", default=None, help="only this standard")
        which = standards.add_mutually_exclusive_group()
        which.add_argument("--on", default=None, help="the standard in force on YYYY-MM-DD")
        which.add_argument("--dump", default=None, metavar="FILE.json", help="export as JSON (- for standard output)")
        which.add_argument("--load", default=None, metavar="FILE.json", help="create or update from JSON (audited)")
        standards.add_argument("--actor", default=None, help="username recorded in the audit log of --load")

        review = sub.add_parser("review", help="Review rounds (Decision 24/2021/QĐ-TTg).")
        steps = review.add_subparsers(dest="review_action", required=True)
        for name, text in (("run", "Open the round if needed and classify every household."),
                           ("decide", "Record the decision recognising the results, and lock the round.")):
            step = steps.add_parser(name, help=text)
            step.add_argument("--year", type=int, required=True)
            step.add_argument("--unit", required=True, help="current-map code of a province or commune")
            step.add_argument("--kind", default=RoundKind.PERIODIC, choices=RoundKind.values)
            step.add_argument("--month", type=int, default=None, help="for a regular review, 1-12")
            step.add_argument("--actor", default=None, help="username recorded in the audit log")
            if name == "decide":
                step.add_argument("--number", required=True, help='decision number, e.g. "123/QĐ-UBND"')
                step.add_argument("--date", required=True, help="decided on, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        if "households_povertystandard" not in connection.introspection.table_names():
            raise CommandError("Cơ sở dữ liệu chưa được khởi tạo: chạy `ansinh migrate` rồi `ansinh geo load`.")
        translation.activate("vi")
        action = options["action"] if options["action"] != "review" else f"review_{options['review_action']}"
        getattr(self, f"handle_{action}")(options)

    def _actor(self, username: str | None) -> Actor:
        """The person of --actor (the system without one), checked as the web checks them."""
        return cli_actor(username)

    # --- assess ---

    def handle_assess(self, options: dict[str, Any]) -> None:
        source, target = Path(options["input"]), Path(options["output"])
        on = command_date(options["on"]) if options["on"] else None
        started = time.perf_counter()
        try:
            result = fileassess.assess_file(source=source, target=target, standard=options["standard"],
                                            region=options["region"], on=on)
        except ValidationError as error:
            if len(error.messages) == 1:
                raise _errors(error) from None
            raise _errors(error, f"Tệp {source.name} có {format_number(len(error.messages))} lỗi; "
                                 "chưa ghi tệp kết quả:") from None
        for notice in result.notices:
            self.stderr.write(notice, style_func=_plain)
        total = result.households
        parts = [f"{STATUS_LABEL[PovertyStatus(status)]} {format_number(result.statuses.get(status, 0))}"
                 for status in PovertyStatus.values]
        self.stdout.write(f"Đã đánh giá {format_number(total)} hộ theo chuẩn {options['standard']}: "
                          f"{', '.join(parts)} → {target} ({format_number(time.perf_counter() - started, 1)} giây)")

    # --- standards ---

    def handle_standards(self, options: dict[str, Any]) -> None:
        if options["dump"]:
            codes = [options["code"]] if options["code"] else None
            data = standards_io.standards_export(codes=codes)
            if codes and not data["standards"]:
                raise CommandError(f"Không có chuẩn nghèo mã “{options['code']}”.")
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            if options["dump"] == "-":
                self.stdout.write(text, ending="")
            else:
                try:
                    Path(options["dump"]).write_text(text, encoding="utf-8")
                except OSError as error:
                    raise CommandError(f"Không ghi được tệp {options['dump']}: {error.strerror}.") from None
                self.stdout.write(f"Đã ghi {len(data['standards'])} chuẩn nghèo vào {options['dump']}.")
            return
        if options["load"]:
            actor = self._actor(options["actor"])
            cli_check_admin(actor)
            try:
                data = json.loads(Path(options["load"]).read_text(encoding="utf-8-sig"))
            except OSError as error:
                raise CommandError(f"Không đọc được tệp {options['load']}: {error.strerror}.") from None
            except json.JSONDecodeError as error:
                raise CommandError(f"Tệp {options['load']} không phải JSON hợp lệ: dòng {error.lineno}, cột "
                                   f"{error.colno}: {error.msg}.") from None
            try:
                changed = standards_io.standards_import(data=data, actor=actor)
            except ValidationError as error:
                raise _errors(error, f"Tệp {options['load']} có lỗi; không thay đổi chuẩn nào:") from None
            self.stdout.write(f"Đã cập nhật {len(changed)} chuẩn nghèo: {', '.join(changed)}." if changed
                              else "Không có thay đổi.")
            return
        if options["on"]:
            on = command_date(options["on"])
            try:
                standards = [PovertyStandard.in_force_on(on)]
            except PovertyStandard.DoesNotExist:
                raise CommandError(f"Không có chuẩn nghèo nào có hiệu lực ngày {on:%d/%m/%Y}.") from None
            self.stdout.write(f"Chuẩn nghèo có hiệu lực ngày {on:%d/%m/%Y}:")
        else:
            standards = list(PovertyStandard.objects.order_by("valid_from"))
            if options["code"]:
                standards = [s for s in standards if s.code == options["code"]]
                if not standards:
                    raise CommandError(f"Không có chuẩn nghèo mã “{options['code']}”.")
        blocks = ["\n".join(describe_standard(standard)) for standard in standards]
        self.stdout.write("\n\n".join(blocks))

    # --- review ---

    def _round(self, options: dict[str, Any]) -> tuple[Unit, int, str, int | None]:
        kind = options["kind"]
        month = options["month"]
        if kind == RoundKind.REGULAR and not (month and 1 <= month <= 12):
            raise CommandError("Rà soát thường xuyên cần --month từ 1 đến 12.")
        if kind == RoundKind.PERIODIC and month is not None:
            raise CommandError("Rà soát định kỳ tính theo năm: bỏ --month (hoặc dùng --kind regular).")
        return find_unit(options["unit"]), options["year"], kind, month

    def handle_review_run(self, options: dict[str, Any]) -> None:
        from ansinh.poverty.services import review_round_open, review_round_run

        unit, year, kind, month = self._round(options)
        actor = self._actor(options["actor"])
        cli_check_unit(actor, unit, field=Field.POVERTY)
        started = time.perf_counter()
        bar = ProgressBar(self.stderr)
        try:
            round_ = review_round_open(actor=actor, unit=unit, year=year, kind=kind, month=month)
            total = review_round_run(round=round_, actor=actor, progress=bar)
        except ValidationError as error:
            raise _errors(error) from None
        finally:
            bar.close()
        elapsed = time.perf_counter() - started
        counts = dict(Assessment.objects.filter(round=round_).values("status").annotate(n=Count("id"))
                      .values_list("status", "n"))

        def share(status: str) -> str:
            n = counts.get(status, 0)
            rate = format_percent(100 * n / total) if total else "—"
            return f"{format_number(n)} hộ ({rate})"

        self.stdout.write("\n".join([
            f"{round_} — chuẩn {round_.standard.code}, tính tuổi ngày {round_.reference_date:%d/%m/%Y}",
            f"Số hộ đã phân loại: {format_number(total)}",
            f"Hộ nghèo: {share(PovertyStatus.POOR)}",
            f"Hộ cận nghèo: {share(PovertyStatus.NEAR_POOR)}",
            f"Thời gian: {format_number(elapsed, 1)} giây",
        ]))

    def handle_review_decide(self, options: dict[str, Any]) -> None:
        from ansinh.poverty.services import review_round_decide

        unit, year, kind, month = self._round(options)
        actor = self._actor(options["actor"])
        cli_check_unit(actor, unit, field=Field.POVERTY)
        decided_on = command_date(options["date"])
        round_ = ReviewRound.objects.filter(unit=unit, year=year, kind=kind, month=month).first()
        if round_ is None:
            raise CommandError(f"Chưa có đợt rà soát này của {unit.name}: chạy `ansinh poverty review run` trước.")
        try:
            round_ = review_round_decide(round=round_, actor=actor, decision_number=options["number"],
                                         decided_on=decided_on)
        except ValidationError as error:
            raise _errors(error) from None
        self.stdout.write(f"{round_}: đã ghi Quyết định số {round_.decision_number} ngày "
                          f"{decided_on:%d/%m/%Y} và khóa kết quả.")
