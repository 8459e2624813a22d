"""Categories, forums, threads, posts, revisions and reactions.

Counters (`thread_count`, `post_count`, `reply_count`, `last_post`) are derived state kept
exact by the services in the same transaction as each write; `parley recount` rebuilds them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Visibility(models.TextChoices):
    PUBLIC = "public", "Everyone"
    MEMBERS = "members", "Signed-in members"
    STAFF = "staff", "Staff only"


class State(models.TextChoices):
    """Where a thread or post stands. Only visible content counts in any counter."""

    VISIBLE = "visible", "Visible"
    PENDING = "pending", "Awaiting approval"
    DELETED = "deleted", "Deleted"


class Approval(models.TextChoices):
    NONE = "none", "No approval needed"
    THREADS = "threads", "New threads need approval"
    ALL = "all", "Every post needs approval"


class Category(models.Model):
    """A heading on the forum index; categories nest (World Affairs → Middle East)."""

    title = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.title


class Forum(models.Model):
    # PROTECT: deleting a category must not silently delete its forums' posts (and leave
    # every author's counters wrong); empty it first.
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="forums")
    title = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_locked = models.BooleanField(default=False, help_text="Only its moderators may post.")
    approval = models.CharField(max_length=8, choices=Approval.choices, default=Approval.NONE)
    edit_history_public = models.BooleanField(
        default=False, help_text="Everyone who reads a post may read its edit history."
    )
    max_article_quote_share = models.PositiveSmallIntegerField(
        default=100,
        help_text="Largest share (percent) of a linked article a post may quote.",
    )
    thread_count = models.IntegerField(default=0)
    post_count = models.IntegerField(default=0)
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=150)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads"
    )
    created_at = models.DateTimeField()
    is_sticky = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    reply_count = models.IntegerField(default=0)
    view_count = models.IntegerField(default=0)
    first_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_post_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.VISIBLE)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delete_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["forum", "-is_sticky", "-last_post_at"], name="thread_listing"),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    class Format(models.TextChoices):
        BBCODE = "bbcode", "BBCode"
        MARKDOWN = "markdown", "Markdown"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    created_at = models.DateTimeField()
    source = models.TextField()
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.BBCODE)
    cooked_html = models.TextField()
    plain_text = models.TextField()
    render_version = models.PositiveIntegerField(default=0)
    # Bumped on every edit; background re-cooks (link cards) compare it so an edit made
    # meanwhile is never overwritten.
    revision = models.PositiveIntegerField(default=1)
    edited_at = models.DateTimeField(null=True, blank=True)
    # The token of the form that created the post: a resubmitted form finds the post
    # instead of creating a second one.
    # NULL, not "", for posts without a token: the unique constraint ignores NULLs.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    state = models.CharField(max_length=8, choices=State.choices, default=State.VISIBLE)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delete_reason = models.CharField(max_length=300, blank=True)
    # Where the post was written from; shown to moderators with the power, and cleared after
    # PARLEY_IP_RETENTION_DAYS by the periodic sweep.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # A moderator's public note under the post (a warning given for it).
    staff_notice = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # A thread page finds its posts' ids in this index alone, however deep the page:
            # state and author are in it for the reader's filter (visible, deleted
            # placeholders, one's own posts awaiting approval; docs/caching.md).
            models.Index(fields=["thread", "id", "state", "author"], name="post_in_thread_reading"),
            models.Index(fields=["state", "thread"], name="post_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="post_idempotency_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"


class PostRevision(models.Model):
    """The source of a post as it was before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    source = models.TextField()
    format = models.CharField(max_length=10, choices=Post.Format.choices)
    cooked_html = models.TextField()
    created_at = models.DateTimeField(help_text="When this version was written.")
    replaced_at = models.DateTimeField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of post {self.post_id}"


class ReactionType(models.Model):
    name = models.CharField(max_length=30, unique=True)
    emoji = models.CharField(max_length=8)
    score = models.SmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.emoji} {self.name} ({self.score:+d})"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    type = models.ForeignKey(ReactionType, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="one_reaction_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → post {self.post_id}: {self.type_id}"


class ThreadRedirect(models.Model):
    """A notice left in a forum a thread was moved out of ("Moved: …"), until it expires."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="redirects")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.thread_id} moved out of {self.forum_id}"
