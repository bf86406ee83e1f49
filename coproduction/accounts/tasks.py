from celery import shared_task

from .models import User
from .services import password_reset_email_send


@shared_task(bind=True, max_retries=3, retry_backoff=30, acks_late=True)
def password_reset_email_send_task(self, user_id: int) -> None:
    """Send a password reset email; an account gone or deactivated meanwhile gets none."""
    try:
        password_reset_email_send(user_id=user_id)
    except User.DoesNotExist:
        return
    except OSError as exc:
        # SMTP server unreachable or refusing: transient, so try again later.
        raise self.retry(exc=exc) from exc
