"""The kinds of alert, their labels, and the defaults of each channel.

A post that gives a member several reasons to hear about it gives ONE alert, of the most
specific kind: `RANK` orders them (a quote beats a mention beats a reply in a watched thread
beats a new thread in a watched forum)."""

from __future__ import annotations

QUOTE = "quote"
MENTION = "mention"
REPLY = "reply"
THREAD = "thread"
FOLLOW = "follow"
REACTION = "reaction"
CONVERSATION = "conversation"
INVITATION = "invitation"
REPORT = "report"
WARNING = "warning"
MODERATION = "moderation"

LABELS = {
    QUOTE: "Someone quotes you",
    MENTION: "Someone @mentions you",
    REPLY: "A reply in a thread you watch",
    THREAD: "A new thread in a forum you watch",
    FOLLOW: "A new thread by someone you follow",
    REACTION: "Reactions to your posts",
    CONVERSATION: "A message in one of your conversations",
    INVITATION: "An invitation to a conversation",
    REPORT: "A report you filed is handled",
    WARNING: "You receive a warning",
    MODERATION: "A moderator acts on your content",
}
ALL = tuple(LABELS)

# A followed member's new thread in a watched forum is a "follow" alert (the more personal
# reason); it never meets a reply, which is never a thread's first post.
RANK = {QUOTE: 5, MENTION: 4, REPLY: 3, FOLLOW: 2, THREAD: 1}

# Alerts about a post's content: shown only while the recipient may read that post.
ABOUT_CONTENT = frozenset({QUOTE, MENTION, REPLY, THREAD, FOLLOW, REACTION})

CHANNELS = ("in_app", "email", "push")

# In-app: everything. E-mail: what is addressed to the member personally, plus watched
# threads and forums (only for watches with e-mail on, so watching stays quiet by default).
# Push: what is addressed to the member personally. It reaches only browsers the member
# subscribed (the push channel drops members without a device), so it is off in effect
# until they subscribe one.
EMAIL_DEFAULT = frozenset({QUOTE, MENTION, CONVERSATION, INVITATION, REPLY, THREAD})
PUSH_DEFAULT = frozenset({QUOTE, MENTION, CONVERSATION, INVITATION})
# Kinds whose mail also needs the watch's own e-mail flag.
NEEDS_WATCH_EMAIL = frozenset({REPLY, THREAD})


def default(kind: str, channel: str) -> bool:
    if channel == "in_app":
        return True
    if channel == "email":
        return kind in EMAIL_DEFAULT
    return kind in PUSH_DEFAULT
