"""A page showing a submitted form back with its errors answers 400
(coproduction.form_status): the middleware's rule, then a page of each app."""

import datetime as dt
from dataclasses import dataclass, field
from http import HTTPStatus

import pytest
from django import forms
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django.urls import ResolverMatch, reverse
from django.utils import timezone

from coproduction.form_status import InvalidFormStatusMiddleware
from tests.communities.factories import PostcodeFactory
from tests.engagement.factories import category
from tests.projects.factories import ParticipantFactory


class NameForm(forms.Form):
    name = forms.CharField(max_length=40)


NameFormSet = forms.formset_factory(NameForm, extra=0)

INVALID = {"name": ""}
VALID = {"name": "Eastgate Centre"}
TOO_LONG = {"name": "Eastgate Centre" * 3}


def response_to(method: str, context: dict, *, status: int = 200, namespaces=()):
    """What the middleware makes of a page rendered with this context."""
    request = RequestFactory().generic(method, "/")
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, namespaces=list(namespaces))
    response = TemplateResponse(request, "base.html", context, status=status)
    middleware = InvalidFormStatusMiddleware(lambda r: response)
    return middleware.process_template_response(request, response)


def formset_of(*rows: dict) -> forms.BaseFormSet:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        data.update({f"form-{n}-{k}": v for k, v in row.items()})
    return NameFormSet(data)


# The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_submitted_form_with_errors_is_a_400(method):
    """A form bound to what was sent, with errors, makes the page a 400."""
    # when
    response = response_to(method, {"form": NameForm(INVALID)})
    # then
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_an_error_a_view_adds_to_a_valid_form_is_a_400():
    """A service's refusal put on a valid form (form.add_error) makes the page a 400."""
    # given
    form = NameForm(VALID)
    form.is_valid()
    form.add_error(None, "There is already an asset of that name")
    # when
    response = response_to("POST", {"form": form})
    # then
    assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    "context",
    [
        {"merge_form": NameForm(INVALID)},
        {"formset": formset_of(VALID, TOO_LONG)},
        {"formset": NameFormSet({})},
        {"forms": {"age": NameForm(), "contact": NameForm(INVALID)}},
        {"error_forms": [NameForm(VALID), NameForm(INVALID)]},
    ],
    ids=["named-form", "formset-row", "formset-management", "dict-of-forms", "list-of-forms"],
)
def test_a_form_or_formset_with_errors_anywhere_in_the_context_is_a_400(context):
    """Whatever the page calls its form, a formset, and forms kept in a dict or list."""
    # when
    response = response_to("POST", {"page_title": "Add an asset", **context})
    # then
    assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    "context",
    [
        {"form": NameForm()},
        {"form": NameForm(VALID)},
        {"form": NameForm(initial=INVALID)},
        {"formset": formset_of(VALID)},
        {"error": "Nothing to commit"},
        {},
    ],
    ids=["unbound", "valid", "unbound-with-initial", "valid-formset", "no-form", "empty"],
)
def test_a_page_whose_forms_have_no_errors_keeps_its_200(context):
    """An unbound or valid form (a step answered, a form shown again) is no error."""
    # when
    response = response_to("POST", context)
    # then
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_a_form_with_errors_on_a_get_keeps_its_200(method):
    """A list's filter form with errors, bound to the query string, is not a 400."""
    # when
    response = response_to(method, {"filter_form": NameForm(INVALID)})
    # then
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("status", [HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS, 201])
def test_a_status_the_view_chose_is_kept(status):
    """An edit conflict's 409, a limit's 429: the view's own answer stands."""
    # when
    response = response_to("POST", {"form": NameForm(INVALID)}, status=status)
    # then
    assert response.status_code == status


def test_the_admin_keeps_djangos_own_answer():
    """The Django admin shows its forms' errors with a 200, as Django does."""
    # when
    response = response_to("POST", {"adminform": NameForm(INVALID)}, namespaces=["admin"])
    # then
    assert response.status_code == HTTPStatus.OK


def test_the_middleware_is_installed(settings):
    assert "coproduction.form_status.InvalidFormStatusMiddleware" in settings.MIDDLEWARE


# A page of each app -------------------------------------------------------------------------


@dataclass
class Page:
    url: str
    invalid: dict
    error: str
    valid: dict
    user: object = None
    created: list = field(default_factory=list)


def asset_form(request) -> Page:
    ward = request.getfixturevalue("ward")
    return Page(
        url=reverse("communities:asset_create"),
        user=request.getfixturevalue("officer"),
        invalid={"kind": "place", "category": "community_centre", "area": ward.pk},
        error="Enter the asset&#x27;s name",
        valid={
            "kind": "place",
            "category": "community_centre",
            "name": "Eastgate Centre",
            "area": ward.pk,
            "status": "active",
        },
    )


