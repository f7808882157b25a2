"""Any unicode text, of every category, in every string and number field of every request body, in
every query parameter and in every path parameter: the sandbox answers a 4xx problem naming the
field (or a 2xx), never a 5xx. The class of bug hunted: ``"²".isdigit()`` is true but ``int("²")``
fails; ``hmac.compare_digest`` raises on non-ASCII ``str``.

Bodies start from a valid example of the operation (real ids of a customer, a vehicle, a property,
a proposal, a case...), so the mutated field reaches the rules of the domain, not only the schema.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from mockserver.http.routes import ROUTES
from mockserver.wire.parse import model_types
from tests.conftest import fresh_phone, fresh_tckn
from tests.test_proposals import created, kasko_body, new_buyer, settle
ODD_DIGITS = ["²", "٣٤", "١٢٣٤٥٦", "𝟙𝟚𝟛", "①②", "５３２１２３４５６７", "߁߂", "٠٥٣٢١٢٣٤٥٦٧", "3²", "1e3", "-0", "١.٥"]
texts = st.one_of(
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=40),  # every category, surrogates too
    st.sampled_from(ODD_DIGITS),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=12),
)


def _leaves(model: type[BaseModel], prefix: tuple[Any, ...] = (), depth: int = 0) -> list[tuple[Any, ...]]:
    """Paths of every field (also inside nested models, and a list's first item)."""
    out: list[tuple[Any, ...]] = []
    for name, info in model.model_fields.items():
        key = prefix + (info.alias or name,)
        out.append(key)
        if "list[" in str(info.annotation):
            out.append(key + (0,))
        if depth < 2:
            for sub in model_types(info.annotation):
                out += _leaves(sub, key + ((0,) if "list[" in str(info.annotation) else ()), depth + 1)
    return out


def _set(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(body))
    node: Any = body
    for i, key in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(node, dict):
            if not isinstance(node.get(key), (dict, list)):
                node[key] = [] if isinstance(nxt, int) else {}
            node = node[key]
        else:
            while len(node) <= key:
                node.append({} if not isinstance(nxt, int) else [])
            node = node[key]
    last = path[-1]
    if isinstance(node, list):
        while len(node) <= last:
            node.append(None)
    node[last] = value
    return body


@pytest.fixture(scope="module")
def world(insurup_sandbox):
    """One agent with a customer (token), vehicle, property, proposal, product, case, webhook."""
    sb = insurup_sandbox
    agent = sb.new_agent(webhookDelivery="manual")
    service = sb.service_token(agent)
    buyer = new_buyer(sb, agent.id)
    pid = created(sb, buyer, kasko_body(buyer))
    settle(sb, agent.id, pid)
    product = next(p for p in sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()["products"]
                   if p["state"] == "ACTIVE")
    case = sb.http.post("/api/cases:new-sale-opportunity", headers=sb.bearer(service), json={
        "customerId": buyer.id, "productBranch": "KASKO", "channel": "WEBSITE"}).json()["id"]
    hook = sb.http.post("/api/webhooks", headers=sb.bearer(service), json={
        "url": "http://127.0.0.1:9/hook", "events": ["policy.created"]}).json()["id"]
    group = next(g for g in sb.http.get("/api/coverage-groups", headers=sb.bearer(service)).json())["id"]
    conn = sb.http.get("/api/agents/me/insurance-companies", headers=sb.bearer(service)).json()[0]["id"]
    ids = {"customerId": buyer.id, "vehicleId": buyer.vehicle, "propertyId": buyer.property, "proposalId": pid,
           "productId": product["id"], "caseRef": case, "webhookId": hook, "groupId": group, "connectionId": conn,
           "agentId": agent.id, "consentType": "KVKK", "installmentNumber": "1", "companyId": "43"}
    examples = {
        "/auth/customer/login-or-register": {"$type": "individual", "identityNumber": fresh_tckn(),
                                              "birthDate": "1990-01-01", "agentId": agent.id,
                                              "phoneNumber": {"number": fresh_phone(), "countryCode": 90}},
        "/customers": {"$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Ayşe Yılmaz",
                       "birthDate": "1990-01-01", "phoneNumber": {"number": fresh_phone(), "countryCode": 90}},
        "/customers/{customerId}/vehicles": {"plate": {"city": 34, "code": "KT456"}, "brandReference": "RENAULT",
                                             "modelTypeReference": "CLIO", "modelYear": 2019,
                                             "utilizationStyle": "PRIVATE_CAR", "fuel": {"type": "GASOLINE"}},
        "/customers/{customerId}/vehicles/external-lookup": {"plate": "34ABC123"},
        "/customers/{customerId}/properties": {"number": 1234567890, "squareMeter": 120, "constructionYear": 2005,
                                               "floor": {"totalFloors": {"$type": "range", "min": 4, "max": 7},
                                                         "currentFloor": 3}},
        "/proposals": kasko_body(buyer),
        "/proposals/{proposalId}/products/{productId}/purchase/async": {
            "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": "http://localhost:3000/cb",
            "card": {"number": "4111111111111111", "cvc": "123", "expiryMonth": "12", "expiryYear": "2030",
                     "holderName": "AYŞE YILMAZ"}},
        "/proposals/{proposalId}/products/{productId}/purchase/sync": {
            "$type": "credit-card", "installmentNumber": 1,
            "card": {"number": "4111111111111111", "cvc": "123", "expiryMonth": "12", "expiryYear": "2030",
                     "holderName": "AYŞE YILMAZ"}},
        "/webhooks": {"url": "http://127.0.0.1:9/hook", "events": ["policy.created"], "secret": "s3cret"},
        "/cases:new-sale-opportunity": {"customerId": buyer.id, "productBranch": "KASKO", "channel": "WEBSITE"},
        "/coverage-groups": {"name": "Grup", "productBranch": "KASKO"},
        "/customers/{customerId}/health-info": {"height": 170, "weight": 70},
        "/properties/query-address-by-property-number": {"propertyNumber": 1234567890},
        "/properties/query-property-by-dask-old-policy": {"daskOldPolicyNumber": "12345678"},
        "/authentication:agent-user/login": {"email": agent.email, "password": agent.password},
        "/agents/me/insurance-companies": {"insuranceCompanyId": 43, "branches": ["KASKO"]},
        "/cases/{caseRef}/state": {"mainState": "OPEN", "subState": "OPEN_INITIAL"},
        "/cases/{caseRef}/notes": {"note": "not"},
        "/customers/{customerId}/relationships": {"relatedCustomerId": buyer.id, "relationType": "SPOUSE"},
        "/customers/{customerId}/consents": {"consentType": "KVKK"},
        "/graphql": {"query": "{ customers(take: 1) { totalCount } }"},
    }
    yield sb, agent, service, buyer, ids, examples
    sb.delete_agent(agent.id)


def _headers(sb, spec, service: str, buyer) -> dict[str, str]:
    if spec.auth == "customer":
        return buyer.h
    if spec.auth in ("none", "public"):
        return {}
    return {**sb.bearer(service), **sb.control_headers()}


def _path(spec, ids: dict[str, str], override: tuple[str, str] | None = None) -> str:
    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        if override and override[0] == name:
            return override[1]
        return ids.get(name, "x")

    return re.sub(r"\{([A-Za-z0-9_]+)(?::[a-z]+)?\}", fill, spec.path)


def _check(r, where: Any) -> None:
    assert r.status_code < 500 or r.status_code in (501, 502, 504), (where, r.status_code, r.text[:500])
    if r.status_code >= 400 and r.headers.get("content-type", "").startswith("application/problem+json"):
        problem = r.json()
        assert problem["status"] == r.status_code and problem["detail"], (where, r.text[:300])


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value.encode("utf-8", "surrogatepass"), safe="")


