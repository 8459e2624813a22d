from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "parley.alerts"
    label = "alerts"
    verbose_name = "Alerts and e-mail"

    def ready(self) -> None:
        from parley import events
        from parley.conversations.hooks import register_leave_listener

        from . import handlers, services, unread
        from .channels import register_channel
        from .mail import send_notices
        from .push import push_notices

        # One subscriber for every kind alerts care about: one delivery row per event.
        # Never inline: fan-out and mail stay off the member's request.
        events.subscribe(handlers.SUBSCRIBER, handlers.handle, kinds=handlers.KINDS)
        events.register_repairer("alerts", handlers.rebuild)
        register_channel("email", send_notices)
        register_channel("push", push_notices)
        unread.connect()
        register_leave_listener(services.hide_conversation)
