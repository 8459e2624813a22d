from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "parley.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from parley import events

        from .subscriber import KINDS, SUBSCRIBER, on_post_event, repair

        # In the background, not inline: what a reader may see is decided by the live post
        # and thread rows joined in every search (docs/search.md), so a late index only
        # delays when a new word is findable, never shows what must not be seen.
        events.subscribe(SUBSCRIBER, on_post_event, kinds=KINDS)
        events.register_repairer("search", repair)
