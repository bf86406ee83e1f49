from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Role(models.TextChoices):
    """A role is a Django group of the same name; a person may hold several."""

    ADMINISTRATOR = "administrator", _("Administrator")
    OFFICER = "officer", _("Council officer")
    ELECTED_MEMBER = "elected_member", _("Elected member")
    BOARD_MEMBER = "board_member", _("Board member")
    PARTNER_AGENCY = "partner_agency", _("Partner agency")
    RESIDENT = "resident", _("Resident")


# Order in which a person's roles are shown, most senior first.
ROLE_ORDER = list(Role)


# How pages count the people holding a role ("1 council officer", "4 partner agency staff").
ROLE_PEOPLE = {
    Role.ADMINISTRATOR: ("Administrator", "Administrators"),
    Role.OFFICER: ("Council officer", "Council officers"),
    Role.ELECTED_MEMBER: ("Elected member", "Elected members"),
    Role.BOARD_MEMBER: ("Board member", "Board members"),
    Role.PARTNER_AGENCY: ("Partner agency staff member", "Partner agency staff"),
    Role.RESIDENT: ("Resident", "Residents"),
}


def role_people(role: Role, count: int) -> str:
    singular, plural = ROLE_PEOPLE[role]
    return ngettext(singular, plural, count)
