"""Joins the labour lanes' own migrations (issue 13: training levels, permit rules, unemployment
law), made in parallel on 0001; nothing to do of its own."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("labour", "0002_permit_rules"), ("labour", "0002_training_levels"),
                    ("labour", "0002_unemployment_law")]
    operations: list[migrations.operations.base.Operation] = []