def roster_form(request) -> Page:
    project = request.getfixturevalue("project")
    person = ParticipantFactory(home_ward=request.getfixturevalue("ward"))
    chosen = {"participant": person.pk}
    return Page(
        url=reverse("projects:roster_add", args=[project.pk]) + f"?participant={person.pk}",
        user=request.getfixturevalue("officer"),
        invalid={**chosen, "role": "co_designer", "hours": "many"},
        error="Enter the hours as a number, like 6 or 2.5",
        valid={
            **chosen,
            "role": "co_designer",
            "participation_level": "leading",
            "started_on_0": "2",
            "started_on_1": "3",
            "started_on_2": "2026",
            "hours": "3",
        },
    )


def event_form(request) -> Page:
    starts = timezone.localtime() + dt.timedelta(days=30)
    event = {
        "title": "Spring forum",
        "kind": "forum",
        "starts_at": starts.strftime("%d/%m/%Y 18:00"),
        "ends_at": starts.strftime("%d/%m/%Y 20:00"),
        "place": "Eastgate Centre, 1 High Street",
        "area": request.getfixturevalue("ward").pk,
    }
    return Page(
        url=reverse("engagement:event_create"),
        user=request.getfixturevalue("officer"),
        invalid={**event, "ends_at": starts.strftime("%d/%m/%Y 17:00")},
        error="The event must end after it starts",
        valid=event,
    )


def volunteer_task_form(request) -> Page:
    task = {"name": "Clearing drains", "is_prohibited": "yes", "minimum_age": "18"}
    return Page(
        url=reverse("engagement:task_create"),
        user=request.getfixturevalue("officer"),
        invalid=task,
        error="Say what volunteers should do instead",
        valid={**task, "instead": "Report blocked drains: the highways team clears them."},
    )


def signoff_form(request) -> Page:
    signoff = request.getfixturevalue("signoff")
    return Page(
        url=reverse("governance:signoff_decide", args=[signoff.pk]),
        user=request.getfixturevalue("elected_member"),
        invalid={"decision": "reject", "comment": " "},
        error="Say why you are rejecting this request.",
        valid={"decision": "approve", "comment": "Agreed at the forum."},
    )


def report_a_problem_form(request) -> Page:
    PostcodeFactory(postcode="NF1 1AB", ward=request.getfixturevalue("ward"))
    where = {"postcode": "NF1 1AB", "location_description": "By the bins"}
    return Page(
        url=reverse("engagement:report_start"),
        invalid=where,
        error="Select what the problem is",
        valid={**where, "category": category("fly-tipping").pk},
    )


def champion_signup_form(request) -> Page:
    contact = {"email": "maureen@example.org", "preferred_channels": ["email"]}
    return Page(
        url=reverse("engagement:champion_step", args=["contact"]),
        invalid=contact,
        error="Enter your full name",
        valid={**contact, "full_name": "Maureen Pike"},
    )


def inclusion_report_form(request) -> Page:
    request.getfixturevalue("on_commit_now")
    report = {"start": "2026-01", "end": "2026-06", "minimum_age": 16}
    return Page(
        url=reverse("inclusion:report_request"),
        user=request.getfixturevalue("officer"),
        invalid={**report, "scope": ""},
        error="Choose what the report is about.",
        valid={**report, "scope": f"area:{request.getfixturevalue('aap').pk}"},
    )


PAGES = [
    asset_form,
    roster_form,
    event_form,
    volunteer_task_form,
    signoff_form,
    report_a_problem_form,
    champion_signup_form,
    inclusion_report_form,
]


@pytest.fixture(params=PAGES, ids=[page.__name__ for page in PAGES])
def page(request, client) -> Page:
    page = request.param(request)
    if page.user is not None:
        client.force_login(page.user)
    return page


@pytest.mark.django_db
def test_a_page_shown_again_with_errors_is_a_400_with_its_error_summary(client, page):
    # when
    response = client.post(page.url, page.invalid)
    # then
    assert response.status_code == HTTPStatus.BAD_REQUEST
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert page.error in content


@pytest.mark.django_db
def test_a_valid_submission_still_redirects(client, page):
    # when
    response = client.post(page.url, page.valid)
    # then
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.django_db
def test_the_blank_form_is_still_a_200(client, page):
    # when
    response = client.get(page.url)
    # then
    assert response.status_code == HTTPStatus.OK
    assert "govuk-error-summary" not in response.content.decode()
