"""Form fields that take what people type: money and dates."""

from decimal import Decimal

import pytest

from projects.forms import FundingLineUpdateForm, MeasurementForm


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12000", "12000"), ("12,000", "12000"), ("£12,000.50", "12000.50"), (" £5 ", "5")],
)
def test_money_is_read_as_people_write_it(typed, amount):
    form = FundingLineUpdateForm(data={"amount": typed, "spent": "0", "version": 1})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "Enter the amount in pounds, like 2500 or 2,500.00"),
        ("0", "The amount must be at least £0.01"),
        ("12.345", "Enter pounds and pence, with at most 2 decimal places"),
        ("99999999999", "The amount is too large"),
    ],
)
def test_bad_money_says_what_to_do(typed, message):
    form = FundingLineUpdateForm(data={"amount": typed, "spent": "0", "version": 1})
    assert not form.is_valid()
    assert form.errors["amount"] == [message]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Enter a real date, for example 27 3 2026"),
        ("1", "1", "1800", "Enter a year between 1900 and 2100"),
        ("", "", "", "Enter the date of the reading"),
        ("1", "", "2026", "Enter the month"),
    ],
)
def test_dates_are_checked_with_clear_messages(day, month, year, message):
    form = MeasurementForm(
        data={
            "measured_on_0": day,
            "measured_on_1": month,
            "measured_on_2": year,
            "value": "1",
        }
    )
    assert not form.is_valid()
    assert message in form.errors["measured_on"]
