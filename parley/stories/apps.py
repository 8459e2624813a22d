from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "parley.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        from parley import events
        from parley.events import kinds
        from parley.forums import hooks

        from .notices import same_story
        from .subscriber import SUBSCRIBER, on_page_fetched
        from .templatetags.stories import cards_with_coverage

        events.subscribe(SUBSCRIBER, on_page_fetched, kinds=[kinds.LINK_FETCHED])
        events.register_repairer("stories", lambda since=None: _restory())
        hooks.register_compose_check(same_story)
        hooks.register_post_html_decorator(cards_with_coverage)


def _restory() -> int:
    from .services import restory_all

    return restory_all().pages
