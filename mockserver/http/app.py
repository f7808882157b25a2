"""The application factory: ``create_app(settings)`` builds one isolated sandbox."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Match, Route, Router, compile_path, request_response
from starlette.types import Receive, Scope, Send

from mockserver import apidocs, world
from mockserver.control import access
from mockserver.security import control_plane
from mockserver.core import templates
from mockserver.core.clock import WALL
from mockserver.core.errors import (
    EndpointNotFound, FeatureNotSupported, MethodNotAllowed, SandboxError,
)
from mockserver.core.settings import Settings
from mockserver.domain.tenant import Sandbox
from mockserver.http import conformance, drift, hub, planned
from mockserver.http.boot import allowed_hosts
from mockserver.http.deliverer import Deliverer
from mockserver.http.edge import EdgeMiddleware
from mockserver.wire.parse import near_misses
from mockserver.http.framework import Ctx, RouteSpec, problem_response, trace_id_of
from mockserver.http.routes import ROUTES

log = logging.getLogger("insurup_sandbox")


def _endpoint(spec: RouteSpec, sandbox: Sandbox):
    handler = spec.handler
    guard = spec.auth if spec.auth in ("create", "admin", "control") else None
    check = sandbox.settings.check_responses
    # GraphQL over POST reads (its one mutation, getPolicyDocument, changes nothing)
    reads = spec.method in _SAFE or spec.path == "/graphql"

    async def endpoint(request: Request) -> Response:
        replay = request.scope.get("sandbox.replay")
        moment = WALL.set(replay["wall"] if replay is not None else time.time())  # one instant per request
        session = access.session_of(sandbox, request) if guard is not None else None  # a dashboard sign-in
        csrf_moment = templates.CSRF.set(session.csrf) if session is not None else None
        if reads:
            request.scope["sandbox.reads"] = True  # kept only if it moved its agent (mockserver.store)
        ctx = Ctx(request, sandbox, spec)
        admitted = False
        try:
            store = sandbox.store
            if store is not None and replay is None and not store.closed:
                refused = await _store_ready(store)
                if refused is not None:
                    return problem_response(refused, trace_id_of(request), request.url.path)
            try:
                if guard is not None and replay is None:  # a replayed request was admitted once already
                    csrf = None
                    if session is not None and spec.method not in _SAFE and access.presented(request) is None:
                        csrf = request.headers.get("x-csrf-token") or dict(
                            parse_qsl((await request.body()).decode("utf-8", "replace"))).get("csrf")
                    access.check(sandbox, request, guard, csrf=csrf)
                admitted = True
                try:
                    ctx.admit()  # the route's token kind, scope and role permission
                except SandboxError as exc:
                    if spec.refusal is None:
                        raise
                    response = spec.refusal(ctx, exc)
                else:
                    response = await handler(ctx)
            except SandboxError as exc:
                if exc.status == 401 and not admitted and spec.path.startswith(UI_PREFIX) and spec.method == "GET":
                    # a browser on the closed plane's dashboard: the sign-in page, then back here
                    return RedirectResponse(f"{UI_PREFIX}/login?{urlencode({'next': request.url.path})}", 303)
                if exc.status == 422 and ctx.raw_json is not None and exc.field_errors:
                    exc.suggestions += [s for s in near_misses(exc.field_errors, ctx.raw_json)
                                        if s not in exc.suggestions]
                response = problem_response(exc, trace_id_of(request), request.url.path)
            store = sandbox.store
            if store is not None and replay is None and admitted and not store.closed:
                response = await _kept(store, sandbox, request, response)
            if check:
                conformance.check(spec.method, spec.path, spec.response_model, response.status_code,
                                  response.media_type or "", getattr(response, "body", b""))
            return response
        finally:
            if csrf_moment is not None:
                templates.CSRF.reset(csrf_moment)
            WALL.reset(moment)

    endpoint.__name__ = handler.__name__
    return endpoint


_SAFE = ("GET", "HEAD", "OPTIONS")
UI_PREFIX = "/__sandbox/ui"
_NOT_KEPT = (b"cookie", b"proxy-authorization")


async def _store_ready(store: Any) -> SandboxError | None:
    """None when the data directory can keep what this request changes; otherwise the refusal, sent
    before the handler runs (nothing is applied): the state is being rebuilt after a refused write,
    or the directory still refuses writes."""
    if store.recovering is not None:
        return SandboxError("The sandbox is rebuilding its state from its data directory after a write it could "
                            "not keep; try again in a moment.", codes=["SANDBOX_STORE_RECOVERING"], status=503,
                            headers={"Retry-After": "1"})
    if store.refusing:
        if not await store.writable():
            return SandboxError("The sandbox's data directory refuses writes (is the disk full?); nothing was "
                                "changed. Free space and try again.", codes=["SANDBOX_STORE_FAILED"], status=503,
                                headers={"Retry-After": "5"})
        store.refusing = False
    return None


async def _kept(store: Any, sandbox: Sandbox, request: Request, response: Response) -> Response:
    """Write the request to the data directory before its answer leaves (mockserver.store); a GET only
    when it moved its agent's state. If the directory refuses the write, the answer says so."""
    from mockserver.store import fingerprint, principal_record, scrub_body

    scope = request.scope
    agent = scope.get("sandbox.agent")
    if scope.get("sandbox.reads"):
        before = scope.get("sandbox.before")
        if before is None or agent is None or before == fingerprint(agent):
            return response
    headers = []
    for k, v in scope["headers"]:
        if k in _NOT_KEPT or (k == b"authorization" and v[:7].lower() == b"bearer "):
            continue  # bearer tokens never go to disk: the principal they resolved to does
        headers.append((k.decode("latin-1"), v.decode("latin-1")))
    raw = await request.body()
    body = scrub_body(raw, request.headers.get("content-type", ""))
    record = {"wall": WALL.get(), "method": request.method, "path": scope["path"], "scheme": scope.get("scheme", "http"),
              "query": scope.get("query_string", b"").decode("latin-1"), "headers": headers,
              "body": base64.b64encode(body).decode() if body else None,
              "principal": principal_record(scope.get("sandbox.principal")), "status": response.status_code}
    future = store.append("request", getattr(agent, "id", None), record, durable=True)
    try:
        await future
    except Exception as exc:  # noqa: BLE001 - a full or broken disk
        # not acknowledged, and not applied either: memory is rebuilt from the directory, which never
        # held this request (nor anything that ran after it)
        await store.recover(scope["app"], sandbox)
        problem = SandboxError(f"The sandbox could not keep this request in its data directory ({exc}); nothing "
                               "of it was kept.", codes=["SANDBOX_STORE_FAILED"], status=503,
                               headers={"Retry-After": "5"})
        return problem_response(problem, trace_id_of(request), request.url.path)
    store.maybe_snapshot(sandbox)
    return response


