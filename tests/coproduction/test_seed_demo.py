import io
import logging

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from communities.models import Area
from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.demo import AREAS, DEMO_LOGINS
from governance.models import PartnerAgency
from tests.module_data import module_transaction


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo built once for this module, with what it printed, the log records it
    wrote at INFO and above and the emails it sent (tests.module_data: rolled back at
    the module's end)."""
    records = []
    handler = logging.Handler(level=logging.INFO)
    handler.emit = records.append
    root = logging.getLogger()
    previous = root.level
    with module_transaction(django_db_blocker):
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        try:
            output = io.StringIO()
            mail.outbox = []
            call_command("seed_demo", "--force", stdout=output)
            sent = list(mail.outbox)
        finally:
            root.removeHandler(handler)
            root.setLevel(previous)
        yield output.getvalue(), records, sent


@pytest.mark.django_db
def test_seed_demo_is_idempotent(seeded):
    # given: the demo, built once
    counts = (User.objects.count(), Area.objects.count(), PartnerAgency.objects.count())
    # when
    call_command("seed_demo", "--force", stdout=io.StringIO())
    # then
    assert (User.objects.count(), Area.objects.count(), PartnerAgency.objects.count()) == counts


@pytest.mark.django_db
def test_seed_demo_gives_every_role_a_login_that_works(client, seeded):
    # when: the demo was built
    printed, _records, _sent = seeded
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
def test_seed_demo_builds_a_council_tree(seeded):
    # when: the demo was built
    _printed, records, sent = seeded
    # then the logins it prints are not buried under the demo's audit lines or emails
    assert [record for record in records if record.levelno < logging.WARNING] == []
    assert sent == []
    council = Area.objects.get(kind=Area.Kind.COUNCIL)
    assert council.children.count() == 3
    assert Area.objects.filter(kind=Area.Kind.WARD, parent__parent=council).count() == 9


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    # given
    settings.DEBUG = False
    # (the module's demo may be built already: nothing more is made)
    users = User.objects.count()
    # when / then
    with pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")
    assert User.objects.count() == users


def test_seed_demo_prints_two_officer_logins_for_every_area():
    """No one approves a risk assessment they wrote: trying the demo as an officer needs a
    second officer's printed login for the same area to approve it."""
    for area in AREAS:
        officers = [
            login.email
            for login in DEMO_LOGINS
            if login.role == Role.OFFICER and area in login.areas
        ]
        assert len(officers) >= 2, area
