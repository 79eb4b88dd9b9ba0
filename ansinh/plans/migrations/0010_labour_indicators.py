"""Labour and employment (issue 13 item 2): the labour figures of the catalogue are now counted
from the labour registries (`ansinh.labour.indicators_*`): jobs created (with the female,
ethnic-minority and youth parts), jobs added, workers abroad by destination, people counselled and
on unemployment benefit, job fairs, unemployment dossiers decided and their amount, people trained
by level and field, the trained-labour rates and the working-age people in regular work; and a new
counted row, the foreign workers by nationality (seed 001: "1.186 lao động nước ngoài, 1.011 người
Trung Quốc").

Reaches databases made before it: a shipped row still declared as shipped becomes counted (a
department's own change of source is kept). Where a unit has no registry data for a period, the
declared figures stand in (`plans.results`). Frozen here (a migration never imports a live module)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F

NOW_COUNTED = ("jobs_created", "jobs_added", "overseas_workers", "employed_regularly", "job_counselling",
               "job_fairs", "unemployment_dossiers", "unemployment_amount", "trained_workers",
               "trained_labour_rate", "certified_labour_rate")

FOREIGN_WORKERS: dict[str, Any] = {
    "code": "foreign_workers", "name": "Số lao động nước ngoài đang làm việc trên địa bàn",
    "unit_of_measure": "lao động", "sector": "employment", "source": "counted", "query": "foreign_workers",
    "formula": "", "aggregation": "sum", "over_time": "stock", "direction": "higher", "decimals": 0,
    "breakdowns": [
        {"code": "CN", "name": "người Trung Quốc", "dimension": "nationality"},
        {"code": "KR", "name": "người Hàn Quốc", "dimension": "nationality"},
        {"code": "JP", "name": "người Nhật Bản", "dimension": "nationality"},
        {"code": "TW", "name": "người Đài Loan (Trung Quốc)", "dimension": "nationality"},
        {"code": "other", "name": "quốc tịch khác", "dimension": "nationality"},
    ],
    "sentence": "Quản lý {value} {unit} nước ngoài đang làm việc trên địa bàn[[ (trong đó {breakdowns})]]",
    "legal_basis": "Bộ luật Lao động 45/2019/QH14 (Điều 151–157); Nghị định 152/2020/NĐ-CP; "
                   "Nghị định 219/2025/NĐ-CP",
}


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code in NOW_COUNTED:
        indicator.objects.filter(code=code, source="declared", query="").update(source="counted", query=code)
    if not indicator.objects.filter(code=FOREIGN_WORKERS["code"]).exists():
        orders = dict(indicator.objects.values_list("code", "order"))
        after = orders.get("certified_labour_rate", max(orders.values(), default=0))
        indicator.objects.filter(order__gt=after).update(order=F("order") + 1)
        indicator.objects.create(order=after + 1, **FOREIGN_WORKERS)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code in NOW_COUNTED:
        indicator.objects.filter(code=code, source="counted", query=code).update(source="declared", query="")
    indicator.objects.filter(code=FOREIGN_WORKERS["code"], source="counted").delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0009_package_indicators")]
    operations = [migrations.RunPython(forwards, backwards)]
