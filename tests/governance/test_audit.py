import pytest
from django.db import DatabaseError, connection, transaction

from governance.audit import audit_record
from governance.models import AuditEvent
from tests.services import postgresql

pytestmark = pytest.mark.django_db


def test_audit_event_cannot_be_changed_or_deleted_in_python(officer):
    # given
    event = audit_record(actor=officer, action="test.read", object_type="x", object_id=1)
    # when / then
    with pytest.raises(ValueError, match="never changed"):
        event.save()
    with pytest.raises(ValueError, match="never deleted"):
        event.delete()


@postgresql("the append-only trigger is PostgreSQL's (django-pgtrigger)")
def test_database_refuses_update_and_delete_of_audit_events(officer):
    """On PostgreSQL a trigger refuses even a raw UPDATE or DELETE."""
    # given
    event = audit_record(actor=officer, action="test.read", object_type="x", object_id=1)
    # when / then
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM governance_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.read"
