"""The people served (issue 11): the social-assistance figures and the merit dossiers decided are
now counted from the registry of entitlements and dossiers (`ansinh.benefits.indicators`); new
counted indicators for the social pension, people with meritorious service and their relatives,
the monthly amounts and the dossiers received and decided.

Reaches databases made before it: a shipped row still declared as shipped becomes counted (a
department's own change of source is kept); the new rows are created where missing, placed after
the row they follow in the report. The rows are frozen here (a migration never imports a live
module: `ansinh/lib/tests/test_migrations_frozen.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

C04 = "Thông tư 04/2024/TT-BLĐTBXH (hệ thống chỉ tiêu thống kê ngành)"
# The people served (issue 11): counted from entitlements and dossiers (ansinh.benefits.indicators).
MERIT_BASIS = "Pháp lệnh 02/2020/UBTVQH14; Nghị định 75/2021/NĐ-CP (sửa đổi bởi 55/2023, 77/2024)"
PENSION_BASIS = "Luật Bảo hiểm xã hội 41/2024/QH15 (Điều 21, 22); Nghị định 176/2025/NĐ-CP"
DOSSIER_BASIS = "Nghị định 20/2021/NĐ-CP; Nghị định 176/2025/NĐ-CP; Nghị định 131/2021/NĐ-CP"
SOCIAL_PENSION_FROM = dt.date(2025, 7, 1)
MERIT_BREAKDOWNS = [
    {"code": "pre1945", "name": "người hoạt động cách mạng trước ngày 01/01/1945", "dimension": "group"},
    {"code": "pre_uprising", "name": "người hoạt động cách mạng từ 01/01/1945 đến khởi nghĩa tháng Tám năm 1945",
     "dimension": "group"},
    {"code": "heroic_mother", "name": "Bà mẹ Việt Nam anh hùng", "dimension": "group"},
    {"code": "hero", "name": "Anh hùng Lực lượng vũ trang nhân dân, Anh hùng Lao động", "dimension": "group"},
    {"code": "war_invalid", "name": "thương binh", "dimension": "group"},
    {"code": "sick_soldier", "name": "bệnh binh", "dimension": "group"},
    {"code": "toxic_chemical", "name": "người hoạt động kháng chiến bị nhiễm chất độc hóa học", "dimension": "group"},
    {"code": "former_prisoner", "name": "người bị địch bắt tù, đày", "dimension": "group"},
    {"code": "resistance", "name": "người hoạt động kháng chiến", "dimension": "group"},
    {"code": "helper", "name": "người có công giúp đỡ cách mạng", "dimension": "group"},
]
SCHEME_BREAKDOWNS = [
    {"code": "social_assistance", "name": "trợ cấp xã hội", "dimension": "group"},
    {"code": "social_pension", "name": "trợ cấp hưu trí xã hội", "dimension": "group"},
    {"code": "meritorious", "name": "ưu đãi người có công", "dimension": "group"},
]




def _ind(code: str, name: str, unit: str, sector: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code, "name": name, "unit_of_measure": unit, "sector": sector, "source": "declared",
        "query": "", "formula": "", "aggregation": "sum", "over_time": "flow", "direction": "higher",
        "decimals": 0, "breakdowns": [], "sentence": "", "legal_basis": C04,
    }
    row.update(extra)
    return row


# Shipped declared, now counted: code → its registry query.
NOW_COUNTED = {"social_allowance_recipients": "social_allowance_recipients",
               "social_allowance_amount": "social_allowance_amount", "merit_dossiers": "merit_dossiers"}

# (the row each follows in the report, the new rows)
NEW_ROWS: list[tuple[str, list[dict[str, Any]]]] = [
    ("social_allowance_amount", [
        _ind("social_pension_recipients", "Số người hưởng trợ cấp hưu trí xã hội", "người", "social_protection",
             source="counted", query="social_pension_recipients", over_time="stock", legal_basis=PENSION_BASIS,
             valid_from=SOCIAL_PENSION_FROM, sentence="Chi trả trợ cấp hưu trí xã hội hằng tháng cho {value} {unit}"),
        _ind("social_pension_amount", "Kinh phí trợ cấp hưu trí xã hội hằng tháng", "triệu đồng/tháng",
             "social_protection", source="counted", query="social_pension_amount", over_time="stock",
             legal_basis=PENSION_BASIS, valid_from=SOCIAL_PENSION_FROM,
             sentence="Tổng kinh phí trợ cấp hưu trí xã hội hằng tháng {value} {unit}"),
        _ind("benefit_dossiers_received", "Số hồ sơ đề nghị hưởng, điều chỉnh, thôi hưởng trợ cấp hằng tháng tiếp nhận",
             "hồ sơ", "social_protection", source="counted", query="benefit_dossiers_received", legal_basis=DOSSIER_BASIS,
             breakdowns=SCHEME_BREAKDOWNS,
             sentence="Tiếp nhận {value} {unit} đề nghị hưởng, điều chỉnh, thôi hưởng trợ cấp hằng tháng"
                      "[[ (trong đó {breakdowns})]]"),
        _ind("benefit_dossiers_decided", "Số hồ sơ hưởng, điều chỉnh, thôi hưởng trợ cấp hằng tháng đã quyết định",
             "hồ sơ", "social_protection", source="counted", query="benefit_dossiers_decided", legal_basis=DOSSIER_BASIS,
             breakdowns=SCHEME_BREAKDOWNS,
             sentence="Quyết định {value} {unit} hưởng, điều chỉnh, thôi hưởng trợ cấp hằng tháng"
                      "[[ (trong đó {breakdowns})]]"),
    ]),
    ("merit_dossiers", [
        _ind("merit_recipients", "Số người có công với cách mạng đang hưởng trợ cấp ưu đãi hằng tháng", "người",
             "meritorious", source="counted", query="merit_recipients", over_time="stock", legal_basis=MERIT_BASIS,
             breakdowns=MERIT_BREAKDOWNS,
             sentence="Chi trả trợ cấp ưu đãi hằng tháng cho {value} {unit} có công với cách mạng"
                      "[[ (trong đó {breakdowns})]]"),
        _ind("merit_relatives", "Số thân nhân người có công đang hưởng trợ cấp hằng tháng", "người", "meritorious",
             source="counted", query="merit_relatives", over_time="stock", legal_basis=MERIT_BASIS,
             breakdowns=[{"code": "martyr", "name": "thân nhân liệt sĩ", "dimension": "group"}],
             sentence="Chi trả trợ cấp hằng tháng cho {value} {unit} là thân nhân người có công[[ (trong đó {breakdowns})]]"),
        _ind("merit_amount", "Kinh phí trợ cấp ưu đãi người có công hằng tháng", "triệu đồng/tháng", "meritorious",
             source="counted", query="merit_amount", over_time="stock", legal_basis=MERIT_BASIS,
             sentence="Tổng kinh phí trợ cấp ưu đãi hằng tháng {value} {unit}"),
    ]),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, query in NOW_COUNTED.items():
        indicator.objects.filter(code=code, source="declared", query="").update(source="counted", query=query)
    existing = set(indicator.objects.values_list("code", flat=True))
    orders = dict(indicator.objects.values_list("code", "order"))
    for after, rows in NEW_ROWS:
        base = orders.get(after, 0)
        indicator.objects.bulk_create(
            indicator(order=base + 1 + index, **row) for index, row in enumerate(rows) if row["code"] not in existing)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, query in NOW_COUNTED.items():
        indicator.objects.filter(code=code, source="counted", query=query).update(source="declared", query="")


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_model_names")]
    operations = [migrations.RunPython(forwards, backwards)]
