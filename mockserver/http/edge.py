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
import re
import secrets
import time
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.core import jsonbody
from mockserver.core.clock import iso
from mockserver.core.errors import EndpointNotFound, PayloadTooLarge, RequestTimeout, SandboxError, TooManyRequests
from mockserver.core.redact import mask_html, mask_query, redact

log = logging.getLogger("insurup_sandbox")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_JOURNAL_BODY = 8192
_WANTED = frozenset({b"x-request-id", b"content-length", b"content-type", b"authorization", b"origin",
                     b"access-control-request-method", b"access-control-request-headers"})
_CORS_EXPOSE = b"X-Trace-Id, Retry-After, Location"


def _problem_bytes(exc: SandboxError, trace_id: str, path: str) -> bytes:
    return orjson.dumps(exc.to_problem(trace_id, path))


def _for_journal(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    if "json" in content_type or raw[:1] in (b"{", b"["):
        try:
            return redact(jsonbody.loads(raw))
        except jsonbody.TooDeep as exc:
            return f"(not kept: {exc})"
        except orjson.JSONDecodeError:
            pass
    if "x-www-form-urlencoded" in content_type:
        from urllib.parse import parse_qsl

        return redact(dict(parse_qsl(raw.decode("utf-8", "replace"))))
    text = raw[:_JOURNAL_BODY].decode("utf-8", "replace") + ("…" if len(raw) > _JOURNAL_BODY else "")
    return mask_html(text) if "html" in content_type else redact(text)


class LazyBody:
    """A response body kept as bytes until someone reads the journal."""

    __slots__ = ("raw", "content_type")

    def __init__(self, raw: bytes, content_type: str):
        self.raw = raw[:_JOURNAL_BODY]
        self.content_type = content_type

    def render(self) -> Any:
        return _for_journal(self.raw, self.content_type)


def _agent_of_token(sandbox: Any, header: bytes) -> Any:
    """The agent a bearer token was signed for (signature checked, expiry not), if it still exists."""
    if sandbox is None or not header[:7].lower() == b"bearer ":
        return None
    try:
        principal = sandbox.authority.decode(header[7:].strip().decode("latin-1"))
    except Exception:  # noqa: BLE001 - not a token of ours
        return None
    return sandbox.agents.get(principal.agent_id) if principal is not None else None


def journal_view(entry: dict[str, Any]) -> dict[str, Any]:
    body = entry.get("responseBody")
    expires = entry.get("tokenExpiresAt")
    return {**entry, "at": iso(entry["at"]), "tokenExpiresAt": iso(expires) if expires is not None else None,
            "responseBody": body.render() if isinstance(body, LazyBody) else body}


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, *, max_body: int, body_timeout: float = 15.0, max_inflight: int = 512):
        self.app = app
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.max_inflight = max_inflight
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
        trace_id = rid if _SAFE_ID.match(rid) else secrets.token_hex(16)
        scope["sandbox.trace_id"] = trace_id
        if original_path == "/api" or original_path.startswith("/api/"):
            stripped = original_path[4:] or "/"
            if stripped.startswith("/__sandbox"):
                await self._reply(send, EndpointNotFound(
                    "The control plane is served at /__sandbox, never under /api.",
                    codes=["ENDPOINT_NOT_FOUND"], suggestions=[f"Call {stripped} instead."]), trace_id, original_path)
                return
            scope["path"] = stripped
            scope["raw_path"] = stripped.encode()
        origin = headers.get(b"origin")
        if scope["method"] == "OPTIONS" and origin is not None and b"access-control-request-method" in headers:
            await send({"type": "http.response.start", "status": 204, "headers": [
                (b"access-control-allow-origin", b"*"),
                (b"access-control-allow-methods", b"GET, POST, PUT, PATCH, DELETE, OPTIONS"),
                (b"access-control-allow-headers", headers.get(b"access-control-request-headers") or b"*"),
                (b"access-control-max-age", b"600"), (b"vary", b"Origin"), (b"x-trace-id", trace_id.encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await self._reply(send, self._too_large(), trace_id, original_path)
            return
        if self.inflight >= self.max_inflight:
            await self._reply(send, TooManyRequests(
                f"The sandbox is answering {self.inflight} requests already; try again in a moment.",
                codes=["TOO_MANY_REQUESTS_IN_FLIGHT"], headers={"Retry-After": "1"}), trace_id, original_path)
            return
        self.inflight += 1
        try:
            await self._handle(scope, receive, send, headers, trace_id, original_path, origin)
        finally:
            self.inflight -= 1

    async def _handle(self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes], trace_id: str,
                      original_path: str, origin: bytes | None) -> None:
        started = time.perf_counter()
        req_chunks: list[bytes] = []
        received = 0
        max_body = self.max_body
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        body_done = False

        async def capped_receive() -> Message:
            nonlocal received, body_done
            if body_done:
                return await receive()  # waiting for a disconnect: no deadline
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
                    raise self._too_large()
                if received <= _JOURNAL_BODY * 4:
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
                hdrs = list(message.get("headers", []))
                hdrs.append((b"x-trace-id", trace_id.encode()))
                if origin is not None:
                    hdrs.append((b"access-control-allow-origin", b"*"))
                    hdrs.append((b"access-control-expose-headers", _CORS_EXPOSE))
                for k, v in hdrs:
                    if k == b"content-type":
                        resp_type = v.decode("latin-1")
                message = {**message, "headers": hdrs}
            elif message["type"] == "http.response.body":
                body = message.get("body", b"")
                if resp_len < _JOURNAL_BODY:
                    resp_chunks.append(body)
                resp_len += len(body)
            await send(message)

        await self.app(scope, capped_receive, traced_send)

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
        req_type = headers.get(b"content-type", b"").decode("latin-1")
        auth = headers.get(b"authorization", b"").decode("latin-1")
        entry = {
            "at": agent.now(), "wall": time.time(), "traceId": trace_id, "method": scope["method"],
            "path": original_path,
            "query": mask_query(scope.get("query_string", b"").decode("latin-1")) or None, "status": status,
            "durationMs": round((time.perf_counter() - started) * 1000, 3),
            "authorization": (auth.split(" ", 1)[0] + " ***") if auth else None,
            # when the bearer token expires on the agent's clock (certification tells a call the site
            # could not have known to be late, after a clock jump, from one it should have known)
            "tokenExpiresAt": scope.get("sandbox.token_expires"),
            "requestBody": _for_journal(b"".join(req_chunks), req_type) if req_chunks else None,
            # responses are rendered from state the sandbox already holds; they are redacted
            # when the journal is read (GET /__sandbox/agents/{id}/journal), not on the hot path
            "responseBody": LazyBody(b"".join(resp_chunks), resp_type) if resp_chunks and (
                status >= 400 or hasattr(agent, "customers")) else None,  # unclaimed: only refusals say why
        }
        agent.journal.append(entry)
        store = getattr(agent, "store", None) if not hasattr(agent, "customers") else agent.sandbox.store
        if store is not None and not store.closed:
            store.append("journal", agent.id if hasattr(agent, "customers") else None, entry, durable=False)

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"The request body is larger than {self.max_body} bytes.", codes=["PAYLOAD_TOO_LARGE"],
                               suggestions=["Send at most 1 MiB of JSON."])

    @staticmethod
    async def _reply(send: Send, exc: SandboxError, trace_id: str, path: str) -> None:
        body = _problem_bytes(exc, trace_id, path)
        await send({"type": "http.response.start", "status": exc.status, "headers": [
            (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
            (b"x-trace-id", trace_id.encode()), (b"access-control-allow-origin", b"*"),
            (b"connection", b"close"), *((k.lower().encode(), v.encode()) for k, v in exc.headers.items())]})
        await send({"type": "http.response.body", "body": body})
