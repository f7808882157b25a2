"""What an attack on a shared sandbox found, kept as regressions: a search pattern that backtracks, an
unbounded filter, a full disk, role administration beyond the granter's rights, a record scope with a
side door, clients that never read, web pages driving the loopback control plane, a service account
locking itself out, disconnects logged as bugs (OIDC replays and cross-client calls: ``test_oidc``;
a 5,000-digit number in every field: ``test_unicode_fuzz``). The timing side
(the longest stall of a health probe under each attack) is measured in ``bench/bench_attacks.py``."""

from __future__ import annotations

import socket
import struct
import time
import warnings

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.core.settings import Settings
from mockserver.graphql.engine import Wildcard, fold
from mockserver.http.app import create_app
from tests import live
from tests.conftest import fresh_phone, fresh_tckn

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


# ----------------------------------------------------------------------------- wildcard search
def _reference(pattern: str, text: str) -> bool:
    """Glob semantics by dynamic programming (quadratic, obviously right): the oracle."""
    tokens, escaped = [], False
    for ch in pattern:
        if escaped:
            tokens.append(("lit", ch))
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "*?":
            tokens.append((ch, ch))
        else:
            tokens.append(("lit", ch))
    row = [True] + [False] * len(text)
    for kind, ch in tokens:
        nxt = [False] * (len(text) + 1)
        if kind == "*":
            nxt[0] = row[0]
            for j in range(1, len(text) + 1):
                nxt[j] = nxt[j - 1] or row[j]
        else:
            for j in range(1, len(text) + 1):
                nxt[j] = row[j - 1] and (kind == "?" or text[j - 1] == ch)
        row = nxt
    return row[len(text)]


@settings(max_examples=3000, deadline=None, database=None)
@given(pattern=st.text(alphabet="ab*?\\", max_size=12), text=st.text(alphabet="ab*?\\", max_size=14))
def test_the_wildcard_matcher_agrees_with_glob_semantics(pattern, text):
    assert Wildcard(pattern).matches(fold(text)) == _reference(fold(pattern), fold(text))


def test_a_backtracking_pattern_is_answered_at_once_over_many_customers(insurup_sandbox):
    """``*a*a…*ab`` against names of ``a``s backtracked exponentially as a regular expression (11 stars
    held the loop 2.5 s on one record). The answer must simply come, and be right."""
    sb = insurup_sandbox
    agent = sb.new_agent()
    token = sb.service_token(agent)
    for _ in range(30):
        r = sb.http.post("/api/customers", headers=sb.bearer(token), json={
            "$type": "individual", "identityNumber": fresh_tckn(), "firstName": "a" * 40, "lastName": "aaaa",
            "birthDate": "1990-01-01", "phoneNumber": {"number": fresh_phone(), "countryCode": 90}})
        assert r.status_code == 200, r.text
    attack = "*a" * 14 + "b"
    found = sb.graphql(token, "query($p: String!) { customersNew(first: 50, search: {name: {wildcard: {value: $p}}}) "
                              "{ totalCount } }", {"p": attack})
    assert found["data"]["customersNew"]["totalCount"] == 0
    found = sb.graphql(token, "query($p: String!) { customersNew(first: 50, search: {name: {wildcard: {value: $p}}}) "
                              "{ totalCount } }", {"p": "*a" * 14})
    assert found["data"]["customersNew"]["totalCount"] == 30
    sb.delete_agent(agent.id)


