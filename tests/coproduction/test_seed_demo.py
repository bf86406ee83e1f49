import logging

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from communities.models import Area
from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.demo import DEMO_LOGINS
from governance.models import PartnerAgency


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    # given
    call_command("seed_demo", "--force", stdout=None)
    counts = (User.objects.count(), Area.objects.count(), PartnerAgency.objects.count())
    # when
    call_command("seed_demo", "--force")
    # then
    assert (User.objects.count(), Area.objects.count(), PartnerAgency.objects.count()) == counts


@pytest.mark.django_db
def test_seed_demo_gives_every_role_a_login_that_works(client, capsys):
    # when
    call_command("seed_demo", "--force")
    printed = capsys.readouterr().out
    # then
    assert {login.role for login in DEMO_LOGINS} == set(Role)
    for login in DEMO_LOGINS:
        assert login.password in printed
        response = client.post(
            reverse("accounts:login"), {"username": login.email, "password": login.password}
        )
        assert response.status_code == 302, login.email
        client.logout()
        assert User.objects.get(email=login.email).has_role(login.role)


@pytest.mark.django_db
def test_seed_demo_builds_a_council_tree(caplog):
    # when
    with caplog.at_level(logging.INFO):
        call_command("seed_demo", "--force")
    # then the logins it prints are not buried under the demo's audit lines
    assert [record for record in caplog.records if record.levelno < logging.WARNING] == []
    council = Area.objects.get(kind=Area.Kind.COUNCIL)
    assert council.children.count() == 3
    assert Area.objects.filter(kind=Area.Kind.WARD, parent__parent=council).count() == 9


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    # given
    settings.DEBUG = False
    # when / then
    with pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")
    assert not User.objects.exists()