BODIES = [s for s in ROUTES if s.request_model is not None]
QUERIES = [s for s in ROUTES if s.query is not None]
PATHS = [s for s in ROUTES if "{" in s.path]


@pytest.mark.parametrize("spec", BODIES, ids=lambda s: f"{s.method} {s.path}")
def test_unicode_in_every_body_field(world, spec):
    sb, agent, service, buyer, ids, examples = world
    fields = _leaves(spec.request_model)
    base = examples.get(spec.path, {})
    headers = _headers(sb, spec, service, buyer)

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(field=st.sampled_from(fields), text=texts)
    def run(field, text):
        body = _set(base, field, text)
        raw = json.dumps(body, ensure_ascii=True).encode()  # lone surrogates travel as \\u escapes
        if spec.form:
            from urllib.parse import urlencode

            flat = {k: v for k, v in body.items() if isinstance(v, str)}
            r = sb.http.request(spec.method, _path(spec, ids), content=urlencode(
                {k: v.encode("utf-8", "surrogatepass") for k, v in flat.items()}),
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
        else:
            r = sb.http.request(spec.method, _path(spec, ids), content=raw,
                                headers={**headers, "Content-Type": "application/json"})
        _check(r, (spec.method, spec.path, field, text))

    run()


@pytest.mark.parametrize("spec", QUERIES, ids=lambda s: f"{s.method} {s.path}")
def test_unicode_in_every_query_parameter(world, spec):
    sb, agent, service, buyer, ids, _ = world
    names = [info.alias or name for name, info in spec.query.model_fields.items()]
    headers = _headers(sb, spec, service, buyer)

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(names), text=texts)
    def run(name, text):
        r = sb.http.request(spec.method, f"{_path(spec, ids)}?{name}={_quote(text)}", headers=headers)
        _check(r, (spec.method, spec.path, name, text))

    run()


