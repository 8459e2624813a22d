"""/healthz in process, with the database task queue: the worker's heartbeat and the age of
the queue decide between 200 "ok" and 503 "degraded"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parley.core.heartbeat import register_worker
from parley.core.models import WorkerHeartbeat
from tests import worker_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PARLEY_WORKER_SILENT_AFTER = 120
    settings.PARLEY_TASK_QUEUE_STALE_AFTER = 900


def test_ok_with_a_live_worker_and_an_empty_queue(anon_client: Client) -> None:
    register_worker(worker_id="w1")
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and "failed" not in body
    assert body["worker"]["queued_tasks"] == 0 and body["worker"]["oldest_queued_age"] is None
    assert 0 <= body["worker"]["last_heartbeat_age"] < 120


def test_degraded_when_no_worker_was_ever_seen(anon_client: Client) -> None:
    response = anon_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["failed"] == ["worker_silent"]


def test_degraded_when_the_worker_fell_silent(anon_client: Client) -> None:
    register_worker(worker_id="w1")
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=300))
    body = anon_client.get("/healthz").json()
    assert body["failed"] == ["worker_silent"] and body["worker"]["last_heartbeat_age"] >= 300


def test_degraded_when_the_oldest_queued_task_waited_too_long(anon_client: Client) -> None:
    register_worker(worker_id="w1")
    worker_tasks.explode.enqueue()
    worker_tasks.explode.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    response = anon_client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["queue_stale"]
    assert body["worker"]["queued_tasks"] == 2 and body["worker"]["oldest_queued_age"] >= 3600


def test_healthz_takes_three_queries(anon_client: Client) -> None:
    register_worker(worker_id="w1")
    with CaptureQueriesContext(connection) as queries:
        anon_client.get("/healthz")
    assert len(queries) == 3


def test_healthz_refuses_post(anon_client: Client) -> None:
    assert anon_client.post("/healthz").status_code == 405
