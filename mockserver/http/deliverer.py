"""The one piece of real background work: sending webhook deliveries over HTTP (httpx).

A loop wakes when a delivery is queued (or every ``deliverer_interval`` seconds, because a retry
falls due on an agent's clock, which may be moved at any time), sends every due delivery
concurrently, and records each attempt's status code and duration in the agent's outbox. It also
lets due work run for agents with live hub connections, so quotes arriving on a running clock are
pushed without anyone polling. ``flush`` does the same on demand, for tests and CI.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

import httpx

from mockserver.domain import webhooks

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Sandbox
    from mockserver.domain.webhooks import Delivery

log = logging.getLogger("insurup_sandbox.webhooks")


class Deliverer:
    def __init__(self, sandbox: "Sandbox"):
        self.sandbox = sandbox
        self._client: httpx.AsyncClient | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle (the app's lifespan) -------------------------------------------------------
    async def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.sandbox.settings.webhook_timeout, follow_redirects=False,
                                         trust_env=False)
        self._wake = asyncio.Event()
        loop = asyncio.get_running_loop()
        wake = self._wake

        def poke() -> None:
            # domain code runs on the loop's thread in the server; be safe when it does not
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                wake.set()
            else:
                loop.call_soon_threadsafe(wake.set)

        self.sandbox.on_delivery_waiting(poke)
        self._task = asyncio.create_task(self._run(), name="webhook-deliverer")

    async def stop(self) -> None:
        self.sandbox.on_delivery_waiting(None)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._client is not None:
            await self._client.aclose()

    async def _run(self) -> None:
        assert self._wake is not None
        interval = self.sandbox.settings.deliverer_interval
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=interval)
            self._wake.clear()
            try:
                await self.pass_once()
            except Exception:  # never let one bad delivery stop the loop
                log.exception("webhook delivery pass failed")

    # -- work -----------------------------------------------------------------------------------
    async def pass_once(self) -> list["Delivery"]:
        sandbox = self.sandbox
        for agent_id in sandbox.hub.listening():
            agent = sandbox.agents.get(agent_id)
            if agent is not None:
                agent.tick()
        jobs = []
        for agent in list(sandbox.agents.values()):
            if (agent.webhooks or agent.deliveries) and agent.fixture.webhook_delivery == "auto":
                agent.tick()
                jobs += [self._send(agent, d) for d in webhooks.due(agent)]
        if not jobs:
            return []
        return list(await asyncio.gather(*jobs))

    async def flush(self, agent: "Agent") -> list["Delivery"]:
        """Send every delivery of ``agent`` that is due now and wait for the answers."""
        agent.tick()
        return list(await asyncio.gather(*[self._send(agent, d) for d in webhooks.due(agent)]))

    async def _send(self, agent: "Agent", d: "Delivery") -> "Delivery":
        hook = agent.webhooks.get(d.webhook_id)
        if hook is None:
            d.state = "FAILED"
            return d
        d.in_flight = True
        client = self._client or httpx.AsyncClient(timeout=self.sandbox.settings.webhook_timeout, trust_env=False)
        started, status, error = time.perf_counter(), None, None
        try:
            r = await client.post(hook.url, content=d.body, headers=webhooks.request_headers(hook, d))
            status = r.status_code
            if not 200 <= status < 300:
                error = f"the receiver answered {status}"
        except httpx.TimeoutException:
            error = f"no answer within {self.sandbox.settings.webhook_timeout:g} s"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            if client is not self._client:
                await client.aclose()
        duration = (time.perf_counter() - started) * 1000
        webhooks.record(agent, d, at=agent.now(), status_code=status, duration_ms=duration, error=error)
        return d
