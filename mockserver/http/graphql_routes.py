"""``POST /graphql`` (and GET for queries), ``GET /graphql/schema`` (SDL, anonymous).

GraphQL answers 200 with ``errors`` for anything the executor rejects (the SDK maps
``errors[0].extensions.code``); a missing, invalid or expired token is a 401 and a deactivated
account a 403 (what the GraphQL guide lists), both with a GraphQL ``errors`` body; a body that is
not a GraphQL request is a 400 in the same shape. The paths never take the ``/api`` prefix.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
from starlette.responses import Response

from mockserver.core import jsonbody
from mockserver.core.errors import AccessDenied, InputValidation, SandboxError, Unauthorized
from mockserver.graphql.rows import QueryContext
from mockserver.http.assets import packaged_asset
from mockserver.core import templates
from mockserver.http.framework import Ctx, Routes, trace_id_of
from mockserver.wire import models as w, parse


routes = Routes("/graphql")


def _errors(status: int, message: str, code: str, codes: list[str], trace_id: str,
            headers: dict[str, str] | None = None) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code, "codes": codes, "traceId": trace_id}}]}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


# a browser asking GET /graphql without a query gets GraphiQL (vendored in mockserver/data/graphiql, served
# from /graphql/assets/); the dashboard's "GraphiQL with a token" button leaves a token in sessionStorage
_ASSETS = {"react.production.min.js": "application/javascript", "react-dom.production.min.js": "application/javascript",
           "graphiql.min.js": "application/javascript", "graphiql.min.css": "text/css"}


@routes("GET", "/graphql/assets/{name}", summary="GraphiQL's own files (shipped with the package)", tag="graphql",
       auth="none", api=False, response=str, media="application/javascript")
async def graphiql_asset(ctx: Ctx) -> Response:
    return packaged_asset(ctx, "graphiql", _ASSETS)


def _described(exc: InputValidation) -> str:
    return "Not a GraphQL request: " + "; ".join(f"'{e.property_name}' {e.message}" for e in exc.field_errors) + "."


def _bad_request(message: str, trace_id: str, code: str = "GRAPHQL_BAD_REQUEST") -> Response:
    return _errors(400, message, "BAD_USER_INPUT", [code], trace_id)


def _refused(ctx: Ctx, exc: SandboxError) -> Response:
    """A caller admission refused, as GraphQL clients read it: errors[] with the HTTP status."""
    trace_id = trace_id_of(ctx.request)
    if isinstance(exc, Unauthorized):
        return _errors(401, exc.detail, "UNAUTHENTICATED", exc.codes, trace_id, exc.headers)
    if isinstance(exc, AccessDenied):
        return _errors(403, exc.detail, "FORBIDDEN", exc.codes, trace_id, exc.headers)
    return _errors(exc.status, exc.detail, "BAD_USER_INPUT", exc.codes, trace_id)


async def _execute(ctx: Ctx, query: Any, variables: Any, operation_name: Any, *, allow_mutations: bool) -> Response:
    trace_id = trace_id_of(ctx.request)
    try:  # admitted as the route declares; GET without a token (its console is open) is refused here
        agent, principal = ctx.authenticate()
    except SandboxError as exc:
        return _refused(ctx, exc)
    if not isinstance(query, str) or not query.strip():
        return _bad_request("A GraphQL request needs a non-empty 'query' string.", trace_id)
    if variables is not None and not isinstance(variables, dict):
        return _bad_request("'variables' must be a JSON object.", trace_id)
    if operation_name is not None and not isinstance(operation_name, str):
        return _bad_request("'operationName' must be a string.", trace_id)
    from mockserver.graphql import executor  # graphql-core loads on first use, not before the port opens

    body = executor.run(QueryContext(agent, principal), query, variables, operation_name, trace_id=trace_id,
                        allow_mutations=allow_mutations)
    return Response(orjson.dumps(body), media_type="application/json")


@routes("POST", "/graphql", refusal=_refused, summary="GraphQL: lists and search over customers, cases, proposals, policies",
       tag="graphql", request=w.GraphQLRequest, api=False, parse=False, response=w.GraphQLResponse, errors={"400": ("Not a GraphQL request", w.GraphQLResponse, "application/json"), "401": ("Missing, invalid or expired token", w.GraphQLResponse, "application/json"), "403": ("Deactivated account", w.GraphQLResponse, "application/json")})
async def graphql_post(ctx: Ctx) -> Response:
    trace_id = trace_id_of(ctx.request)
    ctype = ctx.request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    raw = await ctx.raw()
    if ctype == "application/graphql":
        return await _execute(ctx, raw.decode("utf-8", "replace"), None, None, allow_mutations=True)
    try:
        body = jsonbody.loads(raw) if raw.strip() else None
    except jsonbody.TooDeep as exc:
        return _bad_request(f"The request body nests more than {exc.limit} levels deep.", trace_id, "JSON_TOO_DEEP")
    except orjson.JSONDecodeError as exc:
        return _bad_request(f"The request body is not valid JSON: {exc}.", trace_id)
    if isinstance(body, list):
        return _bad_request("Batched GraphQL requests are not supported; send one operation per request.", trace_id)
    if not isinstance(body, dict):
        return _bad_request("Send a JSON object {\"query\": \"...\", \"variables\": {...}}.", trace_id)
    try:
        request = parse.body(w.GraphQLRequest, body)
    except InputValidation as exc:
        return _bad_request(_described(exc), trace_id)
    return await _execute(ctx, request.query, request.variables, request.operationName, allow_mutations=True)


@routes("GET", "/graphql", auth="optional", refusal=_refused, summary="GraphQL queries over GET (?query=&variables=&operationName=)", tag="graphql",
       query=w.GraphQLQuery, api=False, response=w.GraphQLResponse, errors={"400": ("Not a GraphQL request", w.GraphQLResponse, "application/json"), "401": ("Missing, invalid or expired token", w.GraphQLResponse, "application/json"), "403": ("Deactivated account", w.GraphQLResponse, "application/json")})
async def graphql_get(ctx: Ctx) -> Response:
    trace_id = trace_id_of(ctx.request)
    if not ctx.request.query_params.get("query") and "text/html" in ctx.request.headers.get("accept", ""):
        return Response(templates.render("graphiql.html"), media_type="text/html", headers={"Cache-Control": "no-cache"})
    try:
        q = ctx.q
    except InputValidation as exc:
        return _bad_request(_described(exc), trace_id)
    variables: Any = None
    raw_vars = q.variables
    if raw_vars:
        try:
            variables = jsonbody.loads(raw_vars)
        except jsonbody.TooDeep as exc:
            return _bad_request(f"'variables' nests more than {exc.limit} levels deep.", trace_id, "JSON_TOO_DEEP")
        except orjson.JSONDecodeError:
            return _bad_request("'variables' is not valid JSON.", trace_id)
    return await _execute(ctx, q.query, variables, q.operationName, allow_mutations=False)


@routes("GET", "/graphql/schema", summary="The schema as SDL (anonymous)", tag="graphql", auth="none", api=False, response=str, media="text/plain")
async def graphql_schema(ctx: Ctx) -> Response:
    from mockserver.graphql.schema import sdl

    return Response(sdl(), media_type="text/plain; charset=utf-8")


@routes("GET", "/graphql/introspection", summary="The schema's introspection result (anonymous, as the SDL is): "
        "GraphiQL's docs and completion without a token", tag="graphql", auth="none", api=False,
        response=w.GraphQLIntrospection)
async def graphql_introspection(ctx: Ctx) -> Response:
    return Response(_introspection(), media_type="application/json")


@functools.cache
def _introspection() -> bytes:
    from graphql import introspection_from_schema

    from mockserver.graphql.schema import schema

    return orjson.dumps({"data": introspection_from_schema(schema())})
