from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.forms import GovukForm

from .scopes import scopes
from .selectors import partner_agency_list_without_client


class ScopeChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("What the agency's systems may do"))
        kwargs.setdefault(
            "help_text",
            _(
                "Grant only what the agency needs. Reading never includes contact details, "
                "equality answers or risk assessments."
            ),
        )
        kwargs.setdefault(
            "error_messages", {"required": _("Select at least one thing the client may do")}
        )
        super().__init__(choices=scopes.choices, **kwargs)


class ApiClientCreateForm(GovukForm):
    agency = forms.ModelChoiceField(
        queryset=None,
        label=_("Partner agency"),
        help_text=_(
            "The client sees only what this agency's partnerships cover. Agencies "
            "that already have a client are not listed."
        ),
        empty_label=_("Select an agency"),
        error_messages={
            "required": _("Select the partner agency"),
            "invalid_choice": _("Select a partner agency from the list"),
        },
    )
    scopes = ScopeChoiceField()
    contact_note = forms.CharField(
        label=_("Who looks after the integration (optional)"),
        help_text=_("A team or shared mailbox at the agency, not a person's name."),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Keep this to 200 characters or fewer")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = partner_agency_list_without_client()


class ApiClientScopesForm(GovukForm):
    scopes = ScopeChoiceField()


class ConfirmForm(GovukForm):
    """An empty form: the page explains what happens and the button confirms it."""
