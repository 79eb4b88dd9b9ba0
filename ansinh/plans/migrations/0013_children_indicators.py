"""Children (issue 14 item 3): seed 004's three rates are now formulas over counted rows
(`ansinh.care.indicators_children`), so that each rate is recomputed at every level of the map from
numerators and denominators that add up, not averaged:

- `child_friendly_commune_rate` = `child_friendly_communes` / `communes_total` × 100;
- `special_children_care_rate` = `special_children_supported` / `special_children` × 100;
- `child_abuse_rate` = `children_abused` / `children_total` × 100.

Reaches databases made before it: a shipped rate still declared becomes derived (a department's own
change is kept), and the six counted rows are added before their rate. Frozen here (a migration
never imports a live module)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F

CHILDREN_BASIS = "Luật Trẻ em 102/2016/QH13 (Điều 1, 4, 10)"
CHILD_FRIENDLY_BASIS = "Quyết định 06/QĐ-TTg ngày 03/01/2019 của Thủ tướng Chính phủ"


def _row(code: str, name: str, unit: str, basis: str, direction: str = "higher") -> dict[str, Any]:
    return {"code": code, "name": name, "unit_of_measure": unit, "sector": "children", "source": "counted",
            "query": code, "formula": "", "aggregation": "sum", "over_time": "stock", "direction": direction,
            "decimals": 0, "breakdowns": [], "sentence": "", "legal_basis": basis}


RATES = {
    "child_friendly_commune_rate": ("child_friendly_communes / communes_total * 100", 1, [
        _row("child_friendly_communes", "Số xã, phường đạt tiêu chuẩn phù hợp với trẻ em", "xã", CHILD_FRIENDLY_BASIS),
        _row("communes_total", "Tổng số xã, phường", "xã", "Thông tư 04/2024/TT-BLĐTBXH (hệ thống chỉ tiêu thống kê ngành)"),
    ]),
    "special_children_care_rate": ("special_children_supported / special_children * 100", 1, [
        _row("special_children", "Số trẻ em có hoàn cảnh đặc biệt", "em", CHILDREN_BASIS),
        _row("special_children_supported", "Số trẻ em có hoàn cảnh đặc biệt được chăm sóc, nuôi dưỡng, trợ giúp",
             "em", CHILDREN_BASIS),
    ]),
    "child_abuse_rate": ("children_abused / children_total * 100", 2, [
        _row("children_abused", "Số trẻ em bị xâm hại", "em", CHILDREN_BASIS, "lower"),
        _row("children_total", "Tổng số trẻ em", "em", CHILDREN_BASIS),
    ]),
}


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, (formula, decimals, parts) in RATES.items():
        indicator.objects.filter(code=code, source="declared", query="", formula="").update(
            source="derived", aggregation="formula", formula=formula, decimals=decimals)
        for part in parts:
            if indicator.objects.filter(code=part["code"]).exists():
                continue
            orders = dict(indicator.objects.values_list("code", "order"))
            before = orders.get(code, max(orders.values(), default=0) + 1)
            indicator.objects.filter(order__gte=before).update(order=F("order") + 1)
            indicator.objects.create(order=before, **part)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, (formula, _decimals, parts) in RATES.items():
        indicator.objects.filter(code=code, source="derived", formula=formula).update(
            source="declared", aggregation="none", formula="")
        indicator.objects.filter(code__in=[p["code"] for p in parts], source="counted").delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0012_facilities_indicators")]
    operations = [migrations.RunPython(forwards, backwards)]
