"""The inspectorate (issue 14 item 4): seed 001's "Tiếp 27 lượt công dân" and "Đội kiểm tra liên
ngành 178 kiểm tra 15 cơ sở …, phát hiện 02 cơ sở …" vi phạm are now counted from the inspectorate's
records (`ansinh.care.indicators_inspections`): establishments inspected (its sentence now names
those found in violation), citizens received in lượt; and three new counted rows: establishments
found in violation, complaints and denunciations received, and those resolved on time.

Reaches databases made before it: a shipped row still declared becomes counted and takes the new
sentence only if its sentence is the shipped one (a department's own change is kept). Frozen here
(a migration never imports a live module)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F

OLD_SENTENCES = {
    "establishments_inspected": "Đội kiểm tra liên ngành kiểm tra {value} {unit} kinh doanh, dịch vụ",
}
NEW_SENTENCES = {
    "establishments_inspected": "Đội kiểm tra liên ngành kiểm tra {value} {unit} kinh doanh, dịch vụ"
                                "[[, phát hiện {establishments_with_violations} cơ sở vi phạm]]",
}
NOW_COUNTED = ("establishments_inspected", "citizens_received")
INSPECTION_BASIS = "Luật Thanh tra 11/2022/QH15; Nghị định 12/2022/NĐ-CP (xử phạt vi phạm hành chính lĩnh vực lao động)"
PETITIONS_BASIS = "Luật Khiếu nại 02/2011/QH13; Luật Tố cáo 25/2018/QH14; Luật 136/2025/QH15"


def _row(code: str, name: str, unit: str, sector: str, basis: str, sentence: str, direction: str = "higher"
         ) -> dict[str, Any]:
    return {"code": code, "name": name, "unit_of_measure": unit, "sector": sector, "source": "counted",
            "query": code, "formula": "", "aggregation": "sum", "over_time": "flow", "direction": direction,
            "decimals": 0, "breakdowns": [], "sentence": sentence, "legal_basis": basis}


# (the row, the code it comes after)
NEW_ROWS = [
    (_row("establishments_with_violations", "Số cơ sở kinh doanh, dịch vụ được kiểm tra phát hiện vi phạm", "cơ sở",
          "social_evils", INSPECTION_BASIS, "", "lower"), "establishments_inspected"),
    (_row("petitions_received", "Số đơn khiếu nại, tố cáo tiếp nhận", "đơn", "inspection", PETITIONS_BASIS,
          "Tiếp nhận {value} {unit} khiếu nại, tố cáo"), "citizens_received"),
    (_row("petitions_on_time", "Số đơn khiếu nại, tố cáo giải quyết đúng hạn", "đơn", "inspection", PETITIONS_BASIS,
          "Giải quyết đúng hạn {value} {unit} khiếu nại, tố cáo"), "petitions_received"),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code in NOW_COUNTED:
        indicator.objects.filter(code=code, source="declared", query="").update(source="counted", query=code)
    for code, old in OLD_SENTENCES.items():
        indicator.objects.filter(code=code, sentence=old).update(sentence=NEW_SENTENCES[code])
    for row, after_code in NEW_ROWS:
        if indicator.objects.filter(code=row["code"]).exists():
            continue
        orders = dict(indicator.objects.values_list("code", "order"))
        after = orders.get(after_code, max(orders.values(), default=0))
        indicator.objects.filter(order__gt=after).update(order=F("order") + 1)
        indicator.objects.create(order=after + 1, **row)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for row, _after in NEW_ROWS:
        indicator.objects.filter(code=row["code"], source="counted").delete()
    for code, old in OLD_SENTENCES.items():
        indicator.objects.filter(code=code, sentence=NEW_SENTENCES[code]).update(sentence=old)
    for code in NOW_COUNTED:
        indicator.objects.filter(code=code, source="counted", query=code).update(source="declared", query="")


class Migration(migrations.Migration):
    dependencies = [("plans", "0013_children_indicators")]
    operations = [migrations.RunPython(forwards, backwards)]
