"""Settings for sco-claims, read from the environment (see README: DATABASE_URL, DJANGO_*)."""

import os
import secrets
import time
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key_from_environment() -> str:
    """DJANGO_SECRET_KEY, or a random key kept in a local file so a laptop install needs no set-up."""
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    key_file = Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / ".django_secret_key"))
    if not key_file.exists():
        _create_key_file(key_file)
    # Every process reads the file that won, so workers started together share one key.
    for _ in range(100):
        key = key_file.read_text().strip()
        if key:
            return key
        time.sleep(0.02)  # a file made by the fallback below, not yet written
    raise ImproperlyConfigured(f"The secret key file {key_file} is empty: delete it or set DJANGO_SECRET_KEY.")


def _create_key_file(key_file: Path) -> None:
    """Write a new key to a private temporary file, then hard-link it into place: the link either appears
    complete or fails because another process's key is there already, so no process reads a half-written file
    or keeps a key that lost the race."""
    candidate = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(8)}")
    descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(64))
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(candidate, key_file)
    except FileExistsError:
        pass
    except OSError:
        # No hard links on this file system: exclusive create, then write (readers wait while it is empty).
        with suppress(FileExistsError):
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(candidate.read_text())
    finally:
        candidate.unlink()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = secret_key_from_environment()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before the apps whose templates it overrides without inline style, for the CSP: DRF's browsable API
    # (rest_framework/api.html, horizontal/*fieldset.html) and simple_history's admin history list.
    "annotations",
    "projects",
    "rounds",
    "accounts",
    "curation",
    "suggestions",
    "search",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "annotations.middleware.RequestBodyLimitMiddleware",
    "annotations.middleware.QueryStringTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Lets history rows written outside services (admin forms, the shell of a request) name their author.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login attempt into its 429 response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "annotations.auth_backends.ModelBackendOneQuery",
]

ROOT_URLCONF = "sco_claims.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "annotations.context_processors.moderation",
            ],
        },
    },
]

WSGI_APPLICATION = "sco_claims.wsgi.application"


def database_from_environment() -> dict:
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several analysts write at once: WAL lets readers go on while one writes, IMMEDIATE takes the
        # write lock at BEGIN so a second writer waits (busy timeout) instead of failing mid-transaction.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    return config


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "annotations.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/papers/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded papers' original files (Paper.source_file): a local folder by default; an S3-compatible bucket through
# django-storages when DJANGO_AWS_STORAGE_BUCKET_NAME (or AWS_STORAGE_BUCKET_NAME) is set, so that several app
# servers share them (needs boto3 installed; see docs/uploads.md). Nothing reaches the network unless configured.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = os.environ.get(
    "DJANGO_AWS_STORAGE_BUCKET_NAME", os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
)


def file_storage_from_environment() -> dict:
    if not AWS_STORAGE_BUCKET_NAME:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for option, variable in (("endpoint_url", "AWS_S3_ENDPOINT_URL"), ("region_name", "AWS_S3_REGION_NAME"),
                             ("location", "AWS_LOCATION")):  # fmt: skip
        value = os.environ.get(f"DJANGO_{variable}", os.environ.get(variable, ""))
        if value:
            options[option] = value
    # Credentials are read by boto3 from its own environment variables (AWS_ACCESS_KEY_ID, ...), never here.
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": file_storage_from_environment(),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Request bodies larger than this are refused with 413 before anything reads them (RequestBodyLimitMiddleware);
# REQUEST_BODY_LIMITS raises the limit for the paths that need more, naming the setting that holds it.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024))
# The one limit of `POST /api/v1/import/` (a whole export); manage.py import_claims has none.
IMPORT_MAX_SIZE = int(os.environ.get("DJANGO_IMPORT_MAX_SIZE", 200 * 1024 * 1024))
# Papers uploaded from the browser (docs/uploads.md): the file's size, a PDF's pages, the extracted text's code
# points. The upload's body also carries the reviewed text (as a file part), hence its own, larger limit.
UPLOAD_MAX_SIZE = int(os.environ.get("DJANGO_UPLOAD_MAX_SIZE", 50 * 1024 * 1024))
UPLOAD_MAX_PAGES = int(os.environ.get("DJANGO_UPLOAD_MAX_PAGES", 2000))
UPLOAD_MAX_TEXT = int(os.environ.get("DJANGO_UPLOAD_MAX_TEXT", 5_000_000))
UPLOAD_BODY_MAX_SIZE = UPLOAD_MAX_SIZE + 4 * UPLOAD_MAX_TEXT + 1024 * 1024
REQUEST_BODY_LIMITS = {"/api/v1/import/": "IMPORT_MAX_SIZE", "/api/v1/papers/": "UPLOAD_BODY_MAX_SIZE"}


def cache_from_environment() -> dict:
    """The cache that holds throttle counters (and anything else cached), shared by every worker that uses it.

    CACHE_URL `redis://host:6379/0` (several URLs comma-separated: the first is written, the others read) puts it
    in Redis, so several app servers behind one address count together; unset, it is a folder on local disk
    (DJANGO_CACHE_DIR), which all gunicorn workers of one machine share with no extra service.
    """
    urls = env_list("CACHE_URL", "")
    prefix = os.environ.get("DJANGO_CACHE_KEY_PREFIX", "")
    if not urls:
        location = os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / ".cache"))
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": location}
    schemes = {url.split("://", 1)[0] for url in urls}
    if not schemes <= {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"CACHE_URL must be redis:// (or rediss://, unix://) URLs, not {urls!r}")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": urls, "KEY_PREFIX": prefix}


