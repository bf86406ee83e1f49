import pytest
from django.urls import reverse

from tests.accounts.factories import ResidentFactory


@pytest.mark.worker
def test_task_enqueued_by_a_page_runs_on_the_real_worker(client, celery_worker):
    """A password reset asked for in the browser is emailed by the worker, not the web."""
    # given
    resident = ResidentFactory(email="aisha@example.org")
    mail_dir = celery_worker["mail_dir"]
    before = set(mail_dir.iterdir())
    # when
    response = client.post(reverse("accounts:password_reset"), {"email": "Aisha@Example.org"})
    # then
    assert response.status_code == 302
    sent = celery_worker.wait_for(
        lambda: set(mail_dir.iterdir()) - before, what="the password reset email"
    )
    message = next(iter(sent)).read_text()
    assert f"To: {resident.email}" in message
    assert "/password/reset/" in message
