"""Payrolls (issue 12 item 6): people actually paid and the amount actually paid each month, by
scheme, counted from the payroll lines the paying agent reported paid (`ansinh.payments.indicators`)
— what seed 001 reports as "trợ cấp xã hội hàng tháng cho 32.413 người … 12.220 triệu
đồng/tháng". New counted rows, created where missing, placed after the row of the scheme's
entitlement figures. Frozen here (a migration never imports a live module)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

PAY_BASIS = ("Nghị định 20/2021/NĐ-CP Điều 34; Thông tư 44/2022/TT-BTC Điều 8 (chi trả qua tổ chức dịch vụ "
             "chi trả)")
SOCIAL_PENSION_FROM = dt.date(2025, 7, 1)


def _ind(code: str, name: str, unit: str, sector: str, query: str, sentence: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code, "name": name, "unit_of_measure": unit, "sector": sector, "source": "counted",
        "query": query, "formula": "", "aggregation": "sum", "over_time": "stock", "direction": "higher",
        "decimals": 0, "breakdowns": [], "sentence": sentence, "legal_basis": PAY_BASIS,
    }
    row.update(extra)
    return row


NEW_ROWS: list[tuple[str, list[dict[str, Any]]]] = [
    ("social_allowance_amount", [
        _ind("social_allowance_paid_recipients", "Số người đã nhận trợ cấp xã hội hằng tháng (theo kết quả chi trả)",
             "người", "social_protection", "social_allowance_paid_recipients",
             "Đã chi trả trợ cấp xã hội hằng tháng cho {value} {unit}"),
        _ind("social_allowance_paid_amount", "Kinh phí trợ cấp xã hội hằng tháng đã chi trả", "triệu đồng/tháng",
             "social_protection", "social_allowance_paid_amount",
             "Kinh phí trợ cấp xã hội hằng tháng đã chi trả {value} {unit}"),
    ]),
    ("social_pension_amount", [
        _ind("social_pension_paid_recipients", "Số người đã nhận trợ cấp hưu trí xã hội (theo kết quả chi trả)",
             "người", "social_protection", "social_pension_paid_recipients",
             "Đã chi trả trợ cấp hưu trí xã hội cho {value} {unit}", valid_from=SOCIAL_PENSION_FROM),
        _ind("social_pension_paid_amount", "Kinh phí trợ cấp hưu trí xã hội đã chi trả", "triệu đồng/tháng",
             "social_protection", "social_pension_paid_amount",
             "Kinh phí trợ cấp hưu trí xã hội đã chi trả {value} {unit}",
             valid_from=SOCIAL_PENSION_FROM),
    ]),
    ("merit_amount", [
        _ind("merit_paid_recipients", "Số người đã nhận trợ cấp ưu đãi người có công hằng tháng (theo kết quả chi trả)",
             "người", "meritorious", "merit_paid_recipients",
             "Đã chi trả trợ cấp ưu đãi hằng tháng cho {value} {unit}"),
        _ind("merit_paid_amount", "Kinh phí trợ cấp ưu đãi người có công hằng tháng đã chi trả", "triệu đồng/tháng",
             "meritorious", "merit_paid_amount", "Kinh phí trợ cấp ưu đãi hằng tháng đã chi trả {value} {unit}"),
    ]),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    existing = set(indicator.objects.values_list("code", flat=True))
    orders = dict(indicator.objects.values_list("code", "order"))
    for after, rows in NEW_ROWS:
        base = orders.get(after, max(orders.values(), default=0))
        indicator.objects.bulk_create(
            indicator(order=base + 1 + index, **row) for index, row in enumerate(rows) if row["code"] not in existing)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    codes = [row["code"] for _, rows in NEW_ROWS for row in rows]
    indicator.objects.filter(code__in=codes, source="counted").delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_benefit_indicators")]
    operations = [migrations.RunPython(forwards, backwards)]
