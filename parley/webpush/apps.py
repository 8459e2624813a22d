from django.apps import AppConfig


class WebpushConfig(AppConfig):
    name = "parley.webpush"
    label = "webpush"
    verbose_name = "Web push"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the VAPID settings checks)
