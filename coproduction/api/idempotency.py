"""`Idempotency-Key` on POST: a client that retries a request it is unsure went through
gets the first response again instead of creating a second record.

Same key and same request from the same caller: the stored response is replayed. Same
key with a different request: 422. A JSON or form body (urlencoded or multipart) is
compared by what it says, not its bytes: a retry that serialises the same data with other
spacing, key order or multipart boundary is the same request. Same key while the first
is still running: 409. Stored responses expire after API_IDEMPOTENCY_TTL_SECONDS.
"""

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db import IntegrityError, transaction
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils import timezone
from django.utils.http import parse_header_parameters
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Headers of the first response that a replay repeats.
REPLAYED_HEADERS = ("Content-Type", "Location")


class IdempotencyConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        "A request with this Idempotency-Key is still being processed: wait, then retry."
    )


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was used for a different request. Use a new key for a new request."
    )


@dataclass(frozen=True)
class Replay:
    record: IdempotencyRecord


def idempotency_key_clean(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationError(
            {"detail": f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters."}
        )
    return key


def _body_canonical(body: bytes, content_type: str) -> bytes:
    """The body as its data: JSON with sorted keys and no spacing, a form's fields in name
    order (a name's values keep theirs). Anything else (another charset than UTF-8, or a
    body that does not parse, which the view answers with a 400) is its content type and
    bytes."""
    media, parameters = parse_header_parameters(content_type)
    if parameters.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        return content_type.encode() + b"\0" + body
    try:
        if media == "application/json" or media.endswith("+json"):
            data = json.loads(body.decode("utf-8"))
            # ASCII escapes: one form for every string, lone surrogates included.
            text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
            return b"json\0" + text.encode()
        if media == "application/x-www-form-urlencoded":
            fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
            return b"form\0" + urlencode(sorted(fields, key=lambda field: field[0])).encode()
        if media == "multipart/form-data":
            return b"multipart\0" + _multipart_canonical(body, content_type)
    except (ValueError, RecursionError, MultiPartParserError, SuspiciousOperation):
        # UnicodeDecodeError is a ValueError, as is JSON's own error; a form over the
        # limits on fields or files is a SuspiciousOperation (the view's 400).
        pass
    return media.encode() + b"\0" + body


def _multipart_canonical(body: bytes, content_type: str) -> bytes:
    """A multipart form as its data, whatever boundary the client picked: the fields in
    name order (a name's values keep theirs), and each file by its field, name, type and
    a digest of its content."""
    parser = MultiPartParser(
        {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body))},
        io.BytesIO(body),
        [MemoryFileUploadHandler(), TemporaryFileUploadHandler()],
        "utf-8",
    )
    fields, files = parser.parse()
    uploads = [
        [name, [[f.name, f.content_type, _digest(f)] for f in values]]
        for name, values in sorted(files.lists(), key=lambda item: item[0])
    ]
    data = {"fields": sorted(fields.lists(), key=lambda item: item[0]), "files": uploads}
    return json.dumps(data, separators=(",", ":"), ensure_ascii=True).encode()


def _digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.close()
    return digest.hexdigest()


def request_fingerprint(
    *, method: str, path: str, query: str, body: bytes, content_type: str = ""
) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode()):
        digest.update(part)
        digest.update(b"\0")
    digest.update(_body_canonical(body, content_type))
    return digest.hexdigest()


def idempotency_begin(
    *, caller: str, key: str, method: str, path: str, fingerprint: str
) -> IdempotencyRecord | Replay:
    """Claim the key for this request, or return the stored response to replay."""
    now = timezone.now()
    expires_at = now + timedelta(seconds=settings.API_IDEMPOTENCY_TTL_SECONDS)
    fields = {
        "method": method,
        "path": path[:500],
        "request_hash": fingerprint,
        "expires_at": expires_at,
    }
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(caller=caller, key=key, **fields)
    except IntegrityError:
        pass
    with transaction.atomic():
        existing = (
            IdempotencyRecord.objects.select_for_update().filter(caller=caller, key=key).first()
        )
        if existing is None or existing.expires_at <= now:
            # Expired (or cleared meanwhile): the key starts afresh for this request.
            IdempotencyRecord.objects.filter(caller=caller, key=key).delete()
            return IdempotencyRecord.objects.create(caller=caller, key=key, **fields)
    if existing.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    if not existing.is_complete:
        raise IdempotencyConflict()
    return Replay(existing)


def idempotency_complete(*, record: IdempotencyRecord, response) -> None:
    """Keep the response for replay; a server error frees the key for a retry."""
    if response.status_code >= 500:
        idempotency_abandon(record=record)
        return
    record.response_status = response.status_code
    record.response_body = response.content.decode("utf-8", errors="replace")
    record.response_headers = {
        name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
    }
    record.save(
        update_fields=["response_status", "response_body", "response_headers", "updated_at"]
    )


def idempotency_abandon(*, record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk, response_status__isnull=True).delete()


def idempotency_expired_clear() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