@pytest.mark.parametrize("spec", PATHS, ids=lambda s: f"{s.method} {s.path}")
def test_unicode_in_every_path_parameter(world, spec):
    sb, agent, service, buyer, ids, examples = world
    names = re.findall(r"\{([A-Za-z0-9_]+)", spec.path)
    headers = _headers(sb, spec, service, buyer)
    body = json.dumps(examples.get(spec.path, {})).encode()

    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(names), text=texts.filter(lambda t: t not in ("", ".", "..")))
    def run(name, text):
        path = _path(spec, ids, (name, _quote(text)))
        r = sb.http.request(spec.method, path, content=body if spec.method in ("POST", "PUT") else None,
                            headers={**headers, "Content-Type": "application/json"})
        _check(r, (spec.method, spec.path, name, text))

    run()


HUGE = ["9" * 5000, "+" + "9" * 4400, "0" * 4301 + "7", "1_" * 2500 + "1"]  # past int()'s 4,300-digit limit


@pytest.mark.parametrize("spec", BODIES, ids=lambda s: f"{s.method} {s.path}")
def test_a_5000_digit_number_in_every_body_field_is_a_4xx(world, spec):
    """Every field, in turn, as a number far too long for any InsurUp field: a 4xx naming the problem,
    never a 500 from ``int()``'s digit limit (and the connection stays usable: the next request works)."""
    sb, agent, service, buyer, ids, examples = world
    base = examples.get(spec.path, {})
    headers = _headers(sb, spec, service, buyer)
    for field in _leaves(spec.request_model):
        for huge in HUGE:
            body = _set(base, field, huge)
            if spec.form:
                from urllib.parse import urlencode

                r = sb.http.request(spec.method, _path(spec, ids), content=urlencode(
                    {k: v for k, v in body.items() if isinstance(v, str)}),
                    headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
            else:
                r = sb.http.request(spec.method, _path(spec, ids), json=body, headers=headers)
            _check(r, (spec.method, spec.path, field, huge[:8]))


@pytest.mark.parametrize("spec", QUERIES + PATHS, ids=lambda s: f"{s.method} {s.path}")
def test_a_5000_digit_number_in_every_query_and_path_parameter_is_a_4xx(world, spec):
    sb, agent, service, buyer, ids, examples = world
    headers = _headers(sb, spec, service, buyer)
    names = [info.alias or name for name, info in spec.query.model_fields.items()] if spec.query else []
    for name in names:
        for huge in HUGE:
            _check(sb.http.request(spec.method, f"{_path(spec, ids)}?{name}={huge}", headers=headers),
                   (spec.method, spec.path, name))
    body = json.dumps(examples.get(spec.path, {})).encode()
    for name in re.findall(r"\{([A-Za-z0-9_]+)", spec.path):
        for huge in HUGE[:2]:
            r = sb.http.request(spec.method, _path(spec, ids, (name, huge)), headers={**headers, "Content-Type":
                                "application/json"}, content=body if spec.method in ("POST", "PUT") else None)
            _check(r, (spec.method, spec.path, name))
