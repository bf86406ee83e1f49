"""Production: every secret comes from the environment, with no default."""

from .base import *
from .base import (
    DATABASES,
    GOVUK_NOTIFY_API_KEY,
    NOTIFY_EMAIL_BACKEND,
    cache_settings,
    database_config,
    env,
)

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
# Rotation (docs/operations.md): the previous key, still accepted for existing sessions,
# password reset links and signed tokens until they expire.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"] = database_config(env("DATABASE_URL"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix: the browser keeps these cookies only if they are Secure, for the
# whole site and for this host alone (never set by a sibling subdomain).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

if GOVUK_NOTIFY_API_KEY:
    EMAIL_BACKEND = NOTIFY_EMAIL_BACKEND
else:
    vars().update(env.email_url("EMAIL_URL"))
ADMINS = [("Coproduce administrators", email) for email in env.list("DJANGO_ADMINS", default=[])]

# Production always has a broker and a worker: tasks run on the worker (a web request
# sends its own emails only while the broker cannot be reached: coproduction.celery.Task).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
CACHES = cache_settings(env("CACHE_URL", default=CELERY_BROKER_URL))
