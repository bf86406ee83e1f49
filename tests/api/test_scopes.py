"""Every API view declares its scopes, and a call without them is refused clearly."""

import pytest
from rest_framework.test import APIClient

from coproduction.api.scopes import ScopeMap, scopes
from tests.api.fixtures import api_for
from tests.api.routes import api_routes

ROUTES = api_routes()


def test_the_walk_finds_the_api_routes():
    names = {name for name, _view, _actions in ROUTES}
    assert {"area-list", "partnership-detail", "me", "token"} <= names


@pytest.mark.parametrize(("name", "view", "actions"), ROUTES, ids=[r[0] for r in ROUTES])
def test_every_api_view_declares_its_scopes(name, view, actions):
    # given
    declared = getattr(view, "api_scopes", None)
    # then
    assert isinstance(declared, ScopeMap), f"api:{name} declares no api_scopes"
    assert set(declared.names) <= set(scopes.names()), f"api:{name} names unknown scopes"
    if declared.is_public or declared.any_caller:
        return
    methods = {m.upper() for m in (actions or {})} or {
        m.upper() for m in view.http_method_names if hasattr(view, m)
    }
    if methods & {"GET", "HEAD"}:
        assert declared.read, f"api:{name} reads without a read scope"
    if methods & {"POST", "PUT", "PATCH", "DELETE"}:
        assert declared.write, f"api:{name} writes without a write scope"


def test_a_view_without_scopes_is_closed(rf):
    # given
    from coproduction.api.permissions import HasApiScope

    class Undeclared:
        pass

    # when
    allowed = HasApiScope().has_permission(rf.get("/"), Undeclared())
    # then
    assert allowed is False


def test_every_scope_is_resource_and_verb():
    for scope in scopes:
        resource, verb = scope.name.split(":")
        assert resource
        assert verb
        assert scope.description


@pytest.mark.django_db
def test_token_without_the_scope_gets_403_naming_it(police_client):
    # given
    api = api_for(police_client, scope="partnerships:read")
    # when
    response = api.get("/api/v1/areas/")
    # then
    assert response.status_code == 403
    assert "areas:read" in response.json()["detail"]


@pytest.mark.django_db
def test_no_credentials_get_401_with_a_bearer_challenge():
    # when
    response = APIClient().get("/api/v1/areas/")
    # then
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"].startswith('Bearer realm="api"')


@pytest.mark.django_db
def test_resident_session_is_refused(resident):
    # given
    api = APIClient()
    api.force_login(resident)
    # when
    response = api.get("/api/v1/areas/")
    # then
    assert response.status_code == 403
    assert "partner agencies" in response.json()["detail"]


@pytest.mark.django_db
def test_officer_session_reads_with_csrf_enforced_on_writes(officer, aap):
    # given
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(officer)
    # when
    read = api.get("/api/v1/areas/")
    write = api.post("/api/v1/me/", {}, format="json")
    # then
    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]
