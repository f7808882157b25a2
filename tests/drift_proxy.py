"""A rewriting HTTP proxy for the contract suite's tests: it forwards every request to a served
sandbox and lets a test rewrite the answers (status, headers, JSON body) on their way back, so the
drift engine is proved against a drifted API it does not control (the sandbox's own drift profiles
are code the engine's authors wrote too).

It binds 127.0.0.1 only, runs in a thread of the test process, and stops with its context.
``hide_control_plane`` makes it answer 404 under ``/__sandbox``: the suite then takes it for a real
API (no agent of its own, the safety registry, OTP codes from a provider).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import uvicorn

Rewrite = Callable[["Exchange"], None]


@dataclass
class Exchange:
    """One answer on its way back: a rewrite changes ``status``, ``headers`` or ``body`` in place
    (``body`` is the decoded JSON, or None when the answer is not JSON)."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: Any
    raw: bytes
    request: str = ""  # the request's body, as text


class Proxy:
    def __init__(self, upstream: str, rewrites: list[Rewrite], hide_control_plane: bool = False,
                 before: Callable[[str, str], None] | None = None):
        self.upstream, self.rewrites, self.hide = upstream.rstrip("/"), rewrites, hide_control_plane
        self.before = before  # called with (method, path) before a request is forwarded
        self.client: httpx.AsyncClient | None = None
        self.seen: list[tuple[str, str, int]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.client = httpx.AsyncClient(base_url=self.upstream, timeout=60, follow_redirects=False)
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await self.client.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = scope["path"]
        if self.hide and path.startswith("/__sandbox"):
            await self._send(send, 404, {"content-type": "application/problem+json"},
                             orjson.dumps({"title": "Not Found", "status": 404}))
            return
        if self.before is not None:
            self.before(scope["method"], path)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]
                   if k.lower() not in (b"content-length", b"connection", b"accept-encoding")]
        query = scope.get("query_string", b"").decode("latin-1")
        upstream = await self.client.request(scope["method"], path + (f"?{query}" if query else ""),
                                             headers=headers, content=body)
        out_headers = {k.lower(): v for k, v in upstream.headers.items()
                       if k.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding")}
        try:
            data = orjson.loads(upstream.content) if "json" in out_headers.get("content-type", "") else None
        except orjson.JSONDecodeError:
            data = None
        exchange = Exchange(scope["method"], path, upstream.status_code, out_headers, data, upstream.content,
                            body.decode("utf-8", "replace"))
        for rewrite in self.rewrites:
            rewrite(exchange)
        self.seen.append((exchange.method, path, exchange.status))
        raw = orjson.dumps(exchange.body) if exchange.body is not None else exchange.raw
        await self._send(send, exchange.status, exchange.headers, raw)

    @staticmethod
    async def _send(send: Any, status: int, headers: dict[str, str], body: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
                    + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


@contextlib.contextmanager
def serve(upstream: str, rewrites: list[Rewrite], hide_control_plane: bool = False,
          before: Callable[[str, str], None] | None = None) -> Iterator[tuple[str, Proxy]]:
    """The proxy on a free loopback port: yields (its base URL, the proxy)."""
    import socket

    proxy = Proxy(upstream, rewrites, hide_control_plane, before)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(proxy, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="drift-proxy")
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield base, proxy
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


# ----------------------------------------------------------------------------- rewrites
def on(method: str, path_pattern: str, change: Callable[[Exchange], None]) -> Rewrite:
    """A rewrite for the answers of one operation (``path_pattern``: a regular expression searched
    in the request path)."""
    import re

    rx = re.compile(path_pattern)

    def rewrite(x: Exchange) -> None:
        if x.method == method and rx.search(x.path):
            change(x)

    return rewrite


def everywhere(change: Callable[[Exchange], None]) -> Rewrite:
    def rewrite(x: Exchange) -> None:
        if not x.path.startswith("/__sandbox"):
            change(x)

    return rewrite


def walk(value: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn`` applied to every object and list, deepest first."""
    if isinstance(value, dict):
        return fn({k: walk(v, fn) for k, v in value.items()})
    if isinstance(value, list):
        return fn([walk(v, fn) for v in value])
    return value
