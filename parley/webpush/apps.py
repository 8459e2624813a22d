from django.apps import AppConfig


class WebpushConfig(AppConfig):
    name = "parley.webpush"
    label = "webpush"
    verbose_name = "Web push"
