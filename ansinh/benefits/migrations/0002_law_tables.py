"""The law's tables as shipped: categories, base levels and amount rules from 1 Jul 2021."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from ._law_tables_data import load_law

    load_law(apps, schema_editor)


def unload(apps: Any, schema_editor: Any) -> None:
    from ._law_tables_data import unload_law

    unload_law(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("benefits", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
