"""Form behaviour every page shares: GOV.UK Frontend markup, and edit conflicts caught.

GOV.UK classes are applied once, here and in crispy-forms-gds, never repeated per form.
"""

from collections.abc import Iterable
from http import HTTPStatus

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .phones import phone_validate

# Default widths for the inputs that settings.CRISPY_CLASS_CONVERTERS styles as
# govuk-input, unless a field sets its own (a govuk-input--width-* or govuk-!-width-*).
DEFAULT_WIDTHS = {
    forms.NumberInput: "govuk-input--width-5",
    forms.DateInput: "govuk-input--width-10",
    forms.DateTimeInput: "govuk-input--width-20",
    forms.TimeInput: "govuk-input--width-5",
}
# Inputs crispy-forms-gds gives no error style of its own.
UNMARKED_ON_ERROR = (
    forms.NumberInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.URLInput,
    forms.EmailInput,
    forms.PasswordInput,
)


# Said of a file chosen on a page shown again with an error: its input is empty now.
CHOOSE_AGAIN = _(
    "Choose the %(what)s again: a file you chose is not kept when the page shows an error"
)


def _add_class(widget: forms.Widget, css: str) -> None:
    classes = widget.attrs.get("class", "").split()
    if css not in classes:
        widget.attrs["class"] = " ".join([*classes, css])


class GovukFormMixin:
    """Render with GOV.UK Frontend markup; the page template supplies <form> and button.

    Every input gets its GOV.UK class once, here and through CRISPY_CLASS_CONVERTERS: a
    default width for number, date and time inputs, and the red border of an input whose
    answer has an error.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for field in self.fields.values():
            widget = field.widget
            if "width" in widget.attrs.get("class", ""):
                continue
            for widget_class, width in DEFAULT_WIDTHS.items():
                if isinstance(widget, widget_class):
                    _add_class(widget, width)

    def add_error(self, field, error) -> None:
        if (
            self._errors is not None
            and field in self.fields
            and self._errors.get(field) == [self._choose_again(field)]
        ):
            # The file's own error replaces the note that it must be chosen again.
            del self._errors[field]
        super().add_error(field, error)
        self._ask_for_files_again()
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if isinstance(widget, UNMARKED_ON_ERROR):
                _add_class(widget, "govuk-input--error")

    def _choose_again(self, name: str) -> str:
        label = str(self.fields[name].label or pretty_name(name))
        what = label.removesuffix(" (optional)")
        if what[1:2].islower():
            what = what[0].lower() + what[1:]
        return str(CHOOSE_AGAIN % {"what": what})

    def _ask_for_files_again(self) -> None:
        """A page shown again with an error has lost every file chosen on it (a browser
        never fills a file input in): each file chosen that has no error of its own says
        it must be chosen again, beside its input and in the error summary."""
        for name, field in self.fields.items():
            if (
                isinstance(field, forms.FileField)
                and name not in self._errors
                and self.files.get(self.add_prefix(name))
            ):
                super().add_error(name, self._choose_again(name))


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class VersionedModelForm(GovukModelForm):
    """An edit form for a model with a `version` field: if someone else saved the record
    since this form was opened, the save is refused instead of silently overwriting.

    The service that saves must compare `cleaned_data["version"]` with the row it locks
    (see coproduction.versioning.version_check); this form carries the number and
    explains a conflict.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)

    conflict_message = _(
        "Someone else changed this record while you were editing it. Your changes have "
        "not been saved: check the record as it is now and make them again."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version


class PhoneField(forms.CharField):
    """A telephone number (coproduction.phones: a UK one, or one abroad with its country
    code), optional unless `required`, kept as the person typed it.
    `autocomplete` is "tel" for the person's own number, None for someone else's."""

    def __init__(self, *, autocomplete: str | None = "tel", **kwargs) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        attrs = {"type": "tel", "class": "govuk-input--width-20"}
        if autocomplete:
            attrs["autocomplete"] = autocomplete
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(validators=[phone_validate], **kwargs)


def form_add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form it came from: a message keyed by a field the
    form has is shown beside that field, any other in the error summary alone."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def conflict_response(view, form, message: str | None = None) -> HttpResponse:
    """The form shown again with an edit conflict's message, as 409 Conflict: nothing was
    saved because someone else saved the record since the form was opened."""
    form.add_error(None, message or VersionedModelForm.conflict_message)
    response = view.form_invalid(form)
    response.status_code = HTTPStatus.CONFLICT
    return response


def refusal_response(view, reasons: Iterable[str], *, anchor: str, **context) -> HttpResponse:
    """The page a button is on, shown again with why its action was refused in the page's
    error summary, as 400: nothing was written.

    `view` renders that page (the button's view subclasses the page's); `anchor` is the id
    of the element the summary links to, usually the button. The page's template includes
    `includes/govuk/anchored_error_summary.html` with `action_errors`.
    """
    page = view.get_context_data(action_errors=[(anchor, str(r)) for r in reasons], **context)
    return view.render_to_response(page, status=HTTPStatus.BAD_REQUEST)
