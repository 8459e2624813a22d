from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "parley.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import stamps

        stamps.connect()
        from . import checks  # noqa: F401  (registers the system checks)
