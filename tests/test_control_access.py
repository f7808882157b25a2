"""The control plane on a shared sandbox: admin and per-agent control tokens, what stays open,
random secrets, and an agent's delete leaving nothing behind."""

from __future__ import annotations

import gc
import tracemalloc
import warnings

import pytest

from mockserver.core.settings import Settings
from mockserver.domain.tenant import AgentFixture
from mockserver.world import sandbox as make_sandbox
from mockserver.http.app import create_app
from tests.conftest import fresh_phone, fresh_tckn

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

ADMIN = "admin-secret-token-for-tests"


@pytest.fixture(scope="module")
def closed():
    with TestClient(create_app(Settings(admin_token=ADMIN)), raise_server_exceptions=False) as client:
        yield client


def admin() -> dict[str, str]:
    return {"X-Sandbox-Token": ADMIN}


def make_agent(client, **fixture) -> dict:
    r = client.post("/__sandbox/agents", json=fixture, headers=admin())
    assert r.status_code == 201, r.text
    return r.json()


def test_a_closed_plane_asks_for_a_token_on_every_control_call(closed):
    r = closed.get("/__sandbox/agents")
    assert r.status_code == 401 and r.json()["codes"] == ["CONTROL_TOKEN_REQUIRED"]
    assert "X-Sandbox-Token" in r.json()["detail"]
    assert closed.post("/__sandbox/agents", json={}).status_code == 401
    a = make_agent(closed)
    for method, path in (("GET", f"/__sandbox/agents/{a['agentId']}"), ("GET", f"/__sandbox/agents/{a['agentId']}/sms"),
                         ("GET", f"/__sandbox/agents/{a['agentId']}/journal"),
                         ("POST", f"/__sandbox/agents/{a['agentId']}/reset"),
                         ("DELETE", f"/__sandbox/agents/{a['agentId']}"),
                         ("GET", f"/__sandbox/agents/{a['agentId']}/webhook-deliveries")):
        r = closed.request(method, path)
        assert r.status_code == 401, (method, path, r.text)
        wrong = closed.request(method, path, headers={"X-Sandbox-Token": "ctl_not-this-one"})
        assert wrong.status_code == 403 and wrong.json()["codes"] == ["CONTROL_TOKEN_INVALID"]
    assert closed.get(f"/__sandbox/agents/{a['agentId']}").status_code == 401  # still there


def test_an_agent_token_drives_its_own_agent_only(closed):
    a, b = make_agent(closed), make_agent(closed)
    mine = {"X-Sandbox-Token": a["controlToken"]}
    assert closed.get(f"/__sandbox/agents/{a['agentId']}/clock", headers=mine).status_code == 200
    assert closed.post(f"/__sandbox/agents/{a['agentId']}/clock", json={"advance": 60}, headers=mine).status_code == 200
    # the bearer form works as well
    assert closed.get(f"/__sandbox/agents/{a['agentId']}/sms",
                      headers={"Authorization": f"Bearer {a['controlToken']}"}).status_code == 200
    for method, path in (("GET", f"/__sandbox/agents/{b['agentId']}"), ("GET", f"/__sandbox/agents/{b['agentId']}/sms"),
                         ("DELETE", f"/__sandbox/agents/{b['agentId']}"), ("GET", "/__sandbox/agents")):
        assert closed.request(method, path, headers=mine).status_code == 403, (method, path)
    assert closed.get(f"/__sandbox/agents/{b['agentId']}", headers=admin()).status_code == 200
    assert closed.delete(f"/__sandbox/agents/{a['agentId']}", headers=mine).status_code == 204


