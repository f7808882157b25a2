"""'Login with InsurUp' (authorization code + PKCE) driven by a real OAuth client library (Authlib) over
HTTP, through the sandbox's login, two-factor and consent pages; the tokens work on the API, refresh
rotates, userinfo, introspection, revocation, PAR and logout behave as the reference says; and in
Chromium through the pages."""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client

from tests.test_live import need

APP = "insurup-sandbox-app"
CALLBACK = "http://localhost:3000/api/auth/callback"


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def _sms(base: str, agent_id: str) -> str:
    return httpx.get(f"{base}/__sandbox/agents/{agent_id}/sms").json()[-1]["code"]


def browser_login(base: str, url: str, email: str, password: str, *, agent_id: str | None = None,
                  decision: str = "allow") -> str:
    """What a person does on the pages; answers the final redirect to the client."""
    with httpx.Client(base_url=base, timeout=20) as http:
        r = http.get(url)
        assert r.status_code == 302 and r.headers["location"].startswith("/login?"), r.text
        page = http.get(r.headers["location"])
        assert page.status_code == 200 and 'name="password"' in page.text
        r = http.post("/login", data={**_hidden(page.text), "email": email, "password": password})
        if 'name="code"' in r.text:  # two-factor: the SMS code
            r = http.post("/login/mfa", data={**_hidden(r.text), "code": _sms(base, agent_id)})
        if 'name="decision"' in r.text:  # consent, the first time
            r = http.post("/login/consent", data={**_hidden(r.text), "decision": decision})
        assert r.status_code == 303, r.text
        return r.headers["location"]


@pytest.fixture(scope="module")
def people(insurup_server):
    base = insurup_server
    plain = httpx.post(f"{base}/__sandbox/agents", json={"agentUser": {"email": "oidc-ayse@acente.test",
                                                                        "password": "Parola-2026!"}}).json()
    mfa = httpx.post(f"{base}/__sandbox/agents", json={"agentUser": {"email": "oidc-mert@acente.test",
                                                                      "password": "Parola-2026!",
                                                                      "twoFactor": True}}).json()
    return base, plain, mfa


def test_a_real_oauth_client_logs_in_with_pkce_and_the_tokens_work(people):
    base, plain, _ = people
    client = OAuth2Client(APP, redirect_uri=CALLBACK, scope="openid profile email offline_access core-api",
                          code_challenge_method="S256")
    verifier = generate_token(64)
    url, state = client.create_authorization_url(f"{base}/connect/authorize", code_verifier=verifier,
                                                 nonce="n-0S6_WzA2Mj")
    back = browser_login(base, url, "oidc-ayse@acente.test", "Parola-2026!")
    assert back.startswith(CALLBACK) and parse_qs(urlsplit(back).query)["state"] == [state]
    assert parse_qs(urlsplit(back).query)["iss"] == [base]
    tokens = client.fetch_token(f"{base}/connect/token", authorization_response=back, code_verifier=verifier)
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 1800 and tokens["refresh_token"]
    keys = jwt.PyJWKClient(f"{base}/.well-known/openid-configuration/jwks")
    claims = jwt.decode(tokens["id_token"], keys.get_signing_key_from_jwt(tokens["id_token"]).key, algorithms=["RS256"],
                        audience=APP, issuer=base)
    assert claims["nonce"] == "n-0S6_WzA2Mj" and claims["email"] == "oidc-ayse@acente.test"
    h = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = httpx.get(f"{base}/api/agent-users/me", headers=h)
    assert me.status_code == 200 and me.json()["email"] == "oidc-ayse@acente.test"
    info = httpx.get(f"{base}/connect/userinfo", headers=h).json()
    assert info["sub"] == claims["sub"] and info["agent_id"] == plain["agentId"]
    # refresh rotates: the old refresh token is spent
    renewed = client.refresh_token(f"{base}/connect/token", refresh_token=tokens["refresh_token"])
    assert renewed["access_token"] != tokens["access_token"]
    # introspection, then revocation: the access token dies at once
    seen = httpx.post(f"{base}/connect/introspect", data={"token": renewed["access_token"], "client_id": APP}).json()
    assert seen["active"] is True and seen["sub"] == claims["sub"]
    assert httpx.post(f"{base}/connect/revoke", data={"token": renewed["access_token"], "client_id": APP}).status_code == 200
    assert httpx.post(f"{base}/connect/introspect", data={"token": renewed["access_token"],
                                                          "client_id": APP}).json() == {"active": False}
    dead = httpx.get(f"{base}/api/agent-users/me", headers={"Authorization": f"Bearer {renewed['access_token']}"})
    assert dead.status_code == 401 and dead.json()["codes"] == ["TOKEN_REVOKED"]
    # logout ends the client's sessions and goes back where the client asked
    out = httpx.get(f"{base}/connect/logout", params={"id_token_hint": tokens["id_token"], "state": "bye",
                                                      "post_logout_redirect_uri": "http://localhost:3000/"})
    assert out.status_code == 302 and out.headers["location"] == "http://localhost:3000/?state=bye"
    spent = httpx.post(f"{base}/connect/token", data={"grant_type": "refresh_token", "client_id": APP,
                                                      "refresh_token": renewed["refresh_token"]})
    assert spent.status_code == 400
    again = httpx.post(f"{base}/connect/token", data={"grant_type": "refresh_token", "client_id": APP,
                                                      "refresh_token": tokens["refresh_token"]})
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"  # rotated: spent
    # a second login: consent is remembered
    url2, _ = client.create_authorization_url(f"{base}/connect/authorize", code_verifier=verifier)
    with httpx.Client(base_url=base) as http:
        page = http.get(http.get(url2).headers["location"])
        r = http.post("/login", data={**_hidden(page.text), "email": "oidc-ayse@acente.test", "password": "Parola-2026!"})
        assert r.status_code == 303 and r.headers["location"].startswith(CALLBACK + "?code=")


