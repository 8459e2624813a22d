"""Members: the user model with its profile and its two derived counters, and the title ladder."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django_countries.fields import CountryField

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,30}$"
USERNAME_RULE = "Use 3 to 30 letters, digits, dots, dashes or underscores."


class Member(AbstractUser):
    """A member. `message_count` and `reaction_score` are derived counters: services move
    them with F() in the same transaction as the post or reaction, `parley recount` rebuilds
    them from the rows."""

    username = models.CharField(
        max_length=30,
        unique=True,
        validators=[
            UnicodeUsernameValidator(),
            RegexValidator(USERNAME_PATTERN, USERNAME_RULE),
        ],
        error_messages={"unique": "That name is taken."},
    )
    country = CountryField(blank=True)
    location = models.CharField(max_length=80, blank=True)
    about = models.TextField(max_length=2000, blank=True)
    custom_title = models.CharField(
        max_length=50, blank=True, help_text="Shown instead of the title from the ladder."
    )
    # Bans and restrictions, written only by the moderation services (which log them).
    is_banned = models.BooleanField(default=False)
    banned_until = models.DateTimeField(
        null=True, blank=True, help_text="Empty with a ban: the ban is permanent."
    )
    ban_reason = models.CharField(max_length=300, blank=True)
    needs_approval = models.BooleanField(
        default=False, help_text="Moderated: every post waits for a moderator's approval."
    )
    # Derived from active warnings (moderation.warnings): the points and the strongest
    # automatic action their thresholds call for; undone when the points expire.
    warning_points = models.IntegerField(default=0)
    warning_action = models.CharField(max_length=12, blank=True)
    warning_action_until = models.DateTimeField(null=True, blank=True)
    signup_ip = models.GenericIPAddressField(null=True, blank=True)
    message_count = models.IntegerField(default=0)
    reaction_score = models.IntegerField(default=0)
    # Moves on with every avatar change (parley.attachments): part of the avatar's URL and of
    # the member card's cache key. 0: never uploaded one (the generated picture).
    avatar_version = models.PositiveIntegerField(default=0)
    # Set when the member follows the link in the confirmation mail; until then they read
    # and sign in but do not write (Guardian.may_write).
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The format (bbcode or markdown) of the member's last post: their next compose form
    # starts in it (written by members.services.remember_post_format when they post).
    post_format = models.CharField(max_length=10, default="bbcode")
    # Signature (people, docs/people.md): the source as typed and its cooked HTML, written
    # only by members.services.set_signature; the version keys cached post fragments.
    signature_source = models.TextField(blank=True)
    signature_format = models.CharField(max_length=10, default="bbcode")
    signature_html = models.TextField(blank=True)
    signature_version = models.PositiveIntegerField(default=0)
    # The ids this member ignores, a copy of people.Ignore kept in the same transaction, so
    # that a thread page knows whose posts to collapse without one more query (XenForo
    # keeps the same list on its user profile).
    ignored_ids = models.JSONField(default=list, blank=True)
    # [[label, value], ...] of the custom profile fields shown on the member card, a copy
    # people.services keeps (so the card, cached by what it shows, needs no query).
    card_fields = models.JSONField(default=list, blank=True)
    # Who's online: "show me as online", and when the member was last seen (written in
    # batches from the page-view buffer, never by a GET itself).
    show_online = models.BooleanField(default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="member_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username


class TitleRung(models.Model):
    """One rung of the rank-title ladder: members with at least `min_messages` messages
    carry `title`, unless they have a custom title."""

    title = models.CharField(max_length=50)
    min_messages = models.PositiveIntegerField(unique=True)

    class Meta:
        ordering = ["min_messages"]

    def __str__(self) -> str:
        return f"{self.title} ({self.min_messages}+)"
