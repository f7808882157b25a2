"""The thin HTTP layer's plumbing: a route table with metadata (it feeds the Starlette router and
``contracts/openapi.json``), a per-request context, JSON rendering and the problem renderer.

Every endpoint is ``async`` (the store is in-memory and single-threaded: no locks); the one slow pure
rendering, a PDF, runs in the thread pool so the event loop keeps serving meanwhile.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from mockserver.core import jsonbody
from mockserver.core.errors import (
    AccessDenied,
    BadRequest,
    FieldError,
    InputValidation,
    NotFound,
    SandboxError,
    Unauthorized,
    UnsupportedMediaType,
)
from mockserver.domain import references, roles
from mockserver.domain.auth import authenticate
from mockserver.wire import parse
from mockserver.security import scopes
from mockserver.security.tokens import AGENT_USER, CUSTOMER, SERVICE_ACCOUNT, Principal
from mockserver.http.boot import new_trace_id

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Customer, Sandbox

Handler = Callable[["Ctx"], Awaitable[Response]]


class JSON(Response):
    media_type = "application/json"

    def __init__(self, content: Any, status_code: int = 200, headers: Any = None, media_type: str | None = None,
                 background: Any = None):
        if headers is not None or media_type is not None or background is not None or status_code in (204, 304):
            super().__init__(content, status_code, headers, media_type, background)
            return
        # the common answer, without Starlette's general header building: the same two headers
        self.status_code, self.background = status_code, None
        self.body = body = orjson.dumps(content)
        self.raw_headers = [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def problem_response(exc: SandboxError, trace_id: str, instance: str | None = None) -> Response:
    # the edge middleware adds X-Trace-Id to every response; a 400/422 says whether the schema
    # (the request's own model) or a rule of the domain refused it
    headers = exc.headers
    if exc.status in (400, 422) and parse.REJECTED_BY not in headers:
        headers = {**headers, parse.REJECTED_BY: "rule"}
    return Response(orjson.dumps(exc.to_problem(trace_id, instance)), status_code=exc.status,
                    media_type="application/problem+json", headers=headers)


def trace_id_of(request: Request) -> str:
    tid = request.scope.get("sandbox.trace_id")
    if tid is None:
        tid = request.scope["sandbox.trace_id"] = new_trace_id()
    return tid


def too_deep(exc: jsonbody.TooDeep) -> BadRequest:
    return BadRequest(f"The request body nests arrays and objects more than {exc.limit} levels deep.",
                      codes=["JSON_TOO_DEEP"], field_errors=[FieldError("body", f"is {exc}", None)],
                      suggestions=[f"Send JSON nested at most {exc.limit} levels deep."])


# who may call a route: token kinds (checked before the handler runs) and the control plane's guards
TOKEN_KINDS = ("token", "agent", "customer")  # any API token; an agent user's or service account's; a customer's
AUTH_KINDS = (*TOKEN_KINDS, "optional", "none", "public", "create", "admin", "control")
_READS = ("GET", "HEAD")


@dataclass(slots=True)
class RouteSpec:
    """One operation: what parses its request, what documents its answers, and who may call it (one
    declaration: ``contracts/openapi.json`` is generated from these, the framework parses with them
    and admits callers by them before the handler runs)."""

    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    # token | agent | customer: a bearer token of that kind; optional: a token if one is sent (else the
    # handler names the agent); none: no token; public | create | admin | control: the control plane's
    auth: str
    request_model: Any = None  # the body's pydantic model; parsed before the handler sees the body
    response_model: Any = None  # the success body's type (a model, list[...] or dict[...])
    status: int = 200
    query: Any = None  # a pydantic model of the query string, parsed into ``ctx.q``
    api: bool = True  # answers under /api too
    media: str = "application/json"  # the success body's media type
    errors: dict[str, tuple[str, Any, str]] = field(default_factory=dict)  # status -> (description, model, media)
    parse: bool = True  # False: the handler parses the body itself (GraphQL, OAuth forms), still with its model
    form: bool = False  # the body is application/x-www-form-urlencoded
    operation_id: str | None = None
    scope: str | None = None  # the OAuth scope a token needs (``customer:read``); None: any API scope
    permission: str | None = None  # the agency role permission an agent user needs; None: every user
    # renders a refused admission in the route's own shape (GraphQL answers errors[], not a problem)
    refusal: Callable[["Ctx", SandboxError], Response] | None = None


def covers(prefix: str, path: str) -> int:
    """How many segments of ``path`` the URL prefix ``prefix`` covers (0: it does not): segment by
    segment, a ``{parameter}`` of the prefix standing for any one segment, and its last segment also
    covering that segment followed by a colon (``/cases`` covers ``/cases:cancel``)."""
    want, have = prefix.strip("/").split("/"), path.strip("/").split("/")
    if prefix == "/":
        return 1 if path == "/" else 0
    if len(have) < len(want):
        return 0
    for i, (w, h) in enumerate(zip(want, have)):
        last = i == len(want) - 1
        if not (w == h or (w.startswith("{") and w.endswith("}")) or (last and h.startswith(w + ":"))):
            return 0
    return len(want)


class Routes:
    """One module's routes, the URL prefixes it serves (``Routes("/customers", ...)``: a route outside
    them is refused; a URL belongs to the module naming its most specific prefix), and what they share:
    who may call them (``auth``), the OAuth resource
    their tokens need (``resource``: read for GET, write otherwise, or as ``reads`` says) and the role
    permissions an agent user needs (``permissions``: the read one and the write one). A route may
    say otherwise for itself. ``mockserver.http.routes`` composes every module's ``routes``."""

    def __init__(self, *prefixes: str, auth: str = "token", resource: str | None = None,
                 permissions: tuple[str | None, str | None] | None = None):
        if not prefixes:
            raise ValueError("a routes module names the URL prefixes it serves")
        self.prefixes = prefixes  # the paths this module serves are under these (``covers``)
        self.routes: list[RouteSpec] = []
        self.auth, self.resource, self.permissions = auth, resource, permissions

    def __iter__(self):
        return iter(self.routes)

    def __call__(self, method: str, path: str, *, summary: str, tag: str, auth: str | None = None,
                 resource: Any = ..., permission: Any = ..., reads: bool | None = None, request=None,
                 response=None, status: int = 200, query: Any = None, api: bool = True,
                 media: str = "application/json", errors: dict[str, tuple[str, Any, str]] | None = None,
                 parse: bool = True, form: bool = False, operation_id: str | None = None,
                 refusal: Callable[["Ctx", SandboxError], Response] | None = None) -> Callable[[Handler], Handler]:
        if not any(covers(prefix, path) for prefix in self.prefixes):
            raise ValueError(f"{method} {path}: not under this module's prefixes {self.prefixes}")
        auth = auth or self.auth
        if auth not in AUTH_KINDS:
            raise ValueError(f"{method} {path}: auth {auth!r} is not one of {AUTH_KINDS}")
        resource = self.resource if resource is ... else resource
        if resource is not None and resource not in scopes.RESOURCES:
            raise ValueError(f"{method} {path}: resource {resource!r} is not one of {scopes.RESOURCES}")
        reads = method in _READS if reads is None else reads
        if permission is ...:
            permission = (self.permissions[0] if reads else self.permissions[1]) if self.permissions else None
        if permission is not None and permission not in roles.PERMISSIONS:
            raise ValueError(f"{method} {path}: permission {permission!r} is not one of {list(roles.PERMISSIONS)}")
        tokened = auth in TOKEN_KINDS or auth == "optional"
        scope = f"{resource}:{'read' if reads else 'write'}" if resource and tokened else None

        def deco(fn: Handler) -> Handler:
            self.routes.append(RouteSpec(method, path, fn, summary, tag, auth, request, response, status, query, api,
                                         media, errors or {}, parse, form, operation_id, scope,
                                         permission if tokened else None, refusal))
            return fn

        return deco


