"""Every API call in the audit trail: the client (or person), the scope, the route, the
ids of the records returned, and the outcome, refused calls included."""

from governance.audit import audit_record
from governance.models import AuditEvent

from .callers import ApiCaller

MAX_AUDITED_IDS = 500


def outcome_for_status(status_code: int) -> str:
    if status_code >= 500:
        return AuditEvent.Outcome.ERROR
    if status_code >= 400:
        return AuditEvent.Outcome.REFUSED
    return AuditEvent.Outcome.OK


def api_call_record(
    *,
    caller: ApiCaller,
    scopes: tuple[str, ...],
    method: str,
    path: str,
    status_code: int,
    object_type: str = "",
    object_id: str | int = "",
    object_ids: list = (),
) -> AuditEvent:
    action = "api " + ("+".join(scopes) if scopes else "call")
    return audit_record(
        actor=caller.audit_actor,
        api_client=caller.audit_client,
        action=action[:100],
        object_type=object_type,
        object_id=object_id,
        object_ids=list(object_ids)[:MAX_AUDITED_IDS],
        outcome=outcome_for_status(status_code),
        # Paths are matched against the API's routes, but a stray NUL would still stop
        # PostgreSQL storing the row.
        route=f"{method} {path.replace(chr(0), '')} {status_code}",
    )
