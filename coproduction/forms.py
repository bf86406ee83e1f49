"""Form behaviour every page shares: GOV.UK Frontend markup, and edit conflicts caught.

GOV.UK classes are applied once, here and in crispy-forms-gds, never repeated per form.
"""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class GovukFormMixin:
    """Render with GOV.UK Frontend markup; the page template supplies <form> and button."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


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

    def add_conflict_error(self) -> None:
        self.add_error(None, self.conflict_message)
