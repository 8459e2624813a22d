from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parley.links.imageproxy import queue_missing_images


class Command(BaseCommand):
    help = (
        "Queue the image proxy's fetch of remote images in posts written before it existed "
        "(run once after upgrading, after `parley rebake`)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = queue_missing_images()
        self.stdout.write(f"{queued} image(s) queued for the image proxy.")
