from django.apps import AppConfig


class LiveEventsConfig(AppConfig):
    name = "parley.liveevents"
    label = "liveevents"
    verbose_name = "Live events"

    def ready(self) -> None:
        from . import wiring

        wiring.connect()
