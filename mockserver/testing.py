"""A pytest plugin for integrators and for the sandbox's own tests (``-p mockserver.testing`` or the
``pytest11`` entry point): an in-process sandbox, a fresh isolated agent per test, and helpers for
the steps every test repeats (customer OTP login, service-account token, moving the clock)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the plugin loads with every pytest run: the sandbox itself only when a fixture asks
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

    def __init__(self, client: "TestClient", admin_token: str | None = None):
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
    """The sandbox as an ASGI app (one per test session)."""
    from mockserver.core.settings import Settings
    from mockserver.http.app import create_app

    return create_app(Settings())


@pytest.fixture(scope="session")
def insurup_sandbox(insurup_app) -> Iterator[SandboxClient]:
    """A SandboxClient over the in-process app: ``.http`` (a TestClient), ``new_agent(**fixture)``,
    ``customer_login(agent_id, tckn, phone=…)``, ``service_token(agent)``, ``advance(agent_id, s)``,
    ``last_code(agent_id, phone)``, ``graphql(token, query, variables)``, ``bearer(token)``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    with TestClient(insurup_app, raise_server_exceptions=False) as client:
        yield SandboxClient(client)


@pytest.fixture(scope="session")
def insurup_server(insurup_sandbox: SandboxClient) -> Iterator[str]:
    """The same sandbox served on a real loopback port, for clients that need a URL (a browser,
    another process, an SDK): yields its base URL. It is ``insurup_sandbox``'s app, answered on the
    TestClient's own event loop, so an agent that ``insurup_agent`` made is there, and ``advance``,
    ``last_code`` and ``new_agent`` act on what the URL serves."""
    import time

    import httpx
    import uvicorn

    from mockserver.http.server import bind, configure

    client = insurup_sandbox.http
    portal = client.portal  # the TestClient's loop, running for the whole session (its `with` block)
    assert portal is not None, "insurup_sandbox's TestClient is not running"
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    settings = insurup_sandbox.sandbox.settings
    # no second lifespan: the TestClient ran the app's (its webhook deliverer, its warm-up) already
    server = uvicorn.Server(configure(uvicorn.Config(insurup_sandbox.app, host="127.0.0.1", port=port,
                                                     log_level="warning", lifespan="off"), settings))
    serving = portal.start_task_soon(server.serve, [sock])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if serving.done():
            serving.result()  # it stopped: say why
        try:
            if httpx.get(base + "/__sandbox/health", timeout=0.5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    else:
        raise RuntimeError("the sandbox did not answer on its port in 20 s")
    try:
        yield base
    finally:
        server.should_exit = True
        serving.result(15)


@pytest.fixture
def insurup_agent(insurup_sandbox: SandboxClient) -> Iterator[AgentHandle]:
    """A fresh isolated agent, deleted after the test."""
    agent = insurup_sandbox.new_agent()
    yield agent
    insurup_sandbox.delete_agent(agent.id)


# ----------------------------------------------------------------------------- scenarios as tests
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("insurup-sandbox")
    group.addoption("--insurup-target", default=None, metavar="URL",
                    help="run the scenario files given on the command line against this base URL (default: an "
                         "in-process sandbox); each step is a test item")
    group.addoption("--insurup-scenarios", action="store_true", default=False,
                    help="collect scenario YAML files given on the command line as tests (implied by "
                         "--insurup-target); `insurup-sandbox contract where` prints the shipped ones")


def pytest_configure(config: pytest.Config) -> None:
    """With ``--insurup-target`` or ``--insurup-scenarios``, a path that does not exist but names a
    shipped scenario (``customer_otp_login``, ``scenarios/trafik_proposal.yaml``, ``scenarios``) is
    that shipped file, so the README's lines work from any directory."""
    if not (config.getoption("insurup_target", None) or config.getoption("insurup_scenarios", False)):
        return
    from pathlib import Path

    from mockserver.contract import resolve_scenarios

    args = []
    for arg in config.args:
        path = Path(arg.split("::", 1)[0])
        if not path.is_absolute():
            path = Path(config.invocation_params.dir) / path
        if path.exists() or "::" in arg or arg.startswith("-"):
            args.append(arg)
            continue
        try:
            args += [str(p) for p in resolve_scenarios([Path(arg)])]
        except FileNotFoundError as exc:
            raise pytest.UsageError(str(exc)) from None
    config.args[:] = args


def pytest_collect_file(file_path, parent):  # type: ignore[no-untyped-def]
    config = parent.config
    if file_path.suffix in (".yaml", ".yml") and (config.getoption("insurup_target")
                                                  or config.getoption("insurup_scenarios")):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    """A scenario file: one test item per step. The first item runs the whole scenario once (the
    steps depend on each other); every item then reports its own step."""

    _result: Any = None

    def collect(self):  # type: ignore[no-untyped-def]
        from mockserver.contract.spec import ScenarioError, load_scenario

        try:
            scenario, _ = load_scenario(self.path)
        except ScenarioError as exc:
            raise self.CollectError(str(exc)) from None
        seen: dict[str, int] = {}
        for i, step in enumerate(scenario.steps):
            name = step.name or f"step {i + 1}"
            seen[name] = seen.get(name, 0) + 1
            yield StepItem.from_parent(self, name=name if seen[name] == 1 else f"{name} ({seen[name]})", index=i)

    def result(self) -> Any:
        if self._result is None:
            import asyncio

            from mockserver.contract.runner import run_all

            [self._result] = asyncio.run(run_all([self.path], self.config.getoption("insurup_target")))
        return self._result


class StepItem(pytest.Item):
    def __init__(self, *, index: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.index = index

    def runtest(self) -> None:
        result = self.parent.result()
        steps = [s for s in result.steps if s.name != "setup"]
        setup = next((s for s in result.steps if s.name in ("setup", "load") and s.status == "failed"), None)
        if setup is not None:
            raise ScenarioStepFailed(setup.message)
        if self.index >= len(steps):
            pytest.skip("not reached")
        step = steps[self.index]
        if step.status == "skipped":
            pytest.skip(step.message)
        if step.status == "failed":
            raise ScenarioStepFailed(step.message)

    def repr_failure(self, excinfo, style=None):  # type: ignore[no-untyped-def]
        if isinstance(excinfo.value, ScenarioStepFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):  # type: ignore[no-untyped-def]
        return self.path, None, f"{self.path.name}::{self.name}"


class ScenarioStepFailed(Exception):
    pass