# ----------------------------------------------------------------------------- filter sizes
@pytest.mark.parametrize("where, variables", [
    ("{or: [" + ", ".join('{name: {eq: "x"}}' for _ in range(400)) + "]}", None),
    ("$w", {"w": {"or": [{"name": {"eq": "x"}} for _ in range(20_000)]}}),
    ('{name: {contains: "' + "a" * 600 + '"}}', None),
])
def test_an_oversized_filter_is_refused_before_any_work(insurup_sandbox, where, variables):
    sb = insurup_sandbox
    agent = sb.new_agent()
    token = sb.service_token(agent)
    declared = "($w: CustomerModelFilterInput)" if variables else ""
    body = sb.graphql(token, f"query{declared} {{ customers(where: {where}) {{ totalCount }} }}", variables)
    [error] = body["errors"]
    assert error["extensions"]["codes"] == ["GRAPHQL_MAX_FILTER_EXCEEDED"], error
    assert error["extensions"]["maxFilterNodes"] == 300 and "data" not in body or body.get("data") is None
    ok = sb.graphql(token, 'query { customers(where: {or: [{name: {eq: "x"}}, {name: {contains: "ay"}}]}) '
                           '{ totalCount } }')
    assert "errors" not in ok, ok
    sb.delete_agent(agent.id)


