"""What broke when the sandbox was attacked, each kept broken-proof: text of any script where a
digit or a secret is expected, JSON nested past the documented limit, methods a route does not
declare."""

from __future__ import annotations

import json

import pytest

from mockserver.core import jsonbody
from mockserver.validators.common import isdigits, same_secret
from tests.conftest import fresh_phone, fresh_tckn

ODD_DIGITS = ["²", "٣٤", "١٢٣٤٥٦", "𝟙𝟚𝟛", "①", "５３２１２３４５６７"]


def test_digit_and_secret_helpers_refuse_other_scripts():
    assert all(not isdigits(s) for s in ODD_DIGITS) and isdigits("0123456789")
    assert not same_secret("şifre", "sandbox-password") and same_secret("şifre", "şifre")
    assert not same_secret(None, "x") and not same_secret("é", "e")


def test_non_ascii_secrets_are_wrong_secrets_not_errors(sb, agent):
    r = sb.http.post("/api/authentication:agent-user/login", json={"email": agent.email, "password": "şifre"})
    assert r.status_code == 401 and r.json()["codes"] == ["INVALID_CREDENTIALS"]
    r = sb.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": agent.client_id,
                                             "client_secret": "gizli-anahtar-ğüşöç", "scope": "core-api"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    phone = fresh_phone()
    login = sb.http.post("/api/auth/customer/login-or-register", json={
        "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
        "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent.id}).json()
    for code in ("١٢٣٤٥٦", "12345é", "²²²²²²"):
        r = sb.http.post("/api/auth/customer/verify-mfa", json={"token": login["token"], "code": code})
        assert r.status_code == 400 and r.json()["codes"] == ["MFA_CODE_INVALID"], r.text
    r = sb.http.get(f"/__sandbox/documents/{agent.id}/eyJrIjoicG9saWN5In0.é.pdf")
    assert r.status_code == 404 and r.json()["codes"] == ["DOCUMENT_NOT_FOUND"]


@pytest.mark.parametrize("odd", ODD_DIGITS)
def test_unicode_digits_are_refused_as_input_not_crashes(sb, agent, odd):
    token = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())["accessToken"]
    h = sb.bearer(token)
    calls = [
        sb.http.post("/api/customers/me/vehicles", headers=h, json={"plate": {"city": odd, "code": "ABC123"}}),
        sb.http.post("/api/customers/me/vehicles", headers=h, json={"plate": {"city": 34, "code": "AB123"},
                                                                    "model": {"year": odd}}),
        sb.http.post("/api/customers/me/properties", headers=h, json={"number": odd}),
        sb.http.post("/api/properties/query-address-by-property-number", headers=h, json={"propertyNumber": odd}),
        sb.http.get("/api/address-parameters/towns", headers=h, params={"districtReference": odd}),
        sb.http.get("/api/address-parameters/streets", headers=h, params={"neighbourhoodReference": odd}),
        sb.http.get("/api/address-parameters/apartments", headers=h, params={"buildingReference": odd}),
        sb.http.post("/api/auth/customer/login-or-register", json={
            "$type": "individual", "identityNumber": odd, "birthDate": "1990-01-01",
            "phoneNumber": {"number": odd, "countryCode": odd}, "agentId": agent.id}),
        sb.http.get(f"/__sandbox/agents/{agent.id}/events", params={"since": odd}),
        sb.http.get(f"/__sandbox/logos/{odd}.svg"),
    ]
    # a field of digits refuses them (422); a cascade reference of them names nothing (404); a logo is a
    # placeholder for any id
    assert [r.status_code for r in calls] == [422] * 4 + [404] * 3 + [422, 422, 200], [
        (str(r.request.url), r.status_code, r.text[:200]) for r in calls]


def test_json_nested_past_the_limit_is_refused_before_parsing(sb, agent):
    deep = b'{"a": ' * 400 + b"1" + b"}" * 400
    r = sb.http.post("/api/auth/customer/login-or-register", content=deep, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    body = r.json()
    assert body["codes"] == ["JSON_TOO_DEEP"] and str(jsonbody.MAX_DEPTH) in body["detail"]
    assert body["validationErrors"][0]["propertyName"] == "body"
    # exactly at the limit is read, and then judged as a login body (an unknown agent)
    edge = (b'{"agentId": "x", "phoneNumber": "5321234567", "n": ' + b"[" * (jsonbody.MAX_DEPTH - 1)
            + b"]" * (jsonbody.MAX_DEPTH - 1) + b"}")
    r = sb.http.post("/api/auth/customer/login-or-register", content=edge, headers={"Content-Type": "application/json"})
    assert r.status_code == 404 and r.json()["codes"] == ["AGENT_NOT_FOUND"]


def test_a_deep_body_keeps_its_journal_entry(sb, agent):
    token = sb.service_token(agent)
    deep = b'{"x": ' + b"[" * 500 + b"]" * 500 + b"}"
    r = sb.http.post("/api/customers", content=deep, headers={**sb.bearer(token), "Content-Type": "application/json",
                                                               "X-Request-ID": "deep-body-1"})
    assert r.status_code == 400
    journal = sb.http.get(f"/__sandbox/agents/{agent.id}/journal").json()
    entry = next(e for e in journal if e["traceId"] == "deep-body-1")
    assert entry["status"] == 400 and "nested more than" in entry["requestBody"]


@pytest.mark.parametrize("raw, deeper", [
    (b'{"a": "[[[[[[[[[[[[[[[[[["}', False),
    (b'{"a": "\\"[[[[", "b": [[1]]}', False),
    (b'["\\\\", [[["x"]]]]', False),
    (b"[" * 65 + b"]" * 65, True),
    (b"[" * 64 + b"]" * 64, False),
    (b"[" + b"[]," * 1000 + b"{}]", False),
    (b'[{"a": [{"b": [' * 13 + b"1" + b"]}]}" * 13 + b"]", True),
])
def test_depth_check_matches_the_parsed_document(raw, deeper):
    assert jsonbody.depth_exceeds(raw) is deeper


def _concrete(template: str) -> str:
    import re

    return re.sub(r"\{([A-Za-z0-9_]+)(?::[a-z]+)?\}", lambda m: "6b033c9025b995e8f2b54c4e", template)


def test_undeclared_methods_answer_405_with_every_declared_method(sb):
    from starlette.routing import compile_path

    from mockserver.http import planned
    from mockserver.http.routes import ROUTES
    declared: dict[str, set[str]] = {}
    for spec in ROUTES:
        declared.setdefault(spec.path, set()).add(spec.method)
    for path, methods, _ in planned.OPERATIONS:
        declared.setdefault(path, set()).update(methods)
    patterns = [(compile_path(p)[0], p.count("{"), ms) for p, ms in declared.items()]
    checked = 0
    for template in declared:
        path = _concrete(template)
        matching = [(n, ms) for rx, n, ms in patterns if rx.match(path)]
        # a method some matching template declares is served (not a 405); Allow names the most
        # specific templates' methods (fewest parameters)
        served = set().union(*(ms for _, ms in matching))
        fewest = min(n for n, _ in matching)
        allowed = set().union(*(ms for n, ms in matching if n == fewest))
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            if method in served:
                continue
            r = sb.http.request(method, path)
            assert r.status_code == 405, (method, path, r.status_code, r.text)
            assert allowed <= set(r.headers["allow"].replace(" ", "").split(",")), (method, path, r.headers["allow"])
            assert r.json()["codes"] == ["METHOD_NOT_ALLOWED"]
            checked += 1
    assert checked > 300


def test_the_journal_keeps_no_identity_number_and_no_card_in_a_query(sb, agent):
    tckn = fresh_tckn()
    sb.customer_login(agent.id, tckn, fresh_phone())
    sb.http.get("/api/address-parameters/cities", params={"note": "4111111111111111"},
                headers=sb.bearer(sb.service_token(agent)))
    dumped = json.dumps(sb.http.get(f"/__sandbox/agents/{agent.id}/journal").json())
    assert tckn not in dumped and f"{tckn[:2]}*******{tckn[-2:]}" in dumped
    assert "4111111111111111" not in dumped and "411111******1111" in dumped
