"""The text a reply quotes a post with: one place for the Quote link (`?quote=<id>`) and the
editor's multi-quote, so both write the same `[quote="name" post=ID]` block (understood in
BBCode and Markdown alike, docs/decisions.md)."""

from __future__ import annotations

from .models import Post


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def quoted_body(post: Post, fmt: str, part: str = "") -> str:
    """What goes inside the quote: the post's source when the reply is in the post's own
    format, its plain text otherwise; with `part` (a member's selection), just that part —
    when it really is in the post (else the whole post, so nobody is quoted saying words
    they did not write)."""
    if part.strip():
        wanted = _squeeze(part)
        if wanted and (wanted in _squeeze(post.plain_text) or wanted in _squeeze(post.source)):
            return part.strip()
    body = post.source if fmt == post.format else post.plain_text
    return body.strip()


def quote_block(post: Post, fmt: str, part: str = "") -> str:
    """The quote of `post` for a reply written in `fmt`, followed by a blank line. The
    caller has asked the Guardian that the member may read the post."""
    name = post.author.username
    return f'[quote="{name}" post={post.pk}]\n{quoted_body(post, fmt, part)}\n[/quote]\n\n'
