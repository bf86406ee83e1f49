"""The Celery app shared by the web processes, the worker and beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduction.settings.local")

# DjangoTask gives every task delay_on_commit(), so web code enqueues only once the
# transaction that made the work has committed.
app = Celery("coproduction", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
