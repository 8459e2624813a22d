from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "parley.attachments"
    label = "attachments"
    verbose_name = "Attachments and avatars"

    def ready(self) -> None:
        from parley.forums.hooks import register_attachment_source

        from .binding import attachments_for_post, bind_attachments

        register_attachment_source(attachments_for_post, bind_attachments)
