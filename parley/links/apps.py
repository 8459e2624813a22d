from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "parley.links"
    label = "links"
    verbose_name = "Links"
