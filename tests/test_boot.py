"""Serving while the app loads (mockserver.http.boot): the port answers health at once, ``starting``
in the shape ``Health`` declares; every other request sent meanwhile waits and gets the app's own
answer once it is ready; a Host the sandbox does not serve gets nothing early; a sandbox that cannot
start says so. Over a real uvicorn server on 127.0.0.1, with the load held until the test lets it go."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
import uvicorn

from mockserver import __version__
from mockserver.core.errors import SandboxError
from mockserver.core.settings import Settings
from mockserver.http.boot import Boot, allowed_hosts, serving_hosts
from mockserver.http.server import bind, server
from mockserver.wire.control import Health

SERVED = Settings(allowed_hosts=serving_hosts("127.0.0.1", "", None))  # as `serve` makes them on a loopback bind
LOOPBACK = allowed_hosts(SERVED.allowed_hosts)


async def _serving(boot: Boot, body) -> None:
    settings = SERVED
    sock = bind("127.0.0.1", 0)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    running = server(uvicorn.Config(boot, log_level="warning", lifespan="on", interface="asgi3"), settings)
    task = asyncio.create_task(running.serve(sockets=[sock]))
    try:
        while not running.started:
            await asyncio.sleep(0.01)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await body(client)
    finally:
        running.should_exit = True
        await task


def _held(make):
    """A load that waits for the test's word (``go.set()``), then makes the app."""
    go = threading.Event()

    def load():
        assert go.wait(30), "the test never let the load go"
        return make()

    return go, load


def test_health_answers_starting_at_once_and_requests_sent_meanwhile_get_the_apps_answer():
    from mockserver.http.app import create_app

    go, load = _held(lambda: create_app(SERVED))
    ready = []
    boot = Boot(load, version=__version__, allowed=LOOPBACK, ready=ready.append)

    async def body(client: httpx.AsyncClient) -> None:
        early = await client.get("/__sandbox/health", headers={"Origin": "https://site.example",
                                                                "X-Request-ID": "ci-job-17.step-2"})
        assert early.status_code == 200 and early.headers["x-trace-id"] == "ci-job-17.step-2"  # as the edge does
        assert len((await client.get("/__sandbox/health", headers={"X-Request-ID": "a b"})).headers["x-trace-id"]) == 32
        assert early.headers["access-control-allow-origin"] == "*"
        health = Health.model_validate(early.json())  # the declared shape, undeclared fields refused
        assert (health.status, health.version, health.agents, health.defaultAgentId) == (
            "starting", __version__, None, None)
        waiting = asyncio.create_task(client.get("/api/customers/me"))
        refused_host = asyncio.create_task(client.get("/__sandbox/health", headers={"Host": "rebind.evil.example"}))
        await asyncio.sleep(0.3)
        assert not waiting.done() and not refused_host.done()  # held until the app is there, not refused
        assert not ready
        go.set()
        me = await waiting
        assert me.status_code == 401 and me.json()["codes"] == ["UNAUTHORIZED"]  # the app's own answer
        assert (await refused_host).status_code == 421  # the app's Host rule, not an early health
        assert len(ready) == 1
        now = (await client.get("/__sandbox/health")).json()
        assert now["status"] == "ok" and now["defaultAgentId"] == ready[0].state.sandbox.default_agent.id
        # the app's own lifespan ran: its webhook deliverer is started
        assert ready[0].state.deliverer._task is not None

    asyncio.run(_serving(boot, body))


def test_a_sandbox_that_cannot_start_says_so_to_what_was_waiting():
    def refuse():
        raise SandboxError("The default agent's fixture names no coverage group.", codes=["AGENT_FIXTURE_INVALID"])

    go, load = _held(refuse)
    failures = []
    boot = Boot(load, version=__version__, allowed=LOOPBACK, failed=failures.append)

    async def body(client: httpx.AsyncClient) -> None:
        waiting = asyncio.create_task(client.post("/api/auth/customer/login-or-register", json={}))
        await asyncio.sleep(0.1)
        go.set()
        r = await waiting
        assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
        assert r.json()["codes"] == ["SANDBOX_NOT_STARTED"] and r.json()["traceId"] == r.headers["x-trace-id"]
        assert [type(f) for f in failures] == [SandboxError]
        assert boot.failure is failures[0]

    asyncio.run(_serving(boot, body))


def test_an_app_whose_own_start_up_fails_is_reported_with_its_reason():
    """The app's lifespan (where a data directory is restored) raising: the reason is what was raised."""
    import contextlib

    from starlette.applications import Starlette

    @contextlib.asynccontextmanager
    async def lifespan(app):
        raise OSError("the data directory cannot be read")
        yield

    failures = []
    boot = Boot(lambda: Starlette(lifespan=lifespan), version=__version__, allowed=LOOPBACK, failed=failures.append)

    async def body(client: httpx.AsyncClient) -> None:
        r = await client.get("/anything")
        assert r.status_code == 503 and r.json()["codes"] == ["SANDBOX_NOT_STARTED"]
        assert [str(f) for f in failures] == ["the data directory cannot be read"] and boot.app is None

    asyncio.run(_serving(boot, body))


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_only_a_get_of_health_is_answered_early(method):
    from mockserver.http.app import create_app

    go, load = _held(lambda: create_app(SERVED))
    boot = Boot(load, version=__version__, allowed=LOOPBACK)

    async def body(client: httpx.AsyncClient) -> None:
        waiting = asyncio.create_task(client.request(method, "/__sandbox/health"))
        await asyncio.sleep(0.2)
        assert not waiting.done()
        go.set()
        assert (await waiting).status_code == 405  # the app's answer for a method health does not take

    asyncio.run(_serving(boot, body))


def test_status_and_wait_tell_a_starting_sandbox_from_a_ready_one():
    import sys

    from mockserver.http.app import create_app

    go, load = _held(lambda: create_app(SERVED))
    boot = Boot(load, version=__version__, allowed=LOOPBACK)

    async def cli(*args: str) -> tuple[int, str]:
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "mockserver.cli", *args,
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await proc.communicate()
        return proc.returncode, out.decode() + err.decode()

    async def body(client: httpx.AsyncClient) -> None:
        target = str(client.base_url).rstrip("/")
        code, out = await cli("status", "--target", target)
        assert code == 1 and out.startswith(f"starting  {target}") and "still loading" in out
        code, out = await cli("wait", "--target", target, "--timeout", "0.5")
        assert code == 1 and "was not ready within" in out
        go.set()
        code, out = await cli("wait", "--target", target, "--timeout", "20")
        assert code == 0 and out.startswith("ready")
        code, out = await cli("status", "--target", target)
        assert code == 0 and out.startswith(f"ok  {target}")

    asyncio.run(_serving(boot, body))


def test_what_serves_before_the_app_imports_neither_the_app_nor_its_libraries():
    """The port answers before the app is loaded only if the server's own modules stay light."""
    import subprocess
    import sys

    code = ("import sys; import mockserver.http.boot, mockserver.http.server, mockserver.core.settings; "
            "print(sorted(m for m in ('starlette', 'mockserver.http.app', 'mockserver.wire', 'mockserver.domain', "
            "'graphql', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_wire_models_declare_real_annotations():
    """String annotations (``from __future__ import annotations``) make pydantic evaluate each one when a
    model is defined: about 2 300 of them, 0.05 s of every start."""
    from pathlib import Path

    wire = Path(__file__).resolve().parents[1] / "mockserver" / "wire"
    lazy = [p.name for p in sorted(wire.glob("*.py")) if "from __future__ import annotations" in p.read_text()]
    assert lazy == []
