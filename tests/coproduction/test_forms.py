"""GOV.UK classes for every input, given once by coproduction.forms and the crispy
converters in settings, whichever app's form it is."""

import re

import pytest
from django import forms
from django.template import Context, Template

from coproduction.forms import GovukForm


class EveryInputForm(GovukForm):
    count = forms.IntegerField()
    amount = forms.DecimalField()
    day = forms.DateField(widget=forms.DateInput)
    starts = forms.DateTimeField(widget=forms.DateTimeInput)
    at = forms.TimeField(widget=forms.TimeInput)
    website = forms.URLField(assume_scheme="https")
    votes = forms.IntegerField(widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}))
    name = forms.CharField()


def inputs(form) -> dict[str, set[str]]:
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form})
    )
    return {
        re.search(r'name="(\w+)"', tag).group(1): set(
            re.search(r'class="([^"]*)"', tag)[1].split()
        )
        for tag in re.findall(r"<input[^>]*>", html)
    }


def test_number_date_and_time_inputs_are_govuk_inputs_with_a_width():
    classes = inputs(EveryInputForm())
    for name in ["count", "amount", "day", "starts", "at", "website", "votes", "name"]:
        assert "govuk-input" in classes[name], name
    assert "govuk-input--width-5" in classes["count"]
    assert "govuk-input--width-10" in classes["day"]
    assert "govuk-input--width-20" in classes["starts"]
    # A field's own width wins over the default.
    assert classes["votes"] & {c for c in classes["votes"] if "width" in c} == {
        "govuk-input--width-2"
    }


def test_an_input_with_an_error_is_marked_red():
    form = EveryInputForm(data={"count": "many", "day": "soon", "website": "nowhere"})
    assert not form.is_valid()
    classes = inputs(form)
    for name in ["count", "day", "website", "amount", "name"]:
        assert "govuk-input--error" in classes[name], name


def test_an_error_added_by_a_view_marks_its_input():
    form = EveryInputForm(
        data={
            "count": "3",
            "amount": "10",
            "day": "2026-11-23",
            "starts": "2026-11-23 10:00",
            "at": "10:00",
            "website": "https://example.org",
            "votes": "1",
            "name": "A",
        }
    )
    assert form.is_valid()
    form.add_error("amount", "The budget has £10.00 left.")
    assert "govuk-input--error" in inputs(form)["amount"]
    assert "govuk-input--error" not in inputs(form)["count"]


def test_a_forms_own_error_shows_as_a_govuk_error_message():
    """crispy-forms-gds shows a form's own errors in Bootstrap's alert, unstyled here."""
    form = EveryInputForm(data={})
    form.is_valid()
    form.add_error(None, "Someone else changed this: check it and try again.")
    template = Template("{% load crispy_forms_tags %}{% crispy form %}")
    html = template.render(Context({"form": form}))
    assert (
        '<p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
        "Someone else changed this: check it and try again.</p>"
    ) in html
    assert "alert" not in html


class UploadForm(GovukForm):
    name = forms.CharField()
    file = forms.FileField(label="CSV file")
    paper = forms.FileField(required=False)


def test_a_file_chosen_before_an_error_is_asked_for_again_unless_it_has_its_own_error():
    """A browser never fills a file input in, so the page shown again says so."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload():
        return SimpleUploadedFile("a.csv", b"a,b")

    form = UploadForm(data={}, files={"file": upload(), "paper": upload()})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "Choose the CSV file again: a file you chose is not kept when the page shows an error"
    ]
    assert form.errors["paper"][0].startswith("Choose the paper again")
    form.add_error("paper", "The paper must be a PDF")
    assert form.errors["paper"] == ["The paper must be a PDF"]
    assert "paper" not in UploadForm(data={}).errors
    assert UploadForm(data={"name": "A"}, files={"file": upload()}).is_valid()


@pytest.mark.parametrize(
    "module",
    [
        "governance.forms",
        "projects.forms",
        "engagement.forms",
        "engagement.volunteering.forms",
        "engagement.inclusion.forms",
        "communities.forms",
    ],
)
def test_no_app_styles_inputs_on_its_own(module):
    """The per-app workaround is gone: apps set widths only, never govuk-input itself."""
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(module))
    assert not re.search(r'"class":\s*"govuk-input[ "]', source)
    assert "WIDGET_CLASSES" not in source
