from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "parley.polls"
    label = "polls"
    verbose_name = "Polls"

    def ready(self) -> None:
        from parley.forums import hooks

        from . import broadcast, views
        from .recount import recount_polls

        hooks.register_thread_page_related("poll")
        hooks.register_compose_extension(
            hooks.ComposeExtension(
                name="poll",
                template="polls/compose_poll.html",
                make_form=views.compose_form,
                apply=views.apply_poll,
            )
        )
        hooks.register_recounter(recount_polls)
        broadcast.connect()