def test_what_stays_open_on_a_closed_plane(closed):
    health = closed.get("/__sandbox/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert closed.get("/__sandbox/magic").status_code == 200
    assert closed.get("/__sandbox/logos/43.svg").status_code == 200


def test_payment_pages_open_only_with_their_key(closed):
    from mockserver.testing import SandboxClient
    from tests.test_proposals import new_buyer
    from tests.test_purchases import DOGA, buy_async, card, quoted

    sb = SandboxClient(closed)
    a = sb.new_agent()
    buyer = new_buyer(sb, a.id)
    pid, pp = quoted(sb, a.id, buyer, DOGA)
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
    assert "?key=" in url
    page = url.removeprefix("http://testserver")
    assert closed.get(page).status_code == 200  # no token: a browser cannot send one
    keyless = page.split("?", 1)[0]
    r = closed.get(keyless)
    assert r.status_code == 404 and r.json()["codes"] == ["PAYMENT_NOT_FOUND"]
    assert closed.get(keyless + "?key=guess").status_code == 404
    confirmed = closed.post(page, data={"action": "confirm", "code": "123456"}, follow_redirects=False)
    assert confirmed.status_code == 303 and "success=true" in confirmed.headers["location"]


def test_public_agent_creation_gives_only_your_own_agent():
    settings = Settings(admin_token=ADMIN, public_agent_creation=True)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        r = client.post("/__sandbox/agents", json={})
        assert r.status_code == 201
        mine = r.json()
        assert client.get(f"/__sandbox/agents/{mine['agentId']}/sms",
                          headers={"X-Sandbox-Token": mine["controlToken"]}).status_code == 200
        assert client.get("/__sandbox/agents", headers={"X-Sandbox-Token": mine["controlToken"]}).status_code == 403
        default = client.get("/__sandbox/health").json()["defaultAgentId"]
        assert client.get(f"/__sandbox/agents/{default}/sms",
                          headers={"X-Sandbox-Token": mine["controlToken"]}).status_code == 403


def test_a_non_loopback_bind_is_closed_with_a_generated_admin_token_and_random_default_secrets():
    sandbox = make_sandbox(Settings(host="0.0.0.0"))
    assert sandbox.control_open is False and sandbox.admin_token and len(sandbox.admin_token) >= 24
    agent = sandbox.default_agent
    assert agent.client_secret != "sandbox-client-secret" and agent.agent_user_password != "sandbox-password"
    assert make_sandbox(Settings(host="0.0.0.0")).admin_token != sandbox.admin_token
    given = make_sandbox(Settings(host="0.0.0.0", default_client_secret="mine-mine-mine"))
    assert given.default_agent.client_secret == "mine-mine-mine"
    loop = make_sandbox(Settings())
    assert loop.control_open is True and loop.default_agent.client_secret == "sandbox-client-secret"
    assert make_sandbox(Settings(control_plane="closed")).control_open is False


def test_created_agents_get_random_secrets_never_derived_from_seed_and_id():
    sandbox = make_sandbox(Settings())
    seen = set()
    for _ in range(3):
        agent = sandbox.create_agent(AgentFixture(agent_id="same-id", seed=7))
        seen.add((agent.client_secret, agent.agent_user_password, agent.control_token))
        sandbox.delete_agent("same-id")
    assert len(seen) == 3
    assert len({s[0] for s in seen}) == 3 and len({s[2] for s in seen}) == 3
    fixed = sandbox.create_agent(AgentFixture(agent_id="fixed", client_secret="given-secret",
                                              agent_user_password="given-password", control_token="ctl_given_token_x"))
    assert (fixed.client_secret, fixed.agent_user_password, fixed.control_token) == \
        ("given-secret", "given-password", "ctl_given_token_x")


def _cycle(client, n: int) -> None:
    for _ in range(n):
        r = client.post("/__sandbox/agents", json={"connectAllInsurers": False})
        a = r.json()
        phone = fresh_phone()
        login = client.post("/api/auth/customer/login-or-register", json={
            "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
            "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": a["agentId"]}).json()
        code = client.get(f"/__sandbox/agents/{a['agentId']}/sms").json()[-1]["code"]
        client.post("/api/auth/customer/verify-mfa", json={"token": login["token"], "code": code})
        client.post("/api/authentication:agent-user/login", json={"email": a["agentUser"]["email"],
                                                                  "password": a["agentUser"]["password"]})
        assert client.delete(f"/__sandbox/agents/{a['agentId']}").status_code == 204


def test_deleting_agents_leaves_no_grants_and_memory_stays_flat():
    app = create_app(Settings())
    sandbox = app.state.sandbox
    with TestClient(app, raise_server_exceptions=False) as client:
        baseline = len(sandbox.grant_index)
        _cycle(client, 30)  # warm caches (faker, address tree, token cache)
        assert len(sandbox.grant_index) == baseline and len(sandbox.agents) == 1
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        _cycle(client, 150)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        assert len(sandbox.grant_index) == baseline and len(sandbox.agents) == 1
        # 150 agents of logins and tokens come and go; what stays is bounded caches, not agents
        assert grown < 150 * 4096, grown
