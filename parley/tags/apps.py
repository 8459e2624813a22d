from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "parley.tags"
    label = "tags"
    verbose_name = "Tags and thread prefixes"

    def ready(self) -> None:
        from parley import events
        from parley.forums import hooks

        from . import moves, queries, signals, views

        signals.connect()
        events.subscribe(moves.SUBSCRIBER, moves.on_thread_moved, kinds=moves.KINDS, inline=True)
        hooks.register_thread_page_related("prefix_choice__prefix")
        hooks.register_compose_extension(
            hooks.ComposeExtension(
                name="labels",
                template="tags/compose_labels.html",
                make_form=views.compose_form,
                apply=views.apply_labels,
            )
        )
        hooks.register_thread_list_filter(queries.prefix_filter)
        if queries.PREFIX_PARAM not in hooks.list_query_params:
            hooks.list_query_params.append(queries.PREFIX_PARAM)
