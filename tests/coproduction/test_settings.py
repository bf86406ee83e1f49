"""Start-up in each environment: embedded default, production, and bad configuration."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "coproduction.settings.production",
    "DJANGO_SECRET_KEY": "k8#Qz!v2@pL9$wX4^nB7&mR1*tY6(hJ3)eD5-sF0+gA8=cV2_uI9~oP4",
    "DJANGO_ALLOWED_HOSTS": "coproduce.northfield.gov.uk",
    "DATABASE_URL": "postgres://coproduce:secret@db.internal:5432/coproduce",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.internal:587",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # CI exports the real stack's settings; each case here starts from none of them.
    configured = ("DJANGO_", "DATABASE", "CELERY_", "CACHE_", "EMAIL_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(configured)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    # when
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    # then
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"])
def test_production_without_a_secret_fails_with_a_clear_message(missing):
    # given
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    # when
    result = manage("check", env=env)
    # then
    assert result.returncode == 2
    assert f"Set the {missing} environment variable" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_feedback_address_that_is_no_web_page_or_email_fails_with_a_clear_message():
    # when
    result = manage("check", env={"COUNCIL_FEEDBACK_URL": "javascript:alert(1)"})
    # then
    assert result.returncode == 2
    assert "COUNCIL_FEEDBACK_URL must start with https:// or mailto:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://user:pw@host/db", "must start with postgres:// or sqlite:///"),
        ("not a url", "must start with postgres:// or sqlite:///"),
        ("postgres://user:pw@host:5432/", "names no database"),
    ],
)
def test_bad_database_url_fails_with_a_clear_message(url, message):
    # when
    result = manage("check", env={"DATABASE_URL": url})
    # then
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "pw" not in result.stderr


def test_embedded_default_needs_no_environment():
    """With nothing set: SQLite, tasks run in-process, email to the console."""
    # when
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
        env={},
    )
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_database_and_broker_urls_switch_to_the_real_stack():
    # when
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        env={
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/coproduce",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "DJANGO_SETTINGS_MODULE": "coproduction.settings.local",
        },
    )
    # then
    assert result.stdout.splitlines()[-1].split() == ["django.db.backends.postgresql", "False"], (
        result.stderr
    )


def test_production_waits_on_redis_a_second_at_most():
    """The cache is Redis (the broker's by default), with timeouts: a Redis that does not
    answer must not hold a web process (coproduction/cache.py treats it as a miss)."""
    # when
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; c = s.CACHES; "
        "print(c['default']['LOCATION'], c['default']['OPTIONS'], c['local']['BACKEND'])",
        env=PRODUCTION_ENV,
    )
    # then
    assert result.stdout.splitlines()[-1] == (
        "redis://redis.internal:6379/0 "
        "{'socket_connect_timeout': 1, 'socket_timeout': 1} "
        "django.core.cache.backends.locmem.LocMemCache"
    ), result.stderr


def test_passwords_hashed_with_argon2_and_validated():
    from coproduction.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    names = [v["NAME"].rsplit(".", 1)[1] for v in base.AUTH_PASSWORD_VALIDATORS]
    assert names[:3] == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
    ]
