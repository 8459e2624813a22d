"""Settings, all read from the environment so one code base runs embedded or scaled out.

Defaults give a one-machine forum with zero setup: SQLite in WAL mode in a data folder,
local-memory cache, database-backed tasks. `PARLEY_DATABASE_URL` and `PARLEY_REDIS_URL`
switch to PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from parley.core.storage_config import media_storage

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("PARLEY_DATA_DIR", PROJECT_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use PARLEY_SECRET_KEY, else a key generated once and kept in the data folder."""
    if key := os.environ.get("PARLEY_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Several app servers (docs/servers.md): on with PARLEY_REDIS_URL or PARLEY_MULTI_SERVER=1.
# Every server must then sign sessions and tokens with the same key, so it must come from the
# environment (a key generated into one machine's data folder would differ on the next);
# the system check parley.E001 refuses to start otherwise.
PARLEY_MULTI_SERVER = _env_bool("PARLEY_MULTI_SERVER", False) or bool(
    os.environ.get("PARLEY_REDIS_URL", "")
)
PARLEY_SECRET_KEY_FROM_ENV = bool(os.environ.get("PARLEY_SECRET_KEY"))
DEBUG = _env_bool("PARLEY_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PARLEY_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PARLEY_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    # parley.core before django_tasks_db: its `db_worker` command (the supervised, resilient
    # worker) takes the place of django_tasks_db's own.
    "parley.core",
    "django_tasks",
    "django_tasks_db",
    "parley.events",
    "parley.members",
    "parley.permissions",
    "parley.forums",
    "parley.links",
    "parley.stories",
    "parley.sources",
    "parley.moderation",
    "parley.engagement",
    "parley.tags",
    "parley.polls",
    "parley.liveevents",
    "parley.conversations",
    "parley.webpush",
    "parley.alerts",
    "parley.people",
    "parley.attachments",
    "parley.live",
    "parley.editor",
    "parley.feeds",
    "parley.webhooks",
    "parley.search",
    "parley.api",
    "ninja",
    "parley.demo",
]

MIDDLEWARE = [
    # Outermost, so it also sees every error page (docs/security.md).
    "parley.core.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Upload addresses: an over-size body is refused (413) before anyone reads it.
    "parley.attachments.uploads.UploadLimitMiddleware",
    # First to read the body: malformed requests get a clear 400/413, never a 500.
    "parley.core.failures.RequestGuardMiddleware",
    # Guest pages from the cache, before sessions, CSRF and authentication: a hit costs none
    # of them (docs/caching.md).
    # Who's online: notes every page view (guests' cached pages too) in a buffer, no write.
    "parley.people.online.OnlineMiddleware",
    "parley.core.pagecache.GuestPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "parley.urls"
WSGI_APPLICATION = "parley.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parley.moderation.views.staff_counts",
                "parley.conversations.unread.header_count",
                "parley.alerts.unread.header_count",
                "parley.live.context.live",
            ],
            # Every template's {% url %} answers from a per-process memory (parley.core.urltag).
            # ... and every {% static %} too (parley.core.statictag: no `{% load static %}`).
            "builtins": ["parley.core.urltag", "parley.core.statictag"],
        },
    }
]

# --- database ---------------------------------------------------------------------------
# SQLite: WAL lets readers run beside the one writer; IMMEDIATE transactions take the write
# lock at BEGIN so two writers queue on busy_timeout instead of failing on lock upgrade.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}

DATABASE_URL = os.environ.get("PARLEY_DATABASE_URL", "")
# Django's SQLite backend, closing a kept connection at a request boundary when the file under
# it changed, so that connections can be kept between requests (parley/core/sqlite/base.py).
SQLITE_ENGINE = "parley.core.sqlite"
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
        DATABASES["default"]["OPTIONS"] = dict(_SQLITE_OPTIONS)
