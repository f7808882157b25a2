import json
import re
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mockserver import magic
from mockserver.apidocs import openapi, render
from mockserver.http.routes import ROUTES
from mockserver.wire import models as w
from tests.conftest import fresh_phone, fresh_tckn

ROOT = Path(__file__).resolve().parents[1]


def test_routes_answer_with_and_without_api_prefix(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    assert sb.http.get("/api/insurance-companies", headers=h).json() == sb.http.get("/insurance-companies", headers=h).json()
    r = sb.http.get("/api/__sandbox/health")
    assert r.status_code == 404 and "never under /api" in r.json()["detail"]


def test_cors_preflight_and_headers(sb):
    r = sb.http.options("/api/customers/me", headers={"Origin": "https://site.example", "Access-Control-Request-Method": "GET",
                                                      "Access-Control-Request-Headers": "authorization, content-type"})
    assert r.status_code == 204 and r.headers["access-control-allow-origin"] == "*"
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
    err = sb.http.get("/api/customers/me", headers={"Origin": "https://site.example"})
    assert err.status_code == 401 and err.headers["access-control-allow-origin"] == "*"


def test_error_shapes(sb, agent):
    bad_json = sb.http.post("/api/auth/customer/login-or-register", content=b"{not json",
                            headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.json()["codes"] == ["MALFORMED_JSON"]
    w.Problem.model_validate(bad_json.json())
    assert sb.http.post("/api/auth/customer/login-or-register", content=b"[1]",
                        headers={"Content-Type": "application/json"}).status_code == 400
    big = sb.http.post("/api/auth/customer/login-or-register", content=b"{" + b" " * (1024 * 1024 + 10) + b"}",
                       headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and big.json()["type"].endswith("/payload-too-large")

    def chunks():
        for _ in range(20):
            yield b" " * 65536
    streamed = sb.http.post("/api/auth/customer/login-or-register", content=chunks(),
                            headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert sb.http.get("/api/no/such/thing").json()["type"].endswith("/endpoint-not-found")
    wrong = sb.http.patch("/api/customers/me")
    assert wrong.status_code == 405 and "GET" in wrong.headers["allow"]
    planned = sb.http.get("/api/cases/communication-automations")
    assert planned.status_code == 501 and "communication automations" in planned.json()["detail"]
    assert sb.http.post("/release-notes").status_code == 405  # a planned path claims its documented methods only
    trace = sb.http.get("/api/customers/me", headers={"X-Request-ID": "req-123"})
    assert trace.headers["x-trace-id"] == "req-123" and trace.json()["traceId"] == "req-123"


def test_journal_masks_cards_and_drops_cvc(sb, agent):
    token = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())["accessToken"]
    sb.http.put("/api/customers/me", headers=sb.bearer(token),
                json={"note": "card 4242424242424242", "card": {"number": "4242424242424242", "cvc": "123"}})
    journal = sb.http.get(f"/__sandbox/agents/{agent.id}/journal").json()
    dumped = json.dumps(journal)
    assert "4242424242424242" not in dumped and "424242******4242" in dumped and '"cvc"' not in dumped
    assert any(e["path"] == "/api/auth/customer/login-or-register" for e in journal)
    assert all(e["authorization"] in (None, "Bearer ***") for e in journal)


def test_journal_is_bounded(sb):
    a = sb.new_agent()
    size = sb.sandbox.settings.journal_size
    h = sb.bearer(sb.service_token(a))
    for _ in range(size + 20):
        sb.http.get("/agents/me", headers=h)
    assert len(sb.http.get(f"/__sandbox/agents/{a.id}/journal").json()) == size


def test_control_plane_agents_clock_and_fixture(sb):
    a = sb.http.post("/__sandbox/agents", json={"agentId": "01965871-9f3c-7e4b-97f1-3b57e56a8046", "seed": 42,
                                                "serviceAccount": {"clientId": "ci-job-42", "clientSecret": "s3cret-value"}})
    assert a.status_code == 201
    w.AgentCreated.model_validate(a.json())
    assert a.json()["agentId"] == "01965871-9f3c-7e4b-97f1-3b57e56a8046" and a.json()["serviceAccount"]["clientId"] == "ci-job-42"
    assert sb.http.post("/__sandbox/agents", json={"agentId": "01965871-9f3c-7e4b-97f1-3b57e56a8046"}).status_code == 409
    assert sb.http.post("/__sandbox/agents", json={"sed": 1}).json()["validationErrors"][0]["propertyName"] == "sed"
    aid = a.json()["agentId"]
    frozen = sb.http.post(f"/__sandbox/agents/{aid}/clock", json={"set": "2027-01-01T09:00:00Z", "freeze": True}).json()
    assert frozen == {"now": "2027-01-01T09:00:00.000Z", "frozen": True, "offsetSeconds": frozen["offsetSeconds"]}
    moved = sb.http.post(f"/__sandbox/agents/{aid}/clock", json={"advance": 90}).json()
    assert moved["now"] == "2027-01-01T09:01:30.000Z"
    assert sb.http.post(f"/__sandbox/agents/{aid}/clock", json={"advance": -5}).status_code == 422
    assert sb.http.post(f"/__sandbox/agents/{aid}/clock", json={"rewind": 5}).status_code == 422
    assert sb.http.get("/__sandbox/agents/nope/clock").status_code == 404
    assert sb.http.delete(f"/__sandbox/agents/{aid}").status_code == 204


def test_same_seed_same_answers(sb):
    def run(agent_id):
        sb.http.post("/__sandbox/agents", json={"agentId": agent_id, "seed": 99})
        tokens = sb.customer_login(agent_id, "11111111110", "5321234567")
        me = sb.http.get("/customers/me", headers=sb.bearer(tokens["accessToken"])).json()
        code = sb.http.get(f"/__sandbox/agents/{agent_id}/sms").json()[-1]["code"]
        sb.http.delete(f"/__sandbox/agents/{agent_id}")
        return me["id"], me["fullName"], code

    first, again = run("same-agent"), run("same-agent")
    assert first[:2] == again[:2]  # the simulation is seeded
    assert len(first[2]) == 6 and first[2].isdigit()  # an SMS code is a secret: never derived from the seed


def test_magic_and_openapi_contracts_are_current(sb):
    assert sb.http.get("/__sandbox/magic").json() == magic.catalogue()
    assert json.loads((ROOT / "contracts" / "magic-values.json").read_text()) == magic.catalogue()
    assert (ROOT / "contracts" / "openapi.json").read_text() == render(openapi(ROUTES)), \
        "contracts/openapi.json is stale: run `insurup-sandbox export-contracts`"
    from mockserver.graphql.schema import sdl

    assert (ROOT / "contracts" / "schema.graphql").read_text() == sdl(), \
        "contracts/schema.graphql is stale: run `insurup-sandbox export-contracts`"
BODY_ROUTES = [s for s in ROUTES if s.method in ("POST", "PUT") and s.request_model is not None]
json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False)
                           | st.text(max_size=30), lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


def field_names(model) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()] if hasattr(model, "model_fields") else []


@st.composite
def bodies(draw):
    spec = draw(st.sampled_from(BODY_ROUTES))
    names = field_names(spec.request_model) + ["agentId", "customerId", "plate", "number"]
    body = draw(st.dictionaries(st.sampled_from(names), json_values, max_size=8))
    return spec, body


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(bodies())
def test_fuzzed_bodies_never_yield_a_500(sb, agent, example):
    spec, body = example
    token = sb.service_token(agent)
    path = spec.path.replace("{customerId}", sb.sandbox.agents[agent.id].customers and
                             next(iter(sb.sandbox.agents[agent.id].customers)) or "x")
    for name in ("vehicleId", "propertyId", "connectionId", "agentId", "relationshipId", "consentType", "caseRef"):
        path = path.replace("{" + name + "}", "x")
    if "agentId" in body and spec.path.startswith("/auth/"):
        body["agentId"] = agent.id if isinstance(body["agentId"], str) else body["agentId"]
    r = sb.http.request(spec.method, path, content=orjson.dumps(body), headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    assert r.status_code < 500 or r.status_code in (501, 502), (spec.path, body, r.text)
    if spec.path == "/graphql":  # GraphQL answers in its own error shape
        assert r.status_code in (200, 400) and r.json()["errors"][0]["extensions"]["code"], r.text
    elif spec.path.startswith("/connect/"):  # the OAuth endpoints answer in RFC 6749's error shape
        assert r.status_code < 400 or r.json()["error"], r.text
    elif spec.path.startswith("/login"):  # the sign-in pages answer a page a person reads
        assert r.status_code < 400 or ("text/html" in r.headers["content-type"] and "<p>" in r.text), r.text
    elif r.status_code >= 400:
        problem = r.json()
        assert problem["status"] == r.status_code and problem["detail"] and problem["traceId"]


FORM_ROUTES = [s for s in BODY_ROUTES if s.path.startswith(("/connect/", "/login"))]


@st.composite
def forms(draw):
    spec = draw(st.sampled_from(FORM_ROUTES))
    names = field_names(spec.request_model) + ["client_id", "grant_type", "code", "token", "request"]
    return spec, draw(st.dictionaries(st.sampled_from(names), st.text(max_size=40), max_size=8))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(forms())
def test_fuzzed_forms_to_the_sign_in_endpoints_never_yield_a_500(sb, agent, example):
    spec, form = example
    r = sb.http.request(spec.method, spec.path, data=form, follow_redirects=False)
    assert r.status_code < 500, (spec.path, form, r.text)
    if r.status_code >= 400 and spec.path.startswith("/connect/"):
        assert r.json()["error"] in ("invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type",
                                     "invalid_scope", "unauthorized_client", "unsupported_token_type",
                                     "invalid_request_uri", "unsupported_response_type"), r.text


def test_the_sandbox_wide_journal_keeps_what_no_agent_claims(sb, agent):
    sb.http.get("/api/no/such/path")
    sb.http.get("/api/customers/me", headers={"Authorization": "Bearer not-a-token"})
    token = sb.service_token(agent)
    sb.http.get("/api/insurance-companies", headers=sb.bearer(token))
    entries = sb.http.get("/__sandbox/journal", headers=sb.control_headers()).json()
    unclaimed = [e for e in entries if e["agentId"] is None]
    assert {"/api/no/such/path", "/api/customers/me"} <= {e["path"] for e in unclaimed}
    mine = [e for e in entries if e["agentId"] == agent.id]
    assert {e["path"] for e in mine} >= {"/connect/token", "/api/insurance-companies"}
    walls = [e["wall"] for e in entries]
    assert walls == sorted(walls)


ADMIN_ROUTES = [s for s in BODY_ROUTES if s.path.startswith(("/agent-", "/oauth-clients", "/policies/manual",
                                                            "/policy-transfers", "/contact-form", "/insurance-services/"))
                or "/analytics/" in s.path or s.path.startswith("/customers/{customerId}/")
                or s.path.endswith(("/representative", "/branch"))]


@pytest.fixture(scope="module")
def scoped_user(insurup_sandbox):
    """An agent user whose role reads and writes only their own records, and a customer of the agency."""
    sb = insurup_sandbox
    agent = sb.new_agent()
    h = sb.bearer(sb.service_token(agent))
    sb.http.post("/api/agent-roles", headers=h, json={"name": "own", "permissions": [
        {"permission": p, "scope": "Own"} for p in ("customers:read", "customers:write", "cases:read", "proposals:read")]})
    role = next(r["id"] for r in sb.http.get("/api/agent-roles", headers=h).json() if r["name"] == "own")
    sb.http.post("/api/agent-users/invite", headers=h, json={"email": f"own.{agent.id[:6]}@acente.test", "firstName": "O",
                                                            "lastName": "W", "roleId": role})
    code = [m for m in sb.http.get(f"/__sandbox/agents/{agent.id}/outbox").json()][-1]["inviteCode"]
    sb.http.post("/api/agent-users/accept-invite", json={"code": code, "password": "Parola-2026!"})
    token = sb.http.post("/api/authentication:agent-user/login", json={"email": f"own.{agent.id[:6]}@acente.test",
                                                                       "password": "Parola-2026!"}).json()["accessToken"]
    customer = sb.http.post("/api/customers", headers={"Authorization": f"Bearer {token}"}, json={
        "$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Ece Kaya"}).json()["id"]
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, customer


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(ADMIN_ROUTES), st.data())
def test_fuzzed_bodies_to_the_agency_routes_as_a_scoped_user_never_yield_a_500(sb, scoped_user, spec, data):
    headers, customer = scoped_user
    names = field_names(spec.request_model) + ["agentBranchId", "roleId", "code"]
    body = data.draw(st.dictionaries(st.sampled_from(names), json_values, max_size=8))
    path = re.sub(r"\{[^}]+\}", data.draw(st.sampled_from(["x", "0123456789abcdef01234567", "ğ²"])),
                  spec.path.replace("{customerId}", customer))
    r = sb.http.request(spec.method, "/api" + path, content=orjson.dumps(body), headers=headers)
    assert r.status_code < 500 or r.status_code == 501, (spec.path, body, r.text)
    if r.status_code >= 400:
        assert r.json()["status"] == r.status_code and r.json()["traceId"], r.text


def test_a_download_name_with_any_unicode_is_a_valid_header(sb):
    """Headers are bytes: an agent id in a snapshot's file name travels as RFC 6266's filename*."""
    agent = sb.new_agent(agentId="²-ağaç-ş")
    r = sb.http.get(f"/__sandbox/agents/{agent.id}/snapshot", headers=sb.control_headers(agent.id))
    assert r.status_code == 200, r.text
    header = r.headers["content-disposition"]
    assert header.isascii() and "filename*=UTF-8''agent-%C2%B2-a%C4%9Fa" in header
