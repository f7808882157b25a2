from datetime import datetime
from pathlib import Path

import jwt
import pytest

from mockserver import magic
from tests.conftest import fresh_phone, fresh_tckn, fresh_vkn


def login(sb, body):
    return sb.http.post("/api/auth/customer/login-or-register", json=body)


@pytest.mark.parametrize("variant", ["A", "B", "C", "real-site"])
def test_every_documented_login_body_registers_and_sends_a_code(sb, agent, variant):
    tckn, phone = fresh_tckn(), fresh_phone()
    body = {
        "A": {"identityNumber": tckn, "birthday": "17.05.1990", "phoneNumber": "+90" + phone, "agentId": agent.id,
              "type": "individual"},
        "B": {"$type": "individual", "identityNumber": tckn, "birthDate": "1990-05-17",
              "phoneNumber": {"countryCode": "90", "number": phone}, "agentId": agent.id},
        "C": {"identityNumber": int(tckn), "phoneNumber": {"number": phone, "countryCode": 90},
              "birthDate": "1990-05-17", "agentId": agent.id, "agentBranchId": "a" * 24, "approvedConsentTypes": ["KVKK"]},
        "real-site": {"$type": "individual", "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent.id,
                      "identityNumber": int(tckn), "birthDate": "1990-05-17"},
    }[variant]
    r = login(sb, body)
    assert r.status_code == 200, r.text
    assert set(r.json()) >= {"customerId", "token"}
    sms = sb.http.get(f"/__sandbox/agents/{agent.id}/sms", params={"to": phone}).json()
    assert len(sms) == 1 and len(sms[0]["code"]) == 6 and sms[0]["code"].isdigit()
    assert sms[0]["code"] in sms[0]["text"]
    tokens = sb.http.post("/auth/customer/verify-mfa", json={"token": r.json()["token"], "code": sms[0]["code"]}).json()
    me = sb.http.get("/customers/me", headers=sb.bearer(tokens["accessToken"])).json()
    assert me["id"] == r.json()["customerId"] and me["birthDate"] == "1990-05-17"
    if variant == "C":
        assert me["agentBranchId"] == "a" * 24
        assert me["consents"][0]["consentType"] == "KVKK" and me["consents"][0]["isActive"] is True


def test_company_and_foreign_customers_log_in(sb, agent):
    vkn, phone = fresh_vkn(), fresh_phone()
    r = login(sb, {"$type": "company", "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent.id,
                   "taxNumber": vkn})
    assert r.status_code == 200, r.text
    tokens = sb.http.post("/auth/customer/verify-mfa", json={"token": r.json()["token"],
                                                            "code": sb.last_code(agent.id, phone)}).json()
    me = sb.http.get("/customers/me", headers=sb.bearer(tokens["accessToken"])).json()
    assert me["$type"] == "company" and me["type"] == "COMPANY" and me["taxNumber"] == vkn and me["title"]
    r = login(sb, {"$type": "foreign", "identityNumber": "U12345678", "birthDate": "1980-01-01",
                   "phoneNumber": {"number": fresh_phone(), "countryCode": 90}, "agentId": agent.id})
    assert r.status_code == 200, r.text


def test_login_input_errors_name_the_field(sb, agent):
    base = {"$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
            "phoneNumber": {"number": fresh_phone(), "countryCode": 90}, "agentId": agent.id}
    cases = [
        ({"identityNumber": "12345678901"}, 422, "identityNumber"),
        ({"phoneNumber": {"number": "2121234567", "countryCode": 90}}, 422, "phoneNumber.number"),
        ({"birthDate": "2990-01-01"}, 422, "birthDate"),
        ({"birthDate": None}, 422, "birthDate"),  # first registration needs it
        ({"$type": "martian"}, 422, "$type"),
    ]
    for patch, status, field in cases:
        r = login(sb, {**base, **patch})
        assert r.status_code == status, (patch, r.text)
        body = r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
        assert field in [e["propertyName"] for e in body["validationErrors"]], (patch, body)
    company = login(sb, {"$type": "company", "taxNumber": "1234567891", "agentId": agent.id,
                         "phoneNumber": {"number": fresh_phone(), "countryCode": 90}})
    assert company.status_code == 422 and company.json()["validationErrors"][0]["propertyName"] == "taxNumber"


def test_agent_id_missing_is_401_and_unknown_is_404(sb):
    body = {"$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
            "phoneNumber": {"number": fresh_phone(), "countryCode": 90}}
    assert login(sb, body).status_code == 401
    r = login(sb, {**body, "agentId": "no-such-agent"})
    assert r.status_code == 404 and r.json()["codes"] == ["AGENT_NOT_FOUND"]


