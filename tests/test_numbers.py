"""Reading a whole number from text a person or a client sent."""

import pytest

from coproduction.numbers import LARGEST_ID, whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(LARGEST_ID), LARGEST_ID),
        (None, None),
        ("", None),
        ("0", None),
        ("-3", None),
        (" 3", None),
        ("3.0", None),
        ("²", None),  # a digit to str.isdigit(), not to int()
        ("12³", None),
        ("٣", None),  # an Arabic-Indic three: int() reads it, no id is written so
        (str(LARGEST_ID + 1), None),  # more than any id column holds
        ("9" * 5000, None),  # more digits than int() reads
    ],
)
def test_whole_number(text, expected):
    assert whole_number(text) == expected


def test_whole_number_up_to_a_given_largest():
    assert whole_number("200", largest=200) == 200
    assert whole_number("201", largest=200) is None
