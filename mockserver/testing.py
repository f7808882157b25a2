"""A pytest plugin for integrators and for the sandbox's own tests (``-p mockserver.testing`` or the
``pytest11`` entry point): an in-process sandbox, a fresh isolated agent per test, and helpers for
the steps every test repeats (customer OTP login, service-account token, moving the clock)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from mockserver.core.settings import Settings
from mockserver.http.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@dataclass
class AgentHandle:
    id: str
    client_id: str
    client_secret: str
    email: str
    password: str
    control_token: str = ""

    @property
    def control(self) -> dict[str, str]:
        """Headers for this agent's control-plane calls (needed when the plane is closed)."""
        return {"X-Sandbox-Token": self.control_token}


class SandboxClient:
    """A TestClient plus shortcuts. Every method goes through real HTTP semantics (ASGI)."""

    def __init__(self, client: TestClient, admin_token: str | None = None):
        self.http = client
        self.app = client.app
        self.admin_token = admin_token or self.app.state.sandbox.admin_token
        self._tokens: dict[str, str] = {}

    @property
    def sandbox(self):
        return self.app.state.sandbox

    def control_headers(self, agent_id: str | None = None) -> dict[str, str]:
        token = self._tokens.get(agent_id or "") or self.admin_token
        return {"X-Sandbox-Token": token} if token else {}

    def new_agent(self, **fixture: Any) -> AgentHandle:
        r = self.http.post("/__sandbox/agents", json=fixture, headers=self.control_headers())
        assert r.status_code == 201, r.text
        a = r.json()
        self._tokens[a["agentId"]] = a["controlToken"]
        return AgentHandle(a["agentId"], a["serviceAccount"]["clientId"], a["serviceAccount"]["clientSecret"],
                           a["agentUser"]["email"], a["agentUser"]["password"], a["controlToken"])

    def delete_agent(self, agent_id: str) -> None:
        self.http.delete(f"/__sandbox/agents/{agent_id}", headers=self.control_headers(agent_id))
        self._tokens.pop(agent_id, None)

    def last_code(self, agent_id: str, phone: str | None = None) -> str:
        r = self.http.get(f"/__sandbox/agents/{agent_id}/sms", params={"to": phone} if phone else None,
                          headers=self.control_headers(agent_id))
        assert r.status_code == 200 and r.json(), f"no SMS for {phone}"
        return r.json()[-1]["code"]

    def customer_login(self, agent_id: str, tckn: str, phone: str = "5321234567",
                       birth_date: str = "1990-01-01", **extra: Any) -> dict[str, Any]:
        """Log in (registering if needed) and verify the SMS code; returns the token response."""
        body = {"$type": "individual", "identityNumber": tckn, "birthDate": birth_date,
                "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent_id, **extra}
        r = self.http.post("/api/auth/customer/login-or-register", json=body)
        assert r.status_code == 200, r.text
        token = r.json()["token"]
        v = self.http.post("/api/auth/customer/verify-mfa", json={"token": token, "code": self.last_code(agent_id, phone)})
        assert v.status_code == 200, v.text
        return v.json()

    def service_token(self, agent: AgentHandle) -> str:
        r = self.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": agent.client_id,
                                                   "client_secret": agent.client_secret, "scope": "core-api"})
        assert r.status_code == 200, r.text
        return r.json()["access_token"]

    def advance(self, agent_id: str, seconds: float) -> None:
        r = self.http.post(f"/__sandbox/agents/{agent_id}/clock", json={"advance": seconds},
                           headers=self.control_headers(agent_id))
        assert r.status_code == 200, r.text

    def graphql(self, token: str | None, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST /graphql; returns the JSON body (``data`` and/or ``errors``)."""
        r = self.http.post("/graphql", json={"query": query, "variables": variables},
                           headers=self.bearer(token) if token else None)
        return r.json()

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def insurup_app():
    return create_app(Settings())


@pytest.fixture(scope="session")
def insurup_sandbox(insurup_app) -> Iterator[SandboxClient]:
    with TestClient(insurup_app, raise_server_exceptions=False) as client:
        yield SandboxClient(client)


@pytest.fixture
def insurup_agent(insurup_sandbox: SandboxClient) -> Iterator[AgentHandle]:
    """A fresh isolated agent, deleted after the test."""
    agent = insurup_sandbox.new_agent()
    yield agent
    insurup_sandbox.delete_agent(agent.id)
