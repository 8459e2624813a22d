from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "parley.engagement"
    label = "engagement"
    verbose_name = "Watching and read tracking"

    def ready(self) -> None:
        from parley import events
        from parley.forums.hooks import register_thread_view_recorder

        from . import receivers
        from .services import record_thread_view

        register_thread_view_recorder(record_thread_view)
        events.subscribe(
            receivers.SUBSCRIBER, receivers.on_post_event, kinds=receivers.KINDS, inline=True
        )
        events.register_repairer("read_state", receivers.repair)
