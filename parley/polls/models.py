"""Polls on threads. Counters (`PollOption.vote_count`, `Poll.voter_count`) are derived and
kept exact by `services.vote` in the same transaction as the ballot; `parley recount`
rebuilds them from the ballots (`recount.recount_polls`)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class ResultsShown(models.TextChoices):
    ALWAYS = "always", "To everyone"
    AFTER_VOTE = "after_vote", "Only after voting (or once the poll closes)"


class Poll(models.Model):
    thread = models.OneToOneField("forums.Thread", on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(max_length=200)
    # 1: single choice (radio buttons); more: up to that many options (checkboxes).
    max_choices = models.PositiveSmallIntegerField(default=1)
    closes_at = models.DateTimeField(null=True, blank=True)
    allow_change = models.BooleanField(default=False, help_text="Voters may change their vote.")
    results = models.CharField(
        max_length=10, choices=ResultsShown.choices, default=ResultsShown.ALWAYS
    )
    voter_count = models.IntegerField(default=0)
    # Moves with every vote (in the vote's transaction): a live update carries it, so an
    # open page keeps the newest counts when two updates arrive out of order (docs/live.md).
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.question

    @property
    def is_multiple(self) -> bool:
        return self.max_choices > 1

    def is_closed(self, now: datetime | None = None) -> bool:
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=150)
    position = models.PositiveSmallIntegerField(default=0)
    vote_count = models.IntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class PollBallot(models.Model):
    """One member's vote in one poll (its options are the PollVote rows)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_ballots"
    )
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "member"], name="one_ballot_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in poll {self.poll_id}"


class PollVote(models.Model):
    ballot = models.ForeignKey(PollBallot, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="one_vote_per_option")
        ]

    def __str__(self) -> str:
        return f"ballot {self.ballot_id} → option {self.option_id}"