def _planned_endpoint(operation: str):
    async def endpoint(request: Request) -> Response:
        exc = FeatureNotSupported(
            f"{request.method} {request.url.path} ({operation}) is part of the InsurUp API but is not simulated by "
            f"the sandbox: {planned.WHY[operation]}.", codes=["SANDBOX_NOT_IMPLEMENTED"],
            suggestions=["contracts/FIDELITY.md, \"Not simulated\", lists every such operation and why."])
        return problem_response(exc, trace_id_of(request), request.url.path)

    return endpoint


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow", "")
        problem: SandboxError = MethodNotAllowed(
            f"{request.method} is not allowed on {request.url.path}; allowed: {allow or 'none'}.",
            codes=["METHOD_NOT_ALLOWED"], headers={"Allow": allow} if allow else None)
    elif exc.status_code == 404:
        near = nearest_endpoints(request.app.router, request.method, request.url.path)
        hint = [f"Nearest endpoints: {', '.join(near)}."] if near else []
        problem = EndpointNotFound(f"No endpoint {request.method} {request.url.path}.", codes=["ENDPOINT_NOT_FOUND"],
                                   suggestions=[*hint, "REST paths work with and without the /api prefix; see "
                                                "/docs or /openapi.json."])
    else:
        problem = SandboxError(exc.detail or "HTTP error", status=exc.status_code)
    return problem_response(problem, trace_id_of(request), request.url.path)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    problem = SandboxError("The sandbox hit an internal error; this is a sandbox bug, please report it with the traceId.",
                           codes=["SANDBOX_INTERNAL_ERROR"], headers={"Connection": "close"})  # uvicorn drops it
    return problem_response(problem, trace_id_of(request), request.url.path)


