from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def service(request: HttpRequest) -> dict:
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "feedback_url": settings.COUNCIL_FEEDBACK_URL,
        "navigation": navigation_for(request),
    }
