from django.db import models
from django.utils.translation import gettext_lazy as _


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
