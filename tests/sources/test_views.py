"""The staff pages: sources seen in posts (with counts) and one source's record and forum
policies; and the Django admin, which saves through the same services."""

from __future__ import annotations

import pytest
from django.test import Client

from parley.forums.models import Forum, Post
from parley.members.models import Member
from parley.permissions.models import ForumModerator
from parley.sources.models import Source, SourceAlias, SourcePolicy
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply
from tests.sources.helpers import describe, label, linked_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(forum: Forum, member: Member, other: Member) -> None:
    """Three posts in two threads link wiredesk.test; one post links an unknown site."""
    thread = linked_thread(forum, member, "https://www.wiredesk.test/a", title="First")
    reply = make_reply(thread, other, "Also https://m.wiredesk.test/b")
    linked_thread(forum, other, "https://wiredesk.test/c", title="Second")
    linked_thread(forum, other, "https://blog.nobody.test/post", title="Third")
    from parley.events.dispatch import dispatch
    from parley.events.models import Event

    for event_id in Event.objects.filter(post_id=reply.pk).values_list("pk", flat=True):
        dispatch(event_id)


def test_staff_see_sites_seen_in_posts_sorted_by_count(
    admin: Member, linked: None, django_assert_num_queries
) -> None:
    describe(admin, "wiredesk.test", name="Wire Desk", labels=("Press agency",))
    client = client_for(admin)
    client.get("/staff/sources/")
    # session + user + permission version + post links + sources with their labels (2)
    # + the moderation queue counts in the header (2)
    with django_assert_num_queries(8):
        response = client.get("/staff/sources/")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Wire Desk") < text.index("blog.nobody.test")
    row = text[text.index("Wire Desk") : text.index("blog.nobody.test")]
    assert '<td class="count" data-label="Posts">3</td>' in row
    assert '<td class="count" data-label="Threads">2</td>' in row
    assert "Press agency" in row
    assert 'blog.nobody.test <span class="muted">(not described)</span>' in text
    assert "?domain=blog.nobody.test" in text


def test_the_list_filters_by_site(admin: Member, linked: None) -> None:
    text = client_for(admin).get("/staff/sources/", {"q": "nobody"}).content.decode()
    assert "blog.nobody.test" in text and "wiredesk.test" not in text


def test_forum_moderators_see_the_list_without_edit_links(forum: Forum, linked: None) -> None:
    mod = MemberFactory(username="forummod")
    ForumModerator.objects.create(forum=forum, member=mod, powers=["approve"])
    response = client_for(mod).get("/staff/sources/")
    assert response.status_code == 200
    assert "?domain=" not in response.content.decode()
    assert client_for(mod).get("/staff/sources/edit/?domain=wiredesk.test").status_code == 403


def test_members_get_404_and_guests_the_sign_in_page(member_client: Client, anon_client) -> None:
    assert member_client.get("/staff/sources/").status_code == 404
    assert member_client.get("/staff/sources/edit/?domain=a.test").status_code == 404
    assert anon_client.get("/staff/sources/").status_code == 302
    assert member_client.post("/staff/sources/").status_code == 405


def test_staff_describe_a_new_site(admin: Member, django_assert_num_queries) -> None:
    client = client_for(admin)
    form = client.get("/staff/sources/edit/", {"domain": "blog.nobody.test"})
    assert 'value="blog.nobody.test"' in form.content.decode()
    response = client.post(
        "/staff/sources/edit/?domain=blog.nobody.test",
        {
            "domain": "blog.nobody.test",
            "name": "Nobody's Blog",
            "country": "FR",
            "kind": "blog",
            "labels": [label("Opinion").pk, label("Unverified").pk],
            "aliases": "nobody-mirror.test\n",
            "trusted": "",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get(domain="blog.nobody.test")
    assert (source.name, str(source.country), source.kind, source.trusted) == (
        "Nobody's Blog",
        "FR",
        "blog",
        False,
    )
    assert sorted(x.name for x in source.labels.all()) == ["Opinion", "Unverified"]
    assert list(SourceAlias.objects.values_list("domain", flat=True)) == ["nobody-mirror.test"]


def test_bad_input_changes_nothing_and_keeps_the_form(admin: Member) -> None:
    describe(admin, "wiredesk.test", name="Wire Desk", aliases=["wd.test"])
    client = client_for(admin)
    response = client.post(
        "/staff/sources/edit/?domain=other.test",
        {"domain": "other.test", "name": "Other", "aliases": "wd.test"},
    )
    assert response.status_code == 400
    assert "wd.test already belongs to another source." in response.content.decode()
    assert not Source.objects.filter(domain="other.test").exists()
    response = client.post("/staff/sources/edit/", {"domain": "not a domain", "name": "X"})
    assert response.status_code == 400 and "is not a domain" in response.content.decode()
    assert Source.objects.count() == 1


def test_staff_set_a_forum_policy(admin: Member, forum: Forum) -> None:
    source = describe(admin, "wiredesk.test", name="Wire Desk")
    client = client_for(admin)
    response = client.post(
        f"/staff/sources/{source.pk}/policy/",
        {"forum": forum.pk, "action": "approve", "reason": "Check the wording first."},
    )
    assert response.status_code == 302
    policy = SourcePolicy.objects.get()
    assert (policy.forum_id, policy.action, policy.reason) == (
        forum.pk,
        "approve",
        "Check the wording first.",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Send posts that link it to approval" in page
    bad = client.post(f"/staff/sources/{source.pk}/policy/", {"forum": forum.pk, "action": "x"})
    assert bad.status_code == 400 and SourcePolicy.objects.get().action == "approve"
    assert client.post("/staff/sources/999999/policy/", {}).status_code == 404


def test_the_admin_saves_through_the_services(admin: Member, forum: Forum, member: Member) -> None:
    client = client_for(admin)
    response = client.post(
        "/admin/sources/source/add/",
        {
            "domain": "https://www.StateRelay.test/",
            "name": "State Relay",
            "country": "",
            "kind": "broadcaster",
            "labels": [label("State-affiliated media").pk],
            "aliases_text": "relay-tv.test",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get()
    assert source.domain == "staterelay.test"  # cleaned by the service
    assert list(source.aliases.values_list("domain", flat=True)) == ["relay-tv.test"]
    assert [x.name for x in source.labels.all()] == ["State-affiliated media"]
    client.post(f"/admin/sources/source/{source.pk}/delete/", {"post": "yes"})
    assert not Source.objects.exists() and not SourceAlias.objects.exists()
    assert Post.objects.count() == 0


def test_the_admin_shows_a_taken_alias_as_a_form_error(admin: Member) -> None:
    describe(admin, "wiredesk.test", name="Wire Desk", aliases=["wd.test"])
    response = client_for(admin).post(
        "/admin/sources/source/add/",
        {"domain": "other.test", "name": "Other", "kind": "", "aliases_text": "m.wd.test"},
    )
    assert response.status_code == 200
    assert "wd.test already belongs to another source." in response.content.decode()
    assert Source.objects.count() == 1


def test_the_admin_shows_an_articles_history(admin: Member, forum: Forum, member: Member) -> None:
    from django.utils import timezone

    from parley.links.models import PageChange
    from tests.sources.helpers import snapshot

    page = snapshot("https://wiredesk.test/a")
    PageChange.objects.create(page=page, at=timezone.now(), kind="headline", before="Old one")
    response = client_for(admin).get(f"/admin/links/linkedpage/{page.pk}/change/")
    assert response.status_code == 200 and "Old one" in response.content.decode()
