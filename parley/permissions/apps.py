from django.apps import AppConfig


class PermissionsConfig(AppConfig):
    name = "parley.permissions"
    label = "permissions"
    verbose_name = "Permissions"

    def ready(self) -> None:
        from .signals import connect

        connect()
