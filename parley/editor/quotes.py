"""Multi-quote: the quote blocks for posts a member collected, built on the server so that
only posts the member may read are quoted (the client's list is just ids and selections)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parley.forums.models import Post
from parley.forums.quoting import quote_block
from parley.permissions.guardian import Guardian

MAX_QUOTES = 30
MAX_PART_CHARS = 5000


@dataclass(frozen=True)
class Wanted:
    post_id: int
    part: str = ""  # the selected text, or "" for the whole post


@dataclass(frozen=True)
class QuoteResult:
    text: str
    quoted: list[int]
    skipped: list[int]


def build_quotes(guardian: Guardian, wanted: Sequence[Wanted], fmt: str) -> QuoteResult:
    """The quotes in the order they were collected; posts that do not exist or that this
    member may not read are skipped (and named only by the ids the client sent)."""
    ids = {w.post_id for w in wanted}
    posts = Post.objects.select_related("author", "thread__forum").in_bulk(ids)
    text, quoted, skipped = [], [], []
    for w in wanted:
        post = posts.get(w.post_id)
        if post is None or not guardian.can_read_post(post):
            skipped.append(w.post_id)
            continue
        text.append(quote_block(post, fmt, w.part))
        quoted.append(w.post_id)
    return QuoteResult("".join(text), quoted, skipped)
