"""Telephone numbers: checking what people type, in one place for every form.

A UK number is checked by its shape (0 and 9 or 10 more digits, or +44), so that the
numbers Ofcom keeps for drama and examples, which the council's letters and our demo use,
are taken. A number abroad, given with its country code, is checked against that
country's numbering plan by libphonenumber (`phonenumbers`).
"""

import re

import phonenumbers
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
UK_PREFIXES = ("+44", "0044")


def phone_is_valid(value: str) -> bool:
    """Whether `value` is a telephone number: a UK one written nationally or with +44 or
    0044 (and an optional (0) after it), in any of the usual spacings, or a number abroad
    with its country code (+353 or 00353, say)."""
    compact = SEPARATORS_RE.sub("", value or "")
    if not compact.isascii():
        return False
    if compact.startswith(("+", "00")) and not compact.startswith(UK_PREFIXES):
        try:
            number = phonenumbers.parse(compact, "GB")
        except phonenumbers.NumberParseException:
            return False
        return phonenumbers.is_valid_number(number)
    for international in UK_PREFIXES:
        if compact.startswith(international):
            rest = compact.removeprefix(international)
            compact = rest if rest.startswith("0") else "0" + rest
            break
    return NATIONAL_RE.fullmatch(compact) is not None


def phone_validate(value: str) -> None:
    """A validator for forms and serializers: refuses text that is not a telephone number."""
    if value and not phone_is_valid(value):
        raise ValidationError(PHONE_INVALID, code="invalid")
