"""Every API error as `{"detail": ...}`: field errors as DRF gives them (a dict of field
names to messages), everything else under `detail`."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class RequestBodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is too large: send at most {limit:,} bytes.")


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        # A service or a model's full_clean refused the input: the caller's mistake.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, IntegrityError):
        # A database constraint caught what validation could not (a concurrent write).
        logger.info("API write refused by a constraint", exc_info=exc)
        return Response(
            {"detail": "This conflicts with a record that already exists."},
            status=status.HTTP_409_CONFLICT,
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"detail": response.data}
    if isinstance(response.data, dict) and isinstance(response.data.get("detail"), list):
        # A refusal that is not about one field: `detail` is one message, as documented,
        # however many sentences it has.
        response.data["detail"] = " ".join(str(message) for message in response.data["detail"])
    if isinstance(exc, exceptions.Throttled):
        response.data = {"detail": throttled_message(exc.wait)}
    return response


def throttled_message(wait: float | None) -> str:
    return f"Too many requests: slow down and try again in {wait or 1:.0f} seconds."
