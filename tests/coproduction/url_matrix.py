from tests.permissions import ADMIN_LOGIN, HOME, NOT_ALLOWED, OK, ROLES, everyone, signed_in

PAGES = {
    "home": ({}, everyone(OK)),
    "accessibility": ({}, everyone(OK)),
    "privacy": ({}, everyone(OK)),
    "healthz": ({}, everyone(OK)),
    "accounts:login": ({}, signed_in(HOME, visitor=OK)),
    "accounts:logout": ({}, everyone(NOT_ALLOWED)),
    "accounts:account": ({}, signed_in(OK)),
    "accounts:password_change": ({}, signed_in(OK)),
    "accounts:password_change_done": ({}, signed_in(OK)),
    "accounts:password_reset": ({}, everyone(OK)),
    "accounts:password_reset_done": ({}, everyone(OK)),
    "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "x-y"}, everyone(OK)),
    "accounts:password_reset_complete": ({}, everyone(OK)),
    "admin:index": (
        {},
        {**dict.fromkeys(ROLES, ADMIN_LOGIN), "administrator": OK},
    ),
}
