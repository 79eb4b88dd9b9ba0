"""The permits' and unemployment dossiers' decision times now live in the catalogue of procedures
(`procedures/0005_dossier_deadlines` copied them there, administrators' changes included): the
columns are dropped. Reversing adds them back filled from the catalogue."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def _days(procedure: Any, use: str, on: Any) -> int | None:
    found = (procedure.objects.filter(used_for=use, valid_from__lte=on)
             .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on)).order_by("-valid_from").first())
    return found.days if found is not None else None


def copy_back(apps: Any, schema_editor: Any) -> None:
    procedure = apps.get_model("procedures", "Procedure")
    for rule in apps.get_model("labour", "PermitRule").objects.all():
        rule.working_days = _days(procedure, f"permit_{rule.kind}", rule.valid_from) or 5
        rule.save(update_fields=["working_days"])
    for rule in apps.get_model("labour", "UnemploymentRule").objects.all():
        rule.decision_working_days = _days(procedure, "unemployment", rule.valid_from) or 20
        rule.save(update_fields=["decision_working_days"])


class Migration(migrations.Migration):

    dependencies = [("labour", "0004_unemployment_law"), ("procedures", "0005_dossier_deadlines")]

    # Reversed: the columns come back (working_days nullable first), are filled from the
    # catalogue, then working_days is made required again.
    operations = [
        migrations.AlterField(model_name="permitrule", name="working_days",
                              field=models.PositiveSmallIntegerField(null=True,
                                                                     verbose_name="decision within (working days)")),
        migrations.RunPython(migrations.RunPython.noop, copy_back),
        migrations.RemoveField(model_name="permitrule", name="working_days"),
        migrations.RemoveField(model_name="unemploymentrule", name="decision_working_days"),
    ]
