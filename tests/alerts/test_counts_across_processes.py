"""The header counts are kept where every process of one machine sees them: the task worker
that writes alerts and the gunicorn workers that show the bell are separate processes, so a
count dropped by one must not survive in another's memory (the walk-through found the bell
stuck at a stale number when it lived in each process's local-memory cache)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings

from parley.alerts import unread as alert_counts
from parley.conversations import unread as conversation_counts
from parley.forums.models import Thread
from parley.members.models import Member
from tests.factories import make_reply

pytestmark = pytest.mark.django_db

FORGET_IN_ANOTHER_PROCESS = """
import django
django.setup()
from parley.alerts import unread
from parley.conversations import unread as talks
from django.core.cache import caches
caches["shared"].delete_many([unread.BELL.key({pk}), talks.INBOX.key({pk})])
"""


def forget_elsewhere(member_id: int) -> None:
    """What a service in the task worker does to the counts (before it counts again)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parley.settings_test"}
    env["PARLEY_DATA_DIR"] = str(settings.DATA_DIR)
    subprocess.run(
        [sys.executable, "-c", FORGET_IN_ANOTHER_PROCESS.format(pk=member_id)],
        check=True,
        env=env,
        timeout=60,
    )


def test_a_count_dropped_by_another_process_is_counted_again_here(
    committed: Any, thread: Thread, member: Member, other: Member
) -> None:
    assert alert_counts.unread_count(other.pk) == 0  # cached here
    assert conversation_counts.unread_count(other.pk) == 0
    committed(make_reply, thread, member, "Over to you, @bob")
    alert_counts.BELL.store({other.pk: 0})  # stale
    forget_elsewhere(other.pk)
    assert alert_counts.unread_count(other.pk) == 1
