"""Settings for the fact-check tracker: one file, driven by environment variables.

Every variable is read through a typed helper that names the variable when its value is bad,
so a typo stops start-up with a clear ``ImproperlyConfigured`` instead of a surprise later.
"""

import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off); got {value!r}.")


def envint(name, default, *, minimum=None):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}.")
    return number


def envlist(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envurl(name, default, *, schemes=("http", "https")):
    value = os.environ.get(name, default)
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        raise ImproperlyConfigured(f"{name} must be an absolute {'/'.join(schemes)} URL; got {value!r}.")
    return value.rstrip("/")


def database_from_env(name="DATABASE_URL"):
    """PostgreSQL (psycopg 3, Django's connection pool) when DATABASE_URL is set; otherwise SQLite."""
    url = os.environ.get(name, "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of one
                # failing mid-transaction with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// (or sqlite://) URL; got scheme {scheme or '(none)'!r}."
        )
    try:
        config = dj_database_url.parse(url)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} could not be parsed: {exc}") from None
    if config["ENGINE"].endswith("postgresql"):
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://user@host:5432/factcheck.")
        if envbool("DATABASE_POOL", True):
            # The pool replaces persistent connections; CONN_MAX_AGE must stay 0 with it.
            config["OPTIONS"] = {
                **config.get("OPTIONS", {}),
                "pool": {
                    "min_size": 1, "max_size": envint("DATABASE_POOL_SIZE", 10, minimum=1),
                    # How long a request waits for a connection before it fails (a 503 while the database is
                    # down). With a pool at least as large as a worker's threads no request waits for another's
                    # connection, only for a new one (milliseconds), so a short wait costs nothing in bursts
                    # and bounds how long an outage ties up a thread before the circuit breaker opens.
                    "timeout": envint("DATABASE_POOL_TIMEOUT", 1, minimum=1),
                    # While the database is down the pool retries each lost connection with exponential backoff
                    # (1, 2, 4, 8 … s), so after a long outage its next try could be many seconds after the
                    # database is back. Giving up a retry chain after 2 s lets the next request start a fresh
                    # one: service returns within about a second of the database (claims/tests/test_faults.py).
                    "reconnect_timeout": 2,
                },
            }
            config["CONN_MAX_AGE"] = 0
            # After a database restart the pooled connections are dead: health checks make the pool test each
            # one as it hands it out (psycopg_pool's check_connection) and replace the dead ones, instead of
            # failing one request per stale connection.
            config["CONN_HEALTH_CHECKS"] = True
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "connect_timeout": 5}
    return config


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
SITE_URL = envurl("SITE_URL", "http://127.0.0.1:8000")
ORGANIZATION_NAME = os.environ.get("ORGANIZATION_NAME", "The Fact-Check Desk")
REQUIRED_APPROVALS = envint("REQUIRED_APPROVALS", 1, minimum=1)
# How many reverse proxies in front of the app append to X-Forwarded-For; the client's address is the one the
# outermost of them saw (claims/addresses.py). 0: the header is ignored and the peer's address counts.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Reader tips (/submit/) accepted per IP address per hour; counted in the shared cache.
READER_TIPS_PER_HOUR = envint("READER_TIPS_PER_HOUR", 5, minimum=1)
# Replies the desk may e-mail to one reader tip's sender per hour (board/: the tipster panel).
TIPSTER_REPLIES_PER_HOUR = envint("TIPSTER_REPLIES_PER_HOUR", 5, minimum=1)
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
# The shared cache's folder when there is no REDIS_URL. The default is one per checkout and database, so that
# two apps on one machine never share pages.
_CACHE_OWNER = hashlib.sha256(f"{BASE_DIR}|{os.environ.get('DATABASE_URL', '')}".encode()).hexdigest()[:12]
CACHE_DIR = os.environ.get("CACHE_DIR", "").strip() or str(Path(tempfile.gettempdir(), f"factcheck-{_CACHE_OWNER}"))
if REDIS_URL and urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL; got {REDIS_URL!r}.")

