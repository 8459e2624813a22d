"""What an alert says: its title, a short excerpt and where it leads. Shared by the
listing and the channels, so a mail says what the page says."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator

from . import kinds

EXCERPT_CHARS = 160

ACTIONS = {
    "post.delete": "deleted your post",
    "post.restore": "restored your post",
    "post.edit": "edited your post",
    "post.approve": "approved your post",
    "post.reject": "rejected your post",
    "thread.delete": "deleted your thread",
    "thread.restore": "restored your thread",
    "thread.move": "moved your thread",
    "thread.merge": "merged your thread into another",
    "thread.split": "split posts off your thread",
    "posts.move": "moved your post",
}


def names(usernames: list[str], total: int) -> str:
    """ "nadia.r", "nadia.r and ferhat", "nadia.r, ferhat and 3 others"."""
    shown = [n for n in usernames[:2] if n] or ["Someone"]
    rest = max(0, total - len(shown))
    if rest:
        return f"{', '.join(shown)} and {rest} other{'s' if rest != 1 else ''}"
    return " and ".join(shown)


def title(
    kind: str,
    *,
    actors: str,
    thread: str = "",
    forum: str = "",
    conversation: str = "",
    text: str = "",
) -> str:
    where = f"“{thread}”"
    if kind == kinds.QUOTE:
        return f"{actors} quoted you in {where}"
    if kind == kinds.MENTION:
        return f"{actors} mentioned you in {where}"
    if kind == kinds.REPLY:
        return f"{actors} replied in {where}"
    if kind == kinds.THREAD:
        return f"{actors} started {where} in {forum}"
    if kind == kinds.FOLLOW:
        return f"{actors}, whom you follow, started {where} in {forum}"
    if kind == kinds.REACTION:
        return f"{actors} reacted to your post in {where}"
    if kind == kinds.CONVERSATION:
        return f"{actors} wrote in “{conversation}”"
    if kind == kinds.INVITATION:
        return f"{actors} invited you to “{conversation}”"
    if kind == kinds.REPORT:
        outcome = "resolved" if text == "resolved" else "closed without action"
        return f"Your report about a post in {where} was {outcome}"
    if kind == kinds.WARNING:
        return f"You received a warning: {text}" if text else "You received a warning"
    if kind == kinds.MODERATION:
        done = ACTIONS.get(text, "acted on your content")
        return f"A moderator {done}" + (f" in {where}" if thread else "")
    return "Something happened"


def excerpt(plain_text: str) -> str:
    return Truncator(" ".join(plain_text.split())).chars(EXCERPT_CHARS)


def url(kind: str, *, post_id: int | None, message_id: int | None) -> str:
    if message_id is not None:
        return reverse("conversations:message", args=[message_id])
    if kind == kinds.WARNING:
        return reverse("moderation:my_warnings")
    if post_id is not None:
        return reverse("forums:post", args=[post_id])
    return reverse("alerts:list")
