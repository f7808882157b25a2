"""The one piece of real background work: sending webhook deliveries over HTTP (httpx).

A loop wakes when a delivery is queued (or every ``deliverer_interval`` seconds, because a retry
falls due on an agent's clock, which may be moved at any time) and hands every due delivery to the
*lane* of its destination (scheme, host and port). Each lane sends at most
``webhook_concurrency`` requests at once and starts at most ``webhook_rate`` per second, so a slow
or dead receiver delays only its own deliveries, and a burst of a thousand events reaches a small
receiver at a pace it can take. A lane's slots go round-robin to the tenants (agents) waiting for
it, so one agent's backlog to a shared receiver (another path of the same host) delays another
agent's delivery by at most one turn. Nothing here waits for a lane: the loop only dispatches.
``flush`` dispatches one agent's due deliveries and waits for that agent's answers only.

Every attempt's status code, duration and error land in the agent's outbox. The loop also lets due
work run for agents with live hub connections, so quotes arriving on a running clock are pushed
without anyone polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mockserver.domain import webhooks

if TYPE_CHECKING:
    import httpx

    from mockserver.domain.tenant import Agent, Sandbox
    from mockserver.domain.webhooks import Delivery

log = logging.getLogger("insurup_sandbox.webhooks")


def destination(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Lane:
    """One destination: a bound on requests in flight, a pace between their starts, and its slots
    shared round-robin between the tenants waiting for them."""

    def __init__(self, concurrency: int, rate: float):
        self.free = concurrency
        self.gap = 1.0 / rate
        self.next_start = 0.0
        self.active = 0  # dispatched and not finished (waiting for a slot included)
        self.waiting: dict[str, deque[asyncio.Future[None]]] = {}  # tenant -> its waiters; order = its turn

    async def enter(self, tenant: str) -> None:
        loop = asyncio.get_running_loop()
        if self.free > 0 and not self.waiting:
            self.free -= 1
        else:
            granted: asyncio.Future[None] = loop.create_future()
            self.waiting.setdefault(tenant, deque()).append(granted)
            try:
                await granted
            except asyncio.CancelledError:
                if granted.done() and not granted.cancelled():
                    self.release()  # granted as it was cancelled: hand the slot on
                else:
                    queue = self.waiting.get(tenant)
                    if queue is not None and granted in queue:
                        queue.remove(granted)
                        if not queue:
                            del self.waiting[tenant]
                raise
        now = loop.time()
        start = max(now, self.next_start)
        self.next_start = start + self.gap
        if start > now:
            await asyncio.sleep(start - now)

    def release(self) -> None:
        """A slot is free: the next tenant in turn gets it (and goes to the back of the turn)."""
        while self.waiting:
            tenant = next(iter(self.waiting))
            queue = self.waiting.pop(tenant)
            granted = queue.popleft()
            if queue:
                self.waiting[tenant] = queue
            if not granted.done():
                granted.set_result(None)
                return
        self.free += 1


class Deliverer:
    def __init__(self, sandbox: "Sandbox"):
        self.sandbox = sandbox
        s = sandbox.settings
        self.concurrency, self.rate = s.webhook_concurrency, s.webhook_rate
        self._client: "httpx.AsyncClient | None" = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._lanes: dict[str, Lane] = {}
        self._sending: dict[tuple[str, str], asyncio.Task[Delivery]] = {}  # (agent id, delivery id) -> task

    # -- lifecycle (the app's lifespan) -------------------------------------------------------
    def _new_client(self) -> "httpx.AsyncClient":
        import httpx  # on the first delivery (the server's start does not pay for the import)

        # lanes bound the connections per destination; the pool itself must never make one
        # destination wait for another's
        return httpx.AsyncClient(timeout=self.sandbox.settings.webhook_timeout, follow_redirects=False,
                                 trust_env=False,
                                 limits=httpx.Limits(max_connections=None, max_keepalive_connections=64))

    async def start(self) -> None:
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
        tasks = [t for t in (self._task, *self._sending.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
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
                self.pass_once()
            except Exception:  # never let one bad delivery stop the loop
                log.exception("webhook delivery pass failed")

    # -- work -----------------------------------------------------------------------------------
    def pass_once(self) -> list[asyncio.Task["Delivery"]]:
        """Run due work of agents with live connections; dispatch every due delivery. Never waits."""
        sandbox = self.sandbox
        for agent_id in sandbox.hub.listening():
            agent = sandbox.agents.get(agent_id)
            if agent is not None:
                agent.tick()
        started = []
        for agent in list(sandbox.agents.values()):
            if (agent.webhooks or agent.deliveries) and agent.fixture.webhook_delivery == "auto":
                agent.tick()
                started += [self._dispatch(agent, d) for d in webhooks.due(agent)]
        return started

    async def flush(self, agent: "Agent") -> list["Delivery"]:
        """Send every delivery of ``agent`` that is due now and wait for this agent's answers
        (deliveries already on their way included); other agents' receivers are not waited for."""
        agent.tick()
        for d in webhooks.due(agent):
            self._dispatch(agent, d)
        mine = [t for (aid, _), t in self._sending.items() if aid == agent.id]
        if not mine:
            return []
        done = await asyncio.gather(*mine, return_exceptions=True)
        return [d for d in done if not isinstance(d, BaseException)]

    def _dispatch(self, agent: "Agent", d: "Delivery") -> asyncio.Task["Delivery"]:
        d.in_flight = True
        hook = agent.webhooks.get(d.webhook_id)
        key = destination(hook.url) if hook is not None else ""
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = Lane(self.concurrency, self.rate)
        lane.active += 1
        task = asyncio.create_task(self._through(lane, key, agent, d), name=f"webhook-{d.id}")
        self._sending[(agent.id, d.id)] = task
        task.add_done_callback(lambda _t, k=(agent.id, d.id): self._sending.pop(k, None))
        return task

    async def _through(self, lane: Lane, key: str, agent: "Agent", d: "Delivery") -> "Delivery":
        try:
            await lane.enter(agent.id)
            try:
                return await self._send(agent, d)
            finally:
                lane.release()
        finally:
            lane.active -= 1
            if lane.active == 0 and self._lanes.get(key) is lane:
                del self._lanes[key]  # no lane outlives its traffic (memory stays flat)

    async def _send(self, agent: "Agent", d: "Delivery") -> "Delivery":
        hook = agent.webhooks.get(d.webhook_id)
        if hook is None:
            d.state, d.in_flight = "FAILED", False
            return d
        import httpx

        if self._client is None and self._wake is not None:  # the first delivery of a started deliverer
            self._client = self._new_client()
        client = self._client or self._new_client()
        started, status, error, answer = time.perf_counter(), None, None, None
        try:
            r = await client.post(hook.url, content=d.body, headers=webhooks.request_headers(hook, d))
            status = r.status_code
            answer = r.content[:webhooks.RESPONSE_KEPT * 4].decode("utf-8", "replace")
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
        at = agent.now()
        webhooks.record(agent, d, at=at, status_code=status, duration_ms=duration, error=error, response=answer)
        store = self.sandbox.store
        if store is not None and not store.closed:  # what the receiver answered is a fact replay cannot redo
            store.append("attempt", agent.id, {"delivery": d.id, "at": at, "status": status, "ms": duration,
                                               "error": error, "response": answer}, durable=False)
        return d
