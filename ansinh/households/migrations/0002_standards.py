"""Loads the shipped poverty standards, from the frozen copy of the data beside this migration
(`_0002_data.py`; the live data is `ansinh/poverty/standards_data.py`)."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from ._0002_data import load_standards

    load_standards(apps.get_model("households", "PovertyStandard"), apps.get_model("households", "StandardIndicator"),
                   apps.get_model("households", "IncomeScoringTable"))


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
