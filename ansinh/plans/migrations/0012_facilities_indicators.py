"""Care facilities and drug rehabilitation (issue 14 item 2): the figures of seed 001's social
protection centre and rehabilitation facility are now counted from the residents' stays
(`ansinh.care.indicators_facilities`): residents cared for at the period's end by group (elderly
and people with disabilities, people with mental illness, orphans), rehabilitation admissions and
residents by kind (compulsory, voluntary); and three new counted rows: care admissions, care
discharges (dừng trợ giúp) and rehabilitation residents reintegrated into the community.

Reaches databases made before it: a shipped row still declared as shipped becomes counted, with
the breakdowns and sentence shipped now (a department's own change is kept). Frozen here (a
migration never imports a live module)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F

CARE_BASIS = "Nghị định 20/2021/NĐ-CP, Chương V; Nghị định 103/2017/NĐ-CP"
REHAB_BASIS = "Luật Phòng, chống ma túy 73/2021/QH14 (Điều 28–40)"
CARE_GROUPS = [
    {"code": "elderly_disabled", "name": "người cao tuổi, người khuyết tật", "dimension": "group"},
    {"code": "mental_illness", "name": "người tâm thần", "dimension": "group"},
    {"code": "orphan", "name": "trẻ em mồ côi", "dimension": "group"},
]
REHAB_KINDS = [{"code": "compulsory", "name": "cai nghiện bắt buộc", "dimension": "group"},
               {"code": "voluntary", "name": "cai nghiện tự nguyện", "dimension": "group"}]

# code: (sentence as shipped before, the changes now)
NOW_COUNTED: dict[str, tuple[str, dict[str, Any]]] = {
    "care_centre_residents": ("Cơ sở bảo trợ xã hội đang chăm sóc, nuôi dưỡng {value} {unit}", {
        "unit_of_measure": "đối tượng", "breakdowns": CARE_GROUPS, "legal_basis": CARE_BASIS,
        "sentence": "Cơ sở bảo trợ xã hội đang chăm sóc, nuôi dưỡng {value} {unit}[[ (trong đó {breakdowns})]]"}),
    "rehab_admissions": ("Cơ sở cai nghiện ma túy tiếp nhận {value} {unit}[[ (trong đó {breakdowns})]]", {
        "legal_basis": REHAB_BASIS}),
    "rehab_residents": ("Cơ sở đang quản lý {value} {unit}", {
        "breakdowns": REHAB_KINDS, "legal_basis": REHAB_BASIS,
        "sentence": "Cơ sở cai nghiện ma túy đang quản lý {value} {unit}[[ (trong đó {breakdowns})]]"}),
}


def _row(code: str, name: str, uom: str, sector: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"code": code, "name": name, "unit_of_measure": uom, "sector": sector, "source": "counted",
                           "query": code, "formula": "", "aggregation": "sum", "over_time": "flow",
                           "direction": "higher", "decimals": 0, "breakdowns": []}
    row.update(extra)
    return row


# (the row it goes after, the new row)
NEW: list[tuple[str, dict[str, Any]]] = [
    ("benefit_dossiers_decided", _row(
        "care_admissions", "Số đối tượng được quyết định tiếp nhận vào cơ sở trợ giúp xã hội", "đối tượng",
        "social_protection", legal_basis=CARE_BASIS,
        sentence="Cơ sở bảo trợ xã hội quyết định tiếp nhận {value} {unit}")),
    ("care_admissions", _row(
        "care_discharges", "Số đối tượng được quyết định dừng trợ giúp tại cơ sở trợ giúp xã hội", "đối tượng",
        "social_protection", legal_basis=CARE_BASIS, sentence="Quyết định dừng trợ giúp {value} {unit}")),
    ("rehab_admissions", _row(
        "rehab_reintegrated", "Số học viên cai nghiện ma túy được giải quyết tái hòa nhập cộng đồng", "học viên",
        "social_evils", legal_basis=REHAB_BASIS, breakdowns=REHAB_KINDS,
        sentence="Giải quyết tái hòa nhập cộng đồng {value} {unit}[[ (trong đó {breakdowns})]]")),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, (old_sentence, changes) in NOW_COUNTED.items():
        row = indicator.objects.filter(code=code, source="declared", query="").first()
        if row is None:
            continue
        row.source, row.query = "counted", code
        fields = ["source", "query"]
        for name, value in changes.items():
            if name == "sentence" and row.sentence != old_sentence:
                continue  # a department's own sentence is kept
            if name == "breakdowns" and row.breakdowns:
                continue
            setattr(row, name, value)
            fields.append(name)
        row.save(update_fields=fields)
    for after, new in NEW:
        if indicator.objects.filter(code=new["code"]).exists():
            continue
        orders = dict(indicator.objects.values_list("code", "order"))
        # The care admissions and discharges read just before the residents (seed 001's order).
        position = orders.get(after, max(orders.values(), default=0))
        indicator.objects.filter(order__gt=position).update(order=F("order") + 1)
        indicator.objects.create(order=position + 1, **new)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code in NOW_COUNTED:
        indicator.objects.filter(code=code, source="counted", query=code).update(source="declared", query="")
    indicator.objects.filter(code__in=[new["code"] for _after, new in NEW], source="counted").delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0011_procedure_indicators")]
    operations = [migrations.RunPython(forwards, backwards)]
