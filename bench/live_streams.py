"""Live updates: N idle server-sent-event streams held by one `parley live` process — its
resident memory and CPU — and the delay from posting a reply to its message reaching every
open stream. Baselines in the same run: the process with no stream open (memory, CPU), and
one stream (delay). Never asserts anything.

    .venv/bin/python bench/live_streams.py [--streams 5000] [--rounds 20] [--idle 30]
                                            [--transport table|redis|both]

The streams are opened by this process (asyncio, one socket each) from 127.0.0.1, so the
per-address cap is lifted for the run. Both share the machine's cores: the figures include
the client's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATA = tempfile.mkdtemp(prefix="parley-bench-live-")
os.environ["PARLEY_DATA_DIR"] = DATA
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
os.environ["PARLEY_LOG_LEVEL"] = "WARNING"  # not a line per task
os.environ.pop("PARLEY_REDIS_URL", None)
os.environ.pop("PARLEY_DATABASE_URL", None)
REDIS_URL = os.environ.get("PARLEY_BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from parley.live import transport as live_transport  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def start_live(redis_url: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "PARLEY_REDIS_URL": redis_url,
        # Multi-server mode (Redis) needs the key from the environment (check parley.E001).
        "PARLEY_SECRET_KEY": settings.SECRET_KEY,
        "PARLEY_LIVE_MAX_STREAMS_PER_ADDRESS": "1000000",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "parley.cli", "live", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(DATA) / "live.log", "ab"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit("parley live did not start; see " + str(Path(DATA) / "live.log"))


class Clients:
    """N streams on one thread's channel; counts each post.created as it arrives."""

    def __init__(self, port: int, thread_id: int) -> None:
        self.port = port
        self.query = f"thread={thread_id}"
        self.arrivals: list[float] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.refused = 0

    async def _one(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(f"GET /live/stream?{self.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            self.refused += 1
            writer.close()
            return
        self.writers.append(writer)
        self.tasks.append(asyncio.create_task(self._read(reader)))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        while chunk := await reader.read(65536):
            if b"event: post.created" in chunk:
                self.arrivals.append(time.perf_counter())

    async def open(self, n: int, batch: int = 200) -> float:
        start = time.perf_counter()
        for i in range(0, n, batch):
            await asyncio.gather(*(self._one() for _ in range(min(batch, n - i))))
        return time.perf_counter() - start

    async def close(self) -> None:
        for writer in self.writers:
            writer.close()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.writers, self.tasks = [], []


FIRST: list[float] = []  # until the first stream has the message
HALF: list[float] = []  # until half of them have it


async def delays(clients: Clients, thread, author, rounds: int, expect: int) -> list[float]:
    """Post a reply through the service (its outbox subscriber publishes after the commit);
    seconds until every open stream has its message (FIRST and HALF: the first one, half)."""
    from asgiref.sync import sync_to_async

    from parley.forums import services

    reply = sync_to_async(services.reply_to_thread, thread_sensitive=True)
    found = []
    for n in range(rounds):
        clients.arrivals = []
        start = time.perf_counter()
        await reply(author=author, thread=thread, source=f"Update {n}", fmt="bbcode")
        SERVICE.append(time.perf_counter() - start)
        deadline = time.monotonic() + 20
        while len(clients.arrivals) < expect and time.monotonic() < deadline:
            await asyncio.sleep(0.0005)
        if len(clients.arrivals) >= expect:
            arrived = sorted(clients.arrivals[:expect])
            found.append(arrived[-1] - start)
            FIRST.append(arrived[0] - start)
            HALF.append(arrived[len(arrived) // 2] - start)
        await asyncio.sleep(0.05)
    return found


SERVICE: list[float] = []  # how long the reply itself took (the commit, then the publish)


def ms(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(values) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def run(transport: str, streams: int, rounds: int, idle: float) -> None:
    from tests.factories import ForumFactory, MemberFactory, make_thread

    redis_url = REDIS_URL if transport == "redis" else ""
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()  # db 8: this benchmark's own
    settings.PARLEY_LIVE_REDIS_URL = redis_url
    live_transport.current.cache_clear()
    author = MemberFactory()
    thread = make_thread(ForumFactory(), author, title=f"Bench {transport}")
    process, port = start_live(redis_url)
    print(
        f"\n## transport: {transport} (pid {process.pid}, {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]})"
    )

    async def scenario() -> None:
        time.sleep(1.0)
        base_rss, base_cpu = rss_mb(process.pid), cpu_seconds(process.pid)
        await asyncio.sleep(idle / 3)
        base_cpu_rate = (cpu_seconds(process.pid) - base_cpu) / (idle / 3)
        print(f"no stream open: {base_rss:.1f} MB resident, CPU {base_cpu_rate * 100:.2f} %")

        one = Clients(port, thread.pk)
        await one.open(1)
        single = await delays(one, thread, author, rounds, 1)
        await one.close()
        print(f"delay, post → 1 stream:        {ms(single)}  (baseline)")

        clients = Clients(port, thread.pk)
        took = await clients.open(streams)
        held = len(clients.writers)
        print(f"opened {held} streams in {took:.1f} s ({clients.refused} refused)")
        await asyncio.sleep(2)
        rss = rss_mb(process.pid)
        cpu0 = cpu_seconds(process.pid)
        await asyncio.sleep(idle)
        rate = (cpu_seconds(process.pid) - cpu0) / idle
        print(
            f"{held} idle streams: {rss:.1f} MB resident (×{rss / base_rss:.2f} of no stream; "
            f"{(rss - base_rss) * 1024 / max(held, 1):.1f} KB per stream), "
            f"CPU {rate * 100:.2f} % over {idle:.0f} s (keep-alives every "
            f"{settings.PARLEY_LIVE_KEEPALIVE_SECONDS:.0f} s)"
        )
        fanned = await delays(clients, thread, author, rounds, held)
        ratio = (statistics.median(fanned) / statistics.median(single)) if fanned and single else 0
        print(f"delay, post → all {held} streams: {ms(fanned)}  (×{ratio:.1f} of one stream)")
        print(f"    first stream: {ms(FIRST[rounds:])}; half of them: {ms(HALF[rounds:])}")
        print(f"(the reply call itself, commit and publish: {ms(SERVICE)})")
        for values in (SERVICE, FIRST, HALF):
            values.clear()
        await clients.close()

    try:
        asyncio.run(scenario())
    finally:
        process.terminate()
        process.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--transport", choices=["table", "redis", "both"], default="both")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"# live streams: {args.streams} streams, {args.rounds} replies per measure")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    for transport in ("table", "redis") if args.transport == "both" else (args.transport,):
        run(transport, args.streams, args.rounds, args.idle)


if __name__ == "__main__":
    main()
