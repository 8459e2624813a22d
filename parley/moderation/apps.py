from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "parley.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from parley.forums import hooks

        from .content import record_staff_edit

        hooks.register_staff_edit_recorder(record_staff_edit)
