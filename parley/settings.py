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
    "parley.members",
    "parley.permissions",
    "parley.forums",
    "parley.links",
    "parley.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
            ],
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
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(_SQLITE_OPTIONS)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "parley.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }
    }
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that tests with several threads share one database.
    DATABASES["default"]["TEST"]["NAME"] = str(DATA_DIR / f"test-{os.getpid()}.sqlite3")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache --------------------------------------------------------------------------------
REDIS_URL = os.environ.get("PARLEY_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
PARLEY_PERIODIC_TASKS = ["parley.links.tasks.recheck_pages"]

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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PARLEY_LOG_LEVEL", "INFO")},
}

# --- Parley -------------------------------------------------------------------------------
PARLEY_POSTS_PER_PAGE = 20
PARLEY_THREADS_PER_PAGE = 25
PARLEY_MAX_POST_LENGTH = 50_000
PARLEY_MAX_TITLE_LENGTH = 150
# Loopback ports the link fetcher may reach. Empty in production, always: only the test
# settings fill it, for the HTTP servers the tests start on 127.0.0.1.
PARLEY_FETCH_ALLOW_LOOPBACK_PORTS: set[int] = set()
