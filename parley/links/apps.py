from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "parley.links"
    label = "links"
    verbose_name = "Links"

    def ready(self) -> None:
        from parley import events
        from parley.forums.hooks import (
            register_compose_check,
            register_image_provider,
            register_preview_provider,
        )

        from . import receivers
        from .imageproxy import images_for
        from .notices import already_discussed
        from .previews import previews_for
        from .subscriber import KINDS, SUBSCRIBER

        register_preview_provider(previews_for)
        register_compose_check(already_discussed)
        register_image_provider(images_for)
        # Inline: the author's next page shows "Also discussed in" and the pending card.
        events.subscribe(SUBSCRIBER, receivers.on_post_event, kinds=KINDS, inline=True)
        events.register_repairer("links", receivers.repair)
