"""A trigram index for the name search on PostgreSQL.

The household search matches every word anywhere in `search_text` (`LIKE '%hoa%'`), which no
B-tree serves: a provincial officer's search read the province's 300.000 rows. A GIN index of
trigrams (`pg_trgm`, a trusted extension since PostgreSQL 13: the database's owner may create it)
serves such a LIKE for words of three letters or more. SQLite has no such index and keeps its scan
(a commune officer's search stays within her commune's rows through the commune index).
If the extension cannot be created (a server without the contrib modules, a role that may not),
the migration leaves the index out and says so: the search still works, only slower.
"""

from django.db import migrations, transaction

INDEX = "households_household_search_trgm"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias), schema_editor.connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON households_household "
                           "USING gin (search_text gin_trgm_ops)")
    except Exception as error:  # noqa: BLE001 — an optional index: the search works without it
        print(f"\n  households: no trigram index for the name search ({error}); the search scans instead.")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("households", "0009_model_names")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
