"""News sources: one `Source` per outlet (its main domain and its aliases), the labels staff
assign to it, and each forum's policy for posts that link it."""

from __future__ import annotations

from django.db import models
from django_countries.fields import CountryField


class Label(models.Model):
    """A label staff put on sources ("state-affiliated media", "paywall", …); shown on link
    cards and in search by link. Admins may add more."""

    name = models.CharField(max_length=60, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", "Newspaper"
        BROADCASTER = "broadcaster", "Broadcaster"
        AGENCY = "agency", "Press agency"
        MAGAZINE = "magazine", "Magazine"
        ONLINE = "online", "Online outlet"
        GOVERNMENT = "government", "Government or official body"
        BLOG = "blog", "Blog or personal site"
        OTHER = "other", "Other"

    # The site's main domain, folded (lower case, no www./m./amp.): "bbc.co.uk".
    domain = models.CharField(max_length=253, unique=True)
    name = models.CharField(max_length=120, blank=True)
    country = CountryField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    labels = models.ManyToManyField(Label, blank=True, related_name="sources")
    # Links to a trusted source do not count against newcomers' link limits.
    trusted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.name or self.domain

    @property
    def display_name(self) -> str:
        return self.name or self.domain


class SourceAlias(models.Model):
    """Another domain of the same outlet ("bbc.com" for "bbc.co.uk")."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class Action(models.TextChoices):
    ALLOW = "allow", "Allow"
    APPROVE = "approve", "Send posts that link it to approval"
    REFUSE = "refuse", "Refuse posts that link it"


class SourcePolicy(models.Model):
    """What one forum does with posts that link one source (no row: allow)."""

    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, related_name="source_policies"
    )
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="policies")
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.ALLOW)
    # Shown to the member whose post is refused or held, after the policy's own sentence.
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "source"], name="one_policy_per_forum_source")
        ]

    def __str__(self) -> str:
        return f"{self.forum_id}: {self.source_id} {self.action}"
