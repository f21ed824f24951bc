"""Settings from environment variables, with safe defaults (SQLite under var/)."""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Reference data shipped in the repository (copied from ../shared/data with SOURCE notes).
REFERENCE_DATA_DIR = Path(os.environ.get("REFERENCE_DATA_DIR", BASE_DIR / "data"))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # A per-installation key kept under DATA_DIR: never a default shipped in the code.
    # Created whole or not at all: two processes starting together (CI runs SQLite and PostgreSQL side by side)
    # must never read a file the other has created but not yet written.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets
        import tempfile

        fd, tmp_name = tempfile.mkstemp(dir=DATA_DIR, prefix=".secret_key.")
        try:
            os.write(fd, secrets.token_urlsafe(50).encode())
            os.close(fd)
            os.chmod(tmp_name, 0o600)
            try:
                os.link(tmp_name, key_file)  # fails if another process linked its key first; theirs is kept
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp_name)
    SECRET_KEY = key_file.read_text().strip()
    if not SECRET_KEY:
        raise RuntimeError(f"{key_file} is empty: delete it to have a new key generated, or set SECRET_KEY")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Province the installation serves (GB/T 2260 code); division tables are national.
PROVINCE_CODE = os.environ.get("PROVINCE_CODE", "370000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    "drf_spectacular_sidecar",
    "ipplatform.core",
    "ipplatform.patents",
    "ipplatform.search",
    "ipplatform.analytics",
    "ipplatform.navigation",
    "ipplatform.protection",
    "ipplatform.market",
    "ipplatform.finance",
    "ipplatform.workplan",
    "ipplatform.orgs",
    "ipplatform.training",
    "ipplatform.publicity",
    "ipplatform.portal",
    "ipplatform.experts",
    "ipplatform.agencies",
    "ipplatform.census",
    "ipplatform.credit",
    "ipplatform.programmes",
]

MIDDLEWARE = [
    "ipplatform.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ipplatform.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ipplatform.core.middleware.RequestContextMiddleware",
    "ipplatform.core.middleware.IdleTimeoutMiddleware",
    "ipplatform.core.middleware.InputErrorMiddleware",
    "ipplatform.core.middleware.ForcePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ipplatform.urls"
WSGI_APPLICATION = "ipplatform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ipplatform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipplatform.core.context_processors.platform",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ipplatform.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# WAL lets background jobs write while pages read; a busy timeout instead of "database is locked". A new
# database gets 8 KiB pages (set before WAL fixes the page size; an existing file keeps its own): a patent row
# is about 2.7 KB, and inserting one with its indexes took 35–44 instead of 44–55 µs at 120,000 rows.
SQLITE_OPTIONS = {
    "timeout": 30,
    "init_command": "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
# Reads of statistics, search facets and reports may go to a streaming replica (DATABASE_REPLICA_URL);
# ipplatform.core.dbrouter sends them there unless the request or job has written (read-your-writes).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ipplatform.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "ipplatform.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# 等保2.0 level 3: lock for 10 minutes after 5 failures; idle sessions end after 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1 / 6  # hours = 10 minutes
# Lock a username only together with the client address: a stranger elsewhere cannot lock the real owner out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "ipplatform" / "locale"]  # Chinese for packages that ship none (django-axes' admin section)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# npm packages are served from node_modules directly (installed by scripts/setup.sh; no CDN).
STATICFILES_DIRS = [
    BASE_DIR / "ipplatform" / "static",
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/maps", BASE_DIR / "node_modules" / "echarts4" / "map" / "json" / "province"),
]
WHITENOISE_USE_FINDERS = True
# collectstatic writes hashed, gzip/brotli-compressed copies; whitenoise serves them with a one-year
# immutable Cache-Control. Tests and DEBUG keep plain names (no manifest needed before collectstatic).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and "pytest" not in sys.modules and (STATIC_ROOT / "staticfiles.json").exists()
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
WHITENOISE_MAX_AGE = 3600
WHITENOISE_AUTOREFRESH = DEBUG
# Several web nodes share uploads and generated documents through one directory (NFS or similar mount):
# SHARED_DIR (default DATA_DIR). The search index stays per node (see docs/deployment.md).
SHARED_DIR = Path(os.environ["SHARED_DIR"]).resolve() if os.environ.get("SHARED_DIR") else None  # None: DATA_DIR
MEDIA_ROOT = (SHARED_DIR or DATA_DIR) / "files"
MEDIA_URL = "/files/"  # never served directly: downloads go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "ipplatform.core.apiauth.BasicAuthentication",  # DRF's, refusing control characters before the lookup
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "ipplatform.core.api.exception_handler",
    # JSON bodies must be objects (a list or a number is a Chinese 400, never an AttributeError)
    "DEFAULT_PARSER_CLASSES": [
        "ipplatform.core.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# Longer URLs get a Chinese 414 page (scripts/run.sh lets gunicorn pass request lines up to 8190 bytes).
MAX_URL_LENGTH = int(os.environ.get("MAX_URL_LENGTH", "4096"))
SPECTACULAR_SETTINGS = {
    "TITLE": "知识产权公共服务平台 API",
    "DESCRIPTION": "ipplatform REST API (v1)",
    # Swagger UI and ReDoc from drf-spectacular-sidecar, served by the platform itself (no CDN on an intranet).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # every operation documents the Chinese JSON error answers (400/401/403/404/...): core/schema.py
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ipplatform.core.schema.add_error_responses",
    ],
}

# Audit chain hash: "sha256" (default) or "sm3"; the chain is an HMAC with a key the database does not hold
# (AUDIT_KEY, or the file AUDIT_KEY_FILE created under DATA_DIR on first use). Each new head of the audit chain and
# of every case's evidence chain is appended to a sink outside the database (core.anchors); syslog optional.
AUDIT_HASH = os.environ.get("AUDIT_HASH", "sha256")
AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
AUDIT_KEY_FILE = os.environ.get("AUDIT_KEY_FILE", "")
AUDIT_ANCHOR_PATH = os.environ.get("AUDIT_ANCHOR_PATH", "")
EVIDENCE_ANCHOR_PATH = os.environ.get("EVIDENCE_ANCHOR_PATH", "")
AUDIT_ANCHOR_SYSLOG = os.environ.get("AUDIT_ANCHOR_SYSLOG", "")

# Structured logs: one JSON object per line with the request id (X-Request-ID) of the request that logged it;
# LOG_FORMAT=text for plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ipplatform.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ipplatform.core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "ipplatform.requests": {
            "level": os.environ.get("ACCESS_LOG_LEVEL", "INFO"),
            "handlers": ["console"],
            "propagate": False,
        }
    },
}
SILENCED_SYSTEM_CHECKS = ["staticfiles.W004"]  # node_modules may be absent until setup runs