class Ctx:
    """What an endpoint gets: the request, the sandbox, and helpers to read input and check access."""

    __slots__ = ("request", "sandbox", "agent", "principal", "spec", "_body", "_q", "raw_json", "_model", "_admitted")

    def __init__(self, request: Request, sandbox: "Sandbox", spec: RouteSpec | None = None):
        self.request = request
        self.sandbox = sandbox
        self.spec = spec
        self.agent: Agent | None = None
        self.principal: Principal | None = None
        self._body: Any = None
        self.raw_json: dict[str, Any] | None = None  # the body as sent (for near-miss hints on a 422)
        self._q: Any = None
        self._model: Any = None
        self._admitted = False

    # -- input ---------------------------------------------------------------------------------
    @property
    def params(self) -> dict[str, Any]:
        return self.request.path_params

    def query(self, name: str) -> str | None:
        return self.request.query_params.get(name)

    @property
    def q(self) -> Any:
        """The query string parsed by the route's query model (422 naming the parameter if not)."""
        if self._q is None:
            assert self.spec is not None and self.spec.query is not None, "this route declares no query model"
            self._q = parse.query(self.spec.query, self.request.query_params)
        return self._q

    async def raw(self) -> bytes:
        return await self.request.body()

    async def json(self, *, required: bool = True) -> dict[str, Any]:
        if self._body is not None:
            return self._body
        raw = await self.request.body()
        if not raw.strip():
            if required:
                raise BadRequest("A JSON request body is required.", codes=["REQUEST_BODY_REQUIRED"],
                                 field_errors=[FieldError("body", "is required", None)],
                                 headers={parse.REJECTED_BY: "schema"})
            self._body = self.parsed({})
            return self._body
        ctype = self.request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            self.raw_json = dict(parse_qsl(raw.decode("utf-8", "replace")))
            self._body = self.parsed(self.raw_json)
            return self._body
        if ctype not in ("application/json", "text/json", "text/plain", "") and not ctype.endswith("+json"):
            raise UnsupportedMediaType(f"Content-Type {ctype} is not supported; send application/json.",
                                       codes=["UNSUPPORTED_MEDIA_TYPE"])
        try:
            body = jsonbody.loads(raw)
        except jsonbody.TooDeep as exc:
            raise too_deep(exc) from None
        except orjson.JSONDecodeError as exc:
            raise BadRequest(f"The request body is not valid JSON: {exc}.", codes=["MALFORMED_JSON"],
                             field_errors=[FieldError("body", f"is not valid JSON ({exc})", None)]) from None
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.", codes=["MALFORMED_JSON"],
                             field_errors=[FieldError("body", "must be a JSON object", None)])
        self.raw_json = body
        self._body = self.parsed(body)
        return self._body

    def parsed(self, body: dict[str, Any]) -> dict[str, Any]:
        """``body`` once the route's request model has parsed it (422 naming each field if not)."""
        spec = self.spec
        if spec is not None and spec.request_model is not None and spec.parse:
            self._model = parse.body(spec.request_model, body)
        return body

    async def model(self, *, required: bool = True) -> Any:
        """The body as the route's request model parsed it: what the domain takes (422 naming each
        field when it does not parse)."""
        await self.json(required=required)
        if self._model is None:
            raise TypeError(f"{self.spec.method if self.spec else '?'} {self.spec.path if self.spec else '?'} "
                            "declares no request model to parse")
        return self._model

    async def uploaded_file(self) -> tuple[str | None, str, bytes]:
        """The multipart field ``file`` of the request: its name, type and bytes (400 naming it if absent)."""
        if not self.request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
            raise BadRequest("Send the file as multipart/form-data with the field 'file'.", codes=["FILE_REQUIRED"],
                             field_errors=[FieldError("file", "is required", None)])
        await self.request.body()  # read whole (and kept): the data directory's log records the body after the form
        try:
            form = await self.request.form(max_files=1, max_fields=10)
        except Exception:  # noqa: BLE001 - python-multipart's errors: a malformed body
            raise BadRequest("The multipart body could not be read.", codes=["FILE_REQUIRED"],
                             field_errors=[FieldError("file", "is not a readable multipart part", None)]) from None
        part: Any = form.get("file")
        if part is None or isinstance(part, str):
            raise BadRequest("The multipart field 'file' with a file is required.", codes=["FILE_REQUIRED"],
                             field_errors=[FieldError("file", "is required", None)])
        return part.filename, part.content_type or "application/octet-stream", await part.read()

    def base_url(self) -> str:
        return str(self.request.base_url).rstrip("/")

    # -- access --------------------------------------------------------------------------------
    def authenticate(self) -> tuple["Agent", Principal]:
        """The caller's agent and principal (the bearer token, resolved once per request)."""
        if self.principal is not None and self.agent is not None:
            return self.agent, self.principal
        scope = self.request.scope
        replay = scope.get("sandbox.replay")
        if replay is not None:  # replaying the data directory's log: the principal the token resolved to
            agent, principal = self._replayed_principal(replay.get("principal"))
        else:
            # the header as the edge read it (a request that did not pass the edge reads it here)
            header = (scope["sandbox.authorization"] if "sandbox.authorization" in scope
                      else self.request.headers.get("authorization"))
            try:
                agent, principal = authenticate(self.sandbox, header)
            except Unauthorized as exc:
                scope["sandbox.principal"] = "refused"
                if getattr(exc, "agent", None) is not None:  # an expired token of a known agent: journal it
                    scope["sandbox.agent"] = exc.agent
                    scope["sandbox.token_expires"] = getattr(exc, "expires_at", None)
                raise
            scope["sandbox.principal"] = principal
            scope["sandbox.token_expires"] = principal.expires_at
        self.bind(agent)
        self.principal = principal
        return agent, principal

    def admit(self) -> None:
        """Let the caller in as the route declares (before its handler runs): a token of the route's
        kind, carrying the route's OAuth scope, of a user whose role holds the route's permission."""
        spec = self.spec
        if spec is None or self._admitted:
            return
        self._admitted = True
        if spec.auth not in TOKEN_KINDS and not (spec.auth == "optional"
                                                 and self.request.headers.get("authorization", "").strip()):
            return
        agent, principal = self.authenticate()
        if spec.auth == "agent" and principal.kind == CUSTOMER:
            raise AccessDenied("This operation needs an agent-user or service-account token, not a customer token.",
                               codes=["ACCESS_DENIED"])
        if spec.auth == "customer" and principal.kind != CUSTOMER:
            raise not_a_customer()
        if not scopes.grants(principal.scope, spec.scope):
            wanted = f"{spec.scope} or core-api" if spec.scope else "core-api or an API scope"
            raise AccessDenied(f"The token's scopes ({principal.scope or 'none'}) do not include {wanted}.",
                               codes=["INSUFFICIENT_SCOPE"],
                               headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", '
                                                            f'scope="{spec.scope or scopes.FULL}"'})
        if spec.permission and principal.kind == AGENT_USER and principal.subject in agent.agent_users:
            roles.check(agent, agent.agent_users[principal.subject], spec.permission)

    def _replayed_principal(self, recorded: Any) -> tuple["Agent", Principal]:
        agent = self.sandbox.agents.get(recorded.get("agent_id", "")) if isinstance(recorded, dict) else None
        if agent is None:
            raise Unauthorized("The token was refused when this request was first answered.",
                               codes=["INVALID_TOKEN"])
        return agent, Principal(**recorded)

    def bind(self, agent: "Agent") -> None:
        """Attach the request to an agent (for its journal) and let due work on its clock run."""
        agent.tick()
        self.agent = agent
        scope = self.request.scope
        scope["sandbox.agent"] = agent
        if self.sandbox.store is not None and "sandbox.before" not in scope and scope.get("sandbox.reads"):
            from mockserver.store import fingerprint

            scope["sandbox.before"] = fingerprint(agent)  # a GET that changes this is kept too

    def bind_grant(self, token: Any) -> None:
        """A login or refresh token names its agent: that agent's journal keeps the call, refused or not."""
        agent_id = self.sandbox.grant_index.get(token) if isinstance(token, str) else None
        agent = self.sandbox.agents.get(agent_id) if agent_id else None
        if agent is not None:
            self.request.scope["sandbox.agent"] = agent

    def require_agent(self) -> tuple["Agent", Principal]:
        """The caller's agent and principal on a route for agent tokens (``auth="agent"``, so admission
        refused customers already)."""
        return self.authenticate()

    def customer(self, ref: str, *, relatives: bool = False) -> "Customer":
        """The customer ``ref`` ("me" allowed) if the token may see it; 404 otherwise (never 403:
        the real API hides what a caller cannot read)."""
        agent, principal = self.authenticate()
        if principal.kind == CUSTOMER:
            if ref in ("me", principal.subject):
                return agent.customers[principal.subject]
            if relatives and any(l.customer_id == principal.subject and l.related_id == ref for l in agent.links.values()):
                return agent.customers[ref]
            raise NotFound(f"Customer '{ref}' was not found.", codes=["CUSTOMER_NOT_FOUND"])
        if ref == "me":
            raise not_a_customer()
        return self.within_role(agent.customer(ref), "customers:read",
                                NotFound(f"Customer '{ref}' was not found.", codes=["CUSTOMER_NOT_FOUND"]))

    def sees_customer(self, customer: Any) -> bool:
        """Whether the caller's role scope covers ``customer`` (every path that names one asks)."""
        from mockserver.domain import roles

        return self.agent is None or roles.sees(self.agent, self.principal, "customers:read", customer)

    def within_role(self, record: Any, permission: str, missing: SandboxError) -> Any:
        """``record`` if the caller's role scope (All, Own, Branch) covers it; ``missing`` (a 404) if not."""
        from mockserver.domain import roles

        if self.agent is not None and not roles.sees(self.agent, self.principal, permission, record):
            raise missing
        return record

    def actor(self) -> dict[str, Any]:
        """UserReference of the caller, as webhook ``updatedBy`` carries it."""
        assert self.agent is not None and self.principal is not None
        p, agent = self.principal, self.agent
        if p.kind == CUSTOMER:
            c = agent.customers.get(p.subject)
            return references.reference(p.subject, (c.full_name or c.title) if c else None, c.email if c else None,
                                        references.CUSTOMER)
        if p.kind == AGENT_USER:
            u = agent.agent_users.get(p.subject)
            return references.reference(p.subject, f"{u.first_name} {u.last_name}" if u else None,
                                        u.email if u else None, references.AGENT)
        sa = next((a for a in agent.service_accounts.values() if a.id == p.subject), None)
        return references.reference(p.subject, sa.name if sa else None, None, references.AGENT, service_account=True)


