import pytest
from django.core.management import call_command

from coproduction.accounts.models import User
from coproduction.demo import EMAIL_DOMAIN
from engagement.inclusion.models import Report, Schedule, ScopeActivity, ScopeKind, Target
from engagement.inclusion.selectors import report_list_for_user
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
    # (young people are so few that their band is suppressed: they show in the pool of
    # the bands too small to show)
    missing = {
        (m["dimension"], code)
        for m in programme.results["missing"]
        for code in m.get("codes") or [m["code"]]
    }
    assert ("age", "16_24") in missing
    assert ("disability", "disabled") in missing
    assert ("religion", "muslim") in missing
    young = next(m for m in programme.results["missing"] if "16_24" in m["code"].split("+"))
    assert young["suggestions"]
    # the older, whiter profile shows in the ratios
    age = next(d for d in programme.results["dimensions"] if d["code"] == "age")
    oldest = next(g for g in age["groups"] if g["code"] == "75_plus")
    assert oldest["flag"] == "over"
    assert programme.is_public
    # the board member finds their partnership's year among the reports they may read
    board = User.objects.get(email=f"board@{EMAIL_DOMAIN}")
    theirs = report_list_for_user(user=board).filter(scope_kind=ScopeKind.PARTNERSHIP)
    partnership = theirs.get(partnership__name__startswith="Northfield Central")
    assert partnership.is_done
    assert partnership.period_start == programme.period_start
    assert partnership.results["participants"] > 0