def test_birth_date_only_on_first_registration_and_checked_after(sb, agent):
    tckn, phone = fresh_tckn(), fresh_phone()
    sb.customer_login(agent.id, tckn, phone, "1991-02-03")
    again = login(sb, {"$type": "individual", "identityNumber": tckn, "agentId": agent.id,
                       "phoneNumber": {"number": phone, "countryCode": 90}})
    assert again.status_code == 200 and again.json()["isNewCustomer"] is False
    wrong = login(sb, {"$type": "individual", "identityNumber": tckn, "agentId": agent.id, "birthDate": "1991-02-04",
                       "phoneNumber": {"number": phone, "countryCode": 90}})
    assert wrong.status_code == 422 and wrong.json()["codes"] == ["CUSTOMER_BIRTH_DATE_MISMATCH"]


def start(sb, agent, phone=None):
    phone = phone or fresh_phone()
    r = login(sb, {"$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
                   "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent.id})
    return r.json()["token"], sb.last_code(agent.id, phone)


def test_wrong_code_is_400_and_five_wrong_tries_kill_the_token(sb, agent):
    token, code = start(sb, agent)
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, 6):
        r = sb.http.post("/api/auth/customer/verify-mfa", json={"token": token, "code": wrong})
        assert r.status_code == 400
        assert r.json()["codes"] == (["MFA_CODE_INVALID"] if attempt < 5 else ["MFA_ATTEMPTS_EXCEEDED"])
    r = sb.http.post("/api/auth/customer/verify-mfa", json={"token": token, "code": code})
    assert r.status_code == 400 and r.json()["codes"] == ["MFA_ATTEMPTS_EXCEEDED"]


def test_code_expires_after_five_minutes_on_the_agent_clock(sb, agent):
    token, code = start(sb, agent)
    sb.advance(agent.id, 301)
    r = sb.http.post("/api/auth/customer/verify-mfa", json={"token": token, "code": code})
    assert r.status_code == 400 and r.json()["codes"] == ["MFA_CODE_EXPIRED"]
    token, code = start(sb, agent)
    sb.advance(agent.id, 299)
    assert sb.http.post("/api/auth/customer/verify-mfa", json={"token": token, "code": code}).status_code == 200


def test_a_code_works_once(sb, agent):
    token, code = start(sb, agent)
    assert sb.http.post("/api/auth/customer/verify-mfa", json={"token": token, "code": code}).status_code == 200
    assert sb.http.post("/api/auth/customer/verify-mfa", json={"token": token, "code": code}).status_code == 400


def test_magic_phones(sb, agent):
    r = login(sb, {"$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
                   "phoneNumber": {"number": "5550001234", "countryCode": 90}, "agentId": agent.id})
    assert sb.last_code(agent.id, "5550001234") == magic.FIXED_OTP_CODE
    assert sb.http.post("/auth/customer/verify-mfa", json={"token": r.json()["token"], "code": "123456"}).status_code == 200
    tckn = fresh_tckn()
    fail = login(sb, {"$type": "individual", "identityNumber": tckn, "birthDate": "1990-01-01",
                      "phoneNumber": {"number": magic.SMS_FAILURE_PHONE, "countryCode": 90}, "agentId": agent.id})
    assert fail.status_code == 502 and fail.json()["codes"] == ["SMS_DELIVERY_FAILED"]
    # nothing half-registered: the same person can register with another phone afterwards
    assert sb.customer_login(agent.id, tckn, fresh_phone())["accessToken"]
    for down in magic.MERNIS_DOWN_TCKNS:
        mernis = login(sb, {"$type": "individual", "identityNumber": down, "birthDate": "1990-01-01",
                            "phoneNumber": {"number": fresh_phone(), "countryCode": 90}, "agentId": agent.id})
        assert mernis.status_code == 502 and mernis.json()["codes"] == ["MERNIS_UNAVAILABLE"]
    for unknown in magic.MERNIS_UNKNOWN_TCKNS:
        r = login(sb, {"$type": "individual", "identityNumber": unknown, "birthDate": "1990-01-01",
                       "phoneNumber": {"number": fresh_phone(), "countryCode": 90}, "agentId": agent.id})
        assert r.status_code == 422 and r.json()["codes"] == ["IDENTITY_NOT_VERIFIED"]


def _passes_common_validators(number: str) -> bool:
    """What real sites check before sending an identity: the checksum, a non-zero first digit and
    a deny-list of repeated or sequential digits (InsurUp's own site refuses 11111111110)."""
    from mockserver.validators.turkish import is_tckn, is_vkn

    body = number[:9]
    repeated = len(set(body)) == 1
    sequential = body in "1234567890" or body in "9876543210"
    return (is_tckn(number) if len(number) == 11 else is_vkn(number)) and number[0] != "0" and not repeated \
        and not sequential


def test_published_test_identities_pass_common_validators_and_register(sb, agent):
    published = list(magic.TEST_TCKNS) + list(magic.TEST_VKNS) + [magic.MERNIS_DOWN_TCKNS[0],
                                                                  magic.MERNIS_UNKNOWN_TCKNS[0]]
    assert all(_passes_common_validators(n) for n in published)
    assert not _passes_common_validators(magic.DOCS_TEST_TCKN)  # why the README no longer shows it
    for tckn in magic.TEST_TCKNS:
        assert sb.customer_login(agent.id, tckn, fresh_phone())["accessToken"]
    for vkn in magic.TEST_VKNS:
        r = login(sb, {"$type": "company", "taxNumber": vkn, "phoneNumber": {"number": fresh_phone(), "countryCode": 90},
                       "agentId": agent.id})
        assert r.status_code == 200, r.text
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert magic.DOCS_TEST_TCKN not in readme.split("## Magic values")[0]  # not offered as the quick start's number
    assert all(n in readme for n in published)


def test_access_token_lives_600_seconds_and_refresh_rotates(sb, agent):
    # the agent's clock stands still between requests, so 599 s means 599 s on a busy machine too
    assert sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"freeze": True}).status_code == 200
    tokens = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())
    assert tokens["expiresIn"] == 600
    sb.advance(agent.id, 599)
    assert sb.http.get("/customers/me", headers=sb.bearer(tokens["accessToken"])).status_code == 200
    sb.advance(agent.id, 2)
    expired = sb.http.get("/customers/me", headers=sb.bearer(tokens["accessToken"]))
    assert expired.status_code == 401 and expired.json()["codes"] == ["TOKEN_EXPIRED"]
    r = sb.http.post("/api/auth/customer/refresh", json={"refreshToken": tokens["refreshToken"]},
                     headers=sb.bearer(tokens["accessToken"]))
    assert r.status_code == 200
    new = r.json()
    assert new["refreshToken"] != tokens["refreshToken"]
    assert sb.http.get("/customers/me", headers=sb.bearer(new["accessToken"])).status_code == 200
    reused = sb.http.post("/api/auth/customer/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert reused.status_code == 401 and reused.json()["codes"] == ["REFRESH_TOKEN_REUSED"]


def test_agent_user_login_with_and_without_two_factor(sb):
    plain = sb.new_agent()
    r = sb.http.post("/api/authentication:agent-user/login", json={"email": plain.email, "password": plain.password})
    assert r.status_code == 200 and r.json()["requiresTwoFactor"] is False
    access = r.json()["accessToken"]
    me = sb.http.get("/agent-users/me", headers=sb.bearer(access)).json()
    assert me["isServiceAccount"] is False and me["email"] == plain.email and me["agentId"] == plain.id
    refreshed = sb.http.post("/api/authentication:agent-user/refresh", json={"refreshToken": r.json()["refreshToken"]})
    assert refreshed.status_code == 200
    assert sb.http.post("/api/authentication:agent-user/refresh",
                        json={"refreshToken": r.json()["refreshToken"]}).status_code == 401
    assert sb.http.post("/api/authentication:agent-user/login",
                        json={"email": plain.email, "password": "nope"}).status_code == 401

    mfa = sb.new_agent(agentUser={"email": f"ops-{plain.id[:6]}@example.test", "password": "pw-123456", "twoFactor": True})
    r = sb.http.post("/api/authentication:agent-user/login", json={"email": mfa.email, "password": "pw-123456"})
    assert r.json()["requiresTwoFactor"] is True and r.json()["accessToken"] is None
    code = sb.last_code(mfa.id)
    v = sb.http.post("/api/authentication:agent-user/verify-mfa", json={"userId": r.json()["userId"], "code": code})
    assert v.status_code == 200 and v.json()["accessToken"]


def test_service_account_token_is_an_rs256_jwt_verifiable_with_the_jwks(sb, agent):
    token = sb.service_token(agent)
    discovery = sb.http.get("/.well-known/openid-configuration").json()
    assert discovery["token_endpoint"].endswith("/connect/token")
    assert "customer:read" in discovery["scopes_supported"]
    assert len(discovery["scopes_supported"]) == len(set(discovery["scopes_supported"]))  # each scope once
    jwks = sb.http.get(discovery["jwks_uri"].replace("http://testserver", "")).json()
    key = jwt.PyJWK(jwks["keys"][0])
    claims = jwt.decode(token, key.key, algorithms=["RS256"], audience="core-api",
                        options={"verify_exp": False})
    assert claims["agent_id"] == agent.id and claims["scope"] == "core-api"
    assert claims["exp"] - claims["iat"] == 3600
    me = sb.http.get("/api/agent-users/me", headers=sb.bearer(token)).json()
    assert me["isServiceAccount"] is True and me["clientId"] == agent.client_id
    sb.advance(agent.id, 3601)
    assert sb.http.get("/api/agent-users/me", headers=sb.bearer(token)).status_code == 401


@pytest.mark.parametrize("clock", [{"advance": 86400 * 3}, {"set": "2021-03-01T09:00:00Z"}])
def test_tokens_stay_valid_for_wall_clock_jwt_libraries_whatever_the_agent_clock_says(sb, clock):
    a = sb.new_agent()
    assert sb.http.post(f"/__sandbox/agents/{a.id}/clock", json=clock).status_code == 200
    token = sb.service_token(a)
    jwks = sb.http.get("/.well-known/openid-configuration/jwks").json()
    key = jwt.PyJWK(jwks["keys"][0])
    # every registered claim verified on the wall clock (exp, iat, nbf): no ImmatureSignatureError
    claims = jwt.decode(token, key.key, algorithms=["RS256"], audience="core-api",
                        options={"require": ["exp", "iat", "nbf"]})
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["clock_exp"] - claims["clock_iat"] == 3600
    now_on_agent = sb.http.get(f"/__sandbox/agents/{a.id}/clock").json()["now"]
    assert abs(claims["clock_iat"] - datetime.fromisoformat(now_on_agent.replace("Z", "+00:00")).timestamp()) < 5
    # and the sandbox still judges expiry on the agent's clock
    assert sb.http.get("/api/agent-users/me", headers=sb.bearer(token)).status_code == 200
    sb.advance(a.id, 3601)
    assert sb.http.get("/api/agent-users/me", headers=sb.bearer(token)).status_code == 401


def test_token_endpoint_errors_follow_oauth(sb, agent):
    post = lambda data, **kw: sb.http.post("/connect/token", data=data, **kw)  # noqa: E731
    assert post({"grant_type": "password"}).json()["error"] == "unsupported_grant_type"
    assert post({}).json()["error"] == "invalid_request"
    bad = post({"grant_type": "client_credentials", "client_id": agent.client_id, "client_secret": "x"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    scope = post({"grant_type": "client_credentials", "client_id": agent.client_id,
                  "client_secret": agent.client_secret, "scope": "core-api auth-server-management"})
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"
    assert "auth-server-management" in scope.json()["error_description"]
    basic = post({"grant_type": "client_credentials"}, auth=(agent.client_id, agent.client_secret))
    assert basic.status_code == 200


def test_tenant_isolation(sb):
    a, b = sb.new_agent(), sb.new_agent()
    ta, tb = sb.service_token(a), sb.service_token(b)
    cid = sb.http.post("/customers", headers=sb.bearer(ta), json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                                  "fullName": "Ali Veli"}).json()["id"]
    assert sb.http.get(f"/customers/{cid}", headers=sb.bearer(ta)).status_code == 200
    assert sb.http.get(f"/customers/{cid}", headers=sb.bearer(tb)).status_code == 404
    # a customer token reads only its own customer
    mine = sb.customer_login(a.id, fresh_tckn(), fresh_phone())
    assert sb.http.get(f"/customers/{cid}", headers=sb.bearer(mine["accessToken"])).status_code == 404
    assert sb.http.get("/customers", headers=sb.bearer(mine["accessToken"])).status_code == 405
    assert sb.http.post("/customers", headers=sb.bearer(mine["accessToken"]), json={}).status_code == 403


def test_reset_kills_old_tokens(sb):
    a = sb.new_agent()
    token = sb.service_token(a)
    assert sb.http.post(f"/__sandbox/agents/{a.id}/reset").status_code == 200
    assert sb.http.get("/agent-users/me", headers=sb.bearer(token)).status_code == 401
    assert sb.service_token(a)  # same credentials still work


def test_bad_bearer_tokens(sb):
    for header in ("Bearer nope", "Basic abc", "Bearer "):
        r = sb.http.get("/customers/me", headers={"Authorization": header})
        assert r.status_code == 401 and r.json()["type"].endswith("/unauthorized")
