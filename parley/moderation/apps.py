from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "parley.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from parley.forums.hooks import register_staff_edit

        from .content import edit_post_as_moderator

        register_staff_edit(edit_post_as_moderator)
