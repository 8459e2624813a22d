from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "parley.conversations"

    def ready(self) -> None:
        # Prime the header's unread counter when a member signs in (see unread.py).
        from . import unread

        unread.connect()
