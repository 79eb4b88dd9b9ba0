"""The moved models' content types and audit rows now say `poverty`, not `households`.

`django_content_type.app_label` is renamed in place (permissions keep their content type), and
audit rows written before the move (`AuditEvent.object_type`, the model's `label_lower`) are
renamed so that a round's history reads the same before and after. The model names are written
here, not imported, so later changes to the app cannot change what this migration does.
"""

from typing import Any

from django.db import migrations

MODELS = ["povertystandard", "standardindicator", "incomescoringtable", "reviewround", "roundprogress",
          "assessment"]


def _rename(apps: Any, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    audit_event = apps.get_model("accounts", "AuditEvent")
    for model in MODELS:
        if content_type.objects.filter(app_label=new, model=model).exists():
            # Made by a post_migrate signal before this ran: the old row goes (with its permissions).
            content_type.objects.filter(app_label=old, model=model).delete()
        else:
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)
        audit_event.objects.filter(object_type=f"{old}.{model}").update(object_type=f"{new}.{model}")


def forwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, "households", "poverty")


def backwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, "poverty", "households")


class Migration(migrations.Migration):
    dependencies = [
        ("poverty", "0001_initial"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
