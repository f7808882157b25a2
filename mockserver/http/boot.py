"""Serving from the moment the port listens, while the sandbox's own app loads.

``insurup-sandbox serve`` binds its port as soon as its options are read and hands uvicorn a
:class:`Boot`: the app (its routes, models and domain, most of a start's time) is built in a thread
meanwhile, then its own lifespan runs (a data directory is restored there). Until then
``GET /__sandbox/health`` answers ``{"status": "starting", ...}`` at once, and every other request
waits and is answered by the app once it is ready (a data directory's state restored first); none
is refused or lost. Health answers ``"status": "ok"`` from then on, which is what
``insurup-sandbox wait`` and scripts wait for.

This module holds what the server needs before the app is loaded (the Host rule, trace ids), so it
imports nothing heavier than the standard library and orjson.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections.abc import Awaitable, Callable

import orjson

log = logging.getLogger("insurup_sandbox")

LOOPBACK_NAMES = ("localhost", "*.localhost", "127.0.0.1", "::1")
_TRACE_IDS = random.Random()  # trace ids need to be unique, not secret: no system call per request
HEALTH = "/__sandbox/health"

App = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]


_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def new_trace_id() -> str:
    return f"{_TRACE_IDS.getrandbits(128):032x}"


def trace_id_for(request_id: str) -> str:
    """A request's trace id: the client's ``X-Request-ID`` when it sends a sane one, else a new one."""
    return request_id if request_id and _SAFE_ID.match(request_id) else new_trace_id()


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Whether a Host header's name (its port and an IPv6 address's brackets aside) is one of
    ``allowed`` (``*.example`` matches its subdomains; ``*`` matches every name)."""
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1:name.find("]")] if "]" in name else name[1:]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return any(a == "*" or name == a or (a.startswith("*.") and name.endswith(a[1:])) for a in allowed)


def allowed_hosts(names: str) -> tuple[str, ...] | None:
    """The Host names a sandbox answers for, from the ``allowed_hosts`` setting (None: any)."""
    out = tuple(n.strip().lower() for n in names.split(",") if n.strip())
    return None if not out or "*" in out else out


def serving_hosts(bound: str, setting: str, given: list[str] | None = None) -> str:
    """The ``allowed_hosts`` setting for a sandbox bound to ``bound``: the names given, else the
    setting, else the loopback names (and the bound one) on a loopback bind, else any."""
    if given:
        return ",".join(given)
    if setting:
        return setting
    loopback = bound in ("localhost", "::1") or bound.startswith("127.")
    return ",".join(dict.fromkeys((*LOOPBACK_NAMES, bound.lower()))) if loopback else "*"


