import pytest
from django.core.management import call_command

from engagement.inclusion.models import Report, Schedule, ScopeActivity, Target
from engagement.models import Participant

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count() for model in (Report, Schedule, Target, Participant, ScopeActivity)
    )


def test_demo_report_finds_the_deliberate_under_representation_and_is_idempotent():
    # when
    call_command("seed_demo", "--force")
    first = counts()
    call_command("seed_demo", "--force")
    # then: running twice changes nothing
    assert counts() == first
    # every area and active project has its monthly schedule and a finished report
    assert Schedule.objects.filter(area__isnull=False).count() == 13
    assert not Report.objects.filter(generated_at__isnull=True).exists()
    # the programme report finds young, disabled and Muslim residents missing
    programme = Report.objects.get(scope_key="programme")
    missing = {(m["dimension"], m["code"]) for m in programme.results["missing"]}
    assert ("age", "16_24") in missing
    assert ("disability", "disabled") in missing
    assert ("religion", "muslim") in missing
    young = next(m for m in programme.results["missing"] if m["code"] == "16_24")
    assert young["suggestions"]
    # the older, whiter profile shows in the ratios
    age = next(d for d in programme.results["dimensions"] if d["code"] == "age")
    oldest = next(g for g in age["groups"] if g["code"] == "75_plus")
    assert oldest["flag"] == "over"
    assert programme.is_public
