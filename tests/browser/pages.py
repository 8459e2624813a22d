"""Every page type, in one place: the browser tests that check every page (width at 360 px and
1366 px, axe-core) visit this list. A new page is one more line in PAGES.

The pages show long unbroken words and addresses (the demo's own, parley.demo.content), the
content that used to push member pages to 2,000 px on a phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.test import Client

from parley.conversations.services import start_conversation
from parley.demo.content import LONG_URL, LONG_WORD, LONG_WORDS_POST
from parley.forums import services
from parley.forums.models import Forum, Post, Thread
from parley.liveevents import services as live_events
from parley.members.models import Member
from parley.moderation import reports
from parley.moderation.models import ReportReason
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread, reaction
from tests.modworld import make_super_moderator
from tests.stories.browser_site import add_story, first_story_id


@dataclass
class Site:
    """A small forum with everything the pages show: long words and URLs in titles, posts,
    profiles and a conversation; reactions; a report in the queue."""

    forum: Forum
    thread: Thread
    first_post: Post
    reply: Post
    member: Member  # alice, the reader of most pages
    other: Member
    moderator: Member
    conversation_id: int
    live_entry_id: int = 0  # a timeline entry on `thread`, which is a live event


def build_site() -> Site:
    forum = ForumFactory(title="Middle East", description=f"Ports, rivers and {LONG_WORD}")
    member = MemberFactory(username="alice", country="DE", location=LONG_WORD)
    other = MemberFactory(username="bob_from_pune_who_writes_a_lot", country="IN")
    moderator = make_super_moderator(MemberFactory(username="moderator"))
    thread = make_thread(forum, member, title=f"Night shifts: {LONG_WORD}", body=LONG_WORDS_POST)
    first = Post.objects.get(pk=thread.first_post_id)
    reply = make_reply(thread, other, body=f"[quote]{LONG_URL}[/quote]\n{LONG_URL}\n{LONG_WORD}")
    for who, name in ((other, "Like"), (moderator, "Wow")):
        services.react_to_post(member=who, post=first, reaction_type=reaction(name))
    services.react_to_post(member=member, post=reply, reaction_type=reaction("Haha"))
    services.edit_post(
        editor=member, post=first, source=LONG_WORDS_POST + "\n\nEdited.", fmt="bbcode"
    )
    reports.file_report(
        reporter=member, post=reply, reason=ReportReason.objects.first(), text=LONG_URL
    )
    conversation = start_conversation(
        starter=member,
        recipients=[other],
        title=f"About {LONG_WORD}",
        source=LONG_WORDS_POST,
        fmt="bbcode",
    )
    add_story(forum, member, other)  # a story from two outlets (docs/stories.md)
    live_events.mark_live_event(actor=member, thread=thread, slow_mode_seconds=120)
    entry = live_events.pin_post(actor=member, post=reply, summary=f"Ports: {LONG_WORD}"[:140])
    return Site(forum, thread, first, reply, member, other, moderator, conversation.pk, entry.pk)


@dataclass(frozen=True)
class PageType:
    name: str
    who: str  # "guest", "member" or "moderator"
    path: Callable[[Site], str]


PAGES: tuple[PageType, ...] = (
    PageType("index", "guest", lambda s: "/"),
    PageType("forum", "guest", lambda s: f"/forums/{s.forum.pk}/"),
    PageType("thread (guest)", "guest", lambda s: f"/threads/{s.thread.pk}/"),
    PageType("who reacted", "guest", lambda s: f"/posts/{s.first_post.pk}/reactions/"),
    PageType("profile", "guest", lambda s: f"/members/{s.member.username}/"),
    PageType("sign in", "guest", lambda s: "/signin/"),
    PageType("sign up", "guest", lambda s: "/signup/"),
    PageType("link search", "guest", lambda s: f"/links/search/?url={LONG_URL}"),
    PageType("search", "guest", lambda s: f"/search/?q=night+{LONG_WORD[:20]}*&show=threads"),
    PageType("404", "guest", lambda s: "/no-such-page/"),
    PageType("thread (member)", "member", lambda s: f"/threads/{s.thread.pk}/"),
    PageType("reply", "member", lambda s: f"/threads/{s.thread.pk}/reply/?quote={s.reply.pk}"),
    PageType("new thread", "member", lambda s: f"/forums/{s.forum.pk}/new/"),
    PageType("edit post", "member", lambda s: f"/posts/{s.first_post.pk}/edit/"),
    PageType("edit profile", "member", lambda s: "/account/profile/"),
    PageType("alerts", "member", lambda s: "/alerts/"),
    PageType("alert preferences", "member", lambda s: "/account/alerts/"),
    PageType("watched", "member", lambda s: "/watched/"),
    PageType("what's new", "member", lambda s: "/whats-new/"),
    PageType("conversations", "member", lambda s: "/conversations/"),
    PageType("conversation", "member", lambda s: f"/conversations/{s.conversation_id}/"),
    PageType("start conversation", "member", lambda s: "/conversations/new/"),
    PageType("report", "member", lambda s: f"/posts/{s.reply.pk}/report/"),
    PageType("push devices", "member", lambda s: "/account/push/"),
    PageType("live event settings", "member", lambda s: f"/threads/{s.thread.pk}/live/"),
    PageType("pin to timeline", "member", lambda s: f"/threads/{s.thread.pk}/timeline/pin/"),
    PageType("edit timeline entry", "member", lambda s: f"/timeline/{s.live_entry_id}/edit/"),
    PageType("thread (moderator)", "moderator", lambda s: f"/threads/{s.thread.pk}/"),
    PageType("post history", "moderator", lambda s: f"/posts/{s.first_post.pk}/history/"),
    PageType("moderation queue", "moderator", lambda s: "/moderation/"),
    PageType("moderation log", "moderator", lambda s: "/moderation/log/"),
    PageType("warn", "moderator", lambda s: f"/moderation/posts/{s.reply.pk}/warn/"),
    PageType("stories", "moderator", lambda s: "/stories/"),
    PageType("story", "moderator", lambda s: f"/stories/{first_story_id()}/"),
    PageType("sources seen", "moderator", lambda s: "/staff/sources/"),
    PageType("edit source", "moderator", lambda s: f"/staff/sources/edit/?domain={LONG_HOST}"),
    PageType("article history", "moderator", lambda s: article_history_path(s)),
)


LONG_HOST = "harbourgazette.example"


def article_history_path(site: Site) -> str:
    """The history page of the article the reply links, as a re-check leaves a dead one:
    its long headline, the date it went away, and the text kept for staff."""
    from django.utils import timezone

    from parley.links.models import LinkedPage, PageChange, PostLink
    from parley.links.previews import canonical_or_none

    now = timezone.now()
    page, _ = LinkedPage.objects.update_or_create(
        key=canonical_or_none(LONG_URL),
        defaults={
            "url": LONG_URL,
            "status": LinkedPage.Status.OK,
            "headline": f"Night shifts at the terminal: {LONG_WORD}",
            "article_text": LONG_WORDS_POST,
            "fetched_at": now,
            "is_dead": True,
        },
    )
    PostLink.objects.get_or_create(post=site.reply, page=page, defaults={"url": LONG_URL})
    if not page.changes.exists():
        PageChange.objects.create(page=page, at=now, kind="headline", before=LONG_WORD, after="x")
        PageChange.objects.create(page=page, at=now, kind="gone")
    return f"/links/pages/{page.pk}/history/"


def session_cookie(user: Member | None, base: str) -> list[dict[str, Any]]:
    """The cookie of a signed-in session for `user` (none for a guest): faster than signing
    in through the form for each persona, which other browser tests already cover."""
    if user is None:
        return []
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base}]


def persona(site: Site, who: str) -> Member | None:
    return {"guest": None, "member": site.member, "moderator": site.moderator}[who]


def visit_every_page(
    browser: Any,
    base: str,
    site: Site,
    viewport: dict[str, int],
    check: Callable[..., Any],
    **context: Any,
) -> list[str]:
    """Open every page type in one browser context of this size, signed in as each page's
    persona, and collect what `check(page, page_type)` finds wrong."""
    ctx = browser.new_context(viewport=viewport, **context)
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    problems: list[str] = []
    who = None
    try:
        for page_type in PAGES:
            if page_type.who != who:
                who = page_type.who
                ctx.clear_cookies()
                ctx.add_cookies(session_cookie(persona(site, who), base))
            response = page.goto(base + page_type.path(site))
            expected = 404 if page_type.name == "404" else 200
            if response is None or response.status != expected:
                status = response.status if response else "no response"
                problems.append(f"{page_type.name}: HTTP {status}")
                continue
            problems += [
                f"{page_type.name} at {viewport['width']} px: {p}" for p in check(page, page_type)
            ]
    finally:
        ctx.close()
    return problems
