"""What web push costs (docs/push.md). Prints figures with baselines measured in the same
run; asserts nothing.

* building one message (payload, aes128gcm encryption, VAPID JWT) against a bare
  `json.dumps` of the same payload;
* sending it through the guarded fetcher to a local fake push service that verifies and
  decrypts it, against a plain GET through the same fetcher to the same server;
* `deliver_notices` for 10,000 notices to 10,000 members of whom 1 % have a device
  (database task backend: the work is queueing), against the same call when nobody has one.

    .venv/bin/python bench/push.py [--runs 200]   (PARLEY_DATABASE_URL for PostgreSQL)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

MEMBERS = 10_000


def median_ms(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from django_tasks_db.models import DBTaskResult

    from parley.core.fetch import fetch, post
    from parley.members.models import Member
    from parley.webpush import keys, services
    from parley.webpush.message import build_request, payload_for
    from parley.webpush.models import PushSubscription
    from parley.webpush.services import PushNotice, deliver_notices
    from parley.webpush.validation import parse_subscription
    from tests.webpush.pushservice import running_push_service

    vapid = keys.current()
    payload = payload_for(
        title="meridian_k mentioned you in “Water talks stall”",
        body="Both sides left the table on Tuesday without a date for the next round.",
        url="/posts/123456/",
        tag="post-123456",
    )
    with running_push_service() as service:
        settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {service.port}
        settings.PARLEY_PUSH_SERVICE_HOSTS = ["127.0.0.1"]
        service.forum_public_key = vapid.public_key
        browser = service.browser("bench")
        member = Member.objects.create_user(username="bench-push", password="x")
        data = parse_subscription(json.dumps(browser.to_json()).encode())
        subscription, _ = services.subscribe(member=member, data=data)

        def build() -> object:
            return build_request(
                endpoint=subscription.endpoint,
                p256dh=subscription.p256dh,
                auth=subscription.auth,
                payload=payload,
                keys=vapid,
                subject=settings.PARLEY_VAPID_SUBJECT,
                ttl=60,
            )

        dumps = median_ms(lambda: json.dumps(payload).encode(), args.runs)
        built = median_ms(build, args.runs)
        print(
            f"build one message: {built:.3f} ms median (json.dumps alone {dumps * 1000:.1f} µs, "
            f"×{built / dumps:.0f}); {args.runs} runs"
        )

        request = build()

        def send() -> object:
            return post(request.url, body=request.body, headers=request.headers)  # type: ignore[attr-defined]

        def plain_get() -> object:
            return fetch(f"{service.origin}/")

        runs = max(args.runs // 4, 20)
        got = median_ms(plain_get, runs)
        sent = median_ms(send, runs)
        problems = service.problems()
        print(
            f"send one message to a local push service that verifies and decrypts it: "
            f"{sent:.2f} ms median (a plain GET through the same fetcher {got:.2f} ms, "
            f"×{sent / got:.1f}); {runs} runs, {len(problems)} refused"
        )

    members = Member.objects.bulk_create(
        Member(username=f"bench-{i}", email=f"bench-{i}@example.test", password="!")
        for i in range(MEMBERS)
    )
    notices = [
        PushNotice(m.pk, "reply", "New reply in “Water talks stall”", "…", "/posts/1/", None, "t1")
        for m in members
    ]
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as nobody:
        deliver_notices(notices)
    nobody_ms = (time.perf_counter() - started) * 1000
    PushSubscription.objects.bulk_create(
        PushSubscription(
            member=m, endpoint=f"https://fcm.googleapis.com/fcm/send/b{m.pk}", p256dh="k", auth="a"
        )
        for m in members[:: MEMBERS // 100]
    )
    DBTaskResult.objects.all().delete()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as some:
        deliver_notices(notices)
    some_ms = (time.perf_counter() - started) * 1000
    queued = DBTaskResult.objects.count()
    print(
        f"deliver_notices, {MEMBERS:,} notices, nobody has a device: {nobody_ms:.1f} ms, "
        f"{len(nobody.captured_queries)} queries"
    )
    print(
        f"deliver_notices, {MEMBERS:,} notices, 1 % have a device: {some_ms:.1f} ms "
        f"(×{some_ms / nobody_ms:.1f}), {len(some.captured_queries)} queries, {queued} tasks queued"
    )
    print(f"({connection.vendor})")


if __name__ == "__main__":
    main()
