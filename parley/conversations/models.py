"""Private conversations: a title, its participants and their messages.

Counters (`message_count`, `last_message`, `last_message_at`) are derived state kept exact by
the services in the same transaction as each write; `parley recount_conversations` rebuilds
them. Messages live in their own table, never in `forums.Post`: they never count towards a
member's message count, never show in public activity, and a post id never names a message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parley.forums.models import Post, ReactionType


class Conversation(models.Model):
    title = models.CharField(max_length=150)
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    open_invite = models.BooleanField(
        default=False, help_text="Every participant may invite more members."
    )
    message_count = models.IntegerField(default=0)
    last_message = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_message_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A member's place in a conversation. Leaving keeps the row (`left_at`), so the
    messages they wrote keep their author, and an invitation later brings them back."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_places"
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    is_starred = models.BooleanField(default=False)
    # Set for everyone else by each new message and by "mark unread"; cleared on reading.
    is_unread = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "member"], name="one_place_per_member")
        ]
        indexes = [
            # The header's unread count and the member's list.
            models.Index(fields=["member", "left_at", "is_unread"], name="conversation_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in conversation {self.conversation_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    source = models.TextField()
    format = models.CharField(max_length=10, choices=Post.Format.choices, default="bbcode")
    cooked_html = models.TextField()
    plain_text = models.TextField()
    render_version = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    edited_at = models.DateTimeField(null=True, blank=True)
    # The token of the form that wrote it: a resubmitted form finds the message (as posts do).
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        indexes = [models.Index(fields=["conversation", "id"], name="message_in_conversation")]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="message_idempotency_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in conversation {self.conversation_id}"


class MessageRevision(models.Model):
    """The source of a message as it was before an edit."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    source = models.TextField()
    format = models.CharField(max_length=10, choices=Post.Format.choices)
    cooked_html = models.TextField()
    created_at = models.DateTimeField(help_text="When this version was written.")
    replaced_at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "number"], name="message_revision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of message {self.message_id}"


class MessageReaction(models.Model):
    """A reaction to a message. The forum's reaction types, but no reaction score: what is
    said in private never moves a public figure."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    type = models.ForeignKey(ReactionType, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "member"], name="one_message_reaction_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → message {self.message_id}: {self.type_id}"


class AcceptFrom(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    NOBODY = "nobody", "Nobody (staff can still write to me)"


class ConversationPreference(models.Model):
    """Who may start a conversation with a member (no row: everyone). Kept here rather than
    on Member so this app owns its schema."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="conversation_preference",
    )
    accept_from = models.CharField(
        max_length=10, choices=AcceptFrom.choices, default=AcceptFrom.EVERYONE
    )

    def __str__(self) -> str:
        return f"{self.member_id} accepts conversations from {self.accept_from}"


class MessageReport(models.Model):
    """A participant's report of one message. Staff handling it see a copy of that message
    (taken when reported) and nothing else of the conversation: they still get the 404
    from every conversation page."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=1000)
    message_html = models.TextField(help_text="The message as it read when reported.")
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"Report of message {self.message_id} by {self.reporter_id}"