# Outbound fetches of users' URLs (factcheck/fetch.py: link checks, archived copies, intake): caps per request.
OUTBOUND_MAX_BYTES = envint("OUTBOUND_MAX_BYTES", 10_000_000, minimum=1024)
OUTBOUND_TIMEOUT = envint("OUTBOUND_TIMEOUT", 20, minimum=1)
OUTBOUND_MAX_REDIRECTS = envint("OUTBOUND_MAX_REDIRECTS", 5, minimum=0)
# Tests only: lets the fetcher reach servers on 127.0.0.1/::1. Production never sets it.
OUTBOUND_ALLOW_LOOPBACK = envbool("OUTBOUND_ALLOW_LOOPBACK", False)

# Claim text: ClaimReview wants ~75 characters; past that the desk warns, past the hard limit it refuses.
CLAIM_TEXT_SOFT_LIMIT = 75
CLAIM_TEXT_HARD_LIMIT = 200
# Evidence items one claim can hold: past this a fact-check page stops being readable (400 items made a
# 3.6 MB page). Every other text limit is its field's max_length in claims/models.py.
MAX_EVIDENCE_PER_CLAIM = envint("MAX_EVIDENCE_PER_CLAIM", 50, minimum=1)

# Google Fact Check Tools' claims:search (manage.py import_claimreview --google); tests set a loopback address.
GOOGLE_FACTCHECK_URL = os.environ.get("GOOGLE_FACTCHECK_URL", "").strip()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "claims",
    # One-time submission keys for the desk's create forms and the API's Idempotency-Key header.
    "idempotency",
    # Background work (Django's Tasks API): the queue, its worker and scheduler, and the apps that use it.
    "django_tasks",
    "django_tasks_db",
    "background",
    "linkcheck",
    "notifications",
    "reviews",  # fact-checks by others: the ClaimReview import
    "intake",
    "sharecards",  # the share image (og:image) and share links of a fact-check page
    "board",  # the desk's board of work in progress, bulk actions, type-ahead and tip replies
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the public cache, so that a cached page gets a fresh policy header too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body or the query: oversized bodies (413) and NUL characters (400).
    "claims.middleware.RequestGuardMiddleware",
    # Outside everything that may touch the database (sessions, users, views): a database outage becomes a
    # 503 page or JSON error instead of a 500. Static files (WhiteNoise) need no database and stay above it.
    "claims.middleware.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication, so that only anonymous reads of public pages and the API are served from it.
    "claims.caching.PublicCacheMiddleware",
    # Throttles password guessing per address and per account (claims/logins.py), before axes' own lockout.
    "claims.logins.LoginThrottleMiddleware",
    # Last, so that it sees the authenticated user and can lock out repeated failures.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Without Redis: files on this machine, which every worker process and thread sees at once. A per-process
    # memory cache would leave each gunicorn worker its own page cache, and an edit would invalidate one of
    # them (9 of 20 readers got the old page a second later). Files serve one machine; Redis serves several.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            # Past this many files, a third are dropped at random; a dropped generation token only makes the
            # pages keyed on it misses (claims/caching.py).
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 5000, minimum=100)},
        }
    }

# Background tasks (Django's Tasks API through django-tasks): the database backend (no broker) by default, RQ on
# Redis when REDIS_URL is set (workers on several machines), "immediate" runs each task in the request (tests).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "rq" if REDIS_URL else "database").strip().lower()
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}; got {TASKS_BACKEND!r}.")
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
# A task that fails for a passing reason is tried again this many times in all, after 1, 2, 4 … minutes.
TASK_MAX_ATTEMPTS = envint("TASK_MAX_ATTEMPTS", 5, minimum=1)
TASK_RETRY_BASE_SECONDS = envint("TASK_RETRY_BASE_SECONDS", 60, minimum=0)

# Link health (linkcheck/): working links are checked again every LINKCHECK_INTERVAL_DAYS, failing ones every
# LINKCHECK_FAILING_HOURS, and a link is called broken after LINKCHECK_BROKEN_AFTER failed checks in a row.
LINKCHECK_INTERVAL_DAYS = envint("LINKCHECK_INTERVAL_DAYS", 7, minimum=1)
LINKCHECK_FAILING_HOURS = envint("LINKCHECK_FAILING_HOURS", 24, minimum=1)
LINKCHECK_BROKEN_AFTER = envint("LINKCHECK_BROKEN_AFTER", 3, minimum=1)

