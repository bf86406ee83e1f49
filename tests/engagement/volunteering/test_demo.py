"""The demo council's volunteering: every state, and idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from engagement.models import (
    ActivityPhoto,
    ActivityReport,
    Incident,
    RiskAssessment,
    SafetyAlert,
    StreetChampion,
    ToolkitLoan,
    TrainingRecord,
    Volunteer,
    VolunteerActivity,
    VolunteerTask,
)
from engagement.volunteering import selectors
from engagement.volunteering.services import safety_checks_run

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (
            VolunteerTask,
            RiskAssessment,
            Volunteer,
            TrainingRecord,
            ToolkitLoan,
            VolunteerActivity,
            ActivityReport,
            ActivityPhoto,
            Incident,
        )
    )


def test_the_demo_has_volunteering_in_every_state_and_is_idempotent(settings, tmp_path):
    # given
    settings.MEDIA_ROOT = tmp_path
    # when
    call_command("seed_demo", "--force")
    first = counts()
    call_command("seed_demo", "--force")
    # then
    assert counts() == first
    statuses = set(RiskAssessment.objects.values_list("status", flat=True))
    assert statuses == set(RiskAssessment.Status.values)
    today = timezone.localdate()
    assert RiskAssessment.objects.filter(status="approved", review_on__lt=today).exists()
    prohibited = set(VolunteerTask.objects.prohibited().values_list("name", flat=True))
    assert {"Structural repairs", "Street lighting maintenance"} <= prohibited
    assert any("fly-tips with hazardous items" in name for name in prohibited)
    assert ToolkitLoan.objects.open().exists()
    assert ToolkitLoan.objects.overdue().exists()
    assert ToolkitLoan.objects.filter(returned_on__isnull=False).exists()
    halton = Volunteer.objects.filter(participant__home_ward__name="Harrow Hill")
    assert any(v.induction_complete for v in halton)
    assert any(not v.induction_complete for v in halton)
    champions = StreetChampion.objects.filter(status="active")
    trained = champions.filter(participant__training_records__isnull=False).distinct().count()
    assert 0 < trained < champions.count()
    assert ActivityPhoto.objects.exists()
    assert ActivityReport.objects.filter(bags_collected__gt=0).exists()
    assert Incident.objects.filter(status="open").exists()
    assert Incident.objects.filter(status="closed").exists()
    assert VolunteerActivity.objects.filter(roster__hours__isnull=False).exists()


def test_the_demo_shows_problems_recurring_and_the_nightly_check_flags_it(settings, tmp_path):
    # given
    from coproduction.accounts.models import User

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--force")
    officer = User.objects.get(email="officer@northfield.example.gov.uk")
    # when
    recurring = selectors.recurring_problems(user=officer)
    flagged = safety_checks_run()
    # then
    assert ("Station Road", "Graffiti removal (non-hazardous kit)") in {
        (r["ward__name"], r["task__name"]) for r in recurring
    }
    assert flagged["flagged"] >= 3
    assert set(SafetyAlert.objects.values_list("kind", flat=True)) == set(SafetyAlert.Kind.values)
    dashboard = selectors.volunteering_dashboard(user=officer)
    assert dashboard.awaiting
    assert dashboard.expiring
    assert dashboard.overdue
    assert dashboard.lapsing
