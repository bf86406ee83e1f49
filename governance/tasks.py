from celery import shared_task

from .models import SignOffRequest
from .notifications import signoff_notify
from .signoffs import signoff_escalate_overdue


@shared_task(bind=True, max_retries=3, retry_backoff=30, acks_late=True)
def signoff_notify_task(self, request_id: int, event: str) -> None:
    """Email the people a sign-off request concerns; a request gone meanwhile gets none."""
    try:
        signoff_notify(request_id=request_id, event=event)
    except SignOffRequest.DoesNotExist:
        return
    except OSError as exc:
        # The mail server is unreachable: transient, so try again later.
        raise self.retry(exc=exc) from exc


@shared_task
def signoff_escalate_overdue_task() -> int:
    """Escalate sign-off requests past their deadline (daily, from beat)."""
    return signoff_escalate_overdue()
