from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "parley.engagement"
    label = "engagement"
    verbose_name = "Watching and read tracking"

    def ready(self) -> None:
        from parley.forums.events import post_published
        from parley.forums.hooks import register_thread_view_recorder

        from .receivers import on_post_published
        from .services import record_thread_view

        register_thread_view_recorder(record_thread_view)
        post_published.connect(on_post_published, dispatch_uid="engagement.on_post_published")