# Notifications by email (notifications/): printed to the console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")

# Anonymous public pages and API reads are cached this long (0 turns the cache off); publication,
# correction and edits invalidate exactly what they affect at once (claims/caching.py).
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 600, minimum=0)
# Figures that scan every public claim (filter options, counts) are kept until public data changes.
PUBLIC_DATA_CACHE = envbool("PUBLIC_DATA_CACHE", True)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: its hook revokes the user's API tokens whenever their password changes, by any path.
    {"NAME": "claims.accounts.RevokeTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# Mail (password reset links). Without EMAIL_HOST, messages are written to standard output (the console
# backend), so a fresh clone's reset works and the link shows in the server's log; set EMAIL_HOST for SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: "
                               "EMAIL_USE_SSL=1 needs EMAIL_USE_TLS=0.")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")
# A reset link works this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT_HOURS", 72, minimum=1) * 3600

# Failed logins: five tries per user and address, then a cool-off.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "claims.addresses.client_ip"
# Every failure is logged with its time, so that claims/logins.py can count them per address and per account.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Guessing across accounts from one address, or at one account from many (claims/logins.py, docs/robustness.md).
LOGIN_WINDOW_MINUTES = envint("LOGIN_WINDOW_MINUTES", 15, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_FAILURES_PER_ACCOUNT = envint("LOGIN_FAILURES_PER_ACCOUNT", 10, minimum=1)
LOGIN_ACCOUNT_DELAY_SECONDS = envint("LOGIN_ACCOUNT_DELAY_SECONDS", 30, minimum=1)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Archived copies (WARC files and their text) go through the default storage: files under MEDIA_ROOT, which is
# never served directly (readers get them through linkcheck's views). MEDIA_STORAGE names another backend, e.g.
# storages.backends.s3.S3Storage (django-storages, configured by its own AWS_* settings).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# S3-compatible storage (AWS, MinIO, Ceph…): MEDIA_S3_BUCKET names the bucket; credentials come the way boto3
# reads them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role). Copies stay private: readers get
# them through linkcheck's views, never by a bucket URL.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
_MEDIA_STORAGE = {"BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")}
if MEDIA_S3_BUCKET:
    _MEDIA_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": MEDIA_S3_BUCKET,
        "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("MEDIA_S3_REGION") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }}
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and envbool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Request bodies past this answer 413 (Django raises RequestDataTooBig).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 1_000_000, minimum=1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# The header's preload token only allows enrolment (hstspreload.org); set it once every subdomain is on HTTPS.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
# Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): everything from this site only. No inline script or style except a
# block that carries the request's nonce (only the API docs pages need one), so an injected <script>, event
# handler, style attribute or javascript: link never runs even if escaping failed somewhere. Pages whose HTML
# the public cache stores must not use the nonce: a cached copy would carry another request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every API error as {"code", "detail"}; the workflow's WorkflowError becomes 409/412 there, once.
    "EXCEPTION_HANDLER": "claims.api.exceptions.api_exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # The throttles take the client's address from claims.addresses (TRUSTED_PROXY_COUNT); this is for any
    # other DRF code that reads NUM_PROXIES.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "user": os.environ.get("API_USER_RATE", "1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check tracker API",
    "DESCRIPTION": "Claims, evidence, verdicts and their review history.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Requests take ids where responses show nested objects, so they get their own components.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "claims.api.schema.describe_api",
                             "claims.api.schema.nullable_refs_and_blank_urls",
                             "claims.api.schema.headers_and_strict_requests"],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "CloseReasonEnum": "claims.models.Claim.CloseReason",
        "ClaimantKindEnum": "claims.models.Claimant.Kind",
        "EventKindEnum": "claims.models.ClaimEvent.Kind",
    },
}

# Logs go to standard error: plain text for people by default, one JSON object per record with LOG_FORMAT=json
# (for a log collector). The workflow's records (claims.workflow: operation, actor, claim, evidence, outcome)
# are JSON lines either way, so that the audit trail of operations can always be parsed.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower() or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json; got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "workflow": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "claims.workflow": {"handlers": ["workflow"], "propagate": False},
    },
}
