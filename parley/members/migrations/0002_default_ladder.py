from django.db import migrations

from parley.members.defaults import ensure_default_ladder


def add_ladder(apps, schema_editor):
    ensure_default_ladder(apps.get_model("members", "TitleRung"))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(add_ladder, migrations.RunPython.noop)]