CACHES = {"default": cache_from_environment()}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "annotations.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Signed in and in a project: an account in no project gets 403 everywhere (annotations.roles.in_any_project).
    "DEFAULT_PERMISSION_CLASSES": ["annotations.api.permissions.HasRole"],
    "DEFAULT_PAGINATION_CLASS": "annotations.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "annotations.api.schema.ErrorAwareAutoSchema",
    "EXCEPTION_HANDLER": "annotations.api.exceptions.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "annotations.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Only the token endpoint is throttled (scope `token`, per client IP): it is where passwords are guessed.
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("DJANGO_TOKEN_THROTTLE_RATE", "10/minute")},
    "NUM_PROXIES": 1 if env_bool("DJANGO_BEHIND_PROXY", False) else 0,
}

# The OpenAPI schema (/api/schema/) and its Swagger page (/api/docs/) need a signed-in user with a role unless
# this opens them to anyone (annotations.api.docs).
PUBLIC_API_DOCS = env_bool("DJANGO_PUBLIC_API_DOCS", False)

# An API token expires this long after its last use (sliding) and is deleted when its user's password changes.
TOKEN_TTL = timedelta(days=float(os.environ.get("DJANGO_TOKEN_TTL_DAYS", "30")))

SPECTACULAR_SETTINGS = {
    "TITLE": "sco-claims API",
    "DESCRIPTION": "Claims placed on exact passages of papers, the links between them, and their moderation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Fields named "status" hold two choice sets: an item's moderation status and a tag's (proposed/accepted).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "annotations.models.Status",
        "TagStatusEnum": "annotations.models.TagStatus",
        "RelationEnum": "annotations.models.Link.Relation",
        "SuggestedRelationEnum": "suggestions.models.Relation",  # same / opposite, beside links' relations
        "ActionEnum": "annotations.models.HistoryAction",  # the history rows' action, named as before curation came
        "CurationActionEnum": "curation.models.CurationAction",
    },
}

# Production hardening: on unless DEBUG (override each with its environment variable).
SECURE_HARDENING = env_bool("DJANGO_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HARDENING
CSRF_COOKIE_SECURE = SECURE_HARDENING
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", SECURE_HARDENING)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 31536000 if SECURE_HARDENING else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HARDENING
SECURE_HSTS_PRELOAD = SECURE_HARDENING
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", False) else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): no inline script or style anywhere, so that a string that slipped
# past sanitizing still cannot run. Pages load their JS as files from 'self' and pass data in json_script
# or data- attributes; /api/docs/ is the split Swagger view, whose start-up script is a separate file.
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
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Password guessing at the HTML login and the admin login (django-axes): after AXES_FAILURE_LIMIT wrong
# passwords for one username from one IP, that pair is refused with 429 until the cool-off passes; after
# LOGIN_FAILURE_LIMIT_PER_ADDRESS wrong passwords from one IP whatever the usernames, that IP is (one guess
# sprayed over many usernames). The token endpoint has its own DRF throttle (REST_FRAMEWORK above) and is
# counted by axes too.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT_PER_ADDRESS", "30"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # this order: see PairAndAddressHandler
AXES_HANDLER = "annotations.login_limits.PairAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "annotations.middleware.lockout_response"  # JSON for the API, a page for browsers
AXES_CLIENT_IP_CALLABLE = "annotations.middleware.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

SPECTACULAR_SETTINGS |= {
    # Swagger UI from the installed sidecar package, not a CDN: works offline and under a strict CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
INSTALLED_APPS.append("drf_spectacular_sidecar")

# The audit trail: history rows are written by services (with author, action and reason); reverting from
# the admin's history page would bypass the moderation rules, so it is off.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Who may create a project: `anyone` signed in (the default) or `staff` only (DJANGO_PROJECT_CREATION).
PROJECT_CREATION = os.environ.get("DJANGO_PROJECT_CREATION", "anyone").strip().lower()
if PROJECT_CREATION not in ("anyone", "staff"):
    raise ImproperlyConfigured(f"DJANGO_PROJECT_CREATION must be anyone or staff, not {PROJECT_CREATION!r}")

# Passage suggestions' sentence encoder (docs/suggestions.md): `minilm` (all-MiniLM-L6-v2, int8 ONNX, shipped in
# a wheel; no download at run time) or `hashing` (a bag of words, no model: tests and machines without it).
SUGGEST_ENCODER = os.environ.get("DJANGO_SUGGEST_ENCODER", "minilm").strip().lower()
if SUGGEST_ENCODER not in ("minilm", "hashing"):
    raise ImproperlyConfigured(f"DJANGO_SUGGEST_ENCODER must be minilm or hashing, not {SUGGEST_ENCODER!r}")
# Suggestions' slow work in a thread of the web process: indexing an uploaded or revised paper (after the write
# commits) and refitting a project's ranking from its judgements. False: in the request (the tests do that, to
# see the result at once).
SUGGEST_IN_BACKGROUND = os.environ.get("DJANGO_SUGGEST_IN_BACKGROUND", "true").strip().lower() == "true"
# On PostgreSQL with the pgvector extension, "true" lets the database find a claim's nearest passages (same results
# as NumPy). Off by default: its exact scan measured 15x slower than NumPy's product at 1,000 papers, which would
# cost the 300 ms goal of a suggestion; the table is kept in step either way. See docs/suggestions.md.
SUGGEST_PGVECTOR = os.environ.get("DJANGO_SUGGEST_PGVECTOR", "false").strip().lower() == "true"
