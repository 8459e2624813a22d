from django.db import migrations, models
from django.utils import timezone


def confirm_existing(apps, schema_editor):
    # Members who signed up before confirmation existed keep writing: they count as confirmed.
    apps.get_model("members", "Member").objects.filter(email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0003_moderation_fields")]
    operations = [
        migrations.AddField(
            model_name="member",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
