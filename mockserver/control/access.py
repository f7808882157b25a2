"""Who may call the control plane (``/__sandbox``).

Three kinds of control route:

* ``public``: health, the magic values, logos, signed document links and payment pages (a page
  URL carries its own unguessable key: browsers cannot send tokens);
* ``admin``: calls about the whole sandbox (listing agents; creating one, unless public agent
  creation is allowed): the admin token;
* ``control``: calls about one agent (``/__sandbox/agents/{agentId}/…``): that agent's control token,
  returned when the agent is created, or the admin token.

The plane is *open* (no token asked) only when configured so, or on a loopback bind with no admin
token; bound to any other interface it is closed, and ``serve`` generates and prints an admin
token if none was given. Tokens travel as ``X-Sandbox-Token: <token>`` or ``Authorization: Bearer
<token>`` and are compared in constant time.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request

from mockserver.core.errors import AccessDenied, Unauthorized
from mockserver.validators.common import same_secret

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Sandbox

TOKEN_HEADER = "x-sandbox-token"
SESSION_COOKIE = "insurup_sandbox_session"
SESSION_SECONDS = 12 * 3600  # a dashboard sign-in lasts a working day
MAX_SESSIONS = 1000


@dataclass(slots=True)
class Session:
    """A browser signed in to the dashboard: the token it signed in with (kept here, never in the
    cookie), the CSRF token its forms carry, and when it ends."""

    token: str
    csrf: str
    expires: float


def sign_in(sandbox: "Sandbox", token: str) -> str | None:
    """A new session (its cookie's key) for a token that grants something (the admin token, or an
    agent's control token); None for any other."""
    grants = bool(sandbox.admin_token) and same_secret(token, sandbox.admin_token or "")
    grants = grants or any(same_secret(token, a.control_token) for a in list(sandbox.agents.values()))
    if not grants:
        return None
    sessions = sandbox.ui_sessions
    now = time.time()
    for key in [k for k, s in sessions.items() if s.expires < now]:
        del sessions[key]
    while len(sessions) >= MAX_SESSIONS:  # the oldest sign-in goes first
        del sessions[next(iter(sessions))]
    key = secrets.token_urlsafe(32)
    sessions[key] = Session(token, secrets.token_urlsafe(24), now + SESSION_SECONDS)
    return key


def session_of(sandbox: "Sandbox", request: Request) -> Session | None:
    key = request.cookies.get(SESSION_COOKIE)
    found = sandbox.ui_sessions.get(key) if key else None
    return found if found is not None and found.expires >= time.time() else None


def presented(request: Request) -> str | None:
    token = request.headers.get(TOKEN_HEADER)
    if token:
        return token.strip()
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


def _refuse(token: str | None, what: str) -> None:
    if token is None:
        raise Unauthorized(f"This control-plane call needs {what} (header X-Sandbox-Token).",
                           codes=["CONTROL_TOKEN_REQUIRED"],
                           headers={"WWW-Authenticate": 'Bearer realm="insurup-sandbox control plane"'},
                           suggestions=["POST /__sandbox/agents answers the new agent's controlToken; the admin "
                                        "token is the one given to serve (--admin-token) or printed by it."])
    raise AccessDenied(f"The token does not grant this control-plane call; it needs {what}.",
                       codes=["CONTROL_TOKEN_INVALID"])


def check(sandbox: "Sandbox", request: Request, kind: str, *, csrf: str | None = None) -> None:
    """Raise 401/403 unless the request may make a control call of ``kind`` (admin | control | create).
    A browser signed in to the dashboard presents its session cookie instead of a token; a write it
    sends must carry the session's CSRF token (``csrf``: the form's, or the X-CSRF-Token header)."""
    if sandbox.control_open or kind == "public":
        return
    token = presented(request)
    if token is None and (session := session_of(sandbox, request)) is not None:
        if request.method not in ("GET", "HEAD", "OPTIONS") and not same_secret(csrf or "", session.csrf):
            raise AccessDenied("This dashboard form is missing its CSRF token or carries another session's; "
                               "reload the page and send it again.", codes=["CONTROL_CSRF_INVALID"])
        token = session.token
    if token is not None and same_secret(token, sandbox.admin_token or ""):
        return
    if kind == "create" and sandbox.settings.public_agent_creation:
        return
    if kind == "control":
        agent_id = request.path_params.get("agentId") or request.path_params.get("sessionId")
        agent: Agent | None = sandbox.agents.get(agent_id) if isinstance(agent_id, str) else None
        if token is not None and agent is not None and same_secret(token, agent.control_token):
            return
        _refuse(token, "this agent's control token or the admin token")
    _refuse(token, "the admin token")
