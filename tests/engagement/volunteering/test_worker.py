"""The nightly check on the real worker, sent twice as an overlapping beat would."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from engagement.models import SafetyAlert
from engagement.tasks import volunteering_safety_check_task
from tests.engagement.factories import RiskAssessmentFactory
from tests.worker import wait_for

pytestmark = pytest.mark.worker


def test_the_nightly_check_on_the_worker_flags_and_emails_once(celery_worker, ward):
    # given
    assessment = RiskAssessmentFactory(
        area=ward, review_on=timezone.localdate() + timedelta(days=7)
    )
    mail_dir = celery_worker["mail_dir"]
    before = set(mail_dir.iterdir())
    # when
    volunteering_safety_check_task.delay()
    volunteering_safety_check_task.delay()
    # then
    emailed = wait_for(
        lambda: SafetyAlert.objects.filter(emailed_at__isnull=False).exists(), timeout=30
    )
    assert emailed, celery_worker.log()
    # The second run follows the first on the solo worker: give it time to finish.
    time.sleep(3)
    sent = set(mail_dir.iterdir()) - before
    assert SafetyAlert.objects.count() == 1
    assert len(sent) == 1
    message = next(iter(sent)).read_text()
    assert f"To: {assessment.owner.email}" in message
    assert assessment.reference in message
