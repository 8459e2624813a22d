"""`parley fetch_news_feeds`: fetch news feeds now instead of waiting for the schedule."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from parley.feeds import services
from parley.feeds.models import NewsFeed


class Command(BaseCommand):
    help = (
        "Fetch the news feeds that are due (or every active one with --all, or one with "
        "--feed ID) and start threads for their new items; prints what each fetch did."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Every active feed, due or not.")
        parser.add_argument("--feed", type=int, help="Only this feed (its id in the admin).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        feeds = NewsFeed.objects.select_related("forum", "poster").order_by("pk")
        if options["feed"] is not None:
            chosen = list(feeds.filter(pk=options["feed"]))
            if not chosen:
                raise CommandError(f"There is no news feed {options['feed']}.")
        elif options["all"]:
            chosen = list(feeds.filter(is_active=True))
        else:
            chosen = services.due_feeds(now, limit=1000)
        for feed in chosen:
            report = services.poll_news_feed(feed=feed, now=timezone.now())
            line = (
                f"{feed.pk} {feed.name}: {report.status}, {len(report.started)} started, "
                f"{report.discussed} already discussed, {report.refused} not posted"
            )
            if report.error:
                line += f" ({report.error})"
            self.stdout.write(line)
        if not chosen:
            self.stdout.write("No feed is due.")