def off_loop(compute: Callable[["Agent", Principal, Any], Any]) -> Handler:
    """A handler that answers ``compute(agent, principal, request)`` (the body as the route's model
    parsed it; an empty body is an empty model), run in the thread pool: a pass over
    every record of a large agency (the analytics) must not hold the event loop (each pass first takes
    its records as a list, which holds the GIL, so the loop's writes cannot break it). ``compute``
    answers the route's response model, dumped as it declares (aliases included) in the pool too."""
    def answer(agent: "Agent", principal: Principal, req: Any) -> Any:
        return compute(agent, principal, req).model_dump(mode="json", by_alias=True)

    async def handler(ctx: "Ctx") -> Response:
        agent, principal = ctx.authenticate()
        req = await ctx.model(required=False)
        return ok(await run_in_threadpool(answer, agent, principal, req))

    handler.__name__ = compute.__name__
    return handler


def disposition(kind: str, filename: str) -> str:
    """A Content-Disposition header for ``filename`` (``inline`` or ``attachment``): an ASCII name for every
    client, and the exact one as RFC 6266's ``filename*`` (an agent id may be any text; headers are bytes)."""
    from urllib.parse import quote

    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    if plain == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def not_a_customer() -> AccessDenied:
    """``customers/me…`` with an agent-user or service-account token: the caller is not a customer."""
    return AccessDenied("customers/me is for customer tokens; this token belongs to an agent user or a service "
                        "account (read a customer with customers/{customerId}).", codes=["CUSTOMER_TOKEN_REQUIRED"])


