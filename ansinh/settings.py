"""The one settings module, read from the environment (see README.md, "Configuration").

Helpers fail loudly on a bad value, and production (ANSINH_DEBUG off) refuses to start without
its secret key (and the web server without its host names). Every relaxation of a production
check depends on ANSINH_DEBUG alone: ANSINH_TESTING never weakens one. The test runner gets its
development settings from `ansinh/settings_test.py`, which sets ANSINH_DEBUG and a secret.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
# In a source checkout, var/ and staticfiles/ sit beside pyproject.toml; in an installed
# package (production) they default to the working directory, never into site-packages.
PROJECT_DIR = BASE_DIR.parent if (BASE_DIR.parent / "pyproject.toml").exists() else Path.cwd()
VAR_DIR = Path(os.environ.get("ANSINH_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("ANSINH_DEBUG", False)
# Demo mode: `make demo`. Demo users can be created and can log in only in this mode.
DEMO = env_bool("ANSINH_DEMO", False)
# Set by the test runner. It relaxes no production check (those follow DEBUG alone): a process
# with ANSINH_TESTING=1 and ANSINH_DEBUG off is production and is checked as such.
TESTING = env_bool("ANSINH_TESTING", False)

SECRET_KEY = os.environ.get("ANSINH_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
if not SECRET_KEY:
    # Production: nothing starts without the secret (sessions, password resets and tokens need it).
    raise ImproperlyConfigured(
        "ANSINH_SECRET_KEY is required when ANSINH_DEBUG is off (production). "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ANSINH_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])


def require_production_secrets() -> None:
    """Called by wsgi.py, asgi.py and `runserver`: the production web server refuses to start
    without the host names it answers for (the secret key is checked when settings load)."""
    if not DEBUG and not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ANSINH_ALLOWED_HOSTS is required when ANSINH_DEBUG is off (production): the host names "
            "the server answers for, comma-separated (e.g. ansinh.example.gov.vn)."
        )


CSRF_TRUSTED_ORIGINS = env_list("ANSINH_CSRF_TRUSTED_ORIGINS", [])

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
    "axes",
    "ansinh.accounts",
    "ansinh.geo",
    "ansinh.households",
    "ansinh.poverty",
    "ansinh.documents",
    "ansinh.plans",
    "ansinh.workdays",
    "ansinh.benefits",
    "ansinh.payments",
    "ansinh.dedup",
    "ansinh.labour",
    "ansinh.procedures",
    "ansinh.care",
    "ansinh.web",
    "ansinh.api",
    "ansinh.jobs",  # before django_tasks_db: its db_worker command recovers jobs a dead worker left
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ansinh.web.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ansinh.web.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ansinh.accounts.sessions.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ansinh.urls"
WSGI_APPLICATION = "ansinh.wsgi.application"
ASGI_APPLICATION = "ansinh.asgi.application"

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
                "django.template.context_processors.csp",
                "ansinh.web.context_processors.shell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("ANSINH_DATABASE_URL", "") or f"sqlite:///{VAR_DIR / 'ansinh.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"ANSINH_DATABASE_URL is not a database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer works; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if not TESTING:
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background jobs (Django's tasks API; the django-tasks-db backend and its `db_worker`) ------
# Long work started from a page (a review round's classification, a province's documents, large
# imports) runs in the worker process: `ansinh db_worker`. The web server and the worker share the
# database and ANSINH_VAR_DIR (live progress, uploaded files, results). Tests run jobs at once in
# the request ("default"), and through the database backend and the worker ("database").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
             "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_TASK_BACKEND = "default"
JOBS_DIR = Path(os.environ.get("ANSINH_JOBS_DIR", VAR_DIR / "jobs"))
if TESTING and "ANSINH_JOBS_DIR" not in os.environ:
    import tempfile

    JOBS_DIR = Path(tempfile.gettempdir()) / f"ansinh-test-jobs-{os.getpid()}"
# A running job whose worker has not written a heartbeat for this long is taken as lost: it runs
# again (at most JOBS_MAX_ATTEMPTS times in a row), then waits for someone to retry it.
JOBS_STALE_SECONDS = env_int("ANSINH_JOBS_STALE_SECONDS", 90)
JOBS_MAX_ATTEMPTS = 3

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ansinh.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ansinh.accounts.passwords.NotDemoPasswordValidator"},
]
# API tokens expire this many days after they are made (0: never); `ansinh users token --days`
# and the user page choose otherwise for one token.
API_TOKEN_DAYS = env_int("ANSINH_API_TOKEN_DAYS", 90)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins lock a username from one client address for a while (django-axes):
# failures from another address, an attacker's, do not lock an administrator out of her own.
AXES_FAILURE_LIMIT = env_int("ANSINH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ANSINH_LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The pair, not the address alone: one person's typos do not lock out the whole commune office
# that shares her address.

# Sessions end after two idle hours, and when the browser closes. A session is written only when it
# changes: the idle expiry is kept by ansinh.accounts.sessions.IdleSessionMiddleware.
SESSION_COOKIE_AGE = env_int("ANSINH_SESSION_IDLE_MINUTES", 120) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# Imports (ansinh.lib.tabular): one upload size limit for every upload form, also the size up to
# which Django keeps an upload in memory (the imports read it whole); and what a workbook may
# hold once opened (rows per sheet, decompressed bytes per part, cells of a sheet's range), checked while streaming before
# anything loads it (ansinh.lib.spreadsheets.check_archive). DATA_UPLOAD_MAX_MEMORY_SIZE (bodies
# other than files: forms, JSON) stays at Django's 2.5 MB, below this limit.
ANSINH_UPLOAD_MAX_BYTES = env_int("ANSINH_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = ANSINH_UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = min(2_621_440, ANSINH_UPLOAD_MAX_BYTES)
ANSINH_IMPORT_MAX_ROWS = env_int("ANSINH_IMPORT_MAX_ROWS", 1_000_000)
ANSINH_IMPORT_MAX_UNZIPPED_BYTES = env_int("ANSINH_IMPORT_MAX_UNZIPPED_BYTES", 256 * 1024 * 1024)
ANSINH_IMPORT_MAX_CELLS = env_int("ANSINH_IMPORT_MAX_CELLS", 30_000_000)  # a sheet's range: last row × last column
# A household file larger than this is imported by the background worker (a job with progress on
# its page) rather than inside the web request; smaller ones answer at once.
ANSINH_IMPORT_BACKGROUND_BYTES = env_int("ANSINH_IMPORT_BACKGROUND_BYTES", 512 * 1024)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("ANSINH_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("ANSINH_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("ANSINH_SSL_REDIRECT", False)  # usually done by the proxy
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language and formats -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["ansinh.formats"]

# --- Static files (vendored; never a CDN) ---------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("ANSINH_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ansinh.api.auth.BearerTokenAuthentication",
        "ansinh.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's JSON parser, refusing deeply nested bodies with 400 (a RecursionError was a 500).
    "DEFAULT_PARSER_CLASSES": [
        "ansinh.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ansinh.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ansinh API",
    "DESCRIPTION": "Versioned REST API of ansinh. Every endpoint is confined to the caller's units.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "ansinh.api.schema.document_errors"],
    # Several models have a `status` or `kind` field: name each enum after its TextChoices.
    "ENUM_NAME_OVERRIDES": {
        "HouseholdStatusEnum": "ansinh.households.models.HouseholdStatus",
        "PovertyStatusEnum": "ansinh.poverty.models.PovertyStatus",
        "RoundStatusEnum": "ansinh.poverty.models.RoundStatus",
        "RoundKindEnum": "ansinh.poverty.models.RoundKind",
        "UnitKindEnum": "ansinh.geo.models.Kind",
        "PlanStatusEnum": "ansinh.plans.models.PlanStatus",
        "TaskStatusEnum": "ansinh.plans.models.TaskStatus",
        "SubmissionStatusEnum": "ansinh.plans.models.SubmissionStatus",
        "AgencyKindEnum": "ansinh.plans.models.AgencyKind",
        "PayrollStateEnum": "ansinh.payments.models.PayrollState",
        "PackageStateEnum": "ansinh.payments.models.PackageState",
        "PayStatusEnum": "ansinh.payments.models.PayStatus",
        "PayFieldEnum": "ansinh.payments.models.PayField",
        "WorkFieldEnum": "ansinh.accounts.models.Field",
        "PairStatusEnum": "ansinh.dedup.models.PairStatus",
        "ProcedureLevelEnum": "ansinh.procedures.models.ProcedureLevel",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANSINH_LOG_LEVEL", "WARNING")},
    # The worker (db_worker) sets these two to INFO: one line per task, printed once.
    "loggers": {name: {"handlers": ["console"], "propagate": False} for name in ("django.tasks", "django_tasks_db")},
}
