"""Who may call what is declared on each route (``mockserver.http.framework.Routes``: the token kind,
the OAuth scope, the agency role permission) and enforced in one place before the handler runs. For
every declared API route: a customer's token on an agents' route, an agent's token on a customers'
route, a token without the route's scope, and an agent user whose role lacks the route's permission
are each refused with their own code, before anything about the request is looked at (the path's
ids here name nothing). The OpenAPI document's security says the same."""

from __future__ import annotations

import re

import pytest

from mockserver.apidocs import openapi
from mockserver.http.routes import ROUTES
from tests.conftest import fresh_phone, fresh_tckn
from tests.test_admin import invite_and_accept, _user_token

TOKENED = [s for s in ROUTES if s.auth in ("token", "agent", "customer")]
_IDS = re.compile(r"\{[^}]+\}")


def _call(sb, spec, headers):
    path = _IDS.sub("nope", spec.path)
    body = {} if spec.method in ("POST", "PUT") else None
    if spec.form:
        return sb.http.request(spec.method, path, headers=headers, data={})
    return sb.http.request(spec.method, path, headers=headers, json=body)


@pytest.fixture(scope="module")
def callers(insurup_sandbox):
    sb = insurup_sandbox
    agent = sb.new_agent()
    owner = sb.bearer(sb.service_token(agent))
    customer = sb.bearer(sb.customer_login(agent.id, fresh_tckn(), fresh_phone())["accessToken"])
    # a service account token that carries only one granular scope (no core-api)
    narrow = sb.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": agent.client_id,
                                                  "client_secret": agent.client_secret, "scope": "webhook:read"})
    assert narrow.status_code == 200, narrow.text
    # an agent user whose role holds no permission at all
    role = sb.http.post("/api/agent-roles", headers=owner, json={"name": "Hiçbir yetki", "permissions": []})
    assert role.status_code == 204, role.text
    role_id = role.headers["location"].rsplit("/", 1)[1]
    invite_and_accept(sb, agent, owner, "yetkisiz@acente.test", role_id=role_id)
    bare = sb.bearer(_user_token(sb, agent.id, "yetkisiz@acente.test", "Parola-2026!"))
    return {"sb": sb, "customer": customer, "owner": owner,
            "narrow": {"Authorization": f"Bearer {narrow.json()['access_token']}"}, "bare": bare}


@pytest.mark.parametrize("spec", [s for s in TOKENED if s.auth == "agent"], ids=lambda s: f"{s.method} {s.path}")
def test_a_customer_token_is_refused_on_every_agents_route(callers, spec):
    r = _call(callers["sb"], spec, callers["customer"])
    assert r.status_code == 403 and r.json()["codes"] == ["ACCESS_DENIED"], r.text


@pytest.mark.parametrize("spec", [s for s in TOKENED if s.auth == "customer"], ids=lambda s: f"{s.method} {s.path}")
def test_an_agent_token_is_refused_on_every_customers_route(callers, spec):
    r = _call(callers["sb"], spec, callers["owner"])
    assert r.status_code == 403 and r.json()["codes"] == ["CUSTOMER_TOKEN_REQUIRED"], r.text


@pytest.mark.parametrize("spec", [s for s in TOKENED if s.auth != "customer" and s.scope not in ("webhook:read", None)],
                         ids=lambda s: f"{s.method} {s.path}")
def test_a_token_without_the_routes_scope_is_refused(callers, spec):
    r = _call(callers["sb"], spec, callers["narrow"])
    if spec.path == "/graphql":  # GraphQL answers in its own shape
        assert r.status_code == 403 and r.json()["errors"][0]["extensions"]["codes"] == ["INSUFFICIENT_SCOPE"]
        return
    assert r.status_code == 403 and r.json()["codes"] == ["INSUFFICIENT_SCOPE"], r.text
    assert spec.scope in r.headers["www-authenticate"]


@pytest.mark.parametrize("spec", [s for s in TOKENED if s.permission and s.auth != "customer"],
                         ids=lambda s: f"{s.method} {s.path}")
def test_a_user_whose_role_lacks_the_routes_permission_is_refused(callers, spec):
    r = _call(callers["sb"], spec, callers["bare"])
    assert r.status_code == 403 and r.json()["codes"] == ["AGENT_ROLE_PERMISSION_REQUIRED"], r.text
    assert spec.permission in r.json()["detail"]


def test_the_scope_a_route_declares_lets_a_narrow_token_in(callers):
    sb = callers["sb"]
    assert sb.http.get("/api/webhooks", headers=callers["narrow"]).status_code == 200
    assert sb.http.post("/api/webhooks", headers=callers["narrow"], json={}).json()["codes"] == ["INSUFFICIENT_SCOPE"]


def test_the_documents_security_is_the_declaration():
    doc = openapi(ROUTES)
    for spec in ROUTES:
        op = doc["paths"][spec.path][spec.method.lower()]
        security = op.get("security")
        if spec.auth == "agent":
            assert {"bearer": []} not in security and {"oauth2": ["core-api"]} in security
        elif spec.auth == "customer":
            assert security == [{"bearer": []}]
        elif spec.auth == "token":
            assert {"bearer": []} in security and {"oauth2": ["core-api"]} in security
        elif spec.auth in ("none", "public"):
            assert security is None, spec.path
        if spec.scope and spec.auth != "customer":  # (a customer's token is not scoped)
            assert {"oauth2": [spec.scope]} in security
        assert op.get("x-role-permission") == spec.permission
