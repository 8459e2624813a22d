from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "parley.moderation"
    label = "moderation"
    verbose_name = "Moderation"
