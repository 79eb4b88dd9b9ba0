"""Loads the shipped indicator catalogue (from the frozen copy beside this migration,
`_catalogue_data.py`; the live data is `ansinh/plans/catalogue_data.py`)."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from ._catalogue_data import load_catalogue

    load_catalogue(apps.get_model("plans", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
