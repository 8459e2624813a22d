"""The labels a fresh install offers; admins add more."""

from django.db import migrations

from parley.sources.defaults import ensure_default_labels


def add_labels(apps, schema_editor):
    ensure_default_labels(apps.get_model("sources", "Label"))


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunPython(add_labels, migrations.RunPython.noop)]
