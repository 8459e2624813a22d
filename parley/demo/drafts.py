"""Drafts and remembered formats in the demo (docs/editor.md), written through the editor's
services: meridian_k left a half-written reply, quoting tomasz_p, in "Insurance premiums are
the real blockade"; tomasz_p, who writes Markdown, left a new-thread draft in Naval Forces.
Signed in as either, the form comes back filled, on any device."""

from __future__ import annotations

from parley.editor.services import save_draft
from parley.forums.models import Forum, Post, Thread
from parley.forums.quoting import quote_block
from parley.members.models import Member
from parley.members.services import remember_post_format

REPLY_THREAD = "Insurance premiums are the real blockade"
REPLY_TEXT = (
    "Fair, but the yards were full before the re-routing started. I would like to see the "
    "order dates before"
)
NEW_THREAD_FORUM = "Naval Forces"
NEW_THREAD_TITLE = "Shipyard order books: who is actually building?"
NEW_THREAD_TEXT = (
    "Three yards announced **record** order books this quarter. Before we argue about what "
    "it means:\n\n- how many of those hulls have a steel-cutting date?\n- "
)


def leave_drafts(members: dict[str, Member]) -> None:
    meridian, tomasz = members["meridian_k"], members["tomasz_p"]
    thread = Thread.objects.get(title=REPLY_THREAD)
    quoted = (
        Post.objects.select_related("author")
        .filter(thread=thread, author=tomasz)
        .order_by("id")
        .first()
    )
    quote = quote_block(quoted, "bbcode") if quoted else ""
    save_draft(member=meridian, thread=thread, source=quote + REPLY_TEXT, fmt="bbcode")
    remember_post_format(member=tomasz, fmt="markdown")
    save_draft(
        member=tomasz,
        forum=Forum.objects.get(title=NEW_THREAD_FORUM),
        title=NEW_THREAD_TITLE,
        source=NEW_THREAD_TEXT,
        fmt="markdown",
    )
