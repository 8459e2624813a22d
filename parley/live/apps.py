from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "parley.live"
    label = "live"
    verbose_name = "Live updates"

    def ready(self) -> None:
        from parley import events

        from .subscriber import KINDS, SUBSCRIBER, on_event

        # Inline: published right after the commit by the process that made the change, so
        # a reader sees a reply within milliseconds instead of after the worker's next poll;
        # if that attempt fails, the worker retries it like any other delivery.
        events.subscribe(SUBSCRIBER, on_event, kinds=KINDS, inline=True)
