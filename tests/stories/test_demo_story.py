"""The demo's story across outlets (parley/demo/stories.py): three outlets, one story, two
threads, and both thread pages show the grouping."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from parley.demo.stories import ARTICLES, REPLY, THREADS, share_story
from parley.forums.models import Thread
from parley.stories.models import StoryPage
from tests.factories import ForumFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_demo_story_groups_three_outlets_and_both_threads_show_it(
    anon_client: Client, django_capture_on_commit_callbacks
) -> None:
    names = {t[0] for t in THREADS} | {REPLY[0]}
    members = {name: MemberFactory(username=name) for name in names}
    forums = {"Europe & Russia": ForumFactory(title="Europe & Russia")}
    with django_capture_on_commit_callbacks(execute=True):
        share_story(members, forums, timezone.now())
    assert StoryPage.objects.values("story_id").distinct().count() == 1
    assert StoryPage.objects.count() == len(ARTICLES) == 3
    first, second = Thread.objects.order_by("pk")
    body = anon_client.get(f"/threads/{first.pk}/").content.decode()
    assert "Also covered by:" in body and "Baltic Wire Service" in body
    assert "Harbour &amp; Coast Review" in body and f'href="/threads/{second.pk}/"' in body
    body = anon_client.get(f"/threads/{second.pk}/").content.decode()
    assert "The same story from other outlets" in body
    assert "The Northern Courier" in body and f'href="/threads/{first.pk}/"' in body
