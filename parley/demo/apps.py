from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "parley.demo"
    label = "demo"
    verbose_name = "Demo community"
