from django.db import migrations


def forwards(apps, schema_editor):
    from parley.moderation.defaults import ensure_moderation_defaults

    ensure_moderation_defaults(
        apps.get_model("moderation", "ReportReason"),
        apps.get_model("moderation", "WarningType"),
        apps.get_model("moderation", "WarningThreshold"),
    )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