_ID_LIKE = re.compile(r"^(?:[0-9a-fA-F-]{8,}|\d+|[A-Z0-9]{6,})$")


def nearest_endpoints(router: Any, method: str, path: str, n: int = 3) -> list[str]:
    """The documented endpoints a mistyped path most looks like (ids in the path count as
    parameters), the request's method first: WireMock's near-miss, for a 404."""
    import difflib

    table = getattr(router, "_near_table", None)
    if table is None:
        table = {}
        for r in router.routes:
            if isinstance(r, Route) and not r.path.startswith("/__sandbox/ui"):
                shape = re.sub(r"\{[^}]+\}", "{}", r.path).strip("/").lower()
                for m in sorted((r.methods or set()) - {"HEAD"}):
                    table.setdefault(shape, []).append(f"{m} {r.path}")
        router._near_table = table
    asked = "/".join("{}" if _ID_LIKE.match(seg) else seg.lower() for seg in path[:300].strip("/").split("/"))
    found: list[str] = []
    for shape in difflib.get_close_matches(asked, list(table), n=n, cutoff=0.6):
        ops = sorted(table[shape], key=lambda op: not op.startswith(method + " "))
        found.extend(ops[:1])
    return found


def _precedence(path: str) -> tuple[int, ...]:
    """Route precedence, segment by segment: a literal segment beats a parameter at the same place
    (``/customers/{id}/vehicles/external-lookup`` before ``/customers/{id}/vehicles/{vehicleId}``)."""
    return tuple(0 if "{" not in seg else (2 if seg.startswith("{") and seg.endswith("}") else 1)
                 for seg in path.strip("/").split("/"))


class SandboxRoute(Route):
    """A route whose path pattern is compiled when first matched rather than when it is declared:
    three hundred regular expressions the start-up does not wait for (the warm-up compiles them
    once the port is open)."""

    def __init__(self, path: str, endpoint: Any, *, methods: list[str]):
        assert path.startswith("/"), "Routed paths must start with '/'"
        self.path, self.endpoint, self.name, self.include_in_schema = path, endpoint, endpoint.__name__, True
        self.app = request_response(endpoint)
        self.methods = {m.upper() for m in methods} | ({"HEAD"} if "GET" in methods else set())

    @functools.cached_property
    def _compiled(self) -> tuple[Any, str, dict[str, Any]]:
        return compile_path(self.path)

    path_regex = property(lambda self: self._compiled[0])
    path_format = property(lambda self: self._compiled[1])
    param_convertors = property(lambda self: self._compiled[2])


