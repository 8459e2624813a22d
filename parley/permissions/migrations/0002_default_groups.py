from django.db import migrations


def forwards(apps, schema_editor):
    from parley.permissions.defaults import ensure_default_groups

    ensure_default_groups(apps.get_model("permissions", "Group"), apps.get_model("permissions", "Grant"))
    apps.get_model("permissions", "PermissionVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("permissions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