def for_me(handler: Handler) -> Handler:
    """``handler`` of a ``/customers/{customerId}/…`` route served at its ``/customers/me/…`` path
    (the static path must be declared too, or its other methods would hide this one)."""

    async def endpoint(ctx: Ctx) -> Response:
        ctx.request.scope["path_params"] = {**ctx.request.scope.get("path_params", {}), "customerId": "me"}
        return await handler(ctx)

    endpoint.__name__ = f"{handler.__name__}_me"
    return endpoint


def ok(body: Any, status: int = 200) -> Response:
    return JSON(body, status_code=status)


def no_content() -> Response:
    return Response(status_code=204)


_ASCII = str.maketrans({"ı": "i", "İ": "I", "ş": "s", "Ş": "S", "ğ": "g", "Ğ": "G", "ç": "c", "Ç": "C", "ö": "o",
                        "Ö": "O", "ü": "u", "Ü": "U"})


def warn(response: Response, *notes: str) -> Response:
    """Add what the sandbox accepted or did differently from the documentation to the response's
    ``X-Sandbox-Warning`` header (ASCII: header values cannot carry Turkish letters)."""
    import unicodedata

    text = "; ".join(n for n in notes if n)
    if text:
        text = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
        previous = response.headers.get("X-Sandbox-Warning")
        response.headers["X-Sandbox-Warning"] = f"{previous}; {text}" if previous else text
    return response


__all__ = ["Ctx", "JSON", "ROUTES", "SERVICE_ACCOUNT", "AGENT_USER", "CUSTOMER", "InputValidation", "ok",
           "no_content", "warn", "route", "disposition", "problem_response", "trace_id_of", "SandboxError"]