else:
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": str(DATA_DIR / "parley.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
            # Kept open between requests (each server thread has its own), as PostgreSQL's
            # are: opening one and running the pragmas above was 2 ms of every request that
            # reads the database (a signed-in search page: 6.2 ms -> 4.0 ms in-process).
            "CONN_MAX_AGE": 60,
        }
    }
# A connection kept between requests is checked before reuse, so one the server dropped is
# replaced at once instead of failing the next request (docs/security.md).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:
    # A file, not :memory:, so that tests with several threads share one database.
    DATABASES["default"]["TEST"]["NAME"] = str(DATA_DIR / f"test-{os.getpid()}.sqlite3")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache --------------------------------------------------------------------------------
REDIS_URL = os.environ.get("PARLEY_REDIS_URL", "")
# `pages` holds guest pages and fragments; `shared` the small values every process must agree
# on: the version stamps in page keys (docs/caching.md) and the header counts (alerts,
# conversations). With Redis every app server shares all three. Without it, `shared` must
# still be shared by every process on the machine (gunicorn workers, the task worker), so it
# is a file cache; pages stay in each process's memory (a page found under the current
# stamps is current, whichever process rendered it).
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    _REDIS: dict[str, object] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
    CACHES = {"default": _REDIS, "pages": _REDIS, "shared": _REDIS}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "shared": {
            "BACKEND": "parley.core.filecache.SharedFileCache",
            "LOCATION": str(DATA_DIR / "stamps"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

# --- background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PARLEY_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# oEmbed endpoints Parley may ask for a link's title, author and thumbnail (never its HTML).
PARLEY_OEMBED_PROVIDERS = {
    "www.youtube.com",
    "youtube.com",
    "vimeo.com",
    "publish.twitter.com",
    "www.reddit.com",
    "www.flickr.com",
    "soundcloud.com",
    "open.spotify.com",
}

# --- background worker and /healthz (docs/operations.md) -----------------------------------
# Seconds one background task may run before the worker cuts it and marks it failed.
PARLEY_TASK_TIME_LIMIT = float(os.environ.get("PARLEY_TASK_TIME_LIMIT", "600"))
# /healthz is "degraded" when no worker has written a heartbeat for this many seconds, or
# when the oldest task ready to run has waited longer than PARLEY_TASK_QUEUE_STALE_AFTER.
PARLEY_WORKER_SILENT_AFTER = float(os.environ.get("PARLEY_WORKER_SILENT_AFTER", "120"))
PARLEY_TASK_QUEUE_STALE_AFTER = float(os.environ.get("PARLEY_TASK_QUEUE_STALE_AFTER", "900"))

# The image proxy (docs/links.md) fetches embedded images of at most this many bytes.
PARLEY_PROXY_IMAGE_MAX_BYTES = 8_000_000

# Queued by `parley serve` every --periodic-every seconds (default: hourly).
PARLEY_PERIODIC_TASKS = [
    "parley.links.tasks.recheck_pages",
    "parley.moderation.tasks.moderation_sweep",
    "parley.engagement.tasks.read_state_prune",
    "parley.events.tasks.events_sweep",
    "parley.alerts.tasks_mail.send_digests",
    "parley.core.tasks.flush_write_buffers",
    "parley.attachments.tasks.remove_orphan_attachments",
    "parley.editor.tasks.remove_old_drafts",
    "parley.feeds.tasks.poll_news_feeds",
    "parley.webhooks.tasks.webhooks_sweep",
]

# --- news feeds in and webhooks out (docs/feeds.md, docs/webhooks.md) ---------------------------
PARLEY_NEWS_FEED_DEADLINE = 15.0  # seconds for one feed fetch, redirects included
PARLEY_NEWS_FEED_MAX_BYTES = 5_000_000
PARLEY_NEWS_FEED_MIN_INTERVAL_MINUTES = 5
PARLEY_NEWS_FEED_MAX_BACKOFF_MINUTES = 24 * 60
PARLEY_WEBHOOK_DEADLINE = 10.0
PARLEY_WEBHOOK_MAX_ATTEMPTS = 8  # tries of one delivery before it is given up
PARLEY_WEBHOOK_RETRY_BASE_SECONDS = 60  # doubled after each failed try
PARLEY_WEBHOOK_RETRY_MAX_SECONDS = 6 * 3600
PARLEY_WEBHOOK_DISABLE_AFTER = 20  # failed tries in a row before an endpoint is disabled
PARLEY_WEBHOOK_KEEP_DAYS = 30  # finished deliveries and their logs, then forgotten

# --- attachments and avatars (docs/attachments.md) --------------------------------------------
# No upload body is read past this (413), whoever sends it; groups' own limits are lower.
PARLEY_ATTACHMENT_MAX_BODY_BYTES = int(
    os.environ.get("PARLEY_ATTACHMENT_MAX_BODY_BYTES", str(26_000_000))
)
# For members none of whose groups has an AttachmentQuota row (admin: Attachment quotas).
PARLEY_ATTACHMENT_DEFAULT_QUOTA = {"max_file_mb": 8, "max_per_post": 10, "max_total_mb": 500}
PARLEY_ATTACHMENT_DOCUMENT_TYPES = ["application/pdf", "text/plain"]
PARLEY_ATTACHMENT_IMAGE_LIMITS = {
    "max_pixels": 50_000_000,
    "max_side": 4096,
    "thumb_side": 400,
    "max_frames": 100,
    "max_duration_ms": 15_000,
    "max_animation_pixels": 60_000_000,
}
# Uploads no post took within this many hours are removed by the periodic sweep.
PARLEY_ATTACHMENT_ORPHAN_HOURS = 24
# Drafts untouched this long are removed (and the uploads they held with them, a day later).
PARLEY_DRAFT_KEEP_DAYS = int(os.environ.get("PARLEY_DRAFT_KEEP_DAYS", "30"))
PARLEY_AVATAR_SIZES = [48, 96, 192]
PARLEY_AVATAR_MAX_BYTES = 8_000_000

# --- events (docs/events.md) ---------------------------------------------------------------
# A failed delivery waits BASE, 2×BASE, 4×BASE … (at most MAX) seconds before its next try,
# and is given up after MAX_ATTEMPTS tries (`parley repair_events --retry-dead`).
PARLEY_EVENTS_RETRY_BASE_SECONDS = 30
PARLEY_EVENTS_RETRY_MAX_SECONDS = 6 * 3600
PARLEY_EVENTS_MAX_ATTEMPTS = 10
# A delivery still "running" after this long belongs to a process that died: run it again.
PARLEY_EVENTS_LEASE_SECONDS = 600
# The sweep leaves events younger than this to the dispatch queued at their commit.
PARLEY_EVENTS_SWEEP_GRACE_SECONDS = 60

# --- members ------------------------------------------------------------------------------
AUTH_USER_MODEL = "members.Member"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "members:signin"
LOGIN_REDIRECT_URL = "forums:index"
LOGOUT_REDIRECT_URL = "forums:index"

# --- i18n, static -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    # A local folder, or S3-compatible storage when PARLEY_S3_BUCKET is set (docs/servers.md).
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": os.environ.get(
            "PARLEY_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = _env_bool("PARLEY_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


# --- hardening: HTTPS, proxies, request limits (docs/security.md) ----------------------------
def _env_whole(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"{name} must be a whole number, not {value!r}.")
    return int(value)


# HSTS only where the site is known to be served over HTTPS; it is sticky in browsers.
SECURE_HSTS_SECONDS = _env_whole("PARLEY_HSTS_SECONDS", 31_536_000) if SESSION_COOKIE_SECURE else 0
# Number of reverse proxies in front of Parley (shared with the client-address code). Their
# X-Forwarded-Proto is believed only when there is one: without a proxy anyone could send it.
PARLEY_TRUSTED_PROXIES = _env_whole("PARLEY_TRUSTED_PROXIES", 0)
if PARLEY_TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A 50,000-character post is at most ~600 KB URL-encoded; anything far larger is refused
# (413) before it is parsed. Few forms have more than a dozen fields; the admin's
# select-all on a 100-row list stays well under the cap.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
CSRF_FAILURE_VIEW = "parley.core.failures.csrf_failure"

# Mail goes out through PARLEY_SMTP_HOST when it is set; a zero-setup site prints it to the
# server log instead (so a password-reset link can still be found on one's own machine).
EMAIL_HOST = os.environ.get("PARLEY_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("PARLEY_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("PARLEY_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PARLEY_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("PARLEY_SMTP_STARTTLS", False)
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("PARLEY_FROM_EMAIL", "parley@localhost")
# Where the forum is reached from outside: links in alert mails and digests are built on it
# (a background task has no request to ask).
PARLEY_SITE_URL = os.environ.get("PARLEY_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PARLEY_LOG_LEVEL", "INFO")},
}

# --- Parley -------------------------------------------------------------------------------
PARLEY_POSTS_PER_PAGE = 20
# A live-event thread closes past this many posts and continues in a new part (each live
# thread may set its own; docs/liveevents.md).
PARLEY_LIVE_EVENT_POST_LIMIT = int(os.environ.get("PARLEY_LIVE_EVENT_POST_LIMIT", "1000"))
PARLEY_THREADS_PER_PAGE = 25

# Watching and unread (docs/engagement.md): posts older than this many days count as read.
PARLEY_READ_HORIZON_DAYS = int(os.environ.get("PARLEY_READ_HORIZON_DAYS", "30"))
PARLEY_MAX_POST_LENGTH = 50_000
PARLEY_MAX_TITLE_LENGTH = 150
# Loopback ports the link fetcher may reach. Empty in production, always: only the test
# settings fill it, for the HTTP servers the tests start on 127.0.0.1.
PARLEY_FETCH_ALLOW_LOOPBACK_PORTS: set[int] = set()

# --- moderation ---------------------------------------------------------------------------
# A member's first PARLEY_NEWCOMER_POSTS posts may carry at most PARLEY_NEWCOMER_MAX_LINKS
# links; a post with more waits for a moderator's approval instead of being refused.
PARLEY_NEWCOMER_POSTS = int(os.environ.get("PARLEY_NEWCOMER_POSTS", "3"))
PARLEY_NEWCOMER_MAX_LINKS = int(os.environ.get("PARLEY_NEWCOMER_MAX_LINKS", "2"))
# IP addresses of posts and sign-ups are kept this long, then cleared by the periodic sweep.
PARLEY_IP_RETENTION_DAYS = int(os.environ.get("PARLEY_IP_RETENTION_DAYS", "90"))

# --- rate limits and spam defences (docs/limits.md) ---------------------------------------
# (count, seconds): at most `count` per key in each window of `seconds`. Counted in the cache
# (Redis when PARLEY_REDIS_URL is set, so every app server shares them).
PARLEY_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "signin_account": (5, 900),  # sign-in attempts per typed account name
    "signin_address": (20, 900),  # sign-in attempts per client address
    "signup_address": (5, 3600),  # sign-ups per client address
    "reset_address": (5, 3600),  # password-reset mails per client address
    "reset_email": (3, 3600),  # password-reset mails per e-mail address
    "confirm_mail": (3, 3600),  # "resend the confirmation mail" per member
    "post": (6, 60),  # replies per member
    "thread": (3, 300),  # new threads per member
    "reaction": (30, 60),  # reactions per member
    "link_fetch": (60, 3600),  # link fetches queued per member
    "report": (10, 3600),  # reports per member
    "search": (30, 60),  # reserved: searches per client address (the search feature)
    "conversation": (5, 3600),  # conversations started per member (staff exempt)
    "conversation_reply": (10, 60),  # conversation replies per member (staff exempt)
    "preview": (60, 60),  # editor previews per member (docs/editor.md)
    "draft": (30, 60),  # draft saves per member (autosave every few seconds)
    "quotes": (20, 60),  # multi-quote insertions per member
}
# Members in one conversation, the starter included.
PARLEY_CONVERSATION_MAX_PARTICIPANTS = 20
# Links fetched per post; the rest stay plain links.
PARLEY_LINKS_FETCHED_PER_POST = 20
# One story across outlets (docs/stories.md): articles published this far apart are never
# the same story; the similarity an article needs to join another's story.
PARLEY_STORY_WINDOW_HOURS = _env_whole("PARLEY_STORY_WINDOW_HOURS", 72)
PARLEY_STORY_THRESHOLD = float(os.environ.get("PARLEY_STORY_THRESHOLD", "0.20"))
# PARLEY_TRUSTED_PROXIES (above, with the security settings) also decides the client address.
# A sign-up form sent back sooner than this after it was served is a bot's.
PARLEY_SIGNUP_MIN_SECONDS = 3
# How long the link in the confirmation mail works.
PARLEY_CONFIRM_EMAIL_MAX_AGE = 3 * 24 * 3600
# Newcomers' links: see PARLEY_NEWCOMER_POSTS and PARLEY_NEWCOMER_MAX_LINKS above.
# Domains (and their subdomains) whose links never count against newcomers.
PARLEY_TRUSTED_SOURCES: list[str] = [
    d.strip().lower()
    for d in os.environ.get(
        "PARLEY_TRUSTED_SOURCES", "bbc.co.uk,reuters.com,apnews.com,theguardian.com"
    ).split(",")
    if d.strip()
]
# Ask StopForumSpam about each sign-up's e-mail and address (off unless PARLEY_STOPFORUMSPAM=1).
PARLEY_STOPFORUMSPAM = _env_bool("PARLEY_STOPFORUMSPAM", False)
PARLEY_STOPFORUMSPAM_URL = os.environ.get(
    "PARLEY_STOPFORUMSPAM_URL", "https://api.stopforumspam.org/api"
)
# Everything one link fetch does (page, oEmbed, lead image) together, in seconds.
PARLEY_FETCH_TOTAL_DEADLINE = float(os.environ.get("PARLEY_FETCH_TOTAL_DEADLINE", "10"))

# --- web push (docs/push.md) ---------------------------------------------------------------
# The VAPID key pair that signs push messages (RFC 8292): base64url (the 32-byte private
# scalar, as web-push tools print it) or PEM. Unset: generated on first use and kept in the
# database, so every app server sharing it, and every backup of it, uses the same pair.
PARLEY_VAPID_PRIVATE_KEY = os.environ.get("PARLEY_VAPID_PRIVATE_KEY", "").strip()
# Optional; when set it must be the public half of PARLEY_VAPID_PRIVATE_KEY (checked).
PARLEY_VAPID_PUBLIC_KEY = os.environ.get("PARLEY_VAPID_PUBLIC_KEY", "").strip()
# Whom push services contact about this sender: a mailto: or https: address.
PARLEY_VAPID_SUBJECT = os.environ.get("PARLEY_VAPID_SUBJECT", f"mailto:{DEFAULT_FROM_EMAIL}")
# Push services a browser subscription may point at ("*." covers subdomains). Only these
# hosts are ever sent a push message (through the guarded fetcher).
PARLEY_PUSH_SERVICE_HOSTS: list[str] = [
    h.strip().lower()
    for h in os.environ.get(
        "PARLEY_PUSH_SERVICE_HOSTS",
        "fcm.googleapis.com,updates.push.services.mozilla.com,*.notify.windows.com,"
        "web.push.apple.com",
    ).split(",")
    if h.strip()
]
# How long a push service keeps a message for a device that is offline (seconds).
PARLEY_PUSH_TTL = int(os.environ.get("PARLEY_PUSH_TTL", str(24 * 3600)))
# A subscription whose sends failed this many times in a row is dropped.
PARLEY_PUSH_MAX_FAILURES = 5
# A message that failed for a passing reason (429, 5xx, network) is tried again this many
# times, after PARLEY_PUSH_RETRY_SECONDS × 2^(try − 1) (or the service's Retry-After).
PARLEY_PUSH_RETRIES = 3
PARLEY_PUSH_RETRY_SECONDS = 60
# Devices one member may register; messages sent to one member from one batch of notices
# (the rest are summed up in one last message that opens PARLEY_PUSH_SUMMARY_URL).
PARLEY_PUSH_MAX_DEVICES = 10
PARLEY_PUSH_MAX_PER_BATCH = 5
PARLEY_PUSH_SUMMARY_URL = "/alerts/"

# --- live updates (docs/live.md) -------------------------------------------------------------
# The live server (`parley live`, started by `parley serve`) listens on this port; pages
# connect to PARLEY_LIVE_URL, or, when it is empty, to the page's own host on this port.
PARLEY_LIVE_PORT = _env_whole("PARLEY_LIVE_PORT", _env_whole("PORT", 8000) + 1)
# e.g. "/live/" when a reverse proxy routes /live/ to the live server (docs/deploy.md), or
# "https://live.example.org/live/"; empty: http(s)://<page's host>:PARLEY_LIVE_PORT/live/.
PARLEY_LIVE_URL = os.environ.get("PARLEY_LIVE_URL", "").strip()
# Messages travel through Redis pub/sub when set, through a polled table otherwise.
PARLEY_LIVE_REDIS_URL = REDIS_URL
PARLEY_LIVE_REDIS_PREFIX = "parley:live"
PARLEY_LIVE_POLL_SECONDS = float(os.environ.get("PARLEY_LIVE_POLL_SECONDS", "0.1"))
# The backlog a reconnecting page catches up from (Last-Event-ID): the last N messages of
# each channel in Redis, the last N rows of the table, and never older than this.
PARLEY_LIVE_BACKLOG_PER_CHANNEL = 100
PARLEY_LIVE_BACKLOG_SIZE = 10_000
PARLEY_LIVE_BACKLOG_SECONDS = 3600
PARLEY_LIVE_KEEPALIVE_SECONDS = 15.0
# A stream ends after this long and the page reconnects: permissions are checked afresh.
PARLEY_LIVE_MAX_SECONDS = 900.0
# Open streams per client address (tabs of one household behind one router share it).
PARLEY_LIVE_MAX_STREAMS_PER_ADDRESS = _env_whole("PARLEY_LIVE_MAX_STREAMS_PER_ADDRESS", 20)

# --- guest page cache and buffered writes (docs/caching.md) -------------------------------
PARLEY_GUEST_CACHE = _env_bool("PARLEY_GUEST_CACHE", True)
# How long a guest page is kept at most; stamps make it fresh long before that.
PARLEY_GUEST_CACHE_SECONDS = _env_whole("PARLEY_GUEST_CACHE_SECONDS", 60)
# Cache-Control for guest pages: browsers and proxies may keep them this long, and reuse
# them this much longer while asking again.
PARLEY_GUEST_MAX_AGE = _env_whole("PARLEY_GUEST_MAX_AGE", 1)
PARLEY_GUEST_STALE_SECONDS = _env_whole("PARLEY_GUEST_STALE_SECONDS", 30)
# The stampede lock: one request renders a page; others wait this long for it at most.
PARLEY_GUEST_LOCK_SECONDS = 10
PARLEY_GUEST_WAIT_SECONDS = 1.0
# Thread views and read positions are buffered in each process and written this often.
PARLEY_WRITE_BUFFER_SECONDS = float(os.environ.get("PARLEY_WRITE_BUFFER_SECONDS", "2"))

# People (docs/people.md): signatures, who's online.
PARLEY_SIGNATURE_MAX_CHARS = 500
PARLEY_SIGNATURE_MAX_LINES = 5
PARLEY_SIGNATURE_MAX_IMAGES = 1
PARLEY_SIGNATURES_FOR_GUESTS = _env_bool("PARLEY_SIGNATURES_FOR_GUESTS", True)
PARLEY_ONLINE_MINUTES = 15
PARLEY_MEMBERS_PER_PAGE = 30
