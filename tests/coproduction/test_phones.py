"""Telephone numbers: one check, for every form that asks for one."""

import pytest
from django import forms as django_forms

from communities.forms import AssetForm
from coproduction.phones import PHONE_INVALID, phone_validate
from engagement.forms import ChampionContactForm, EventRegistrationForm, ParticipantDetailsForm
from engagement.volunteering.forms import EmergencyContactForm


@pytest.mark.parametrize(
    "number",
    [
        "01632 960 001",
        "07700 900 982",
        "+44 808 157 0192",
        "07700900982",
        "07700-900-982",
        "(01632) 960001",
        "+44 (0)1632 960001",
        "0044 7700 900982",
        "016977 4567",  # a ten-digit number
        "01632 960000",  # as the demo's organisations have
        "07700 900123",
    ],
)
def test_a_uk_number_in_any_usual_shape_is_taken(number):
    phone_validate(number)


@pytest.mark.parametrize(
    "number", ["+353 1 234 5678", "00353 87 123 4567", "+33 6 12 34 56 78", "+1 202 456 1111"]
)
def test_a_number_abroad_with_its_country_code_is_taken(number):
    """A resident with an Irish or French mobile, or an asset run from abroad, can give
    it: numbers abroad are checked against their country's plan."""
    phone_validate(number)


@pytest.mark.parametrize(
    "number",
    [
        "abc",
        "1",
        "999",
        "07700",
        "07700 900 982 1234",
        "01632 96000a",
        "0",
        "+33 12",
        "+",
        "0033 6 12",
        "+1 202 555 01000",
        "+٣٣ 6 12 34 56 78",
    ],
)
def test_text_that_is_not_a_telephone_number_is_refused(number):
    with pytest.raises(django_forms.ValidationError) as refused:
        phone_validate(number)
    assert refused.value.messages == [
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    ]


@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (ChampionContactForm, "phone"),
        (EventRegistrationForm, "phone"),
        (ParticipantDetailsForm, "phone"),
        (EmergencyContactForm, "emergency_contact_phone"),
        (AssetForm, "contact_phone"),
    ],
)
def test_every_form_that_asks_for_a_phone_number_refuses_one_that_is_not(form_class, name):
    field = form_class.base_fields[name]
    with pytest.raises(django_forms.ValidationError) as refused:
        field.clean("abc")
    assert refused.value.messages == [str(PHONE_INVALID)]
    assert field.clean("") == ""
    assert field.clean(" 07700 900 982 ") == "07700 900 982"
