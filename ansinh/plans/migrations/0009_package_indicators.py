"""One-off packages (issue 12 item 6): the gifts seed 001 reports are now counted from the frozen
lists of the support packages (`ansinh.payments.indicators_packages`): people with meritorious
service given Tết gifts and the amount by funding source, near-poor households given Tết gifts,
longevity gifts by age (90, 100), children given gifts.

Reaches databases made before it: a shipped row still declared as shipped becomes counted (a
department's own change of source is kept). Frozen here (a migration never imports a live module)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Shipped declared, now counted: code → its registry query.
NOW_COUNTED = {"merit_gift_recipients": "merit_gift_recipients", "merit_gift_amount": "merit_gift_amount",
               "near_poor_tet_gifts": "near_poor_tet_gifts", "elderly_longevity_gifts": "elderly_longevity_gifts",
               "children_gifts": "children_gifts"}


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, query in NOW_COUNTED.items():
        indicator.objects.filter(code=code, source="declared", query="").update(source="counted", query=query)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, query in NOW_COUNTED.items():
        indicator.objects.filter(code=code, source="counted", query=query).update(source="declared", query="")


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_payment_indicators")]
    operations = [migrations.RunPython(forwards, backwards)]
