"""Groups, per-forum grants, forum moderators, promotion rules and address/e-mail bans.

The Guardian reads these once per member and caches the result under `PermissionVersion`,
which every change here bumps (see `signals.py`), so a grant edited in the admin takes
effect on the next request on every server.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Perm(models.TextChoices):
    """What a grant can allow or forbid in a forum."""

    VIEW_FORUM = "view_forum", "View forum"
    READ_THREADS = "read_threads", "Read threads"
    START_THREADS = "start_threads", "Start threads"
    REPLY = "reply", "Reply"
    REACT = "react", "React"
    EDIT_OWN = "edit_own", "Edit own posts"
    DELETE_OWN = "delete_own", "Delete own posts"
    VIEW_HISTORY = "view_history", "View edit history of others' posts"
    BYPASS_FLOOD = "bypass_flood", "Bypass flood limits"
    MODERATE = "moderate", "Moderate (every moderator power)"


class Power(models.TextChoices):
    """What a forum moderator may do; a moderator entry lists the powers it grants."""

    DELETE = "delete", "Soft-delete and restore posts and threads"
    EDIT = "edit", "Edit any post"
    LOCK = "lock", "Lock, unlock, stick and unstick threads"
    MOVE = "move", "Move, merge and split threads"
    APPROVE = "approve", "Approve or reject posts awaiting approval"
    REPORTS = "reports", "Handle reports"
    WARN = "warn", "Warn members"
    BAN = "ban", "Ban members"
    VIEW_IPS = "view_ips", "See the IP addresses of posts"


ALL_POWERS = frozenset(Power.values)


class GrantValue(models.TextChoices):
    ALLOW = "allow", "Allow"
    NEVER = "never", "Never"


class Group(models.Model):
    """A group of members. Four are built in: Guests (everyone not signed in), Registered
    (everyone signed in), Moderators (super moderators: every power in every forum) and
    Administrators; admins may define any number more."""

    GUESTS = "guests"
    REGISTERED = "registered"
    MODERATORS = "moderators"
    ADMINISTRATORS = "administrators"
    BUILT_IN = (GUESTS, REGISTERED, MODERATORS, ADMINISTRATORS)

    name = models.CharField(max_length=60, unique=True)
    # The built-in groups' key; empty for groups an admin defines.
    key = models.CharField(max_length=20, blank=True, db_index=True)
    description = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="forum_groups"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_implicit(self) -> bool:
        """Guests and Registered have no stored members: membership follows sign-in."""
        return self.key in (self.GUESTS, self.REGISTERED)


class Grant(models.Model):
    """One permission, allowed or forbidden ("never", which wins), for a group or a single
    member, everywhere (no forum and no category), in a category (and every forum below it)
    or in one forum. Not set = no row."""

    permission = models.CharField(max_length=20, choices=Perm.choices)
    value = models.CharField(max_length=5, choices=GrantValue.choices, default=GrantValue.ALLOW)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_grants",
    )
    category = models.ForeignKey(
        "forums.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    forum = models.ForeignKey(
        "forums.Forum", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    edit_window_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Edit own posts only: how long after posting (empty = no limit).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(group__isnull=False, member__isnull=True))
                | (models.Q(group__isnull=True, member__isnull=False)),
                name="grant_to_group_or_member",
            ),
            models.CheckConstraint(
                condition=models.Q(category__isnull=True) | models.Q(forum__isnull=True),
                name="grant_scope_category_or_forum",
            ),
        ]

    def __str__(self) -> str:
        who = self.group or self.member
        where = self.forum or self.category or "everywhere"
        return f"{self.permission}={self.value} for {who} in {where}"


class ForumModerator(models.Model):
    """A member or a group moderating one forum with a chosen set of powers."""

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderated_forums",
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="moderated_forums"
    )
    powers = models.JSONField(default=list, help_text="A list of power names.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(group__isnull=False, member__isnull=True))
                | (models.Q(group__isnull=True, member__isnull=False)),
                name="moderator_is_group_or_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member or self.group} moderates {self.forum}"


class PromotionRule(models.Model):
    """Add members to a group when they meet every condition; optionally take them out again
    when they stop meeting it."""

    name = models.CharField(max_length=80)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="promotions")
    min_messages = models.PositiveIntegerField(default=0)
    min_reaction_score = models.IntegerField(default=0)
    min_days_joined = models.PositiveIntegerField(default=0)
    require_no_warning_points = models.BooleanField(default=True)
    remove_when_unmet = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} → {self.group}"


class PermissionVersion(models.Model):
    """One row: bumped by every change to groups, grants, moderators and forums, so cached
    permission sets are recomputed on the next request on every server."""

    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"permissions v{self.version}"


class BannedAddress(models.Model):
    """An IP address or CIDR network that may not sign up or post."""

    network = models.CharField(
        max_length=49, unique=True, help_text="e.g. 203.0.113.7 or 203.0.113.0/24"
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.network


class BannedEmail(models.Model):
    """An e-mail address (`name@example.org`) or a whole domain (`@example.org` or
    `example.org`) that may not sign up."""

    pattern = models.CharField(max_length=254, unique=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.pattern
