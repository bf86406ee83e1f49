"""A page that shows a submitted form back with its errors answers 400 Bad Request.

Views render such a page as usual (`form_invalid`, or a form a service's refusal was
added to with `form.add_error`) and never set the status themselves: this middleware
does, from the forms in the page's context, so every form page says the same thing to a
browser, an assistive technology or a monitoring tool. A page another status was chosen
for (409 for an edit conflict) keeps it. Pages with no form object to hold their errors
(a confirmation page, a table of hours) still give their own 400.
"""

from collections.abc import Callable, Mapping
from http import HTTPStatus

from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

# The methods whose data a page shows back; a GET's filter form with errors stays a 200.
SUBMITTING_METHODS = frozenset({"POST", "PUT", "PATCH"})

# Django's admin keeps Django's own answers.
UNCHANGED_NAMESPACES = frozenset({"admin"})


def form_has_errors(value: object) -> bool:
    """Whether a value is a submitted form or formset that has errors."""
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


def context_has_form_errors(context: Mapping) -> bool:
    """Whether any form of a page's context has errors: a value of the context, or one
    inside a dict, list or tuple of it (a page keeping its several forms in a dict)."""
    for value in context.values():
        if isinstance(value, Mapping):
            inner = value.values()
        elif isinstance(value, list | tuple):
            inner = value
        else:
            inner = ()
        if form_has_errors(value) or any(form_has_errors(item) for item in inner):
            return True
    return False


class InvalidFormStatusMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(
        self, request: HttpRequest, response: SimpleTemplateResponse
    ) -> SimpleTemplateResponse:
        if request.method not in SUBMITTING_METHODS or response.status_code != HTTPStatus.OK:
            return response
        match = request.resolver_match
        if match is not None and UNCHANGED_NAMESPACES.intersection(match.namespaces):
            return response
        context = response.context_data
        if isinstance(context, Mapping) and context_has_form_errors(context):
            response.status_code = HTTPStatus.BAD_REQUEST
        return response
