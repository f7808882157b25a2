"""The edge of the server, as one pure ASGI middleware (no per-request task or thread):

* the ``/api`` prefix is optional on every REST route (docs and clients disagree), but the control
  plane is never under ``/api``;
* bodies over the limit are refused with 413 before they are read whole;
* every response carries ``X-Trace-Id`` (the client's ``X-Request-ID`` when it sends a sane one);
* CORS for browser sites: any origin, no credentials (real sites send none), preflight answered here;
* every request bound to an agent lands in that agent's bounded journal, card data masked.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlsplit

import orjson
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.http.boot import host_allowed, trace_id_for
from mockserver.core.errors import (AccessDenied, EndpointNotFound, MisdirectedRequest, PayloadTooLarge, RequestTimeout,
                                    SandboxError, TooManyRequests)
from mockserver.core.journal import JOURNAL_BODY, LazyBody, journal_body
from mockserver.core.redact import mask_query

log = logging.getLogger("insurup_sandbox")
_WANTED = frozenset({b"x-request-id", b"content-length", b"content-type", b"authorization", b"origin",
                     b"access-control-request-method", b"access-control-request-headers", b"host",
                     b"sec-fetch-site"})
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _cross_origin(headers: dict[bytes, bytes]) -> bool:
    """A browser request from another origin: its Origin is not this host (or is ``null``), or the
    browser says so (Sec-Fetch-Site). Scripts and the CLI send neither."""
    site = headers.get(b"sec-fetch-site")
    if site is not None and site not in (b"same-origin", b"none"):
        return True
    origin = headers.get(b"origin")
    if origin is None:
        return False
    return origin == b"null" or urlsplit(origin.decode("latin-1")).netloc.lower() != \
        headers.get(b"host", b"").decode("latin-1").lower()
_CORS_HEADERS = ((b"access-control-allow-origin", b"*"),
                 (b"access-control-expose-headers", b"X-Trace-Id, Retry-After, Location"))


def _problem_bytes(exc: SandboxError, trace_id: str, path: str) -> bytes:
    return orjson.dumps(exc.to_problem(trace_id, path))


def _agent_of_token(sandbox: Any, header: bytes) -> Any:
    """The agent a bearer token was signed for (signature checked, expiry not), if it still exists."""
    if sandbox is None or not header[:7].lower() == b"bearer ":
        return None
    try:
        principal = sandbox.authority.decode(header[7:].strip().decode("latin-1"))
    except Exception:  # noqa: BLE001 - not a token of ours
        return None
    return sandbox.agents.get(principal.agent_id) if principal is not None else None


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, *, max_body: int, max_snapshot: int | None = None, body_timeout: float = 15.0,
                 max_inflight: int = 512,
                 allowed_hosts: tuple[str, ...] | None = None, open_paths: tuple[str, ...] = ()):
        self.app = app
        # the open parts of /__sandbox (payment pages, signed document links, logos, health): a partner's
        # page embeds, posts to and fetches them; the rest is the control plane, for no other origin
        self.open_exact = frozenset(p for p in open_paths if not p.endswith("/"))
        self.open_prefixes = tuple(p for p in open_paths if p.endswith("/"))
        self.max_body = max_body
        self.max_snapshot = max(max_snapshot or max_body, max_body)  # POST /__sandbox/agents (a snapshot import)
        self.body_timeout = body_timeout
        self.max_inflight = max_inflight
        self.allowed_hosts = allowed_hosts  # None: any Host (an app not served on a network)
        self._hosts: dict[bytes, bool] = {}  # Host headers already judged (bounded below)
        self.inflight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        original_path = scope["path"]
        headers: dict[bytes, bytes] = {}
        for k, v in scope["headers"]:
            if k in _WANTED:
                headers[k] = v
        rid = headers.get(b"x-request-id", b"").decode("latin-1")
        trace_id = trace_id_for(rid)
        scope["sandbox.trace_id"] = trace_id
        auth = headers.get(b"authorization")
        scope["sandbox.authorization"] = auth.decode("latin-1") if auth is not None else None  # (read by Ctx)
        if original_path == "/api" or original_path.startswith("/api/"):
            stripped = original_path[4:] or "/"
            if stripped.startswith("/__sandbox"):
                await self._reply(send, EndpointNotFound(
                    "The control plane is served at /__sandbox, never under /api.",
                    codes=["ENDPOINT_NOT_FOUND"], suggestions=[f"Call {stripped} instead."]), trace_id, original_path)
                return
            scope["path"] = stripped
            scope["raw_path"] = stripped.encode()
        if self.allowed_hosts is not None and not self._host_allowed(headers.get(b"host", b"")):
            # a name this sandbox does not serve (a DNS-rebinding page reaching a loopback sandbox)
            await self._reply(send, MisdirectedRequest(
                f"This sandbox does not answer for the host {headers.get(b'host', b'').decode('latin-1')[:100]!r}.",
                codes=["HOST_NOT_ALLOWED"], suggestions=["Use a name it serves (127.0.0.1, localhost), or start it "
                                                         "with --allowed-host NAME."]), trace_id, original_path)
            return
        origin = headers.get(b"origin")
        control = self._control(scope["path"])
        if control and (scope["method"] in _WRITES or b"access-control-request-method" in headers) \
                and _cross_origin(headers):
            # another site's page (a form, a text/plain POST, a preflight): the control plane holds
            # secrets and resets agents, so it answers no other origin (no CORS either)
            await self._reply(send, AccessDenied(
                "The control plane takes no requests from another origin (a web page); call it from the dashboard, "
                "the CLI or a script.", codes=["CONTROL_PLANE_CROSS_ORIGIN"]), trace_id, original_path, cors=False)
            return
        if scope["method"] == "OPTIONS" and origin is not None and b"access-control-request-method" in headers:
            await send({"type": "http.response.start", "status": 204, "headers": [
                (b"access-control-allow-origin", b"*"),
                (b"access-control-allow-methods", b"GET, POST, PUT, PATCH, DELETE, OPTIONS"),
                (b"access-control-allow-headers", headers.get(b"access-control-request-headers") or b"*"),
                (b"access-control-max-age", b"600"), (b"vary", b"Origin"), (b"x-trace-id", trace_id.encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        limit = self._limit(scope)
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._reply(send, self._too_large(limit), trace_id, original_path)
            return
        if self.inflight >= self.max_inflight:
            await self._reply(send, TooManyRequests(
                f"The sandbox is answering {self.inflight} requests already; try again in a moment.",
                codes=["TOO_MANY_REQUESTS_IN_FLIGHT"], headers={"Retry-After": "1"}), trace_id, original_path)
            return
        self.inflight += 1
        try:
            await self._handle(scope, receive, send, headers, trace_id, original_path, origin, control, limit)
        finally:
            self.inflight -= 1

    def _host_allowed(self, host: bytes) -> bool:
        known = self._hosts.get(host)
        if known is None:
            known = host_allowed(host.decode("latin-1"), self.allowed_hosts or ())
            if len(self._hosts) >= 256:  # a client sending a new name each time does not grow it
                self._hosts.clear()
            self._hosts[host] = known
        return known

    async def _handle(self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes], trace_id: str,
                      original_path: str, origin: bytes | None, control: bool, max_body: int) -> None:
        started = time.perf_counter()
        req_chunks: list[bytes] = []
        received = 0
        deadline = 0.0  # set when the body is first read (most reads are GETs that never read it)
        body_done = False

        async def capped_receive() -> Message:
            nonlocal received, body_done, deadline
            if body_done:
                return await receive()  # waiting for a disconnect: no deadline
            if not deadline:
                deadline = asyncio.get_running_loop().time() + self.body_timeout
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise RequestTimeout(f"The request body did not arrive within {self.body_timeout:g} s.",
                                     codes=["REQUEST_BODY_TIMEOUT"], headers={"Connection": "close"}) from None
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > max_body:
                    raise self._too_large(max_body)
                if received <= JOURNAL_BODY * 4:
                    req_chunks.append(chunk)
                body_done = not message.get("more_body", False)
            else:
                body_done = True
            return message

        status = 0
        resp_type = ""
        resp_chunks: list[bytes] = []
        resp_len = 0

        async def traced_send(message: Message) -> None:
            nonlocal status, resp_type, resp_len
            if message["type"] == "http.response.start":
                status = message["status"]
                hdrs = [*message.get("headers", ()), (b"x-trace-id", trace_id.encode())]
                if origin is not None and not control:  # the API is for sites on other origins; the plane is not
                    hdrs += _CORS_HEADERS
                for k, v in hdrs:
                    if k == b"content-type":
                        resp_type = v.decode("latin-1")
                        break
                message["headers"] = hdrs  # (each message is made for this one send)
            elif message["type"] == "http.response.body":
                body = message.get("body", b"")
                if resp_len < JOURNAL_BODY:
                    resp_chunks.append(body)
                resp_len += len(body)
            await send(message)

        try:
            await self.app(scope, capped_receive, traced_send)
        except ClientDisconnect:  # the client left before its request was read: nobody to answer, no bug
            status = status or 499
            log.info("the client left before %s %s was read", scope["method"], original_path)

        agent = scope.get("sandbox.agent")
        if agent is None and not original_path.startswith("/__sandbox"):
            # a request no route claimed (an unknown path, a bad token): the agent its token names keeps
            # it, or else the sandbox's own journal
            app = scope.get("app")
            sandbox = getattr(getattr(app, "state", None), "sandbox", None)
            agent = _agent_of_token(sandbox, headers.get(b"authorization", b"")) or sandbox
        if agent is not None:
            try:
                self._journal(agent, scope, headers, trace_id, original_path, status, started, req_chunks, resp_chunks,
                              resp_type)
            except Exception:  # the answer is sent; a journal failure must never reach the connection
                log.exception("journal entry for %s %s was not kept", scope["method"], original_path)

    @staticmethod
    def _journal(agent: Any, scope: Scope, headers: dict[bytes, bytes], trace_id: str, original_path: str, status: int,
                 started: float, req_chunks: list[bytes], resp_chunks: list[bytes], resp_type: str) -> None:
        tenant = hasattr(agent, "customers")  # an agent, or the sandbox's own journal
        auth = headers.get(b"authorization")
        query = scope.get("query_string")
        entry = {
            "at": agent.now(), "wall": time.time(), "traceId": trace_id, "method": scope["method"],
            "path": original_path, "query": mask_query(query.decode("latin-1")) or None if query else None,
            "status": status, "durationMs": round((time.perf_counter() - started) * 1000, 3),
            "authorization": auth.split(b" ", 1)[0].decode("latin-1") + " ***" if auth else None,
            # when the bearer token expires on the agent's clock (certification tells a call the site
            # could not have known to be late, after a clock jump, from one it should have known)
            "tokenExpiresAt": scope.get("sandbox.token_expires"),
            "requestBody": journal_body(b"".join(req_chunks), headers.get(b"content-type", b"").decode("latin-1"))
            if req_chunks else None,
            # responses are rendered from state the sandbox already holds; they are redacted
            # when the journal is read (GET /__sandbox/agents/{id}/journal), not on the hot path
            "responseBody": LazyBody(resp_chunks[0] if len(resp_chunks) == 1 else b"".join(resp_chunks),
                                     resp_type) if resp_chunks and (
                status >= 400 or tenant) else None,  # unclaimed: only refusals say why
        }
        agent.journal.append(entry)
        store = agent.sandbox.store if tenant else getattr(agent, "store", None)
        if store is not None and not store.closed:
            store.append("journal", agent.id if tenant else None, entry, durable=False)

    def _control(self, path: str) -> bool:
        return path.startswith("/__sandbox") and path not in self.open_exact and not path.startswith(self.open_prefixes)

    def _limit(self, scope: Scope) -> int:
        """The bytes a request's body may hold: a snapshot import takes more than any API call."""
        return self.max_snapshot if scope["method"] == "POST" and scope["path"] == "/__sandbox/agents" else self.max_body

    @staticmethod
    def _too_large(limit: int) -> PayloadTooLarge:
        return PayloadTooLarge(f"The request body is larger than {limit} bytes.", codes=["PAYLOAD_TOO_LARGE"],
                               suggestions=[f"Send at most {limit / 1048576:g} MiB of JSON."])

    @staticmethod
    async def _reply(send: Send, exc: SandboxError, trace_id: str, path: str, cors: bool = True) -> None:
        body = _problem_bytes(exc, trace_id, path)
        await send({"type": "http.response.start", "status": exc.status, "headers": [
            (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
            (b"x-trace-id", trace_id.encode()), *([(b"access-control-allow-origin", b"*")] if cors else []),
            (b"connection", b"close"), *((k.lower().encode(), v.encode()) for k, v in exc.headers.items())]})
        await send({"type": "http.response.body", "body": body})
