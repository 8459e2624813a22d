from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "parley.people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import wiring

        wiring.connect()
