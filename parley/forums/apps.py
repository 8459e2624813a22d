from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "parley.forums"
    label = "forums"
    verbose_name = "Forums"

    def ready(self) -> None:
        from parley.core.pagecache import register_hit_hook

        from . import viewcounts

        # A thread page a guest gets from the cache still counts as a view.
        register_hit_hook("view", viewcounts.count_view)