def test_the_authorize_and_token_errors_the_reference_lists(people):
    base, _, mfa = people
    good = {"response_type": "code", "client_id": APP, "redirect_uri": CALLBACK, "scope": "openid core-api",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256",
            "state": "s1"}

    def authorize(**change):
        return httpx.get(f"{base}/connect/authorize", params={**good, **change})

    assert authorize(client_id="nobody").status_code == 400
    assert authorize(redirect_uri=CALLBACK + "/").json()["error"] == "invalid_request"  # exact match only
    assert authorize(scope="openid policy:write").json()["error"] == "invalid_scope"
    lost = authorize(code_challenge=None)
    assert lost.status_code == 302 and "error=invalid_request" in lost.headers["location"] and "state=s1" in lost.headers["location"]
    # declining the consent redirects with access_denied
    back = browser_login(base, f"{base}/connect/authorize?" + httpx.QueryParams(good).__str__(), "oidc-mert@acente.test",
                         "Parola-2026!", agent_id=mfa["agentId"], decision="deny")
    assert parse_qs(urlsplit(back).query) == {"error": ["access_denied"], "error_description": ["the user declined"],
                                              "state": ["s1"], "iss": [base]}
    # no session: prompt=none cannot be met, and says so to the client (with the issuer, RFC 9207)
    silent = authorize(prompt="none")
    assert silent.status_code == 302 and parse_qs(urlsplit(silent.headers["location"]).query)["error"] == ["login_required"]
    assert parse_qs(urlsplit(silent.headers["location"]).query)["iss"] == [base]
    hinted = httpx.get(base + authorize(login_hint="oidc-mert@acente.test").headers["location"])
    assert 'value="oidc-mert@acente.test"' in hinted.text
    # the same request as a form post (OIDC Core 3.1.2.1) reaches the same login page
    posted = httpx.post(f"{base}/connect/authorize", data=good)
    assert posted.status_code == 303 and posted.headers["location"].startswith("/login?request=")
    assert 'name="password"' in httpx.get(base + posted.headers["location"]).text
    assert httpx.post(f"{base}/connect/authorize", data={**good, "scope": "openid x"}).json()["error"] == "invalid_scope"
    # a code: the wrong verifier, then reuse, are invalid_grant; a wrong password stays on the page
    verifier = generate_token(64)
    client = OAuth2Client(APP, redirect_uri=CALLBACK, scope="openid core-api", code_challenge_method="S256")
    url, _ = client.create_authorization_url(f"{base}/connect/authorize", code_verifier=verifier)
    back = browser_login(base, url, "oidc-mert@acente.test", "Parola-2026!", agent_id=mfa["agentId"])
    code = parse_qs(urlsplit(back).query)["code"][0]
    form = {"grant_type": "authorization_code", "client_id": APP, "code": code, "redirect_uri": CALLBACK}
    wrong = httpx.post(f"{base}/connect/token", data={**form, "code_verifier": generate_token(64)})
    assert wrong.status_code == 400 and "code_verifier" in wrong.json()["error_description"]
    reused = httpx.post(f"{base}/connect/token", data={**form, "code_verifier": verifier})
    assert reused.json()["error"] == "invalid_grant"  # the failed exchange spent the code
    with httpx.Client(base_url=base) as http:
        page = http.get(http.get(url).headers["location"])
        r = http.post("/login", data={**_hidden(page.text), "email": "oidc-mert@acente.test", "password": "nope"})
        assert r.status_code == 401 and "Wrong e-mail or password" in r.text and "Parola" in r.text
        assert http.post("/login/consent", data={"request": "forged.0000", "decision": "allow"}).status_code == 400


