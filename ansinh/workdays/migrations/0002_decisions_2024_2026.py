"""The national decisions on days off for 2024–2026 (public offices), frozen here: this migration
imports no live module. Statutory holidays (1/1, 30/4, 1/5, 2/9, Hùng Kings) and the days given
back when a holiday falls on a weekend (Labour Code 2019, Art. 111.3) are computed, not stored.

Rows marked provisional are those whose notice could not be read: their dates agree with the
published schedule, the number of the notice is not confirmed."""

from __future__ import annotations

import datetime as dt

from django.db import migrations

T2024 = "Thông báo 5015/TB-LĐTBXH ngày 22/11/2023; Công văn 8662/VPCP-KGVX ngày 03/11/2023"
S2024 = "Công văn 2450/VPCP-KGVX ngày 12/4/2024 (hoán đổi ngày làm việc dịp 30/4 và 1/5/2024)"
T2025 = "Công văn 8726/VPCP-KGVX ngày 26/11/2024 (nghỉ Tết Ất Tỵ 25/1–2/2/2025)"
S2025 = "Hoán đổi ngày làm việc dịp 30/4 và 1/5/2025 (Bộ Nội vụ đồng ý; số hiệu văn bản chưa xác minh)"
S2026 = "Hoán đổi ngày làm việc dịp Tết Dương lịch 2026 (Bộ Nội vụ; số hiệu văn bản chưa xác minh)"
T2026 = "Thông báo 9441/TB-BNV ngày 16/10/2025"

# (date, kind, reason, legal basis, provisional)
DAYS = [
    ("2024-02-08", "tet", "Tết Âm lịch (29 tháng Chạp năm Quý Mão)", T2024, False),
    ("2024-02-09", "tet", "Tết Âm lịch (30 tháng Chạp năm Quý Mão)", T2024, False),
    ("2024-02-10", "tet", "Tết Âm lịch (mùng 1 tháng Giêng năm Giáp Thìn)", T2024, False),
    ("2024-02-11", "tet", "Tết Âm lịch (mùng 2 tháng Giêng)", T2024, False),
    ("2024-02-12", "tet", "Tết Âm lịch (mùng 3 tháng Giêng)", T2024, False),
    ("2024-04-29", "day_off", "Nghỉ hoán đổi (làm bù thứ Bảy 04/5/2024)", S2024, False),
    ("2024-05-04", "working_day", "Làm bù cho ngày nghỉ thứ Hai 29/4/2024", S2024, False),
    ("2024-09-03", "national_day", "Quốc khánh (ngày liền kề sau 2/9)", T2024, False),
    ("2025-01-27", "tet", "Tết Âm lịch (28 tháng Chạp năm Giáp Thìn)", T2025, True),
    ("2025-01-28", "tet", "Tết Âm lịch (29 tháng Chạp năm Giáp Thìn)", T2025, True),
    ("2025-01-29", "tet", "Tết Âm lịch (mùng 1 tháng Giêng năm Ất Tỵ)", T2025, True),
    ("2025-01-30", "tet", "Tết Âm lịch (mùng 2 tháng Giêng)", T2025, True),
    ("2025-01-31", "tet", "Tết Âm lịch (mùng 3 tháng Giêng)", T2025, True),
    ("2025-04-26", "working_day", "Làm bù cho ngày nghỉ thứ Sáu 02/5/2025", S2025, True),
    ("2025-05-02", "day_off", "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)", S2025, True),
    ("2025-09-01", "national_day", "Quốc khánh (ngày liền kề trước 2/9)", T2025, True),
    ("2026-01-02", "day_off", "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)", S2026, True),
    ("2026-01-10", "working_day", "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026", S2026, True),
    ("2026-02-16", "tet", "Tết Âm lịch (29 tháng Chạp năm Ất Tỵ)", T2026, False),
    ("2026-02-17", "tet", "Tết Âm lịch (mùng 1 tháng Giêng năm Bính Ngọ)", T2026, False),
    ("2026-02-18", "tet", "Tết Âm lịch (mùng 2 tháng Giêng)", T2026, False),
    ("2026-02-19", "tet", "Tết Âm lịch (mùng 3 tháng Giêng)", T2026, False),
    ("2026-02-20", "tet", "Tết Âm lịch (mùng 4 tháng Giêng)", T2026, False),
    ("2026-09-01", "national_day", "Quốc khánh (ngày liền kề trước 2/9)", T2026, True),
]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    for day, kind, reason, basis, provisional in DAYS:
        CalendarDay.objects.update_or_create(
            day=dt.date.fromisoformat(day), province=None,
            defaults={"kind": kind, "reason": reason, "legal_basis": basis, "provisional": provisional},
        )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarDay.objects.filter(province=None, day__in=[dt.date.fromisoformat(row[0]) for row in DAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
