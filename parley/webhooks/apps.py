from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "parley.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import subscriber

        subscriber.register()