def test_pushed_requests_confidential_clients_and_discovery(people):
    base, plain, _ = people
    made = httpx.post(f"{base}/__sandbox/oauth-clients", json={
        "clientId": "crm-bff", "clientType": "Confidential", "redirectUris": ["http://localhost:8400/callback"],
        "scopes": ["openid", "offline_access", "customer:read"], "requirePar": True}).json()
    secret = made["clientSecret"]
    direct = httpx.get(f"{base}/connect/authorize", params={"response_type": "code", "client_id": "crm-bff",
                                                            "redirect_uri": "http://localhost:8400/callback",
                                                            "scope": "openid customer:read"})
    assert direct.status_code == 400 and "push" in direct.json()["error_description"]
    pushed = httpx.post(f"{base}/connect/par", auth=("crm-bff", secret), data={
        "response_type": "code", "redirect_uri": "http://localhost:8400/callback", "scope": "openid customer:read",
        "state": "p1"})
    assert pushed.status_code == 201 and pushed.json()["expires_in"] == 60
    uri = pushed.json()["request_uri"]
    back = browser_login(base, f"{base}/connect/authorize?client_id=crm-bff&request_uri={uri}",
                         "oidc-ayse@acente.test", "Parola-2026!")
    code = parse_qs(urlsplit(back).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://localhost:8400/callback"}
    assert httpx.post(f"{base}/connect/token", data={**form, "client_id": "crm-bff"}).status_code == 401
    tokens = httpx.post(f"{base}/connect/token", auth=("crm-bff", secret), data=form).json()
    assert tokens["scope"] == "openid customer:read" and "refresh_token" not in tokens
    h = {"Authorization": f"Bearer {tokens['access_token']}"}
    # the scope lets it read (an unknown customer is not found, not forbidden) and not write
    unknown = httpx.get(f"{base}/api/customers/00000000-0000-0000-0000-000000000000", headers=h)
    assert unknown.status_code == 404 and unknown.json()["codes"] == ["CUSTOMER_NOT_FOUND"]
    assert httpx.post(f"{base}/api/customers", headers=h, json={"$type": "individual"}).status_code == 403
    # the request_uri was for one use
    assert httpx.get(f"{base}/connect/authorize?client_id=crm-bff&request_uri={uri}").status_code == 400
    doc = httpx.get(f"{base}/.well-known/openid-configuration").json()
    assert {"authorization_code", "refresh_token", "client_credentials"} == set(doc["grant_types_supported"])
    for key in ("authorization_endpoint", "introspection_endpoint", "revocation_endpoint", "end_session_endpoint",
                "pushed_authorization_request_endpoint", "userinfo_endpoint"):
        path = urlsplit(doc[key]).path
        assert httpx.get(base + path).status_code != 404, key


@pytest.mark.slow
def test_the_browser_login_in_chromium(people):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        sync_playwright = None
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need(chromium is not None and sync_playwright is not None, "Chromium and the playwright package")
    base, _, mfa = people
    client = OAuth2Client(APP, redirect_uri=CALLBACK, scope="openid profile core-api", code_challenge_method="S256")
    verifier = generate_token(64)
    url, state = client.create_authorization_url(f"{base}/connect/authorize", code_verifier=verifier)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        landed: list[str] = []
        page.route("http://localhost:3000/**", lambda route: (landed.append(route.request.url),
                                                              route.fulfill(status=200, body="signed in")))
        page.goto(url)
        page.fill("#email", "oidc-mert@acente.test")
        page.fill("#password", "Parola-2026!")
        page.click("#submit")
        page.wait_for_selector("#code")
        page.fill("#code", _sms(base, mfa["agentId"]))
        page.click("#submit")
        page.wait_for_selector("#allow")
        page.click("#allow")
        page.wait_for_url("http://localhost:3000/**")
        browser.close()
    tokens = client.fetch_token(f"{base}/connect/token", authorization_response=landed[-1], code_verifier=verifier)
    assert parse_qs(urlsplit(landed[-1]).query)["state"] == [state] and tokens["access_token"]


def test_the_journal_keeps_no_password_code_or_token_of_a_login(people):
    base, _, mfa = people
    client = OAuth2Client(APP, redirect_uri=CALLBACK, scope="openid offline_access core-api",
                          code_challenge_method="S256")
    verifier = generate_token(64)
    url, _ = client.create_authorization_url(f"{base}/connect/authorize", code_verifier=verifier)
    with httpx.Client(base_url=base) as http:  # a wrong SMS code first: the page again, with its signed login
        page = http.get(http.get(url).headers["location"])
        step = http.post("/login", data={**_hidden(page.text), "email": "oidc-mert@acente.test",
                                         "password": "Parola-2026!"})
        login = _hidden(step.text)["login"]
        assert http.post("/login/mfa", data={**_hidden(step.text), "code": "000000"}).status_code == 400
        sms = _sms(base, mfa["agentId"])
        r = http.post("/login/mfa", data={**_hidden(step.text), "code": sms})
        if 'name="decision"' in r.text:
            r = http.post("/login/consent", data={**_hidden(r.text), "decision": "allow"})
    code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
    tokens = client.fetch_token(f"{base}/connect/token", authorization_response=r.headers["location"],
                                code_verifier=verifier)
    httpx.get(f"{base}/connect/logout", params={"id_token_hint": tokens["id_token"]})
    journal = httpx.get(f"{base}/__sandbox/agents/{mfa['agentId']}/journal").text
    assert "/login/mfa" in journal and "/connect/token" in journal and "/connect/logout" in journal
    for secret in ("Parola-2026!", login, sms, code, verifier, tokens["access_token"], tokens["refresh_token"],
                   tokens["id_token"]):
        assert secret not in journal


def test_the_cli_client_takes_a_loopback_redirect_on_any_port_and_nothing_else(people):
    base, _, _ = people
    pkce = {"response_type": "code", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256", "scope": "openid offline_access core-api"}

    def push(client_id, redirect):
        return httpx.post(f"{base}/connect/par", data={**pkce, "client_id": client_id, "redirect_uri": redirect})

    for ok_uri in ("http://localhost:53682/callback", "http://127.0.0.1:1024/callback", "http://[::1]:9999/callback"):
        assert push("cli", ok_uri).status_code == 201, ok_uri
    for bad in ("http://localhost:53682/elsewhere", "http://evil.test:53682/callback", "https://localhost:1/callback",
                "http://localhost:53682/callback?x=1"):
        r = push("cli", bad)
        assert r.status_code == 400 and r.json()["error"] == "invalid_request", bad
    # an ordinary client's redirect is matched exactly, port included (RFC 8252 relaxes only native apps)
    assert push(APP, "http://localhost:3001/api/auth/callback").status_code == 400


def test_a_logout_hint_must_be_an_id_token_this_server_signed(people):
    base, plain, _ = people
    forged = jwt.encode({"sub": "someone", "aud": APP, "agent_id": plain["agentId"]}, "not-this-servers-key-" * 2,
                        algorithm="HS256")
    r = httpx.get(f"{base}/connect/logout", params={"id_token_hint": forged})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_an_agencys_own_clients_in_the_sdks_shape_a_service_account_and_a_login_app(people):
    """POST /api/oauth-clients with the SDK's CreateOAuthClientRequest: a confidential client-credentials
    client with the id and secret the agency chose, and a public native app for "Login with InsurUp"
    that only the agency's own users can log in through."""
    base, plain, mfa = people
    token = httpx.post(f"{base}/connect/token", data={
        "grant_type": "client_credentials", "client_id": plain["serviceAccount"]["clientId"],
        "client_secret": plain["serviceAccount"]["clientSecret"]}).json()["access_token"]
    h = {"Authorization": f"Bearer {token}"}
    m2m = httpx.post(f"{base}/api/oauth-clients", headers=h, json={
        "clientId": "ayse-crm-sync", "clientSecret": "crm-sync-gizli-2026", "displayName": "CRM senkron",
        "clientType": 0, "grantTypes": [1], "scopes": ["customer:read", "case:write"]})
    assert m2m.status_code == 201, m2m.text
    made = m2m.json()
    assert made["clientId"] == "ayse-crm-sync" and made["clientSecret"] is None  # the agency's own secret: not echoed
    assert made["applicationId"] and made["grantTypes"] == [1] and made["clientType"] == 0
    got = httpx.post(f"{base}/connect/token", data={"grant_type": "client_credentials", "client_id": "ayse-crm-sync",
                                                    "client_secret": "crm-sync-gizli-2026"})
    assert got.status_code == 200 and got.json()["scope"] == "customer:read case:write"
    app = httpx.post(f"{base}/api/oauth-clients", headers=h, json={
        "clientId": "ayse-mobil", "displayName": "Ayşe Sigorta mobil", "clientType": 1, "applicationType": 1,
        "grantTypes": [0, 2], "scopes": ["openid", "profile", "offline_access", "core-api"],
        "redirectUris": ["http://127.0.0.1/callback"], "requirePushedAuthorizationRequests": False})
    assert app.status_code == 201, app.text
    detail = httpx.get(f"{base}/api/oauth-clients/{app.json()['id']}", headers=h).json()
    assert detail["applicationType"] == 1 and detail["grantTypes"] == [0, 2]
    assert detail["redirectUris"] == ["http://127.0.0.1/callback"]
    # a public client has no secret: no client credentials; the CLI-style loopback redirect takes any port
    nope = httpx.post(f"{base}/connect/token", data={"grant_type": "client_credentials", "client_id": "ayse-mobil",
                                                     "client_secret": "x"})
    assert nope.status_code == 401 and nope.json()["error"] == "invalid_client"
    client = OAuth2Client("ayse-mobil", redirect_uri="http://127.0.0.1:53123/callback",
                          scope="openid offline_access core-api", code_challenge_method="S256")
    verifier = generate_token(64)
    url, _ = client.create_authorization_url(f"{base}/connect/authorize", code_verifier=verifier)
    back = browser_login(base, url, "oidc-ayse@acente.test", "Parola-2026!")
    tokens = client.fetch_token(f"{base}/connect/token", authorization_response=back, code_verifier=verifier)
    me = httpx.get(f"{base}/api/agents/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.json()["id"] == plain["agentId"]
    # another agency's user cannot log in through this agency's application
    url2, _ = client.create_authorization_url(f"{base}/connect/authorize", code_verifier=verifier)
    with httpx.Client(base_url=base) as http:
        page = http.get(http.get(url2).headers["location"])
        r = http.post("/login", data={**_hidden(page.text), "email": "oidc-mert@acente.test",
                                      "password": "Parola-2026!"})
        assert r.status_code == 403 and "başka bir acentenin" in r.text
    # the SDK's partial update, then deletion: the application is gone from the sign-in too
    assert httpx.put(f"{base}/api/oauth-clients/{app.json()['id']}", headers=h, json={
        "id": app.json()["id"], "redirectUris": ["http://127.0.0.1/cb2"]}).status_code == 204
    assert httpx.get(f"{base}/api/oauth-clients/{app.json()['id']}", headers=h).json()["redirectUris"] == [
        "http://127.0.0.1/cb2"]
    assert httpx.delete(f"{base}/api/oauth-clients/{app.json()['id']}", headers=h).status_code == 204
    gone = httpx.get(f"{base}/connect/authorize", params={"client_id": "ayse-mobil", "response_type": "code",
                                                          "redirect_uri": "http://127.0.0.1/cb2"})
    assert gone.status_code == 400
    bad = httpx.post(f"{base}/api/oauth-clients", headers=h, json={
        "clientId": "ayse-crm-sync", "clientType": 1, "grantTypes": [1, 0], "scopes": ["uçmak"]})
    assert bad.status_code == 422
    assert {e["propertyName"] for e in bad.json()["validationErrors"]} == {"clientId", "grantTypes", "redirectUris",
                                                                         "scopes"}


def _login_tokens(base: str, client: OAuth2Client, verifier: str) -> tuple[dict, str]:
    url, _ = client.create_authorization_url(f"{base}/connect/authorize", code_verifier=verifier)
    back = browser_login(base, url, "oidc-ayse@acente.test", "Parola-2026!")
    return client.fetch_token(f"{base}/connect/token", authorization_response=back, code_verifier=verifier), back


def _alive(base: str, token: str) -> bool:
    return httpx.get(f"{base}/api/agent-users/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_rfc_replays_and_other_clients(people):
    """RFC 7636: a challenge of 43-128 characters; RFC 6749 §4.1.2: a code used twice revokes what its
    first exchange issued; RFC 9700 §4.14.2: a rotated refresh token used again revokes its successor;
    RFC 7009 and 7662: only the token's own client (or its agency's service account) revokes or
    describes it."""
    base, plain, _ = people
    short = httpx.get(f"{base}/connect/authorize", params={
        "response_type": "code", "client_id": APP, "redirect_uri": CALLBACK, "scope": "openid core-api",
        "code_challenge": "abc", "code_challenge_method": "S256"}, follow_redirects=False)
    assert short.status_code == 302 and "error=invalid_request" in short.headers["location"]
    assert "43" in parse_qs(urlsplit(short.headers["location"]).query)["error_description"][0]

    client = OAuth2Client(APP, redirect_uri=CALLBACK, scope="openid offline_access core-api",
                          code_challenge_method="S256")
    verifier = generate_token(64)
    tokens, back = _login_tokens(base, client, verifier)
    assert _alive(base, tokens["access_token"])
    replay = httpx.post(f"{base}/connect/token", data={
        "grant_type": "authorization_code", "client_id": APP, "code": parse_qs(urlsplit(back).query)["code"][0],
        "redirect_uri": CALLBACK, "code_verifier": verifier})
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert not _alive(base, tokens["access_token"])  # the first exchange's tokens are revoked
    assert httpx.post(f"{base}/connect/token", data={"grant_type": "refresh_token", "client_id": APP,
                                                     "refresh_token": tokens["refresh_token"]}).status_code == 400

    tokens, _ = _login_tokens(base, client, generate_token(64))
    renewed = client.refresh_token(f"{base}/connect/token", refresh_token=tokens["refresh_token"])
    assert _alive(base, renewed["access_token"])
    stolen = httpx.post(f"{base}/connect/token", data={"grant_type": "refresh_token", "client_id": APP,
                                                       "refresh_token": tokens["refresh_token"]})
    assert stolen.status_code == 400 and "revoked" in stolen.json()["error_description"]
    assert not _alive(base, renewed["access_token"])  # the chain is over: the successor too
    assert httpx.post(f"{base}/connect/token", data={"grant_type": "refresh_token", "client_id": APP,
                                                     "refresh_token": renewed["refresh_token"]}).status_code == 400

    tokens, _ = _login_tokens(base, client, generate_token(64))
    other = httpx.post(f"{base}/__sandbox/oauth-clients", json={
        "clientId": "another-app", "clientType": "Public", "redirectUris": ["http://localhost:9100/cb"],
        "scopes": ["openid", "core-api"]})
    assert other.status_code == 201, other.text
    stranger = httpx.post(f"{base}/__sandbox/agents", json={}).json()["serviceAccount"]
    for asker in ({"client_id": "another-app"}, {"client_id": stranger["clientId"],
                                                 "client_secret": stranger["clientSecret"]}):
        for token in (tokens["access_token"], tokens["refresh_token"]):
            seen = httpx.post(f"{base}/connect/introspect", data={"token": token, **asker})
            assert seen.status_code == 200 and seen.json() == {"active": False}
            assert httpx.post(f"{base}/connect/revoke", data={"token": token, **asker}).status_code == 200
    assert _alive(base, tokens["access_token"])  # nobody else could end it
    own = httpx.post(f"{base}/connect/introspect", data={"token": tokens["access_token"], "client_id": APP}).json()
    assert own["active"] is True
    agency = httpx.post(f"{base}/connect/introspect", data={  # the user's own agency's service account
        "token": tokens["access_token"], "client_id": plain["serviceAccount"]["clientId"],
        "client_secret": plain["serviceAccount"]["clientSecret"]}).json()
    assert agency["active"] is True