# ----------------------------------------------------------------------------- a full disk
def _service(c, sandbox) -> dict[str, str]:
    a = sandbox.default_agent
    token = c.post("/connect/token", data={"grant_type": "client_credentials", "client_id": a.client_id,
                                           "client_secret": a.client_secret, "scope": "core-api"}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _customer(c, h):
    return c.post("/api/customers", headers=h, json={
        "$type": "individual", "identityNumber": fresh_tckn(), "firstName": "Ayşe", "lastName": "Kaya",
        "addressText": "Bağdat Caddesi " * 20, "birthDate": "1990-01-01",
        "phoneNumber": {"number": fresh_phone(), "countryCode": 90}})


def test_a_full_disk_neither_applies_nor_acknowledges_and_renames_nothing(tmp_path):
    """SQLite refuses as a full disk does (``max_page_count``): the refused write is not applied (no
    trace in memory), nothing answers 2xx until the directory takes writes again, and every id answered
    2xx is the same record after a restart from the log (no clean stop: as after a kill -9)."""
    directory = tmp_path / "data"
    app = create_app(Settings(data_dir=str(directory)))
    with TestClient(app) as c:
        sandbox = app.state.sandbox
        store = sandbox.store
        h = _service(c, sandbox)
        acknowledged = [_customer(c, h).json()["id"]]
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from the next page on
        for _ in range(200):
            r = _customer(c, h)
            if r.status_code != 200:
                break
            acknowledged.append(r.json()["id"])
        assert r.status_code == 503 and r.json()["codes"] == ["SANDBOX_STORE_FAILED"]
        held = len(sandbox.default_agent.customers)
        assert held == len(acknowledged)  # the refused customer is not in memory
        still = _customer(c, h)
        assert still.status_code == 503 and len(sandbox.default_agent.customers) == held  # refused before running
        assert store.stats["rebuilds"] >= 1
        store._db.execute("PRAGMA max_page_count = 1073741823")  # space is back
        r = _customer(c, h)
        assert r.status_code == 200, r.text
        acknowledged.append(r.json()["id"])
        again = create_app(Settings(data_dir=str(directory)))  # while the first still runs: its log only
        with TestClient(again) as c2:
            h2 = _service(c2, again.state.sandbox)
            assert [c2.get(f"/api/customers/{i}", headers=h2).status_code for i in acknowledged] == \
                [200] * len(acknowledged)
            assert len(again.state.sandbox.default_agent.customers) == len(acknowledged)


# ----------------------------------------------------------------------------- role administration
def _user_with(sb, agent, service: str, *permissions: str, scope: str = "All") -> tuple[dict[str, str], str]:
    """An active agent user whose role holds exactly ``permissions``: its bearer headers and id."""
    from tests.test_admin import _user_token, invite_and_accept

    role = sb.http.post("/api/agent-roles", headers=sb.bearer(service), json={
        "name": f"Rol {fresh_tckn()}", "permissions": [{"permission": p, "scope": scope} for p in permissions]})
    assert role.status_code == 204, role.text
    email = f"u{fresh_tckn()}@acente.test"
    user_id = invite_and_accept(sb, agent, sb.bearer(service), email, role_id=role.headers["location"].rsplit("/", 1)[1])
    return sb.bearer(_user_token(sb, agent.id, email, "Parola-2026!")), user_id


@pytest.fixture
def agency(insurup_sandbox):
    sb = insurup_sandbox
    agent = sb.new_agent()
    yield sb, agent, sb.service_token(agent)
    sb.delete_agent(agent.id)


def test_a_user_manager_cannot_make_itself_or_anyone_owner(agency):
    sb, agent, service = agency
    manager, me = _user_with(sb, agent, service, "agent-users:manage")
    owner = next(u.id for u in sb.sandbox.agents[agent.id].agent_users.values() if u.role_id == "owner")
    r = sb.http.put(f"/api/agent-users/{me}", headers=manager, json={"roleId": "owner"})
    assert r.status_code == 403 and r.json()["codes"] == ["AGENT_USER_OWN_RIGHTS"]
    r = sb.http.post("/api/agent-users/invite", headers=manager, json={"email": "yeni@acente.test", "firstName": "Y",
                                                                      "lastName": "Z", "roleId": "owner"})
    assert r.status_code == 403 and r.json()["codes"] == ["AGENT_OWNER_ONLY"]
    r = sb.http.post(f"/api/agent-users/{owner}/deactivate", headers=manager)
    assert r.status_code == 403 and r.json()["codes"] == ["AGENT_OWNER_ONLY"]
    r = sb.http.post("/api/oauth-clients", headers=manager, json={"name": "arka kapı", "scopes": ["core-api"]})
    assert r.status_code == 403 and r.json()["codes"] == ["AGENT_OWNER_ONLY"]
    # what it holds it may give
    r = sb.http.post("/api/agent-users/invite", headers=manager, json={"email": "es@acente.test", "firstName": "E",
                                                                      "lastName": "S"})
    assert r.status_code == 204, r.text


def test_a_role_manager_cannot_give_more_than_it_holds(agency):
    sb, agent, service = agency
    manager, _ = _user_with(sb, agent, service, "agent-roles:manage", "customers:read")
    mine = next(r for r in sb.http.get("/api/agent-roles", headers=sb.bearer(service)).json()
                if set(r["permissions"]) == {"agent-roles:manage", "customers:read"})
    every = [{"permission": p, "scope": "All"} for p in ("customers:read", "customers:write", "agent-users:manage")]
    r = sb.http.put(f"/api/agent-roles/{mine['id']}", headers=manager, json={"name": mine["name"], "permissions": every})
    assert r.status_code == 403 and r.json()["codes"] == ["AGENT_USER_OWN_RIGHTS"]
    r = sb.http.post("/api/agent-roles", headers=manager, json={"name": "Geniş", "permissions": every})
    assert r.status_code == 403 and r.json()["codes"] == ["AGENT_ROLE_BEYOND_GRANTER"]
    r = sb.http.post("/api/agent-roles", headers=manager, json={"name": "Dar", "permissions": [
        {"permission": "customers:read", "scope": "Own"}]})
    assert r.status_code == 204, r.text


def test_a_service_account_cannot_deactivate_or_revoke_itself(agency):
    sb, agent, service = agency
    r = sb.http.put(f"/api/oauth-clients/{agent.client_id}", headers=sb.bearer(service), json={"isActive": False})
    assert r.status_code == 409 and r.json()["codes"] == ["OAUTH_CLIENT_SELF"]
    assert sb.http.delete(f"/api/oauth-clients/{agent.client_id}", headers=sb.bearer(service)).status_code == 409
    assert sb.http.get("/api/agent-users/me", headers=sb.bearer(service)).status_code == 200


# ----------------------------------------------------------------------------- record scopes
def test_an_own_scoped_user_cannot_reach_other_users_customers_by_any_path(agency):
    sb, agent, service = agency
    hidden_tckn = fresh_tckn()
    hidden = sb.http.post("/api/customers", headers=sb.bearer(service), json={
        "$type": "individual", "identityNumber": hidden_tckn, "firstName": "Gizli", "lastName": "Müşteri",
        "birthDate": "1990-01-01", "phoneNumber": {"number": fresh_phone(), "countryCode": 90}}).json()["id"]
    own, _ = _user_with(sb, agent, service, "customers:read", "customers:write", "cases:read", "cases:write",
                        "proposals:read", "proposals:create", scope="Own")
    lookup = sb.http.post("/api/customers/external-lookup", headers=own, json={"identityNumber": hidden_tckn})
    assert lookup.status_code == 200 and lookup.json()["existingCustomerId"] is None
    assert sb.http.post("/api/customers/external-lookup", headers=sb.bearer(service),
                        json={"identityNumber": hidden_tckn}).json()["existingCustomerId"] == hidden
    case = sb.http.post("/api/cases:new-sale-opportunity", headers=own, json={
        "customerId": hidden, "productBranch": "KASKO", "channel": "WEBSITE"})
    assert case.status_code == 404 and case.json()["codes"] == ["CUSTOMER_NOT_FOUND"]
    proposal = sb.http.post("/api/proposals", headers=own, json={
        "$type": "tss", "insurerCustomerId": hidden, "insuredCustomerId": hidden, "channel": "WEBSITE"})
    assert proposal.status_code == 404 and proposal.json()["codes"] == ["CUSTOMER_NOT_FOUND"]


# ----------------------------------------------------------------------------- the served edge
def test_the_control_plane_answers_no_other_origin_and_no_other_host():
    with live.serve() as (base, _, _proc):
        port = base.rsplit(":", 1)[1]
        evil = {"Origin": "https://evil.example"}
        assert httpx.get(base + "/__sandbox/health", headers={"Host": "rebind.evil.example"}).status_code == 421
        before = len(httpx.get(base + "/__sandbox/agents").json())
        r = httpx.post(base + "/__sandbox/agents", content=b"{}", headers={**evil, "Content-Type": "text/plain"})
        assert r.status_code == 403 and r.json()["codes"] == ["CONTROL_PLANE_CROSS_ORIGIN"]
        assert "access-control-allow-origin" not in r.headers
        assert len(httpx.get(base + "/__sandbox/agents").json()) == before  # nothing was created
        form = httpx.post(base + "/__sandbox/agents", data={"a": "1"}, headers={"Sec-Fetch-Site": "cross-site"})
        assert form.status_code == 403
        pre = httpx.options(base + "/__sandbox/agents", headers={**evil, "Access-Control-Request-Method": "POST"})
        assert pre.status_code == 403 and "access-control-allow-origin" not in pre.headers
        read = httpx.get(base + "/__sandbox/agents", headers=evil)
        assert read.status_code == 200 and "access-control-allow-origin" not in read.headers  # a page cannot read it
        # the dashboard's own page, the CLI, and the API's CORS for sites on other origins go on
        assert httpx.post(base + "/__sandbox/agents", json={}, headers={"Origin": f"http://127.0.0.1:{port}"}
                          ).status_code == 201
        assert httpx.post(base + "/__sandbox/agents", json={}).status_code == 201
        api = httpx.get(base + "/api/customers/me", headers={"Origin": "https://site.example"})
        assert api.headers.get("access-control-allow-origin") == "*"
        logo = httpx.get(base + "/__sandbox/logos/43.svg", headers={"Sec-Fetch-Site": "cross-site",
                                                                       "Sec-Fetch-Dest": "image"})
        assert logo.status_code == 200  # insurers' logos on a partner's page
        assert httpx.get(f"http://localhost:{port}/__sandbox/health").status_code == 200


def test_a_client_that_never_reads_is_cut_and_frees_its_slot():
    env = {"INSURUP_SANDBOX_WRITE_TIMEOUT": "1", "INSURUP_SANDBOX_MAX_INFLIGHT": "6"}
    with live.serve(env=env) as (base, _, proc):
        port = int(base.rsplit(":", 1)[1])
        hogs = []
        for _ in range(12):  # each pipelines big answers and never reads one
            s = socket.create_connection(("127.0.0.1", port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 40)
            hogs.append(s)
        answered = None
        for _ in range(200):  # the write deadline cuts them; the probe is answered again
            time.sleep(0.1)
            try:
                answered = httpx.get(base + "/__sandbox/health", timeout=5).status_code
            except httpx.TimeoutException:  # still queued behind the hogs (a busy machine): ask again
                continue
            if answered == 200:
                break
        assert answered == 200
        for s in hogs:
            s.close()


def test_a_client_that_leaves_mid_request_is_a_disconnect_not_a_bug():
    with live.serve() as (base, _, proc):
        port = int(base.rsplit(":", 1)[1])
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /api/auth/customer/login-or-register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
            time.sleep(0.05)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        time.sleep(0.5)
        assert httpx.get(base + "/__sandbox/health").status_code == 200
        proc.terminate()
        err = proc.communicate(timeout=10)[1]
    assert "Traceback" not in err and "sandbox bug" not in err, err[-2000:]


def test_the_access_log_prints_a_line_per_request():
    with live.serve("--access-log") as (base, _, proc):
        httpx.get(base + "/__sandbox/health?probe=access-log")
        time.sleep(0.3)
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert "GET /__sandbox/health?probe=access-log" in out + err


# ----------------------------------------------------------------------------- webhook lanes
def test_one_tenants_backlog_to_a_shared_receiver_does_not_hold_another_tenant_back():
    from mockserver.receiver import Receiver

    receiver = Receiver(delay=0.1)
    app = create_app(Settings(webhook_concurrency=1, webhook_rate=1000))
    try:
        with TestClient(app) as c:
            from mockserver.testing import SandboxClient

            sb = SandboxClient(c)
            busy, quiet = sb.new_agent(), sb.new_agent()
            for agent, path in ((busy, "/busy"), (quiet, "/quiet")):
                r = c.post("/api/webhooks", headers=sb.bearer(sb.service_token(agent)),
                           json={"url": receiver.url + path, "events": ["customer.created"]})
                assert r.status_code == 200, r.text
            busy_token, quiet_token = sb.service_token(busy), sb.service_token(quiet)
            for _ in range(40):
                _customer(c, sb.bearer(busy_token))
            _customer(c, sb.bearer(quiet_token))
            got = receiver.wait_for(41, timeout=60)
            order = [r.path.rsplit("/", 1)[1] for r in got]
            assert len(order) == 41 and order.count("quiet") == 1
            # first come first served, it would be the 41st; with its turn in the round, it is served
            # while most of the backlog still waits
            assert order.index("quiet") < 12, order
    finally:
        receiver.close()


# ----------------------------------------------------------------------------- the published document
def test_the_phone_numbers_list_is_what_its_published_model_says(agency):
    from pydantic import TypeAdapter

    from mockserver.wire.models import CustomerPhoneOut

    sb, agent, service = agency
    made = sb.http.post("/api/customers", headers=sb.bearer(service), json={
        "$type": "individual", "identityNumber": fresh_tckn(), "firstName": "Ece", "lastName": "Tan",
        "birthDate": "1990-01-01", "phoneNumber": {"number": fresh_phone(), "countryCode": 90}}).json()
    phones = sb.http.get(f"/api/customers/{made['id']}/phone-numbers", headers=sb.bearer(service)).json()
    TypeAdapter(list[CustomerPhoneOut]).validate_python(phones)
    assert phones and set(phones[0]["phoneNumber"]) == {"number", "countryCode"}
