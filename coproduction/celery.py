"""The Celery app shared by the web processes, the worker and beat."""

import functools
import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduction.settings.local")

logger = logging.getLogger(__name__)


class Task(DjangoTask):
    """A task that web code sends with delay_on_commit() once its transaction commits.

    By then the change that asked for the work is saved, so a broker that cannot be
    reached must neither turn it into an error page nor lose the work: the task runs in
    this process instead, and a failure there is logged. Tasks sent this way are short
    (an email or a few); long work goes through the jobs outbox (coproduction.jobs).
    """

    def delay_on_commit(self, *args, **kwargs) -> None:
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        from django.db import transaction

        transaction.on_commit(functools.partial(self._send_or_run, args, kwargs, options))

    def _send_or_run(self, args, kwargs, options) -> None:
        try:
            self.apply_async(args, kwargs, retry=False, **options)
        except OperationalError:
            if self.app.conf.task_always_eager:
                raise
            logger.warning("broker unreachable: running %s in process", self.name, exc_info=True)
            self._run_here(args, kwargs)

    def _run_here(self, args, kwargs) -> None:
        """One attempt, in this process: no retries back to back inside a web request (a
        task's retry would run at once, and raise out of the commit however it ends)."""
        try:
            result = self.apply(args, kwargs, retries=self.max_retries or 0, throw=False)
        except Exception:
            logger.exception("%s failed in process (broker unreachable)", self.name)
            return
        if result.failed():
            logger.error(
                "%s failed in process (broker unreachable): %r\n%s",
                self.name,
                result.result,
                result.traceback,
            )


app = Celery("coproduction", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
