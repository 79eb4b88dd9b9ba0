"""Fills `Household.poverty_status` (households.0010) from the assessments already stored: each
household's status in the latest round that assessed it, set-based (a window function over the
assessments, one UPDATE … FROM; then none for the households never assessed).

Afterwards `ansinh.poverty.current` keeps the copy right, round run by round run.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

HOUSEHOLDS = "households_household"
ASSESSMENTS = "households_assessment"
ROUNDS = "households_reviewround"

STATEMENTS = [
    f"WITH latest AS (SELECT household_id, status FROM (SELECT a.household_id, a.status, ROW_NUMBER() OVER ("
    f"PARTITION BY a.household_id ORDER BY r.reference_date DESC, r.id DESC) AS n FROM {ASSESSMENTS} a "
    f"JOIN {ROUNDS} r ON r.id = a.round_id) ranked WHERE n = 1) "
    f"UPDATE {HOUSEHOLDS} AS h SET poverty_status = latest.status FROM latest "
    f"WHERE latest.household_id = h.id AND h.poverty_status <> latest.status",
    f"UPDATE {HOUSEHOLDS} SET poverty_status = '' WHERE poverty_status <> '' AND NOT EXISTS ("
    f"SELECT 1 FROM {ASSESSMENTS} a WHERE a.household_id = {HOUSEHOLDS}.id)",
]


def fill_poverty_status(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        for sql in STATEMENTS:
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0010_household_poverty_status'),
        ('poverty', '0003_model_names'),
    ]

    operations = [
        migrations.RunPython(fill_poverty_status, migrations.RunPython.noop, elidable=True),
    ]
