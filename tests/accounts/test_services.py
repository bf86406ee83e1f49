import pytest
from django.contrib.auth.models import Group

from coproduction.accounts.roles import Role
from coproduction.accounts.services import password_reset_email_send, user_create


@pytest.mark.django_db
def test_role_groups_exist_after_migrations():
    """Every role is a group created by a migration, so admins can assign it at once."""
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.django_db
def test_user_create_partner_without_agency_refused():
    # when / then
    with pytest.raises(ValueError, match="must name its agency"):
        user_create(
            email="p@example.org",
            full_name="P",
            password=None,
            roles=[Role.PARTNER_AGENCY],
        )


@pytest.mark.django_db
def test_user_create_without_password_cannot_sign_in_until_reset():
    # when
    user = user_create(email="new@example.org", full_name="New Person", password=None)
    # then
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_user_create_administrator_may_use_admin_site():
    # when
    user = user_create(
        email="a@example.org", full_name="A", password=None, roles=[Role.ADMINISTRATOR]
    )
    # then
    assert user.is_staff
    assert user.is_superuser


@pytest.mark.django_db
def test_password_reset_email_links_to_site_url(resident, mailoutbox, settings):
    """The link is built from SITE_URL, so a forged Host header cannot redirect it."""
    # given
    settings.SITE_URL = "https://coproduce.northfield.gov.uk"
    # when
    password_reset_email_send(user_id=resident.pk)
    # then
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [resident.email]
    assert "https://coproduce.northfield.gov.uk/password/reset/" in message.body
