"""A SignalR-compatible hub at ``/hubs/proposal-detail`` (the SDK's path): the JSON hub protocol
over WebSocket, with or without the negotiate step.

Wire protocol (ASP.NET Core SignalR, JSON): records end with the 0x1E separator; the client opens
with ``{"protocol":"json","version":1}`` and the server answers ``{}``. Invocations are
``{"type":1,"target":…,"arguments":[…],"invocationId"?}``; a completion is type 3, a ping type 6,
a close type 7. The client calls ``Register({proposalId})``; the server then invokes
``ReceiveProposalProduct…`` methods on it with one payload argument that carries ``proposalId``.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from mockserver.core import jsonbody
from mockserver.core.errors import SandboxError, Unauthorized
from mockserver.domain.auth import authenticate
from mockserver.domain.live import Subscriber
from mockserver.http.framework import JSON, problem_response, trace_id_of

if TYPE_CHECKING:
    from mockserver.domain.tenant import Sandbox

PATH = "/hubs/proposal-detail"
RS = "\x1e"
PING_EVERY = 15.0
INVOCATION, COMPLETION, PING, CLOSE = 1, 3, 6, 7


def _frame(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode() + RS


def _token(query: Any, headers: Any) -> str | None:
    token = query.get("access_token")
    if token:
        return token
    auth = headers.get("authorization") or ""
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def routes(sandbox: "Sandbox") -> list[BaseRoute]:
    async def negotiate(request: Request) -> Response:
        try:
            token = _token(request.query_params, request.headers)
            if not token:
                raise Unauthorized("The hub needs a token: send it as access_token or an Authorization header.",
                                   codes=["TOKEN_MISSING"])
            authenticate(sandbox, f"Bearer {token}")
        except SandboxError as exc:
            return problem_response(exc, trace_id_of(request), request.url.path)
        connection_id = secrets.token_urlsafe(16)
        return JSON({"negotiateVersion": 1, "connectionId": connection_id, "connectionToken": secrets.token_urlsafe(16),
                     "availableTransports": [{"transport": "WebSockets", "transferFormats": ["Text"]}]})

    async def hub(ws: WebSocket) -> None:
        token = _token(ws.query_params, ws.headers)
        try:
            if not token:
                raise Unauthorized("missing token")
            agent, principal = authenticate(sandbox, f"Bearer {token}")
        except SandboxError:
            await ws.close(code=1008)  # refused before the upgrade: the client sees 403
            return
        await ws.accept()
        queue: asyncio.Queue[str] = asyncio.Queue()
        sub = Subscriber(agent.id, principal, lambda target, payload: queue.put_nowait(
            _frame({"type": INVOCATION, "target": target, "arguments": [payload]})))
        handshake_done = False
        sender: asyncio.Task[None] | None = None

        async def send_loop() -> None:
            while True:
                try:
                    text = await asyncio.wait_for(queue.get(), timeout=PING_EVERY)
                except asyncio.TimeoutError:
                    text = _frame({"type": PING})
                await ws.send_text(text)

        def handle(message: dict[str, Any]) -> str | None:
            kind = message.get("type")
            if kind != INVOCATION:
                return None  # pings, acks and anything else need no answer
            target = str(message.get("target") or "")
            invocation_id = message.get("invocationId")
            error = result = None
            args = message.get("arguments")
            args = args if isinstance(args, list) else []
            if not isinstance(invocation_id, (str, type(None))):
                invocation_id = str(invocation_id)
            if target.lower() in ("register", "unregister"):
                arg = args[0] if args else None
                pid = arg.get("proposalId") if isinstance(arg, dict) else arg
                current = sandbox.agents.get(agent.id)
                p = current.proposals.get(pid) if current is not None and isinstance(pid, str) else None
                if target.lower() == "unregister":
                    sub.proposals.discard(pid)
                elif p is None or not sub.may_see(p):
                    error = f"Proposal '{pid}' was not found."
                else:
                    sub.proposals.add(p.id)
            else:
                error = f"Unknown hub method '{target}'; this hub has Register and Unregister."
            if invocation_id is None:
                return None
            reply: dict[str, Any] = {"type": COMPLETION, "invocationId": invocation_id}
            if error:
                reply["error"] = error
            else:
                reply["result"] = result
            return _frame(reply)

        sandbox.hub.add(sub)
        try:
            while True:
                received = await ws.receive()
                if received["type"] == "websocket.disconnect":
                    break
                text = received.get("text")
                if text is None and received.get("bytes") is not None:
                    text = received["bytes"].decode("utf-8", "replace")
                for record in (text or "").split(RS):
                    if not record.strip():
                        continue
                    try:
                        message = jsonbody.loads(record)
                    except (orjson.JSONDecodeError, jsonbody.TooDeep):
                        message = None
                    if not isinstance(message, dict):
                        await ws.send_text(_frame({"type": CLOSE, "error": "malformed message: each record must be "
                                                   "a JSON object", "allowReconnect": False}))
                        return
                    if not handshake_done:
                        if message.get("protocol") != "json":
                            await ws.send_text(_frame({"error": f"Requested protocol '{message.get('protocol')}' is "
                                                                "not available; this hub speaks json."}))
                            return
                        await ws.send_text(_frame({}))
                        handshake_done = True
                        sender = asyncio.create_task(send_loop())
                        continue
                    if message.get("type") == CLOSE:
                        return
                    reply = handle(message)
                    if reply:
                        queue.put_nowait(reply)
        except WebSocketDisconnect:
            pass
        finally:
            sandbox.hub.remove(sub)
            if sender is not None:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await sender
            with contextlib.suppress(Exception):
                await ws.close()

    return [Route(f"{PATH}/negotiate", negotiate, methods=["POST"]), WebSocketRoute(PATH, hub),
            Route(f"/api{PATH}/negotiate", negotiate, methods=["POST"]), WebSocketRoute(f"/api{PATH}", hub)]
