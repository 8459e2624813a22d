"""The VAPID key pair: from the environment's settings when given, else generated once and
kept in the database (every process and every backup then shares it)."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured

from parley.webpush import keys
from parley.webpush.models import VapidKey

from .pushservice import b64url, raw_public

pytestmark = pytest.mark.django_db


def test_generated_once_stored_and_reused_after_a_restart() -> None:
    first = keys.current()
    assert VapidKey.objects.count() == 1
    keys.forget()  # as a new process would
    again = keys.current()
    assert again.public_key == first.public_key
    assert VapidKey.objects.count() == 1
    point = keys.b64url_decode(first.public_key)
    assert len(point) == 65 and point[0] == 4


def test_a_key_from_the_settings_as_raw_base64url(settings: Any) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    settings.PARLEY_VAPID_PRIVATE_KEY = b64url(
        private.private_numbers().private_value.to_bytes(32, "big")
    )
    assert keys.current().public_key == b64url(raw_public(private))
    assert not VapidKey.objects.exists()


def test_a_key_from_the_settings_as_pem_with_its_matching_public_key(settings: Any) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    settings.PARLEY_VAPID_PRIVATE_KEY = keys.private_pem(private)
    settings.PARLEY_VAPID_PUBLIC_KEY = b64url(raw_public(private))
    assert keys.current().public_key == b64url(raw_public(private))


@pytest.mark.parametrize(
    ("private", "public", "message"),
    [
        ("not-a-key", "", "cannot be read"),
        ("AAAA", "", "32 bytes"),
        ("", "BOgus", "without PARLEY_VAPID_PRIVATE_KEY"),
        ("generated", "BAAA", "not the public half"),
    ],
)
def test_misconfigured_keys_say_what_is_wrong(
    settings: Any, private: str, public: str, message: str
) -> None:
    if private == "generated":
        private = keys.private_pem(ec.generate_private_key(ec.SECP256R1()))
    settings.PARLEY_VAPID_PRIVATE_KEY = private
    settings.PARLEY_VAPID_PUBLIC_KEY = public
    with pytest.raises(ImproperlyConfigured, match=message):
        keys.current()


def test_a_key_on_another_curve_is_refused(settings: Any) -> None:
    settings.PARLEY_VAPID_PRIVATE_KEY = keys.private_pem(ec.generate_private_key(ec.SECP384R1()))  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfigured, match="P-256"):
        keys.current()


def test_system_check_reports_a_bad_key_and_subject_at_start_up(settings: Any) -> None:
    from parley.webpush.checks import vapid_settings

    assert vapid_settings() == []
    settings.PARLEY_VAPID_PRIVATE_KEY = "not-a-key"
    settings.PARLEY_VAPID_SUBJECT = "admin@example.org"
    assert [m.id for m in vapid_settings()] == ["webpush.E001", "webpush.E002"]
    settings.PARLEY_VAPID_PRIVATE_KEY = ""
    settings.PARLEY_VAPID_PUBLIC_KEY = "BAAA"
    assert [m.id for m in vapid_settings()] == ["webpush.E001", "webpush.E002"]
