"""The retention schedule: how long each kind of record about a person is kept, and the
nightly job that deletes or anonymises what has expired (docs/retention.md).

Each app registers its rules in its own `retention.py`, imported when Django starts:

    from coproduction.retention import retention

    @retention.rule("engagement.champions_unconfirmed", days=30,
                    kept="Street champion sign-ups never confirmed by email")
    def champions_unconfirmed(*, cutoff: datetime) -> int:
        ...                          # deal with records older than cutoff; return how many

A rule runs in its own transaction, so one failing rule leaves the others' work done and
is tried again the next night. Rules are idempotent: what they deal with no longer
matches them. The period of any rule can be changed in settings, in days:
RETENTION_DAYS = {"engagement.champions_unconfirmed": 14} (environment: RETENTION_DAYS
as "name=days,name=days").
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

Apply = Callable[..., int]


@dataclass(frozen=True)
class RetentionRule:
    name: str
    kept: str  # what the rule is about, for the documentation and the log
    default_days: int
    apply: Apply

    @property
    def days(self) -> int:
        return int(getattr(settings, "RETENTION_DAYS", {}).get(self.name, self.default_days))


class RetentionSchedule:
    def __init__(self) -> None:
        self.rules: dict[str, RetentionRule] = {}

    def rule(self, name: str, *, days: int, kept: str) -> Callable[[Apply], Apply]:
        def register(func: Apply) -> Apply:
            self.rules[name] = RetentionRule(name=name, kept=kept, default_days=days, apply=func)
            return func

        return register

    def run(self, *, now: datetime | None = None) -> dict[str, int]:
        """Apply every rule; returns how many records each dealt with (None: failed)."""
        from governance.audit import audit_record

        now = now or timezone.now()
        done: dict[str, int] = {}
        for name, rule in sorted(self.rules.items()):
            cutoff = now - timedelta(days=rule.days)
            try:
                with transaction.atomic():
                    done[name] = rule.apply(cutoff=cutoff)
                    if done[name]:
                        # The system's act, in the audit trail with the rule's name (how
                        # many records: in the log).
                        audit_record(
                            actor=None,
                            action="privacy.retention_applied",
                            object_type="retention_rule",
                            object_id=name,
                        )
            except Exception:
                # Counted and logged; the other rules still run, this one runs tomorrow.
                logger.exception("Retention rule %s failed", name)
                done[name] = None
            else:
                logger.info("Retention rule %s: %d records", name, done[name])
        return done


retention = RetentionSchedule()


def autodiscover() -> None:
    autodiscover_modules("retention")


@shared_task
def retention_apply_task() -> dict[str, int]:
    """The nightly run (CELERY_BEAT_SCHEDULE["retention-apply"])."""
    return retention.run()


# Rules for the shared pieces -----------------------------------------------------------


@retention.rule("sessions.expired", days=0, kept="Sign-in sessions, once past their expiry date")
def sessions_expired(*, cutoff: datetime) -> int:
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=cutoff).delete()
    return deleted


@retention.rule(
    "jobs.uploads",
    days=30,
    kept="Files uploaded for imports (spreadsheets of residents, attendance...), once the "
    "job has finished",
)
def job_uploads(*, cutoff: datetime) -> int:
    from coproduction.jobs.models import Job

    jobs = Job.objects.filter(finished_at__lt=cutoff).exclude(upload="")
    count = 0
    for job in jobs.select_for_update():
        job.upload.delete(save=False)
        job.upload = ""
        job.save(update_fields=["upload"])
        count += 1
    return count


@retention.rule(
    "api.idempotency",
    days=0,
    kept="Partner API responses kept for repeated Idempotency-Key requests, once expired",
)
def api_idempotency(*, cutoff: datetime) -> int:
    from coproduction.api.models import IdempotencyRecord

    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


@retention.rule(
    "security.sign_in_logs",
    days=365,
    kept="Records of sign-ins and failed sign-ins (django-axes)",
)
def sign_in_logs(*, cutoff: datetime) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    total = 0
    total += AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    total += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    total += AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return total
