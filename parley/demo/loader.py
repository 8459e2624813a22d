"""Load the demo community through the real services, so every counter on every member card
is what `parley recount` would compute."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from parley.forums import services
from parley.forums.models import Category, Forum, Post, ReactionType, State, Thread
from parley.members.models import Member

from .attachments import add_demo_uploads
from .content import (
    ARTICLE_CAPTION,
    ARTICLE_CREDIT,
    ARTICLE_HEADLINE,
    ARTICLE_IMAGE,
    ARTICLE_TEXT,
    ARTICLE_TITLE,
    ARTICLE_URL,
    ROUNDUP_LINES,
    ROUNDUP_THREADS,
    STRUCTURE,
    THREADS,
    DemoThread,
)
from .conversations import converse
from .drafts import leave_drafts
from .feeds import attach_demo_feeds
from .liveevents import load_live_events
from .moderation import StaffSetup, moderate
from .people import DEMO_PASSWORD, MEMBERS
from .profiles import load_people
from .search import index_demo
from .sources import add_demo_sources
from .stories import share_story
from .threads import label_threads

SEED = 20261124


@dataclass
class _Event:
    at: datetime
    order: int
    run: Callable[[], None]


def demo_is_loaded() -> bool:
    return Member.objects.filter(username=MEMBERS[0].username).exists()


def load_demo(*, now: datetime | None = None) -> bool:
    """Load the demo community unless it is there already; returns whether it loaded."""
    if demo_is_loaded():
        return False
    now = now or timezone.now()
    from parley.events.models import Event

    before = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        _Loader(now).run()
    _write_demo_image()
    _demo_alerts(before)
    index_demo()  # docs/search.md
    return True


def _demo_alerts(before_event_id: int) -> None:
    """Alerts waiting for ironvale (reactions to his posts, the moderator's deletion, his
    warning) and sahel_watch (the conversation), without replaying the whole history."""
    from parley.alerts.demo import write_demo_alerts

    ids = Member.objects.filter(username__in=ALERTED).values_list("pk", flat=True)
    write_demo_alerts(after_event_id=before_event_id, member_ids=ids)


ALERTED = ("ironvale", "sahel_watch")


class _Loader:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.rng = random.Random(SEED)
        self.members: dict[str, Member] = {}
        self.forums: dict[str, Forum] = {}
        self.reactions = {t.name: t for t in ReactionType.objects.all()}
        self.events: list[_Event] = []
        self.marked: dict[str, Post] = {}  # DemoPost.mark -> the post written for it
        self.sticky: list[Thread] = []

    def run(self) -> None:
        self._members()
        self._forums()
        # Before anyone posts: each member's permissions are computed on their first action
        # and kept on the member object for the rest of the load.
        staff = StaffSetup(self.members, self.forums)
        staff.run()
        self._article_snapshot()
        written = self._content_threads()
        self._roundups(written)
        for event in sorted(self.events, key=lambda e: (e.at, e.order)):
            event.run()
        moderate(staff, self.marked, self.sticky)
        converse(self.members)  # a private conversation (docs/conversations.md)
        label_threads(self.members, self.forums, self.now)  # tags, prefixes, a poll
        load_live_events(self.members, self.forums, self.now)  # docs/liveevents.md
        leave_drafts(self.members)  # a reply and a new-thread draft (docs/editor.md)
        load_people(self.members, self.now)  # signatures, fields, follows (docs/people.md)
        add_demo_uploads()  # avatars and a reply with attachments (docs/attachments.md)
        share_story(self.members, self.forums, self.now)  # one story, three outlets (stories.md)
        add_demo_sources(self.members, self.forums, self.now)  # labels, policy (docs/sources.md)
        attach_demo_feeds(self.forums)  # a news feed in, a webhook out (feeds.md, webhooks.md)
        for thread in Thread.objects.filter(state=State.VISIBLE):  # nobody saw pending ones
            Thread.objects.filter(pk=thread.pk).update(
                view_count=(thread.reply_count + 1) * self.rng.randint(9, 40)
            )

    def _add(self, at: datetime, run: Callable[[], None]) -> None:
        self.events.append(_Event(at, len(self.events), run))

    def _members(self) -> None:
        password = make_password(DEMO_PASSWORD)
        for person in MEMBERS:
            joined = timezone.make_aware(datetime.combine(person.joined, time(12, 0)))
            if person.joined_days_ago is not None:
                joined = self.now - timedelta(days=person.joined_days_ago)
            self.members[person.username] = Member.objects.create(
                username=person.username,
                email=f"{person.username.replace('.', '_')}@members.parley.example",
                password=password,
                date_joined=joined,
                email_confirmed_at=joined,  # demo members write from their first day
                country=person.country,
                location=person.location,
                about=person.about,
                custom_title=person.custom_title,
                is_staff=person.is_staff,
            )

    def _article_snapshot(self) -> None:
        """What Parley would have fetched of the demo article. Its `.example` address is
        reserved and never fetched, so the snapshot is written here."""
        from parley.links.canonical import canonicalize
        from parley.links.models import LinkedPage

        LinkedPage.objects.create(
            key=canonicalize(ARTICLE_URL),
            url=ARTICLE_URL,
            resolved_key=canonicalize(ARTICLE_URL),
            status=LinkedPage.Status.OK,
            fetched_at=self.now - timedelta(days=7),
            checked_at=self.now - timedelta(days=7),
            page_title=ARTICLE_TITLE,
            headline=ARTICLE_HEADLINE,
            site_name="The Daily Ledger",
            section="World news",
            description="Irrigation districts cut water to one day in five as the river falls.",
            image=ARTICLE_IMAGE,
            image_caption=ARTICLE_CAPTION,
            image_credit=ARTICLE_CREDIT,
            author="Mariam Okonkwo-Hale",
            published="2026-11-18",
            article_text=ARTICLE_TEXT,
        )

    def _forums(self) -> None:
        categories: dict[str, Category] = {}
        for position, (title, parent, forums) in enumerate(STRUCTURE):
            categories[title] = Category.objects.create(
                title=title, parent=categories.get(parent), position=position
            )
            for forum_position, (forum_title, description) in enumerate(forums):
                self.forums[forum_title] = Forum.objects.create(
                    category=categories[title],
                    title=forum_title,
                    description=description,
                    position=forum_position,
                )

    def _content_threads(self) -> dict[str, int]:
        written: dict[str, int] = {}
        for demo in THREADS:
            start = self.now - timedelta(days=demo.days_ago)
            for post in demo.posts:
                written[post.author] = written.get(post.author, 0) + 1
            self._schedule_thread(demo, start)
        return written

    def _schedule_thread(self, demo: DemoThread, start: datetime) -> None:
        state: dict[str, object] = {}
        posts: list[Post] = []

        def write(index: int, at: datetime) -> None:
            spec = demo.posts[index]
            author = self.members[spec.author]
            body = spec.body
            if spec.quote_of is not None:
                quoted = posts[spec.quote_of]
                last_line = quoted.plain_text.strip().splitlines()[-1]
                body = (
                    f'[quote="{quoted.author.username}" post={quoted.pk}]{last_line}[/quote]\n'
                    + body
                )
            if index == 0:
                thread = services.start_thread(
                    author=author,
                    forum=self.forums[demo.forum],
                    title=demo.title,
                    source=body,
                    fmt=spec.fmt,
                    at=at,
                )
                if demo.sticky:
                    self.sticky.append(thread)  # stuck by a moderator, once all is written
                state["thread"] = thread
                post = Post.objects.get(thread=thread)
            else:
                thread = state["thread"]  # type: ignore[assignment]
                assert isinstance(thread, Thread)
                post = services.reply_to_thread(
                    author=author, thread=thread, source=body, fmt=spec.fmt, at=at
                )
            posts.append(post)
            if spec.mark:
                self.marked[spec.mark] = post
            for minutes, (member, reaction) in enumerate(spec.reactions, start=5):
                services.react_to_post(
                    member=self.members[member],
                    post=post,
                    reaction_type=self.reactions[reaction],
                    at=at + timedelta(minutes=minutes),
                )

        for index in range(len(demo.posts)):
            at = start + timedelta(hours=3 * index, minutes=self.rng.randint(0, 50))
            self._add(at, partial(write, index, at))

    def _roundups(self, written: dict[str, int]) -> None:
        authors: list[str] = []
        for person in MEMBERS:
            authors += [person.username] * max(0, person.posts - written.get(person.username, 0))
        self.rng.shuffle(authors)
        begin = self.now - timedelta(days=700)
        end = self.now - timedelta(hours=20)
        step = (end - begin) / max(1, len(authors))
        threads: dict[int, Thread] = {}
        moods = {p.username: p.mood for p in MEMBERS}

        def write(slot: int, author_name: str, at: datetime) -> None:
            forum_title, title = ROUNDUP_THREADS[slot]
            author = self.members[author_name]
            body = " ".join(self.rng.sample(ROUNDUP_LINES, 2))
            if slot not in threads:
                threads[slot] = services.start_thread(
                    author=author,
                    forum=self.forums[forum_title],
                    title=title,
                    source=body,
                    fmt="bbcode",
                    at=at,
                )
                post = Post.objects.get(thread=threads[slot])
            else:
                post = services.reply_to_thread(
                    author=author, thread=threads[slot], source=body, fmt="bbcode", at=at
                )
            if self.rng.random() < 0.35:
                reactor = self.rng.choice([m for m in self.members if m != author_name])
                services.react_to_post(
                    member=self.members[reactor],
                    post=post,
                    reaction_type=self.reactions[self._reaction_for(moods[author_name])],
                    at=at + timedelta(minutes=30),
                )

        for index, author_name in enumerate(authors):
            at = begin + step * index
            slot = self.rng.randrange(len(ROUNDUP_THREADS))
            self._add(at, partial(write, slot, author_name, at))

    def _reaction_for(self, mood: str) -> str:
        roll = self.rng.random()
        if mood == "disliked":
            return "Dislike" if roll < 0.5 else ("Like" if roll < 0.93 else "Sad")
        if mood == "mixed":
            return "Dislike" if roll < 0.3 else "Like"
        return (
            "Like"
            if roll < 0.7
            else ("Love" if roll < 0.85 else ("Haha" if roll < 0.93 else "Wow"))
        )


def _write_demo_image() -> None:
    """Draw the photograph of the demo article: a dry channel under a pale sky."""
    from PIL import Image, ImageDraw

    name = "demo/irrigation-channel.jpg"  # the posts link /media/<name>
    if default_storage.exists(name):
        return
    width, height = 960, 540
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        if y < height * 0.45:
            shade = int(200 + 40 * y / height)
            draw.line([(0, y), (width, y)], fill=(shade - 30, shade - 10, shade + 15))
        else:
            depth = (y - height * 0.45) / (height * 0.55)
            draw.line(
                [(0, y), (width, y)], fill=(int(196 - 40 * depth), int(164 - 40 * depth), 112)
            )
    draw.polygon(
        [
            (width * 0.42, height * 0.45),
            (width * 0.58, height * 0.45),
            (width * 0.9, height),
            (width * 0.1, height),
        ],
        fill=(150, 120, 84),
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    default_storage.save(name, ContentFile(buffer.getvalue()))
