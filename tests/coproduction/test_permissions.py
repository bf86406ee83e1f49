"""Every role against every page: a new URL fails here until its row is written."""

from importlib import import_module

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.coproduction.security_headers import assert_security_headers
from tests.permissions import ADMIN_LOGIN, HOME, LOGIN, ROLES

MATRIX_MODULES = [
    "tests.coproduction.url_matrix",
    "tests.communities.url_matrix",
    "tests.projects.url_matrix",
    "tests.engagement.url_matrix",
    "tests.governance.url_matrix",
    "tests.engagement.inclusion.url_matrix",
]


def pages() -> dict:
    merged: dict = {}
    for module in MATRIX_MODULES:
        rows = import_module(module).PAGES
        assert merged.keys().isdisjoint(rows), f"{module} repeats a row"
        merged.update(rows)
    return merged


PAGES = pages()

# The admin site guards itself (staff only); its own pages are not listed one by one.
SELF_GUARDED_NAMESPACES = {"admin"}


def url_names(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in SELF_GUARDED_NAMESPACES:
                yield f"{namespace}:index"
                continue
            yield from url_names(
                entry.url_patterns, f"{prefix}{namespace}:" if namespace else prefix
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def test_every_url_has_a_row_in_the_permission_matrix():
    names = set(url_names(get_resolver().url_patterns))
    assert names - PAGES.keys() == set(), "add these URLs to a url_matrix.py with each outcome"
    assert PAGES.keys() - names == set(), "these rows name URLs that no longer exist"


CASES = [(name, role) for name in PAGES for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_gets_expected_outcome(client, user_for_role, request, name, role):
    # given
    kwargs, expected = PAGES[name]
    if callable(kwargs):
        kwargs = kwargs(request.getfixturevalue)
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=kwargs)
    # when
    response = client.get(url)
    # then
    outcome = expected[role]
    if outcome == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    elif outcome == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    elif outcome == HOME:
        assert response.status_code == 302
        assert response.url == reverse("home")
    else:
        assert response.status_code == outcome
    # and whatever the outcome, the security headers (signed in: nothing cached)
    assert_security_headers(response, private=user is not None or url.startswith("/api/"))
