from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "parley.events"
    label = "events"
    verbose_name = "Events"
