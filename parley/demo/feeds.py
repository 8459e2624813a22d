"""News feeds in and webhooks out in the demo (docs/feeds.md, docs/webhooks.md), set up
through their services: a bot member, `newsdesk`, with an outlet's feed attached to Europe &
Russia, and one webhook endpoint. Both point at reserved `.invalid` names: the loader
fetches nothing, and once `parley serve` runs its periodic tasks the feed's admin page shows
the failed fetch, its error and the next try."""

from __future__ import annotations

import secrets

from parley.events import dispatch
from parley.events.models import Event
from parley.feeds.services import attach_news_feed
from parley.forums.models import Forum
from parley.members.services import confirm_email, register_member, update_profile
from parley.webhooks.services import register_endpoint

BOT = "newsdesk"
FEED_FORUM = "Europe & Russia"
FEED_URL = "https://feeds.baltic-wire.invalid/europe/rss.xml"
HOOK_URL = "https://hooks.newsroom-tools.invalid/parley"


def attach_demo_feeds(forums: dict[str, Forum]) -> None:
    bot = register_member(
        username=BOT,
        email="newsdesk@members.parley.example",
        password=secrets.token_urlsafe(24),  # nobody signs in as the bot
    )
    confirm_email(member=bot)
    update_profile(
        member=bot, country="", location="", about="Starts a thread for each new article."
    )
    attach_news_feed(
        name="Baltic Wire Service",
        url=FEED_URL,
        forum=forums[FEED_FORUM],
        poster=bot,
        template="New from Baltic Wire Service. What does it change?",
        interval_minutes=60,
    )
    # The months of backdated demo history are not news to a receiver.
    history = list(Event.objects.values_list("pk", flat=True))
    dispatch.skip("webhooks", history)
    register_endpoint(
        name="Newsroom dashboard",
        url=HOOK_URL,
        events=["thread.created", "report.filed"],
        public_only=False,
    )
