"""Settings shared by every environment, driven by environment variables.

With no environment set, Coproduce runs embedded: a SQLite file and Celery tasks run
in-process. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}


def tile_origin(url: str) -> str:
    """The CSP source for a tile URL template: "https://{s}.tile.example.org/..." gives
    "https://*.tile.example.org"."""
    parts = urlsplit(url.replace("{s}", "subdomain"))
    host = parts.hostname or ""
    if "{s}" in url:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def database_config(url: str) -> dict:
    """Parse DATABASE_URL, failing with a message an operator can act on."""
    scheme = urlsplit(url).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or sqlite:/// (got {scheme or 'no'} "
            "scheme), e.g. postgres://coproduce:secret@127.0.0.1:5432/coproduce"
        )
    try:
        config = env.db_url_config(url)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from None
    if scheme == "sqlite":
        # IMMEDIATE transactions stop concurrent writers failing with "database is locked".
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL names no database, e.g. .../coproduce")
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
    config["ATOMIC_REQUESTS"] = False
    return config


DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# The council running this instance: its name appears in the header and the emails.
COUNCIL_NAME = env("COUNCIL_NAME", default="Northfield Borough Council")
SERVICE_NAME = "Coproduce"
# Where the phase banner sends people to say what they think: a web page or a mailto:
# address. Without one, the banner asks for nothing.
COUNCIL_FEEDBACK_URL = env("COUNCIL_FEEDBACK_URL", default="")
if COUNCIL_FEEDBACK_URL and not COUNCIL_FEEDBACK_URL.startswith(("https://", "mailto:")):
    raise ImproperlyConfigured(
        "COUNCIL_FEEDBACK_URL must start with https:// or mailto:, e.g. "
        "https://www.northfield.gov.uk/coproduce-feedback"
    )
# Links in emails (password resets) are built from this, never from the request's Host.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_forms_gds",
    "rules.apps.AutodiscoverRulesConfig",
    "pgtrigger",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "coproduction.accounts",
    "coproduction.jobs",
    "coproduction.api",
    "communities",
    "projects",
    "engagement",
    "governance",
    "engagement.inclusion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coproduction.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page showing a submitted form back with its errors answers 400.
    "coproduction.form_status.InvalidFormStatusMiddleware",
    # Idle and absolute session limits, then the second factor (docs/security.md).
    "coproduction.accounts.middleware.SessionExpiryMiddleware",
    "coproduction.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coproduction.urls"
WSGI_APPLICATION = "coproduction.wsgi.application"

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
                "coproduction.accounts.context_processors.service",
            ],
            "builtins": ["coproduction.templatetags.govuk_dates"],
        },
    },
]

DATABASES = {
    "default": database_config(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and passwords
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling: five failures within the cool-off are allowed, the sixth locks
# that email from that address out.
AXES_FAILURE_LIMIT = 6
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_VERBOSE = False

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_ABSOLUTE_HOURS
# after signing in whatever the activity (coproduction.accounts.middleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_HOURS", default=8) * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Closing the browser ends the session: people use shared computers in libraries.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# JSON ({"detail": ...}) for the API's paths, the site's own 403 page otherwise.
CSRF_FAILURE_VIEW = "coproduction.pages.csrf_failure"

# Two-factor authentication (django-otp): an authenticator app (TOTP) and backup codes.
# People holding these roles, and anyone with access to the administration site, must
# use it; everyone else may.
TWO_FACTOR_REQUIRED_ROLES = ["administrator", "officer", "elected_member", "board_member"]
TWO_FACTOR_BACKUP_CODES = 10
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default=f"Coproduce {COUNCIL_NAME}")
# Each wrong code doubles the wait before the next try (1 s, 2 s, 4 s...).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Map tiles: any XYZ tile service the council licenses. Maps never depend on the tiles
# loading: every map has a list of the same places beside it.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap contributors")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", tile_origin(MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# GOV.UK Frontend's class for the inputs crispy-forms-gds leaves unstyled (by widget class
# name); coproduction.forms gives them a default width and their error style.
CRISPY_CLASS_CONVERTERS = {
    "numberinput": "govuk-input",
    "dateinput": "govuk-input",
    "datetimeinput": "govuk-input",
    "timeinput": "govuk-input",
    "urlinput": "govuk-input",
}

# Email
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Coproduce <coproduce@example.gov.uk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# GOV.UK Notify instead of SMTP when the council has a Notify service: a plain email
# template whose subject is ((subject)) and whose body is ((body)) (django-gov-notify).
GOVUK_NOTIFY_API_KEY = env("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = env("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", default="")
NOTIFY_EMAIL_BACKEND = "django_gov_notify.backends.NotifyEmailBackend"
if GOVUK_NOTIFY_API_KEY:
    EMAIL_BACKEND = NOTIFY_EMAIL_BACKEND


def cache_settings(url: str) -> dict:
    """Redis when configured (shared by web processes), else memory per process; and a
    per-process counter for the rate limits while Redis cannot be reached."""
    default = (
        env.cache_url_config(url)
        if url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
    if default["BACKEND"].endswith(".RedisCache"):
        # A Redis that does not answer costs a call a second, not a hung web process:
        # the callers treat it as a miss (coproduction/cache.py).
        default.setdefault("OPTIONS", {}).update(socket_connect_timeout=1, socket_timeout=1)
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}
    return {"default": default, "local": local}


CACHE_URL = env("CACHE_URL", default="")
CACHES = cache_settings(CACHE_URL)

# Celery: no broker means embedded mode, where tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="coproduce")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message is redelivered if unacknowledged this long: longer than any task may run.
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    # Sending while Redis is down fails after one more try instead of retrying for the
    # connection timeout, so a web request is not held up: what it sent waits in an
    # outbox (jobs) or runs in the process (coproduction.celery.Task). The worker's own
    # connection keeps retrying (CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP and Celery's
    # defaults), as these options only govern a connection's default channel.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    # A Redis that accepts connections but does not answer (paused, failing over) fails a
    # send too, instead of holding it for ever; above the worker's one-second poll.
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
}
# A web request that enqueues while Redis is down gives up quickly rather than hanging.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Periodic tasks; each app adds its own entries (see its tasks.py for what they do).
CELERY_BEAT_SCHEDULE = {
    "jobs-dispatch-pending": {
        "task": "coproduction.jobs.tasks.job_dispatch_pending_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "inclusion-activity-refresh": {
        "task": "engagement.inclusion.tasks.activity_refresh_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "inclusion-monthly-reports": {
        "task": "engagement.inclusion.tasks.report_schedule_task",
        # 03:00 on the first of each month (crontab), for the month just gone.
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
        "options": {"expires": 60 * 60},
    },
    "governance-signoff-escalate-overdue": {
        "task": "governance.tasks.signoff_escalate_overdue_task",
        "schedule": 60.0 * 60,
        "options": {"expires": 30 * 60},
    },
    "api-expired-credentials-clear": {
        "task": "coproduction.api.tasks.api_expired_records_clear_task",
        "schedule": 60.0 * 60,
        "options": {"expires": 60 * 50},
    },
    # The retention schedule (coproduction.retention, docs/retention.md).
    "retention-apply": {
        "task": "coproduction.retention.retention_apply_task",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 60 * 60 * 4},
    },
    "engagement-volunteering-safety-check": {
        "task": "engagement.tasks.volunteering_safety_check_task",
        "schedule": crontab(hour=2, minute=15),
        "options": {"expires": 60 * 60},
    },
}

# The retention schedule's periods in days, by rule (docs/retention.md), e.g.
# RETENTION_DAYS="engagement.champions_unconfirmed=14,jobs.uploads=7".
RETENTION_DAYS = {k: int(v) for k, v in env.dict("RETENTION_DAYS", default={}).items()}
# coproduction.retention is no app of its own: the worker imports its task from here.
CELERY_IMPORTS = ["coproduction.retention"]

# Projects: council spend above this amount (pounds) on one funding line needs an elected
# member's sign-off before it is committed; read when a line is checked, not at import.
PROJECT_SPEND_SIGNOFF_THRESHOLD = env("PROJECT_SPEND_SIGNOFF_THRESHOLD", default="5000")
# 360Giving open data: the council's registered publisher prefix (360G-...) and its
# organisation identifier (org-id.guide, e.g. GB-LAE-XXX for an English local authority).
THREESIXTYGIVING_PREFIX = env("THREESIXTYGIVING_PREFIX", default="360G-coproduce-example")
THREESIXTYGIVING_FUNDER_ID = env("THREESIXTYGIVING_FUNDER_ID", default="GB-LAE-EXAMPLE")


# The partner API (coproduction.api, docs/api.md): OAuth2 client credentials for partner
# agencies, signed-in sessions (with CSRF) for the site's own scripts.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that an unauthenticated call gets 401 with a Bearer challenge.
        "coproduction.api.authentication.ApiClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["coproduction.api.permissions.HasApiScope"],
    "DEFAULT_THROTTLE_CLASSES": ["coproduction.api.throttling.AgencyRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "coproduction.api.filters.ApiOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "coproduction.api.pagination.ApiPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["coproduction.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "coproduction.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Calls per agency (one OAuth application each), per signed-in person, and per address
# for calls with no valid credentials; counted on the shared cache (Redis: CACHE_URL).
API_THROTTLE_RATES = {
    "agency": env("API_THROTTLE_AGENCY", default="600/min"),
    "session": env("API_THROTTLE_SESSION", default="300/min"),
    "anonymous": env("API_THROTTLE_ANONYMOUS", default="60/min"),
}
# How long a stored response to a POST with an Idempotency-Key is replayed.
API_IDEMPOTENCY_TTL_SECONDS = env.int("API_IDEMPOTENCY_TTL_SECONDS", default=24 * 60 * 60)
OAUTH2_PROVIDER = {
    # Partners' tokens last an hour at most (shorter if set); they ask for a new one with
    # their secret.
    "ACCESS_TOKEN_EXPIRE_SECONDS": min(env.int("API_TOKEN_SECONDS", default=60 * 60), 60 * 60),
    "SCOPES_BACKEND_CLASS": "coproduction.api.scopes.RegistryScopes",
    "OAUTH2_VALIDATOR_CLASS": "coproduction.api.oauth.ApiOAuth2Validator",
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: among others, tokens are stored
    # only as a checksum, never in clear, and never accepted in a URL's query string.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# Named so that migrations referring to it resolve (django-oauth-toolkit's models are
# swappable); the toolkit's own model is used.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
SPECTACULAR_SETTINGS = {
    "TITLE": "Coproduce partner API",
    "DESCRIPTION": (
        "Read and write the co-production programme's data your agency's partnerships "
        "cover. Authenticate with OAuth2 client credentials: see the getting started guide."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/api/v1/oauth/token/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["coproduction.api.schema.api_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "coproduction.api.schema.add_common_responses",
        "coproduction.api.schema.sensitive_fields_optional",
        "engagement.inclusion.schema.add_report_results_component",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "communities.models.Area.Kind",
        "PartnershipKindEnum": "governance.models.Partnership.Kind",
        "PartnerAgencyKindEnum": "governance.models.PartnerAgency.Kind",
        "IndicatorKindEnum": "projects.models.Indicator.Kind",
        "EventKindEnum": "engagement.models.Event.Kind",
        "EventStatusEnum": "engagement.models.Event.Status",
        "AssetStatusEnum": "communities.models.Asset.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
