"""This app's rows of the role x page matrix (see tests/permissions.py)."""

from tests.permissions import NOT_ALLOWED, OK, everyone, only

AREA_WORKERS = ("officer", "elected_member", "board_member", "partner_user", "administrator")
STAFF = ("officer", "administrator")


def ward(fixture) -> dict:
    return {"pk": fixture("ward").pk}


def asset(fixture) -> dict:
    return {"pk": fixture("asset").pk}


def community(fixture) -> dict:
    return {"pk": fixture("community").pk}


def community_capacity(fixture) -> dict:
    return {"community": fixture("community").pk}


PAGES = {
    "communities:area_list": ({}, only(*AREA_WORKERS)),
    # An area is part of a council: the officer here covers an AAP, not the council.
    "communities:area_create": ({}, only("administrator")),
    "communities:area_detail": (ward, only(*AREA_WORKERS)),
    "communities:area_edit": (ward, only(*STAFF)),
    "communities:area_capacity_create": (ward, only(*STAFF)),
    "communities:community_list": ({}, only(*AREA_WORKERS)),
    "communities:community_detail": (community, only(*AREA_WORKERS)),
    "communities:community_capacity_create": (community_capacity, only(*STAFF)),
    # The public map, its data and the suggestion form: everyone, signed in or not.
    "communities:asset_map": ({}, everyone(OK)),
    "communities:asset_geojson": ({}, everyone(OK)),
    "communities:asset_export_oruk": ({}, everyone(OK)),
    "communities:asset_suggest": ({}, everyone(OK)),
    "communities:asset_suggest_done": ({}, everyone(OK)),
    "communities:asset_list": ({}, only(*AREA_WORKERS)),
    "communities:asset_create": ({}, only(*STAFF)),
    "communities:asset_detail": (asset, only(*AREA_WORKERS)),
    "communities:asset_edit": (asset, only(*STAFF)),
    "communities:asset_action": (asset, only(*STAFF, status=NOT_ALLOWED)),
    "communities:import": ({}, only(*STAFF)),
}
