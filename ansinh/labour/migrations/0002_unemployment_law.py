"""The law of unemployment insurance as dated data (issue 13): the two laws' rules, the regional
minimum wages, the base salary, and the demo province's default wage region. Administrators edit
every row on the page `unemployment-law` afterwards (audited LABOUR_LAW_SAVE).

Choices made where the texts leave room (shown on the law page through `legal_basis`):
- Law 38/2013/QH13 Art. 50.3 says the benefit starts "from the 16th day" after a complete dossier;
  Decree 28/2015/NĐ-CP Art. 18 as amended by Decree 61/2020/NĐ-CP (in force 15 Jul 2020) counts
  that day in working days, and the employment service centres count so: the rule is stored as
  the 16th WORKING day (the procedure of the decree decides the date, the law only the principle).
  Dossiers before 15 Jul 2020 are history here; an administrator may add a calendar-day row.
- Law 74/2025/QH15 (from 1 Jan 2026) is read in secondary sources only: its row is provisional.
- Minimum wages of Decree 90/2019 and 38/2022 were confirmed in several secondary copies quoting the
  decrees (Art. 3): provisional until read in the official text; Decree 74/2024 [S] provisional;
  Decree 293/2025 Art. 3 read in the codified text [P].
- Wage regions of the demo province (86, Vĩnh Long of the current map): the commune list of Decree
  293/2025's appendix was not found in a readable copy; one province-level row (region IV, the
  rural default) stands in, provisional, until the province's officers enter its communes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

D = dt.date

RULES: list[dict[str, Any]] = [
    {"valid_from": D(2015, 1, 1), "valid_to": D(2025, 12, 31), "provisional": False,
     "law": "Luật Việc làm 38/2013/QH13",
     "legal_basis": "Luật Việc làm 38/2013/QH13, Điều 46, 49, 50; Nghị định 28/2015/NĐ-CP sửa đổi bởi Nghị định "
                    "61/2020/NĐ-CP, Điều 17, 18 (ngày thứ 16 tính theo ngày làm việc)",
     "rate_percent": 60, "cap_multiple": 5, "state_cap_on_base_salary": True, "min_months": 12,
     "window_months": 24, "short_contract_window_months": 36, "base_duration": 3, "max_duration": 12,
     "start_rule": "working", "start_day": 16, "decision_working_days": 20, "filing_months": 3},
    {"valid_from": D(2026, 1, 1), "valid_to": None, "provisional": True,
     "law": "Luật Việc làm 74/2025/QH15",
     "legal_basis": "Luật Việc làm 74/2025/QH15, Điều 38, 39 (theo tài liệu thứ cấp); Nghị định 374/2025/NĐ-CP",
     "rate_percent": 60, "cap_multiple": 5, "state_cap_on_base_salary": False, "min_months": 12,
     "window_months": 24, "short_contract_window_months": 36, "base_duration": 3, "max_duration": 12,
     "start_rule": "working", "start_day": 11, "decision_working_days": 20, "filing_months": 3},
]

MIN_WAGES: list[tuple[D, D | None, str, bool, tuple[int, int, int, int], tuple[int, int, int, int] | None]] = [
    (D(2020, 1, 1), D(2022, 6, 30), "Nghị định 90/2019/NĐ-CP, Điều 3", True,
     (4_420_000, 3_920_000, 3_430_000, 3_070_000), None),
    (D(2022, 7, 1), D(2024, 6, 30), "Nghị định 38/2022/NĐ-CP, Điều 3", True,
     (4_680_000, 4_160_000, 3_640_000, 3_250_000), (22_500, 20_000, 17_500, 15_600)),
    (D(2024, 7, 1), D(2025, 12, 31), "Nghị định 74/2024/NĐ-CP, Điều 3", True,
     (4_960_000, 4_410_000, 3_860_000, 3_450_000), (23_800, 21_200, 18_600, 16_600)),
    (D(2026, 1, 1), None, "Nghị định 293/2025/NĐ-CP, Điều 3", False,
     (5_310_000, 4_730_000, 4_140_000, 3_700_000), (25_500, 22_700, 20_000, 17_800)),
]

BASE_SALARIES: list[tuple[D, D | None, int, str, bool]] = [
    (D(2019, 7, 1), D(2023, 6, 30), 1_490_000, "Nghị định 38/2019/NĐ-CP", True),
    (D(2023, 7, 1), D(2024, 6, 30), 1_800_000, "Nghị định 24/2023/NĐ-CP", True),
    (D(2024, 7, 1), D(2026, 6, 30), 2_340_000, "Nghị định 73/2024/NĐ-CP", True),
    (D(2026, 7, 1), None, 2_530_000, "Nghị định 161/2026/NĐ-CP, Điều 3.2", False),
]

DEMO_PROVINCE = "86"
DEMO_REGION = 4
DEMO_REGION_BASIS = ("Nghị định 293/2025/NĐ-CP, Phụ lục (chưa đối chiếu danh mục xã, phường của tỉnh: mặc định "
                     "vùng IV cho cả tỉnh, nhập vùng của từng xã, phường khi có)")


def forwards(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("labour", "UnemploymentRule")
    wage = apps.get_model("labour", "RegionalMinimumWage")
    base = apps.get_model("labour", "BaseSalary")
    region = apps.get_model("labour", "WageRegionUnit")
    unit = apps.get_model("geo", "Unit")
    for row in RULES:
        rule.objects.update_or_create(valid_from=row["valid_from"], defaults=row)
    for start, end, basis, provisional, monthly, hourly in MIN_WAGES:
        for number in range(1, 5):
            wage.objects.update_or_create(region=number, valid_from=start, defaults={
                "valid_to": end, "legal_basis": basis, "provisional": provisional, "monthly": monthly[number - 1],
                "hourly": hourly[number - 1] if hourly else None})
    for start, end, amount, basis, provisional in BASE_SALARIES:
        base.objects.update_or_create(valid_from=start, defaults={
            "valid_to": end, "amount": amount, "legal_basis": basis, "provisional": provisional})
    province = unit.objects.filter(code=DEMO_PROVINCE, level=1, edition="current").first()
    if province is not None:  # a fresh database loads the map after migrating: `ui_law.seed_wage_regions`
        region.objects.get_or_create(unit=province, valid_from=D(2025, 7, 1), defaults={
            "region": DEMO_REGION, "legal_basis": DEMO_REGION_BASIS, "provisional": True})


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("labour", "UnemploymentRule").objects.filter(valid_from__in=[r["valid_from"] for r in RULES]).delete()
    apps.get_model("labour", "RegionalMinimumWage").objects.filter(
        valid_from__in=[row[0] for row in MIN_WAGES]).delete()
    apps.get_model("labour", "BaseSalary").objects.filter(valid_from__in=[row[0] for row in BASE_SALARIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("labour", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