class Boot:
    """The ASGI app uvicorn serves while ``load`` (run in a thread) builds the sandbox's app.

    ``ready(app)`` runs on the event loop once the app has started (the banner); ``failed(exc)`` when
    loading or starting it raised (the reason is printed and the server stopped). ``failure`` keeps it."""

    def __init__(self, load: Callable[[], App], *, version: str, allowed: tuple[str, ...] | None,
                 ready: Callable[[App], None] = lambda app: None,
                 failed: Callable[[BaseException], None] = lambda exc: None) -> None:
        self._load, self._version, self._allowed = load, version, allowed
        self._on_ready, self._on_failed = ready, failed
        self.app: App | None = None
        self.failure: BaseException | None = None
        self._lifespan: asyncio.Task | None = None  # the app's own lifespan, until ``_stop`` is set
        self._stop = asyncio.Event()
        self._starting: asyncio.Task | None = None
        self._ready: asyncio.Event | None = None

    def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                 send: Callable[[dict], Awaitable[None]]) -> Awaitable[None]:
        # not a coroutine function: once the app is loaded, the server awaits the app's own coroutine
        # (no frame of Boot's per request); uvicorn is told the interface (``interface="asgi3"``)
        app = self.app
        if app is not None:
            return app(scope, receive, send)
        return self._early(scope, receive, send)

    async def _early(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                     send: Callable[[dict], Awaitable[None]]) -> None:
        """A request (or the server's lifespan) that arrived before the app was ready."""
        app = self.app
        if app is not None:
            await app(scope, receive, send)
            return
        if scope["type"] == "lifespan":
            await self._lifespan_of_server(receive, send)
            return
        self._start()
        if scope["type"] == "http" and scope["path"] == HEALTH and scope["method"] in ("GET", "HEAD") \
                and self._host_ok(scope):
            await self._starting_answer(scope, send)
            return
        assert self._ready is not None
        await self._ready.wait()
        if self.app is None:  # it failed: the server is stopping
            await _problem(send, 503, "The sandbox could not start; its console says why.")
            return
        await self.app(scope, receive, send)

    def _start(self) -> None:
        if self._starting is None:
            self._ready = asyncio.Event()
            self._starting = asyncio.get_running_loop().create_task(self._load_and_start())

    async def _load_and_start(self) -> None:
        assert self._ready is not None
        loop = asyncio.get_running_loop()
        try:
            app = await loop.run_in_executor(None, self._load)
            started = loop.create_future()
            self._lifespan = loop.create_task(self._app_lifespan(app, started))
            await started  # what the app's start-up raised, if it did
            self.app = app
            self._on_ready(app)
        except BaseException as exc:  # noqa: BLE001 - whatever it is, it is reported and the server stops
            self.failure = exc
            self._on_failed(exc)
        finally:
            self._ready.set()

    async def _app_lifespan(self, app: App, started: asyncio.Future) -> None:
        """The app's own start-up (a data directory's restore, the webhook deliverer), held until the
        server stops (asgi-lifespan runs its lifespan protocol)."""
        from asgi_lifespan import LifespanManager

        try:
            async with LifespanManager(app, startup_timeout=None, shutdown_timeout=None):
                started.set_result(None)
                await self._stop.wait()
        except Exception as exc:  # noqa: BLE001 - its start-up's reason goes to the loader; a stop's is logged
            if started.done():
                raise
            started.set_exception(exc)

    async def _lifespan_of_server(self, receive: Callable[[], Awaitable[dict]],
                                  send: Callable[[dict], Awaitable[None]]) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._start()  # the port opens now; the app loads meanwhile
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._starting is not None:
                    await self._starting  # a load cannot be cut short: let it end, then stop what it started
                if self._lifespan is not None:
                    self._stop.set()
                    try:
                        await self._lifespan
                    except Exception:  # noqa: BLE001
                        log.exception("the sandbox did not stop cleanly")
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _host_ok(self, scope: dict) -> bool:
        if self._allowed is None:
            return True
        host = next((v for k, v in scope["headers"] if k == b"host"), b"")
        return host_allowed(host.decode("latin-1"), self._allowed)

    async def _starting_answer(self, scope: dict, send: Callable[[dict], Awaitable[None]]) -> None:
        """What ``Health`` (mockserver.wire.control) declares for a sandbox still loading."""
        body = orjson.dumps({"status": "starting", "version": self._version, "agents": None, "defaultAgentId": None})
        trace_id = trace_id_for(next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode("latin-1"))
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"x-trace-id", trace_id.encode())]
        if any(k == b"origin" for k, _ in scope["headers"]):
            headers.append((b"access-control-allow-origin", b"*"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def problem_body(status: int, title: str, detail: str, code: str, trace_id: str) -> bytes:
    """A problem answer's body (InsurUp's shape) for an answer no route renders: the server's own
    refusals before a request reaches the app, and a sandbox that could not start."""
    return orjson.dumps({"type": f"https://api.insurup.com/problems/{title.lower().replace(' ', '-')}",
                         "title": title, "status": status, "detail": detail, "instance": None, "codes": [code],
                         "validationErrors": [], "suggestions": [], "traceId": trace_id, "message": detail,
                         "errors": [detail]})


async def _problem(send: Callable[[dict], Awaitable[None]], status: int, detail: str) -> None:
    trace_id = new_trace_id()
    body = problem_body(status, "Service unavailable", detail, "SANDBOX_NOT_STARTED", trace_id)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
        (b"x-trace-id", trace_id.encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