# Cache for statistics and dashboard fragments (ipplatform.core.cache): local memory by default, Redis when
# REDIS_URL is set (then shared by every process and node).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "ipp"}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ipplatform",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
    # Throttle and guessing counters must be seen by every worker process and survive restarts, so never per
    # process: Redis when REDIS_URL is set, else a table in the platform's database (`manage.py createcachetable`,
    # which scripts/run.sh runs and test databases run themselves).
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "ipp-shared"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ipplatform_cache"}
    ),
}
if env_bool("CACHE_DISABLED", False):  # bench/web_load.py's "before" baseline
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
CACHE_TIMEOUT = int(os.environ.get("CACHE_TIMEOUT", str(6 * 3600)))

# Background jobs (ipplatform.core.jobs) on huey: SQLite storage under DATA_DIR by default, Redis when REDIS_URL
# is set. `manage.py run_huey` is the worker (scripts/run.sh starts it); it also runs the periodic jobs.
# A running job renews its lease every JOB_HEARTBEAT seconds; a job whose lease is older than JOB_LEASE seconds
# has lost its worker and is retried (resumable kinds) or marked failed.
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": os.environ.get("HUEY_NAME", "ipplatform"),
    "immediate": env_bool("JOBS_IMMEDIATE", False),
    "utc": False,  # crontab times are Asia/Shanghai (Django sets TZ)
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(DATA_DIR / "jobs-queue.sqlite3")},
    "consumer": {
        "workers": int(os.environ.get("JOB_WORKERS", "2")),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
        "health_check_interval": 10,
    },
}
JOB_HEARTBEAT = float(os.environ.get("JOB_HEARTBEAT", "10"))
JOB_LEASE = float(os.environ.get("JOB_LEASE", "60"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
# Several web nodes (docs/deployment.md): "writer" updates the search index (the node running the job worker);
# "replica" nodes send changes to the writer through the queue and copy its segments (manage.py sync_index).
SEARCH_INDEX_ROLE = os.environ.get("SEARCH_INDEX_ROLE", "writer")
SEARCH_INDEX_SOURCE = os.environ.get("SEARCH_INDEX_SOURCE", "")
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", DATA_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))
