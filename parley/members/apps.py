from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "parley.members"
    label = "members"
    verbose_name = "Members"
