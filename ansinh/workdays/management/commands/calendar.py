"""`ansinh calendar due YYYY-MM-DD N [--province CODE]` and `ansinh calendar year YYYY [--province CODE]`.

`due` explains its count and prints the due date alone on its last line (YYYY-MM-DD), so that a
script can take it with `tail -n 1`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib import workdays
from ansinh.workdays.calendar import calendar_for
from ansinh.lib.parsing import command_date

KIND_LABELS = {
    workdays.HOLIDAY: "ngày lễ",
    workdays.COMPENSATION: "nghỉ bù",
    workdays.DAY_OFF: "ngày nghỉ",
    workdays.WORKING_DAY: "làm việc (làm bù)",
}



def parse_int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"{what} không hợp lệ: {value!r} (cần một số nguyên)") from None


class Command(BaseCommand):
    help = "The working-day calendar: a due date N working days after a day, and a year's days off."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="The date N working days after DATE (the day after DATE is day 1).")
        due.add_argument("date", help="YYYY-MM-DD")
        due.add_argument("n", help="number of working days (0 or more)")
        due.add_argument("--province", default=None, help="province code (its own days off count too)")
        year = sub.add_parser("year", help="The days off of a year: holidays, days given back, swapped days.")
        year.add_argument("year")
        year.add_argument("--province", default=None, help="province code")

    def handle(self, *args: Any, **options: Any) -> None:
        province = self._province(options["province"])
        try:
            getattr(self, f"handle_{options['action']}")(options, province)
        except workdays.CalendarError as exc:
            raise CommandError(str(exc)) from None

    def _province(self, code: str | None) -> Unit | None:
        if not code:
            return None
        found = Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT, code=code).first()
        if found is None:
            raise CommandError(f"Không có tỉnh/thành phố nào mang mã {code} trong bản đồ hiện hành.")
        return found

    def handle_due(self, options: dict[str, Any], province: Unit | None) -> None:
        start = command_date(options["date"])
        n = parse_int(options["n"], "Số ngày làm việc")
        calendar = calendar_for(province)
        due = calendar.add_working_days(start, n)
        where = f"tỉnh/thành phố {province.name}" if province else "toàn quốc"
        self.stdout.write(f"Từ {workdays.WEEKDAYS_VI[start.weekday()]} {start:%d/%m/%Y}, {n} ngày làm việc "
                          f"({where}); ngày đầu tiên được tính là ngày kế tiếp ({workdays.COUNTING_BASIS}).")
        day = start
        while day < due:
            day += dt.timedelta(days=1)
            year = calendar.year(day.year)
            if day in year.off:
                entry = year.off[day]
                self.stdout.write(f"  bỏ qua {day:%d/%m/%Y} ({entry.weekday}): {entry.reason}")
            elif day in year.working:
                self.stdout.write(f"  tính {day:%d/%m/%Y} (Thứ Bảy/Chủ nhật làm bù): {year.working[day].reason}")
        self.stdout.write(due.isoformat())

    def handle_year(self, options: dict[str, Any], province: Unit | None) -> None:
        year = parse_int(options["year"], "Năm")
        days = calendar_for(province).days_off(year)
        for entry in days:
            flags = " (tạm tính)" if entry.provisional else ""
            self.stdout.write("\t".join([entry.day.isoformat(), entry.weekday, KIND_LABELS[entry.kind],
                                         entry.reason + flags, entry.basis]))
        off = sum(1 for entry in days if entry.kind != workdays.WORKING_DAY and entry.day.weekday() not in workdays.REST_DAYS)
        self.stdout.write(f"Năm {year}: {off} ngày nghỉ rơi vào ngày thường; "
                          f"nghỉ hằng tuần thứ Bảy và Chủ nhật (Quyết định 188/1999/QĐ-TTg).")
