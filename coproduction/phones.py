"""UK telephone numbers: checking what people type, in one place for every form."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _(
    "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
)
# What people put between the digits: spaces, hyphens, dots and brackets, as in
# "(01632) 960-001" or "+44 (0)1632 960001".
SEPARATORS_RE = re.compile(r"[\s\-.()]")
# A UK number written nationally: 0, then 9 or 10 digits (10 and 11 digits in all).
NATIONAL_RE = re.compile(r"0[1-9][0-9]{8,9}")


def phone_is_uk(value: str) -> bool:
    """Whether `value` is a UK telephone number, written nationally or with +44 or 0044
    (and an optional (0) after it), in any of the usual spacings."""
    compact = SEPARATORS_RE.sub("", value or "")
    for international in ("+44", "0044"):
        if compact.startswith(international):
            rest = compact.removeprefix(international)
            compact = rest if rest.startswith("0") else "0" + rest
            break
    return compact.isascii() and NATIONAL_RE.fullmatch(compact) is not None


def phone_validate(value: str) -> None:
    """A validator for forms and serializers: refuses text that is not a UK number."""
    if value and not phone_is_uk(value):
        raise ValidationError(PHONE_INVALID, code="invalid")
