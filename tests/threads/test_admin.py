"""The Django admin changes a poll's settings through the service and cannot touch its
options or counters; prefixes defined there show at once."""

from __future__ import annotations

import pytest
from django.test import Client

from parley.core import stamps
from parley.forums.models import Thread
from parley.members.models import Member
from parley.polls import services
from parley.polls.models import Poll, PollOption
from parley.tags.models import ThreadPrefix
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_admin_edits_poll_settings_without_touching_counters(
    admin: Member, poll: Poll, other: Member, thread: Thread
) -> None:
    yes = PollOption.objects.filter(poll=poll).first()
    assert yes is not None
    services.vote(member=other, poll=poll, option_ids=[yes.pk])
    client = client_for(admin)
    form = client.get(f"/admin/polls/poll/{poll.pk}/change/").content.decode()
    assert 'name="voter_count"' not in form and 'name="options-0-vote_count"' not in form
    before = stamps.read([stamps.thread(thread.pk)])
    response = client.post(
        f"/admin/polls/poll/{poll.pk}/change/",
        {
            "question": "Will the talks resume before spring?",
            "max_choices": "1",
            "results": "always",
            "closes_at_0": "",
            "closes_at_1": "",
            "options-TOTAL_FORMS": "3",
            "options-INITIAL_FORMS": "3",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
            "voter_count": "99",
        }
        | {
            f"options-{i}-{name}": str(value)
            for i, pk in enumerate(
                PollOption.objects.filter(poll=poll).values_list("pk", flat=True)
            )
            for name, value in (("id", pk), ("poll", poll.pk), ("vote_count", 50))
        },
    )
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.question == "Will the talks resume before spring?" and poll.voter_count == 1
    assert PollOption.objects.get(pk=yes.pk).vote_count == 1
    assert stamps.read([stamps.thread(thread.pk)]) != before


def test_admin_cannot_add_a_poll_without_a_thread(admin: Member) -> None:
    assert client_for(admin).get("/admin/polls/poll/add/").status_code == 403


def test_prefix_added_in_admin_is_offered_on_the_start_thread_form(
    admin: Member, member_client: Client, thread: Thread
) -> None:
    response = client_for(admin).post(
        "/admin/tags/threadprefix/add/",
        {"forum": str(thread.forum_id), "label": "Opinion", "style": "purple", "position": "2"},
    )
    assert response.status_code == 302
    assert ThreadPrefix.objects.get(label="Opinion").forum_id == thread.forum_id
    assert "Opinion" in member_client.get(f"/forums/{thread.forum_id}/new/").content.decode()
