from celery import shared_task
from oauth2_provider.models import clear_expired

from .idempotency import idempotency_expired_clear


@shared_task
def api_expired_records_clear_task() -> None:
    """Delete expired access tokens and stored Idempotency-Key responses."""
    clear_expired()
    idempotency_expired_clear()
