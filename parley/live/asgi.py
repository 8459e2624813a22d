"""ASGI entry point of the live server: `uvicorn parley.live.asgi:application` (what
`parley live` and `parley serve` run)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
django.setup()

from parley.live.server import LiveApp  # noqa: E402

application = LiveApp()
