"""Settings from environment variables, with safe defaults (SQLite under var/)."""
import os
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
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

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
    "ipplatform.core",
    "ipplatform.patents",
    "ipplatform.search",
    "ipplatform.analytics",
    "ipplatform.navigation",
    "ipplatform.protection",
    "ipplatform.market",
    "ipplatform.finance",
    "ipplatform.workplan",
]

MIDDLEWARE = [
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

# The cache is shared by every worker process and survives restarts (throttles and lockout counters must not be
# per process): a table in the platform's database (`manage.py createcachetable`; test databases create it).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ipplatform_cache",
    }
}

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
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"  # never served directly: downloads go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "ipplatform.core.api.exception_handler",
    # JSON bodies must be objects (a list or a number is a Chinese 400, never an AttributeError)
    "DEFAULT_PARSER_CLASSES": ["ipplatform.core.parsers.JSONObjectParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
}
# Longer URLs get a Chinese 414 page (scripts/run.sh lets gunicorn pass request lines up to 8190 bytes).
MAX_URL_LENGTH = int(os.environ.get("MAX_URL_LENGTH", "4096"))
SPECTACULAR_SETTINGS = {
    "TITLE": "知识产权公共服务平台 API",
    "DESCRIPTION": "ipplatform REST API (v1)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # every operation documents the Chinese JSON error answers (400/401/403/404/...): core/schema.py
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "ipplatform.core.schema.add_error_responses"],
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
SILENCED_SYSTEM_CHECKS = ["staticfiles.W004"]  # node_modules may be absent until setup runs
