"""The kinds of event, in one place: emitting or subscribing to anything else is a bug."""

POST_CREATED = "post.created"
POST_EDITED = "post.edited"
POST_DELETED = "post.deleted"
POST_RESTORED = "post.restored"
POST_MOVED = "post.moved"
POST_APPROVED = "post.approved"
REACTION_SET = "reaction.set"
REACTION_REMOVED = "reaction.removed"
MEMBER_MENTIONED = "member.mentioned"
POST_QUOTED = "post.quoted"
CONVERSATION_MESSAGE = "conversation.message"
MODERATION_ACTION = "moderation.action"
MEMBER_WARNED = "member.warned"
# A thread's tags or prefix changed (parley.tags); a poll was added to it or voted in
# (parley.polls). Both only move the guest-page stamps of the thread and its forum.
THREAD_LABELLED = "thread.labelled"
POLL_CHANGED = "poll.changed"
# A linked page was fetched (parley.links): the stories app groups it with its coverage.
LINK_FETCHED = "link.fetched"
# A live event's timeline, slow mode or parts changed (parley.liveevents): moves the thread's
# guest-page stamp and tells open pages of the thread.
LIVE_EVENT_CHANGED = "live_event.changed"
# A member signed up (parley.members); a report was filed (parley.moderation). Webhooks
# announce both (docs/webhooks.md).
MEMBER_REGISTERED = "member.registered"
REPORT_FILED = "report.filed"

ALL = frozenset(
    {
        POST_CREATED,
        POST_EDITED,
        POST_DELETED,
        POST_RESTORED,
        POST_MOVED,
        POST_APPROVED,
        REACTION_SET,
        REACTION_REMOVED,
        MEMBER_MENTIONED,
        POST_QUOTED,
        CONVERSATION_MESSAGE,
        MODERATION_ACTION,
        MEMBER_WARNED,
        THREAD_LABELLED,
        POLL_CHANGED,
        LINK_FETCHED,
        LIVE_EVENT_CHANGED,
        MEMBER_REGISTERED,
        REPORT_FILED,
    }
)
