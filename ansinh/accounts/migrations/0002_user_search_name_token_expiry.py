import unicodedata

from django.db import migrations, models


def _fold(text: str) -> str:
    # Frozen copy of ansinh.lib.vietnamese.fold: a migration never imports a live module.
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def fill_search_names(apps, schema_editor):  # type: ignore[no-untyped-def]
    User = apps.get_model("accounts", "User")
    users = list(User.objects.only("pk", "username", "full_name"))
    for user in users:
        user.search_name = _fold(f"{user.username} {user.full_name}")
    User.objects.bulk_update(users, ["search_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_name",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=320),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, help_text="Empty: never expires.", null=True),
        ),
        migrations.AlterModelOptions(name="apitoken", options={"ordering": ["-created_at", "-pk"]}),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
    ]
