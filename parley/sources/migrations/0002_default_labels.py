"""The labels a fresh install offers; admins add more."""

from django.db import migrations

DEFAULT_LABELS = [
    ("State-affiliated media", "Editorial control by a government, wholly or in part."),
    ("Press agency", "A wire service whose reports other outlets republish."),
    ("Paywall", "Most articles need a subscription to read."),
    ("Opinion", "Mostly commentary rather than reporting."),
    ("Satire", "Invented stories written as humour."),
    ("Unverified", "Staff could not establish who runs it."),
]


def add_labels(apps, schema_editor):
    Label = apps.get_model("sources", "Label")
    for position, (name, description) in enumerate(DEFAULT_LABELS):
        Label.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunPython(add_labels, migrations.RunPython.noop)]
