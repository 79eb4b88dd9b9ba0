"""Procedure dossiers (issue 14 item 1): the one-stop shop's figures of seed 001 ("tiếp nhận 287 hồ
sơ …, trả kết quả trước hạn 287 hồ sơ đạt 100%") are now counted from the dossiers
(`ansinh.procedures.indicators`): dossiers received, and those whose result was ready on or before
the statutory due date; the rate stays the catalogue's formula over the two.

Reaches databases made before it: a shipped row still declared becomes counted (a department's own
change of source is kept). Frozen here (a migration never imports a live module)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

NOW_COUNTED = {"admin_dossiers": "admin_dossiers", "admin_dossiers_on_time": "admin_dossiers_on_time"}


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, query in NOW_COUNTED.items():
        indicator.objects.filter(code=code, source="declared", query="").update(source="counted", query=query)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("plans", "Indicator")
    for code, query in NOW_COUNTED.items():
        indicator.objects.filter(code=code, source="counted", query=query).update(source="declared", query="")


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_labour_indicators")]
    operations = [migrations.RunPython(forwards, backwards)]
