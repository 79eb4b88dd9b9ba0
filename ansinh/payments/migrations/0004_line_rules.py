"""Payroll lines name their rule and legal basis (`LineRule`) instead of repeating the texts: the
distinct pairs of the existing lines become rules, each line is pointed at its pair in one
statement, then the two text columns go."""

import hashlib

import django.db.models.deletion
from django.db import migrations, models


def _key(rule: str, legal_basis: str) -> str:  # LineRule.key_of, as it was when this was written
    return hashlib.sha1(f"{rule}\x1f{legal_basis}".encode(), usedforsecurity=False).hexdigest()


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    line = apps.get_model("payments", "PayrollLine")
    rule = apps.get_model("payments", "LineRule")
    pairs = sorted(set(line.objects.order_by().values_list("rule", "legal_basis").distinct()))
    if not pairs:
        return
    rule.objects.bulk_create([rule(key=_key(r, b), rule=r, legal_basis=b) for r, b in pairs], batch_size=500)
    quote = schema_editor.connection.ops.quote_name
    lines, rules = quote(line._meta.db_table), quote(rule._meta.db_table)
    with schema_editor.connection.cursor() as cursor:  # a join: SQLite (3.33+) and PostgreSQL both
        cursor.execute(f"UPDATE {lines} SET basis_id = r.id FROM {rules} AS r "
                       f"WHERE r.rule = {lines}.rule AND r.legal_basis = {lines}.legal_basis")


def unfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    quote = schema_editor.connection.ops.quote_name
    lines = quote(apps.get_model("payments", "PayrollLine")._meta.db_table)
    rules = quote(apps.get_model("payments", "LineRule")._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {lines} SET rule = r.rule, legal_basis = r.legal_basis FROM {rules} AS r "
                       f"WHERE r.id = {lines}.basis_id")


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0003_payroll_line_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='LineRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(editable=False, max_length=40, unique=True)),
                ('rule', models.CharField(blank=True, max_length=500, verbose_name='how it was computed')),
                ('legal_basis', models.CharField(blank=True, max_length=300, verbose_name='legal basis')),
            ],
            options={
                'verbose_name': 'rule of a payroll line',
                'verbose_name_plural': 'rules of payroll lines',
            },
        ),
        migrations.AddField(
            model_name='payrollline',
            name='basis',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='+', to='payments.linerule', verbose_name='how it was computed'),
        ),
        migrations.RunPython(fill, unfill),
        migrations.AlterField(
            model_name='payrollline',
            name='basis',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='payments.linerule', verbose_name='how it was computed'),
        ),
        migrations.RemoveField(
            model_name='payrollline',
            name='legal_basis',
        ),
        migrations.RemoveField(
            model_name='payrollline',
            name='rule',
        ),
    ]
