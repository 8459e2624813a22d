from django.db import migrations

from parley.forums.defaults import ensure_default_reactions


def add_reactions(apps, schema_editor):
    ensure_default_reactions(apps.get_model("forums", "ReactionType"))


class Migration(migrations.Migration):
    dependencies = [("forums", "0002_initial")]
    operations = [migrations.RunPython(add_reactions, migrations.RunPython.noop)]
