"""Personal data in the inclusion app, and the summary's management command."""

from io import StringIO

from django.core.management import call_command

from coproduction.privacy import DataSubject, personal_data
from engagement.inclusion.activity import activity_stale_count
from engagement.inclusion.models import Report, ScopeActivity
from tests.engagement.inclusion.factories import ReportFactory, person_with


def test_who_asked_for_a_report_is_exported_and_erased_but_the_report_stays(officer, ward):
    # given
    report = ReportFactory(obj=ward, requested_by=officer)
    # when
    exported = personal_data.export(DataSubject.for_user(officer))
    personal_data.erase(DataSubject.for_user(officer))
    # then
    assert exported["inclusion.report"] == [
        {
            "report": report.pk,
            "about": ward.name,
            "period": "January 2026 to June 2026",
            "asked": report.created_at.isoformat(),
        }
    ]
    report.refresh_from_db()
    assert report.requested_by is None


def test_a_participants_summary_rows_are_exported(ward):
    person = person_with(ward=ward)
    call_command("inclusion_summary", "--refresh", stdout=StringIO())
    exported = personal_data.export(DataSubject.for_participant(person))
    assert {row["counted_in"] for row in exported["inclusion.scopeactivity"]} == {
        "Whole programme",
        "Area or ward",
    }


def test_summary_command_reports_refreshes_and_rebuilds(ward):
    # given: two people queued by the ledger's triggers
    person_with(ward=ward)
    person_with(ward=ward)
    out = StringIO()
    # when / then
    call_command("inclusion_summary", stdout=out)
    assert "2 people queued" in out.getvalue()
    call_command("inclusion_summary", "--refresh", stdout=out)
    assert "Summary refreshed: 2 queued" in out.getvalue()
    assert activity_stale_count() == 0
    call_command("inclusion_summary", "--rebuild", stdout=out)
    assert "Summary rebuilt: 4 rows." in out.getvalue()
    assert activity_stale_count() == 0
    assert ScopeActivity.objects.count() == 4
    assert not Report.objects.exists()
