"""Poll counters rebuilt from the ballots (run by `parley recount`)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from parley.forums.recount import Correction

from .models import Poll, PollBallot, PollOption, PollVote


def recount_polls() -> list[Correction]:
    corrections: list[Correction] = []
    with transaction.atomic():
        votes = dict(
            PollVote.objects.values("option_id")
            .annotate(n=Count("id"))
            .values_list("option_id", "n")
        )
        for option in PollOption.objects.only("pk", "vote_count").iterator(chunk_size=2000):
            want = votes.get(option.pk, 0)
            if option.vote_count != want:
                corrections.append(
                    Correction("PollOption", option.pk, "vote_count", option.vote_count, want)
                )
                PollOption.objects.filter(pk=option.pk).update(vote_count=want)
        # A voter is a ballot with at least one option (an admin could empty one).
        voters = dict(
            PollBallot.objects.filter(votes__isnull=False)
            .values("poll_id")
            .annotate(n=Count("id", distinct=True))
            .values_list("poll_id", "n")
        )
        for poll in Poll.objects.only("pk", "voter_count").iterator(chunk_size=2000):
            want = voters.get(poll.pk, 0)
            if poll.voter_count != want:
                corrections.append(
                    Correction("Poll", poll.pk, "voter_count", poll.voter_count, want)
                )
                Poll.objects.filter(pk=poll.pk).update(voter_count=want)
    return corrections