class SandboxRouter(Router):
    """Paths without parameters are found with one dict lookup instead of a regex scan of every
    route. Otherwise the most specific templates that match the path decide (literal segments
    before parameters, left to right): one of them with the request's method handles it, or the
    answer is 405 with ``Allow`` listing their methods; a less specific template with the method
    never catches it (``GET /customers/{id}/vehicles/external-lookup`` is 405, not "vehicle
    'external-lookup' not found"). Starlette's own router takes the first match in order.

    An HTTP route's endpoint is called directly (one ``Request``, no per-route exception wrapper):
    the endpoints answer their own errors (``_endpoint``), the router answers 404 and 405, and
    anything else reaches ``ServerErrorMiddleware`` (see :class:`SandboxApp`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._static = {(r.path, m): r for r in self.routes if isinstance(r, Route) and "{" not in r.path
                        for m in (r.methods or ()) if m != "HEAD"}
        http = [r for r in self.routes if isinstance(r, Route)]
        ranked = sorted(((_precedence(r.path), r) for r in http), key=lambda kr: kr[0])
        # the templates a path can match: as many segments as it has, and its first segment literally
        # or as a parameter (no template takes a {name:path}), in precedence order
        self._shapes: dict[tuple[int, str | None], list[tuple[tuple[int, ...], Route]]] = {}
        for key, route in ranked:
            segments = route.path.strip("/").split("/")
            first = None if "{" in segments[0] else segments[0]
            self._shapes.setdefault((len(segments), first), []).append((key, route))
        for (n, first), routes in list(self._shapes.items()):
            if first is not None:  # a literal first segment's templates, and those with a parameter there
                self._shapes[(n, first)] = sorted(routes + self._shapes.get((n, None), []), key=lambda kr: kr[0])

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            scope["starlette.exception_handlers"] = _HANDLERS  # starlette's websocket wrapper reads them
            await super().app(scope, receive, send)
            return
        scope["router"] = self
        route = self._static.get((scope["path"], scope["method"]))
        if route is not None:
            scope["path_params"] = {}
        else:
            route = self._match(scope)
        request = Request(scope, receive, send)
        if isinstance(route, HTTPException):
            response = await _http_exception(request, route)
        else:
            scope["endpoint"] = route.endpoint
            response = await route.endpoint(request)
        await response(scope, receive, send)

    def _match(self, scope: Scope) -> Route | HTTPException:
        best: tuple[int, ...] | None = None
        allowed: set[str] = set()
        segments = scope["path"].strip("/").split("/")
        shape = self._shapes.get((len(segments), segments[0])) or self._shapes.get((len(segments), None), ())
        for key, candidate in shape:
            if best is not None and key != best:
                break  # sorted: every later template is less specific (or cannot match this path)
            match, child_scope = candidate.matches(scope)
            if match is Match.FULL:
                scope.update(child_scope)
                return candidate
            if match is Match.PARTIAL:
                best = key
                allowed.update(candidate.methods or ())
        if allowed:
            return HTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})
        return HTTPException(404)


class SandboxApp(Starlette):
    """Starlette with one layer less per request: no ``ExceptionMiddleware`` between the edge and the
    router, whose only handler (404 and 405) the router calls itself. Unexpected exceptions still
    reach ``ServerErrorMiddleware`` and its handler (``_unexpected``)."""

    def build_middleware_stack(self):
        from starlette.middleware.errors import ServerErrorMiddleware

        app = self.router
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        return ServerErrorMiddleware(app, handler=self.exception_handlers.get(Exception), debug=self.debug)


_HANDLERS = ({HTTPException: _http_exception}, {})


def _durable_sandbox(settings: Settings) -> Sandbox:
    """A sandbox whose signing key and entropy live in the data directory (mockserver.store)."""
    import hashlib
    import secrets
    from pathlib import Path

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from mockserver.security.tokens import TokenAuthority
    from mockserver.store import Store

    fixture = settings.default_agent_fixture
    marks = {"seed": settings.seed, "market": settings.market, "default_agent_id": settings.default_agent_id,
             "default_agent_fixture": hashlib.sha256(Path(fixture).read_bytes()).hexdigest()[:16] if fixture else None,
             "control_open": control_plane.resolve(settings)[0]}
    store = Store(Path(settings.data_dir), snapshot_every=settings.snapshot_every, fingerprint_of=marks)

    def new_key() -> bytes:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())

    pem = store.secret("signing_key", new_key)
    authority = TokenAuthority(serialization.load_pem_private_key(pem, password=None))
    key = store.secret("entropy_key", lambda: secrets.token_bytes(32))
    moment = WALL.set(float(store.meta["created_at"]))  # the default agent is made at the directory's birth
    try:
        sandbox = world.sandbox(settings, authority, entropy_key=key, drift=drift.load(settings.drift_profile))
    finally:
        WALL.reset(moment)
    sandbox.store = store
    return sandbox


def _open_paths() -> tuple[str, ...]:
    """The control plane's open routes as exact paths or prefixes (a templated path up to its first
    parameter): what a browser on a partner's page may reach."""
    out = []
    for spec in ROUTES:
        if spec.path.startswith("/__sandbox") and spec.auth == "public":
            out.append(spec.path.split("{", 1)[0] if "{" in spec.path else spec.path)
    return tuple(dict.fromkeys(out))


