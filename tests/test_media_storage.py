"""Media through Django's storage API: link-card pictures are written to `default_storage`
and /media/ serves whatever that storage holds (a local folder by default; an S3-compatible
bucket when PARLEY_S3_* is set — no S3 here, so its configuration is checked as built)."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from parley.core.storage_config import S3_BACKEND, StorageConfigError, media_storage
from tests.workerprocs import environment, parley

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def memory_storage(settings):  # type: ignore[no-untyped-def]
    """Another real storage backend in place of the folder: only the storage API reaches it."""
    settings.STORAGES = IN_MEMORY  # Django's setting_changed handler resets default_storage
    return default_storage


# --- configuration ------------------------------------------------------------------------


def test_without_s3_settings_media_go_to_the_local_folder() -> None:
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_settings_build_the_s3_storage_with_private_objects_served_by_parley() -> None:
    config = media_storage(
        {
            "PARLEY_S3_BUCKET": "forum-media",
            "PARLEY_S3_ENDPOINT_URL": "https://s3.example.net",
            "PARLEY_S3_REGION": "eu-west-1",
            "PARLEY_S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "PARLEY_S3_SECRET_ACCESS_KEY": "secret",
            "PARLEY_S3_PREFIX": "parley",
        }
    )
    assert config["BACKEND"] == S3_BACKEND
    assert config["OPTIONS"] == {
        "bucket_name": "forum-media",
        "endpoint_url": "https://s3.example.net",
        "region_name": "eu-west-1",
        "access_key": "AKIDEXAMPLE",
        "secret_key": "secret",
        "location": "parley",
        "default_acl": None,
        "querystring_auth": False,
        "file_overwrite": True,
    }


def test_a_bucket_alone_leaves_credentials_to_the_aws_chain() -> None:
    options = media_storage({"PARLEY_S3_BUCKET": "b"})["OPTIONS"]
    assert options["bucket_name"] == "b" and "access_key" not in options
    assert "endpoint_url" not in options


@pytest.mark.parametrize(
    "environ",
    [
        {"PARLEY_S3_BUCKET": "b", "PARLEY_S3_ACCESS_KEY_ID": "only-half"},
        {"PARLEY_S3_BUCKET": "b", "PARLEY_S3_ENDPOINT_URL": "s3.example.net"},
    ],
)
def test_incomplete_or_malformed_s3_settings_are_refused_with_a_message(environ) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StorageConfigError, match="PARLEY_S3_"):
        media_storage(environ)


def test_the_settings_module_takes_the_storage_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = environment(tmp_path, PARLEY_S3_BUCKET="forum-media", PARLEY_S3_REGION="eu-west-1")
    out = parley(
        env,
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))",
    )
    config = json.loads(out.strip().splitlines()[-1])
    assert config["BACKEND"] == S3_BACKEND
    assert config["OPTIONS"]["bucket_name"] == "forum-media"


# --- serving ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_media_are_served_from_the_storage_to_guests(
    memory_storage, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    name = memory_storage.save("links/abc.jpg", ContentFile(b"\xff\xd8jpeg bytes"))
    with django_assert_num_queries(0):
        response = Client().get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == b"\xff\xd8jpeg bytes"  # type: ignore[attr-defined]
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["links/missing.jpg", "links/../../secret_key", "links/abc.html", "links//abc.jpg"],
)
def test_missing_traversing_or_non_image_media_paths_are_a_404(memory_storage, path) -> None:  # type: ignore[no-untyped-def]
    memory_storage.save("links/abc.jpg", ContentFile(b"x"))
    memory_storage.save("links/abc.html", ContentFile(b"<script>"))
    assert Client().get(f"/media/{path}").status_code == 404


@pytest.mark.django_db
def test_media_answer_get_and_head_only(memory_storage) -> None:  # type: ignore[no-untyped-def]
    memory_storage.save("links/abc.jpg", ContentFile(b"x"))
    assert Client().head("/media/links/abc.jpg").status_code == 200
    assert Client().post("/media/links/abc.jpg").status_code == 405
