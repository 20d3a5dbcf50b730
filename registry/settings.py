"""Django settings for the Hanoi industrial cluster and market registry.

Every value that differs between a developer's laptop and production is read from the
environment here, and only here:

- ``DJANGO_SECRET_KEY``   required when ``DJANGO_DEBUG`` is off;
- ``DJANGO_DEBUG``        ``1`` for development (default ``0``);
- ``DJANGO_ALLOWED_HOSTS`` comma-separated host names (default: loopback only);
- ``DATABASE_URL``        ``postgres://user@host:port/name`` or ``sqlite:///path``
                          (default: the SQLite file ``db.sqlite3`` in the project folder);
- ``REGISTRY_EVIDENCE_WINDOW_DAYS`` / ``REGISTRY_OVERDUE_MONTHS`` the rule settings of
  the rules (README) (defaults 365 and 24).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from registry import formats as registry_formats

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or os.environ.get("DJANGO_INSECURE_DEV_KEY") == "1":
        # Development and tests only: a key that is never valid in production.
        SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(for local use run with DJANGO_DEBUG=1, as `make run` does)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "registry",
    "clusters",
    "markets",
    "reports",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the user chose English (the language cookie); Accept-Language ignored.
    "registry.locale.VietnameseFirstLocaleMiddleware",
    # Bodies over the request limits (below) refused before anything reads them, with a
    # message in the visitor's language.
    "registry.limits.RequestSizeLimitMiddleware",
    # The project's 404 page also with DEBUG on (the demo of `make run`), see registry.errors.
    "registry.errors.NotFoundPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: locks out repeated failed sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "registry.wsgi.application"

# Database: one URL. SQLite by default so a fresh machine needs nothing installed.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Wait for a concurrent writer instead of failing at once ("database is locked").
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English available. Source strings are English, through gettext.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The site opens in Vietnamese whatever the browser's Accept-Language says; English only when
# the user picks it in the header (Django's set_language), kept a year in this cookie.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Dates day first in every language (registry/formats/): DD/MM/YYYY, ISO accepted, never
# month first; shown back as DD/MM/YYYY.
FORMAT_MODULE_PATH = ["registry.formats"]
DATE_INPUT_FORMATS = registry_formats.DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = registry_formats.DATETIME_INPUT_FORMATS
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `runserver` without collectstatic: let whitenoise find files in the apps.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Login protection (django-axes, see registry/lockout.py): 5 failed sign-ins lock the user
# name, and separately the client address, for 15 minutes (each a separate count: a list of
# single parameters, not a combination); a successful sign-in clears only its own user name's
# failures (LoginProtectionHandler). Unlock: `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "registry.lockout.LoginProtectionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("REGISTRY_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("REGISTRY_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "registry.lockout.LoginProtectionHandler"
AXES_LOCKOUT_CALLABLE = "registry.lockout.lockout_response"
# Behind N reverse proxies that append to X-Forwarded-For, the client address is the Nth
# from the right; 0 (default) uses the connection's address. The sign-in lockout and the
# API's anonymous throttle both read it (registry.lockout.client_ip).
REGISTRY_TRUSTED_PROXY_COUNT = env_int("REGISTRY_TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "registry.lockout.client_ip"
AXES_VERBOSE = False

# Spreadsheets (django-import-export): import needs the change permission, export the view
# permission; an import runs in one transaction and saves nothing if any row is invalid.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_CONFIRM = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# import-export's own escaping drops a leading "=" (and so changes the data); the registry's
# formats neutralise formulas reversibly instead (registry/csv_safety.py).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "/"

# The rules of the rules (README).
REGISTRY = {
    # An inspection older than this many days before D no longer counts as evidence.
    "EVIDENCE_WINDOW_DAYS": env_int("REGISTRY_EVIDENCE_WINDOW_DAYS", 365),
    # A cluster established this many months before D that has not started is overdue.
    "OVERDUE_MONTHS": env_int("REGISTRY_OVERDUE_MONTHS", 24),
    # The most rows one spreadsheet import may have (larger files are refused, clearly).
    "IMPORT_MAX_ROWS": env_int("REGISTRY_IMPORT_MAX_ROWS", 2000),
    # How long an uploaded spreadsheet waits for its import to be confirmed (then it is removed).
    "IMPORT_PENDING_HOURS": env_int("REGISTRY_IMPORT_PENDING_HOURS", 2, minimum=1),
}

# Django's cache, shared by every application process: the database, so app servers keep
# nothing in process memory between requests (the national scale (README)). The table is created by
# migration registry 0004. (The API throttle keeps its counts in its own table.)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "registry_cache",
    }
}

# The REST API (the API contract (README); plumbing in registry/api/). Throttle rates per token:
# ``REGISTRY_API_RATE`` (default 3600/hour) and, for requests without credentials,
# ``REGISTRY_API_ANON_RATE`` (default 60/minute).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "registry.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["registry.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "registry.api.pagination.StandardPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "registry.api.throttling.TokenRateThrottle",
        "registry.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("REGISTRY_API_RATE", "").strip() or "3600/hour",
        "anon": os.environ.get("REGISTRY_API_ANON_RATE", "").strip() or "60/minute",
        # /open/ (reports.open): every request counted by its client address.
        "open": os.environ.get("REGISTRY_OPEN_RATE", "").strip() or "120/minute",
    },
    "EXCEPTION_HANDLER": "registry.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# The throttle's counts (registry.api.throttling): one API request in this many also deletes
# the counts of clients idle for two rate windows (0: never).
REGISTRY_THROTTLE_PRUNE_ONE_IN = env_int("REGISTRY_THROTTLE_PRUNE_ONE_IN", 1000)

SPECTACULAR_SETTINGS = {
    "TITLE": "Hanoi industrial cluster and market registry API",
    "DESCRIPTION": (
        "Industrial clusters, wastewater inspections, markets and the wastewater KPI of "
        "Hanoi's Department of Industry and Trade. Authenticate with `Authorization: Token "
        "<key>` (an administrator issues the key). Dates are ISO 8601; decimals are strings; "
        "lists take `?format=csv`."
    ),
    "VERSION": "1.0.0",
    # Every operation's JSON error responses (400/401/403/404/409/412/413/415/429), documented.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "registry.api.schema.document_error_responses",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Nothing off the server: no validator badge (Swagger UI would ask validator.swagger.io),
    # Redoc with the system's fonts (templates/api/redoc.html drops Google Fonts).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_UI_SETTINGS": {
        "theme": {"typography": {"fontFamily": "system-ui, sans-serif"}},
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ClusterStatusEnum": "clusters.choices.ClusterStatus",
        "WastewaterStateEnum": "clusters.choices.WastewaterState",
        "WastewaterStandardEnum": "clusters.choices.WastewaterStandard",
        "InspectionResultEnum": "clusters.choices.InspectionResult",
        "MarketStatusEnum": "markets.choices.MarketStatus",
        "MarketKindEnum": "markets.choices.MarketKind",
        "MarketClassEnum": "markets.choices.MarketClass",
        "ConstructionEnum": "markets.choices.Construction",
        "CapitalEnum": "markets.choices.Capital",
        "ManagementEnum": "markets.choices.Management",
        "DistrictKindEnum": "registry.models.DistrictKind",
        "UnitLevelEnum": "registry.models.UnitLevel",
    },
}

# =================================================================================================
# Production hardening (issue 7): HTTPS, request limits, error pages, logging.
# Every value comes from the environment; the defaults are safe for production.
# =================================================================================================

# DJANGO_HTTPS=1: the site is served over TLS, directly or behind a reverse proxy that sets
# ``X-Forwarded-Proto: https`` (and strips it from clients). Unset: the same production settings
# serve plain HTTP, e.g. gunicorn on loopback for local use.
HTTPS = env_bool("DJANGO_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "registry.errors.csrf_failure"

# Where `collectstatic` writes and whitenoise serves from (default: staticfiles/ in the project).
if os.environ.get("DJANGO_STATIC_ROOT", "").strip():
    STATIC_ROOT = Path(os.environ["DJANGO_STATIC_ROOT"].strip())

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database answers /healthz with 503 in seconds instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
    )
    # Parameters bound by the server, and a statement run this many times on a connection
    # kept prepared, so PostgreSQL parses and plans each request's few queries once per
    # connection (0 turns it off: needed behind PgBouncer in transaction mode).
    # No JIT compiling: PostgreSQL compiles a query whose estimated cost passes
    # jit_above_cost, and the estimates of the overdue lists' and the state-filtered lists'
    # correlated subqueries pass it while the queries run in milliseconds; compiling then
    # cost 29 of a 37 ms query (BENCHMARKS.md). DJANGO_DB_JIT=1 leaves the server's setting.
    if not env_bool("DJANGO_DB_JIT", False):
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
    _prepare_after = env_int("DJANGO_DB_PREPARE_THRESHOLD", 5)
    if _prepare_after:
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", _prepare_after)

# Request limits. Past them Django refuses the request and registry.errors explains why.
# Form and JSON bodies (not uploaded files) held in memory, in bytes:
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# Uploaded files above this size are streamed to a temporary file instead of memory:
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# Fields in one form submission (admin changelists post one field per selected row):
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DJANGO_DATA_UPLOAD_MAX_NUMBER_FIELDS", 5000)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DJANGO_DATA_UPLOAD_MAX_NUMBER_FILES", 10)
# A whole multipart upload (a spreadsheet import), in bytes; checked on Content-Length by
# registry.limits before anything reads the body, like every other body against the limit above.
REGISTRY_MAX_UPLOAD_BYTES = env_int("REGISTRY_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

# Logging: everything to stdout, one line per record, for the process manager / journald.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # 4xx/5xx of the request cycle; 5xx carry the traceback.
        "django.request": {"level": "WARNING"},
        "django.security": {"level": "WARNING"},
    },
}
# ============================ end of production hardening (issue 7) =============================