def create_app(settings: Settings | None = None, *, sandbox: Sandbox | None = None) -> Starlette:
    settings = settings or Settings()
    if sandbox is None:
        sandbox = (_durable_sandbox(settings) if settings.data_dir else
                   world.sandbox(settings, drift=drift.load(settings.drift_profile)))
    routes = [SandboxRoute(spec.path, _endpoint(spec, sandbox), methods=[spec.method]) for spec in ROUTES]
    routes += hub.routes(sandbox)
    deliverer = Deliverer(sandbox)
    implemented = {(s.path, s.method) for s in ROUTES}
    for path, methods, operation in planned.OPERATIONS:
        todo = [m for m in methods if (path, m) not in implemented]
        if todo:
            routes.append(SandboxRoute(path, _planned_endpoint(operation), methods=todo))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        from mockserver.domain.reference import address_tree
        from mockserver.domain.registries import faker

        def warm_up() -> None:  # after the port is open: the first requests should not pay for these
            from mockserver.domain.documents import document_class
            from mockserver.domain.templates import environment as message_templates
            from mockserver.graphql import executor  # noqa: F401 - graphql-core
            from mockserver.graphql.schema import schema

            import httpx  # noqa: F401 - the webhook deliverer's client
            import jwt  # noqa: F401 - tokens

            address_tree(), faker(), schema(), document_class()  # (the OpenAPI document: when first asked for)
            sandbox.authority.jwks(), templates.environment(), message_templates()  # keys and the page templates
            for route in routes:
                getattr(route, "path_regex", None)

        loop = asyncio.get_running_loop()
        if sandbox.store is not None and not getattr(sandbox.store, "restored", False):
            from mockserver.store import restore

            counts = await restore(app, sandbox, sandbox.store)
            sandbox.store.restored = True
            app.state.restored = counts
            log.info("restored from %s: %s", sandbox.store.dir, counts)
        warm = loop.run_in_executor(None, warm_up)
        await deliverer.start()
        try:
            yield
        finally:
            await deliverer.stop()
            with contextlib.suppress(Exception):
                await warm
            if sandbox.store is not None:
                sandbox.store.close(sandbox)

    app = SandboxApp(
        routes=routes,
        middleware=[
            Middleware(EdgeMiddleware, max_body=sandbox.settings.max_body_bytes,
                       max_snapshot=sandbox.settings.max_snapshot_bytes,
                       allowed_hosts=allowed_hosts(sandbox.settings.allowed_hosts), open_paths=_open_paths(),
                       body_timeout=sandbox.settings.body_read_timeout, max_inflight=sandbox.settings.max_inflight),
        ],
        exception_handlers={Exception: _unexpected},
        lifespan=lifespan,
    )
    app.router = SandboxRouter(routes=routes, lifespan=lifespan)
    if sandbox.drift is not None:
        app.user_middleware.insert(0, Middleware(drift.DriftMiddleware, profile=sandbox.drift))  # sees paths as sent
    app.state.sandbox = sandbox
    app.state.deliverer = deliverer
    app.state.openapi = functools.partial(apidocs.served_document, ROUTES)  # GET /openapi.json
    return app
