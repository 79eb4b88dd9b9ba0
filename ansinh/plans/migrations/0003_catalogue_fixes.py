"""The catalogue's later indicators (Khmer near-poverty rate) and corrected shipped sentences:
a reduction says "giảm"/"tăng" by its sign, the Khmer shares of seed 001, the on-time rate."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from ._catalogue_data import fix_sentences, load_catalogue

    indicator = apps.get_model("plans", "Indicator")
    load_catalogue(indicator)
    fix_sentences(indicator)


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_catalogue")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
