"""Link-card pictures are written through Django's storage API (`default_storage`), so an
S3-compatible bucket works like the local folder (docs/servers.md)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from parley.links.models import LinkedPage
from tests.factories import make_thread
from tests.links.conftest import NewsSite, article_html, png_bytes
from tests.test_media_storage import IN_MEMORY


@pytest.fixture
def memory_storage(settings):  # type: ignore[no-untyped-def]
    settings.STORAGES = IN_MEMORY  # another real backend; Django resets default_storage
    return default_storage


@pytest.mark.django_db
def test_a_link_card_picture_is_written_through_the_storage_api(
    memory_storage, news_site: NewsSite, forum, member, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    news_site.add("/lead.png", png_bytes(), content_type="image/png")
    url = news_site.add("/world/insurers", article_html())
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(forum, member, title="Shipping", body=f"Worth reading:\n\n{url}\n")
    page = LinkedPage.objects.get()
    assert page.image.startswith("links/") and memory_storage.exists(page.image)
    response = Client().get(f"/media/{page.image}")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")
