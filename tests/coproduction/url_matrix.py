from tests.api.url_matrix import PAGES as API_PAGES
from tests.permissions import (
    ADMIN_LOGIN,
    FORBIDDEN,
    HOME,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    ROLES,
    everyone,
    only,
    signed_in,
)

REDIRECT = 302
# People who must use a second factor: signed in with it verified (tests/two_factor.py).
TWO_FACTOR_ROLES = ("officer", "elected_member", "board_member", "administrator")


def two_factor_only(status, *, others=REDIRECT) -> dict:
    """`status` for people with an authenticator app, `others` for those without."""
    return only(*TWO_FACTOR_ROLES, status=status, others=others)


def job(fixture) -> dict:
    return {"pk": fixture("officer_job").pk}


PAGES = {
    "home": ({}, everyone(OK)),
    "accessibility": ({}, everyone(OK)),
    "privacy": ({}, everyone(OK)),
    "healthz": ({}, everyone(OK)),
    "accounts:login": ({}, signed_in(HOME, visitor=OK)),
    "accounts:logout": ({}, everyone(NOT_ALLOWED)),
    "accounts:account": ({}, signed_in(OK)),
    "accounts:sign_out_everywhere": ({}, signed_in(NOT_ALLOWED)),
    # Verified already: on to the home page; no app yet: to setting one up.
    "accounts:two_factor_verify": ({}, two_factor_only(HOME)),
    "accounts:two_factor_setup": ({}, signed_in(OK)),
    "accounts:two_factor_backup_codes": ({}, two_factor_only(OK)),
    # Only those who chose a second factor may turn it off (these have none to turn off).
    "accounts:two_factor_disable": ({}, two_factor_only(FORBIDDEN)),
    "accounts:password_change": ({}, signed_in(OK)),
    "accounts:password_change_done": ({}, signed_in(OK)),
    "accounts:password_reset": ({}, everyone(OK)),
    "accounts:password_reset_done": ({}, everyone(OK)),
    "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "x-y"}, everyone(OK)),
    "accounts:password_reset_complete": ({}, everyone(OK)),
    # Only the person who started a job, and administrators, see it; others learn nothing.
    "jobs:detail": (job, only("officer", "administrator", others=NOT_FOUND)),
    "jobs:status": (job, only("officer", "administrator", others=NOT_FOUND, visitor=FORBIDDEN)),
    "admin:index": (
        {},
        {**dict.fromkeys(ROLES, ADMIN_LOGIN), "administrator": OK},
    ),
}
# The partner API and its administrators' pages (coproduction.api).
PAGES.update(API_PAGES)
