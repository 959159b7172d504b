"""PeerCert settings. Everything that differs between machines comes from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A key everyone knows lets anyone forge sessions and password-reset links.
        raise ImproperlyConfigured(
            "PeerCert needs a secret key: set SECRET_KEY to 50 or more random characters. "
            "(On your own computer, DEBUG=1 uses a development key; scripts/start sets it.)"
        )
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# PeerCert's apps come first: for a string both translate ("Remove", "Filter", "None"),
# the app listed first wins, and our Spanish is written for our pages.
INSTALLED_APPS = [
    "peercert.core",
    "peercert.accounts",
    "peercert.finance",
    "peercert.assistance",
    "peercert.training",
    "peercert.exams",
    "peercert.council",
    "peercert.certification",
    "peercert.renewal",
    "peercert.benefit",
    "peercert.scholarships",
    "peercert.discipline",
    "peercert.billing",
    "peercert.registry",
    "peercert.credentials",
    "peercert.integrity",
    "peercert.oversight",
    "peercert.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # Serves the API docs (Swagger UI) from our static files: its CDN page has an inline script.
    "ninja",
    "axes",
    "django_prometheus",
]

MIDDLEWARE = [
    # First and last: request latency and counts for /metrics (staff only).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # A request id on every log line of the request, and on the response (X-Request-ID).
    "peercert.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "peercert.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "peercert.core.site.RequestSiteMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "peercert.web.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out sign-in into the lockout page
    # Public read-only pages read from the replica when one is configured (config/routers.py).
    "config.routers.ReplicaRoutingMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peercert.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'peercert.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server read while one of them writes. IMMEDIATE takes
    # the write lock when a transaction begins: a DEFERRED one that has read and then writes fails
    # at once with "database is locked" when another writer got in between (the busy timeout cannot
    # help it), which is how concurrent registrations all failed. Now writers queue for the lock,
    # each waiting up to the timeout (seconds; sqlite3 turns it into the busy handler).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # PostgreSQL. DATABASE_POOL=min,max: psycopg 3's connection pool in each process (needs
    # DB_CONN_MAX_AGE=0). Behind pgbouncer in transaction mode instead: leave the pool off and set
    # DISABLE_SERVER_SIDE_CURSORS=1 (a cursor cannot outlive the transaction pgbouncer lends).
    if os.environ.get("DATABASE_POOL"):
        low, _, high = os.environ["DATABASE_POOL"].partition(",")
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(low or 2),
            "max_size": int(high or 10),
            "timeout": int(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        }
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DISABLE_SERVER_SIDE_CURSORS", False)
# A read replica for the public, read-only traffic (registry, bulk files, FHIR, public dashboard),
# chosen by config.routers; never for a request that writes or follows the visitor's own write.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.PublicReadReplicaRouter"]
# Seconds a visitor's requests keep reading the primary after they wrote (longer than replica lag).
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "30"))

# SQLite cannot make a unique constraint treat empty scopes as equal; the role service
# checks for duplicates itself, and PostgreSQL enforces the constraint as well.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# --- Sign-in throttling (django-axes) and its lockout page -------------------------------------
# Failures count per account and, separately, per address, each with its own limit
# (peercert.accounts.sign_in.SignInThrottle): 5 wrong passwords for one email lock that email
# for 15 minutes from anywhere; 20 from one address, over any emails, lock the address (password
# spraying), without a county office behind one address locking itself out over a few typos.
# An administrator lifts a lock in the admin (Axes > Access attempts: delete the row) or with
# `manage.py axes_reset_username <email>` / `axes_reset_ip <address>`; a password reset lifts it too.
SIGN_IN_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGN_IN_FAILURES_PER_ACCOUNT", "5"))
SIGN_IN_FAILURES_PER_ADDRESS = int(os.environ.get("SIGN_IN_FAILURES_PER_ADDRESS", "20"))
SIGN_IN_LOCKOUT_MINUTES = int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15"))
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "peercert.accounts.sign_in.SignInThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = SIGN_IN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=SIGN_IN_LOCKOUT_MINUTES)
# Sign-in is by email, in the field AuthenticationForm names "username"; stored lower-cased.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "peercert.accounts.sign_in.attempted_email"
AXES_LOCKOUT_CALLABLE = "peercert.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Tries while locked are refused without moving the end of the lock, so the time the page gives holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind reverse proxies set SIGN_IN_TRUSTED_PROXIES to how many sit in front: the address the
# outermost one saw is read from X-Forwarded-For. Otherwise the connection's own address counts.
SIGN_IN_TRUSTED_PROXIES = int(os.environ.get("SIGN_IN_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "peercert.accounts.sign_in.client_address"
# --- end of sign-in throttling -------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# USWDS, htmx and Chart.js come from the pinned npm packages, served as they ship.
STATICFILES_DIRS = [
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# Uploaded documents, generated files, reports and bulk files: S3-compatible object storage when a
# bucket is named, the file system (MEDIA_ROOT) otherwise. Objects are private: no public ACL, and
# every URL a storage could give is signed and short-lived; PeerCert serves files only through its
# checked download views (peercert.core.downloads), never by a storage URL.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"} if env_bool("AWS_S3_ENCRYPTION", True) else {},
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    # Hashed, compressed names in production (scripts/serve runs collectstatic and sets this).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATICFILES_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Unless a backend is configured, e-mail is written to files under var/mail/ (one per message), so a
# demo's messages can be read there and do not flood the terminal.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Links in e-mails. Production sets SITE_URL; without it (development) links follow the address the
# server answers on (peercert.core.site): the request's host, else PEERCERT_ADDR (scripts/start).
SITE_URL = os.environ.get("SITE_URL") or f"http://{os.environ.get('PEERCERT_ADDR', '127.0.0.1:8000')}"
SITE_URL_FROM_REQUEST = DEBUG and not os.environ.get("SITE_URL")
# Open Badges credentials (peercert.credentials): a JSON Web Key Set whose first key with a private part
# signs; every key in it (current and retired, public parts are enough for those) is published, so an old
# credential still verifies by its kid. Empty: with DEBUG on a demo Ed25519 key is made under var/.
CREDENTIAL_SIGNING_KEYS = os.environ.get("CREDENTIAL_SIGNING_KEYS", "")
CREDENTIAL_DEMO_KEY = env_bool("CREDENTIAL_DEMO_KEY", DEBUG)
CREDENTIAL_DEMO_KEY_FILE = Path(
    os.environ.get("CREDENTIAL_DEMO_KEY_FILE", BASE_DIR / "var" / "credentials" / "demo-signing-keys.json")
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PeerCert <no-reply@peercert.example>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS only, outside development. HSTS preload is on by default: the header alone enrolls
# nothing (the domain must be submitted to the browsers' list), and state .gov hosts are preloaded.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    # The header a TLS-ending proxy sets, e.g. X-Forwarded-Proto. Only set this when the proxy
    # overwrites a client's own header: otherwise a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].upper().replace("-", "_"), "https")

# Everything a page loads comes from PeerCert itself; no inline script or style (move them to
# static files), so injected markup cannot run. USWDS's CSS draws icons with data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no PeerCert page uses, turned off for the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# One JSON object per line (LOG_FORMAT=json, the default outside development), each with the
# request's id; messages never carry personal data (no names, e-mails, dates of birth, CINs: a test
# greps the logs of a run for the demo's). Query strings are left out of request lines for the same
# reason.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "peercert.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "peercert.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# django-axes would log each sign-in with the e-mail typed: personal data in the logs.
AXES_VERBOSE = False
# /metrics (Prometheus): for signed-in staff, or a scraper sending "Authorization: Bearer <METRICS_TOKEN>".
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
PROMETHEUS_EXPORT_MIGRATIONS = False
# Task workers (manage.py task_worker) beat every this many seconds; a running task whose worker has
# not beaten for WORKER_STALE_SECONDS is put back in the queue for another worker (its worker died).
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_STALE_SECONDS = float(os.environ.get("WORKER_STALE_SECONDS", "60"))

# --- Registry bulk verification (peercert.registry.ratelimit) ------------------------------------
# Anyone may verify up to 5,000 numbers a request, without signing in; this many requests per
# client address per window (seconds) are answered, then 429 with Retry-After until the window ends.
REGISTRY_BULK_REQUESTS_PER_WINDOW = int(os.environ.get("REGISTRY_BULK_REQUESTS_PER_WINDOW", "20"))
REGISTRY_BULK_WINDOW_SECONDS = int(os.environ.get("REGISTRY_BULK_WINDOW_SECONDS", "3600"))
# Where the nightly bulk files of the public registry are written in the default storage.
REGISTRY_BULK_FILES_PREFIX = os.environ.get("REGISTRY_BULK_FILES_PREFIX", "registry/bulk")
