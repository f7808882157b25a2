"""The API's published documents, generated from the code (``insurup-sandbox export-contracts`` writes
them to ``contracts/``): ``openapi.json`` from the routes (``mockserver.http.routes``) and the wire
models that parse requests and document answers, ``magic-values.json`` from :mod:`mockserver.magic`,
``schema.graphql`` from :mod:`mockserver.graphql.schema`. A test regenerates them and fails if the
checked-in copies differ; the server serves the same OpenAPI document at ``/openapi.json``. (The
contract suite that runs scenarios against two targets is :mod:`mockserver.contract`.)"""

from __future__ import annotations

import json
import re
import types
import typing
from pathlib import Path
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import models_json_schema

from mockserver import __version__, magic
from mockserver.security import scopes
from mockserver.wire import events, models as w
from mockserver.wire.parse import INT64, model_types

if TYPE_CHECKING:
    from mockserver.http.framework import RouteSpec

_PARAM = re.compile(r"\{([A-Za-z0-9_]+)(?::[a-z]+)?\}")
REF = "#/components/schemas/{model}"

# Links between operations for the main flows (schemathesis follows them in its stateful phase):
# (method, path) of the source -> [(method, path) of the target, {parameter: runtime expression}]
LINKS: dict[tuple[str, str], list[tuple[str, str, dict[str, str]]]] = {
    ("POST", "/__sandbox/agents"): [
        (m, p, {"agentId": "$response.body#/agentId"}) for m, p in (
            ("GET", "/__sandbox/agents/{agentId}"), ("GET", "/__sandbox/agents/{agentId}/clock"),
            ("POST", "/__sandbox/agents/{agentId}/clock"), ("GET", "/__sandbox/agents/{agentId}/sms"),
            ("GET", "/__sandbox/agents/{agentId}/journal"), ("GET", "/__sandbox/agents/{agentId}/events"),
            ("POST", "/__sandbox/agents/{agentId}/reset"), ("DELETE", "/__sandbox/agents/{agentId}"))],
    ("POST", "/__sandbox/certifications"): [
        (m, p, {"sessionId": "$response.body#/sessionId"}) for m, p in (
            ("GET", "/__sandbox/certifications/{sessionId}"), ("GET", "/__sandbox/certifications/{sessionId}/evidence"),
            ("POST", "/__sandbox/certifications/{sessionId}/steer"))],
    ("POST", "/customers"): [
        (m, p, {"customerId": "$response.body#/id"}) for m, p in (
            ("GET", "/customers/{customerId}"), ("PUT", "/customers/{customerId}"),
            ("GET", "/customers/{customerId}/health-info"), ("PUT", "/customers/{customerId}/health-info"),
            ("GET", "/customers/{customerId}/consents"), ("POST", "/customers/{customerId}/consents"),
            ("GET", "/customers/{customerId}/vehicles"), ("POST", "/customers/{customerId}/vehicles"),
            ("GET", "/customers/{customerId}/properties"), ("POST", "/customers/{customerId}/properties"),
            ("GET", "/customers/{customerId}/relationships"), ("DELETE", "/customers/{customerId}"))],
    ("POST", "/customers/{customerId}/vehicles"): [
        (m, "/customers/{customerId}/vehicles/{vehicleId}",
         {"customerId": "$request.path.customerId", "vehicleId": "$response.body#/id"}) for m in ("GET", "PUT", "DELETE")],
    ("POST", "/customers/{customerId}/properties"): [
        (m, "/customers/{customerId}/properties/{propertyId}",
         {"customerId": "$request.path.customerId", "propertyId": "$response.body#/newPropertyId"})
        for m in ("GET", "PUT", "DELETE")],
    ("POST", "/customers/{customerId}/relationships"): [
        ("DELETE", "/customers/{customerId}/relationships/{relationshipId}",
         {"customerId": "$request.path.customerId", "relationshipId": "$response.body#/id"})],
    ("POST", "/cases:new-sale-opportunity"): [
        (m, p, {"caseRef": "$response.body#/id"}) for m, p in (
            ("GET", "/cases/{caseRef}"), ("PUT", "/cases/{caseRef}/state"), ("GET", "/cases/{caseRef}/notes"),
            ("POST", "/cases/{caseRef}/notes"), ("PUT", "/cases/{caseRef}/channel"),
            ("GET", "/cases/{caseRef}/activities"), ("GET", "/cases/{caseRef}/proposals"))],
    ("POST", "/proposals"): [
        (m, p, {"proposalId": "$response.body#/proposalId"}) for m, p in (
            ("GET", "/proposals/{proposalId}"), ("GET", "/proposals/{proposalId}/products"),
            ("GET", "/proposals/{proposalId}/snapshot"), ("GET", "/proposals/{proposalId}/coverage"),
            ("POST", "/proposals/{proposalId}/revise"), ("GET", "/proposals/{proposalId}/products/compare-pdf"))],
    ("POST", "/webhooks"): [
        (m, p, {"webhookId": "$response.body#/id"}) for m, p in (
            ("GET", "/webhooks/{webhookId}"), ("PUT", "/webhooks/{webhookId}"),
            ("GET", "/webhooks/{webhookId}/deliveries"), ("DELETE", "/webhooks/{webhookId}"))],
    ("POST", "/coverage-groups"): [
        (m, "/coverage-groups/{groupId}", {"groupId": "$response.body#/id"}) for m in ("GET", "PUT", "DELETE")],
    ("POST", "/agents/me/insurance-companies"): [
        (m, p, {"connectionId": "$response.body#/id"}) for m, p in (
            ("GET", "/agents/me/insurance-companies/{connectionId}/connection"),
            ("GET", "/agents/me/insurance-companies/{connectionId}/branches"),
            ("DELETE", "/agents/me/insurance-companies/{connectionId}"))],
}


def _operation_ids(routes: list[Any]) -> dict[int, str]:
    """Handler names where they are unique, the method and path where one handler serves several."""
    def base(spec: Any) -> str:
        return spec.operation_id or f"{spec.method.lower()}_{spec.handler.__name__.strip('_')}"

    counts: dict[str, int] = {}
    for spec in routes:
        counts[base(spec)] = counts.get(base(spec), 0) + 1
    out = {}
    for spec in routes:
        name = base(spec)
        if counts[name] > 1 and not spec.operation_id:
            slug = re.sub(r"[^A-Za-z0-9]+", "_", _PARAM.sub(r"\1", spec.path)).strip("_")
            name = f"{spec.method.lower()}_{slug}"
        out[id(spec)] = name
    return out


class _Schemas:
    """Every model's JSON schema, generated together so a model used by requests (validation) and
    answers (serialization) gets one name per shape."""

    def __init__(self, pairs: list[tuple[type[BaseModel], str]]):
        keys, defs = models_json_schema(list(dict.fromkeys(pairs)), ref_template=REF)
        self.keys = keys
        self.components: dict[str, Any] = defs.get("$defs", {})

    def ref(self, tp: Any, mode: str) -> dict[str, Any]:
        if tp is None or tp is Any:
            return {}
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return dict(self.keys[(tp, mode)])
        if tp is str:
            return {"type": "string"}
        if tp is bytes:
            return {"type": "string", "format": "binary"}
        if tp is type(None):
            return {"type": "null"}
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is list:
            return {"type": "array", "items": self.ref(args[0], mode)}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.ref(args[1], mode) if len(args) > 1 else {}}
        if origin is typing.Union or origin is types.UnionType:
            return {"anyOf": [self.ref(a, mode) for a in args]}
        if origin is typing.Annotated:  # a union told apart by a discriminator field (CaseActivity…)
            inner, *meta = args
            out = self.ref(inner, mode)
            field = next((m.discriminator for m in meta if isinstance(m, FieldInfo) and m.discriminator), None)
            if field and "anyOf" in out:
                first = typing.get_args(inner)[0]
                name = first.model_fields[field].alias or field
                out = {"oneOf": out["anyOf"], "discriminator": {"propertyName": name}}
            return out
        raise TypeError(f"no schema for {tp!r}")

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        return self.components[ref.rsplit("/", 1)[-1]] if ref else schema


def _query_parameters(model: type[BaseModel], schemas: _Schemas) -> list[dict[str, Any]]:
    """A query model's parameters. An empty value counts as absent, so a required text parameter
    has ``minLength: 1``; of a group of names for one parameter, the first is documented as the
    required parameter and the others (older clients' spellings, still accepted) are named in
    its description."""
    body = schemas.resolve(schemas.ref(model, "validation"))
    props, required = body.get("properties", {}), set(body.get("required", ()))
    groups = getattr(model.model_config.get("json_schema_extra"), "groups", ())
    primary = {group[0]: group[1:] for group in groups}
    aliases = {name for group in groups for name in group[1:]}
    params = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in aliases:
            continue
        declared = props.get(key, {})
        schema = w.non_null(declared)  # a query parameter is absent or text, never JSON's null
        if declared.get("default") is not None:
            schema["default"] = declared["default"]
        description = declared.get("description") or info.description
        is_required = key in required or key in primary
        if is_required and schema.get("type") == "string":
            schema.setdefault("minLength", 1)
        if primary.get(key):
            description = f"{description or ''} Also accepted as {', '.join(primary[key])}.".strip()
        param: dict[str, Any] = {"name": key, "in": "query", "required": is_required, "schema": schema}
        if description:
            param["description"] = description
        if "array" in json.dumps(schema):
            param.update(style="form", explode=True)
        params.append(param)
    return params


def _bounded_integers(node: Any) -> Any:
    """Every integer of the document within 64 bits: larger JSON numbers are read as floats (orjson),
    so the server refuses them as not whole; the document says so."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("minimum", INT64[0])
            node.setdefault("maximum", INT64[1])
        for value in node.values():
            _bounded_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bounded_integers(value)
    return node


def _content(tp: Any, media: str, mode: str, schemas: _Schemas) -> dict[str, Any]:
    return {media: {"schema": schemas.ref(tp, mode)}}


def openapi(routes: "Sequence[RouteSpec]", server: str = "http://127.0.0.1:8080") -> dict[str, Any]:
    pairs: list[tuple[type[BaseModel], str]] = [(w.Problem, "serialization")]
    for spec in routes:
        pairs += [(m, "validation") for m in model_types(spec.request_model)]
        pairs += [(m, "validation") for m in model_types(spec.query)]
        pairs += [(m, "serialization") for m in model_types(spec.response_model)]
        for _desc, model, _media in spec.errors.values():
            pairs += [(m, "serialization") for m in model_types(model)]
    pairs += [(m, "serialization") for m in events.PAYLOADS]
    schemas = _Schemas(pairs)
    op_ids = _operation_ids(routes)
    by_route = {(s.method, s.path): op_ids[id(s)] for s in routes}
    trace = {"X-Trace-Id": {"$ref": "#/components/headers/TraceId"}}
    problem = {"description": "A problem (InsurUp's error body)", "headers": trace,
               "content": {"application/problem+json": {"schema": schemas.ref(w.Problem, "serialization")}}}
    paths: dict[str, Any] = {}
    for spec in routes:
        path = _PARAM.sub(r"{\1}", spec.path)
        params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                  for n in _PARAM.findall(spec.path)]
        if spec.query is not None:
            params += _query_parameters(spec.query, schemas)
        op: dict[str, Any] = {"summary": spec.summary, "tags": [spec.tag], "operationId": op_ids[id(spec)],
                              "parameters": params, "responses": {},
                              "x-api-prefix": "optional" if spec.api else "never"}
        if spec.auth in ("token", "agent", "customer", "optional"):
            op["security"] = _security(spec)
            if spec.permission:
                op["x-role-permission"] = spec.permission
        elif spec.auth in ("create", "admin", "control"):
            op["security"] = [{}, {"controlToken": []}, {"controlBearer": []}]
            op["description"] = ("Open on a loopback bind without an admin token; otherwise needs "
                                 + ("the admin token." if spec.auth != "control" else
                                    "this agent's control token or the admin token."))
        if spec.request_model is not None:
            media = ("multipart/form-data" if getattr(spec.request_model, "MULTIPART", False) else
                     "application/x-www-form-urlencoded" if spec.form else "application/json")
            optional = spec.path in _OPTIONAL_BODIES or "/analytics/" in spec.path  # (a period defaults)
            op["requestBody"] = {"required": spec.method != "POST" or not optional,
                                 "content": _content(spec.request_model, media, "validation", schemas)}
        if spec.status == 204:
            op["responses"]["204"] = {"description": "Done", "headers": trace}
        elif spec.status in (302, 303):  # a redirect: the dashboard's buttons, the sign-in steps
            op["responses"][str(spec.status)] = {"description": "Done: on to the page it names",
                                      "headers": {**trace, "Location": {"schema": {"type": "string"}, "required": True}}}
        else:
            success: dict[str, Any] = {"description": "Success", "headers": trace}
            success["content"] = _content(spec.response_model, spec.media, "serialization", schemas)
            links = LINKS.get((spec.method, spec.path))
            if links:
                success["links"] = {
                    by_route[(m, p)]: {"operationId": by_route[(m, p)], "parameters": dict(parameters)}
                    for m, p, parameters in links if (m, p) in by_route}
            op["responses"][str(spec.status)] = success
        for status, (description, model, media) in spec.errors.items():
            answer: dict[str, Any] = {"description": description, "headers": trace}
            if status in ("302", "303"):
                answer["headers"] = {**trace, "Location": {"schema": {"type": "string"}, "required": True}}
            if model is not None:
                answer["content"] = _content(model, media, "serialization", schemas)
            op["responses"][status] = answer
        op["responses"]["default"] = problem
        paths.setdefault(path, {})[spec.method.lower()] = op
    _bounded_integers(paths)
    _bounded_integers(schemas.components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "insurup-sandbox (the InsurUp API as simulated)", "version": __version__,
                 "description": "The operations the sandbox serves, generated from the models that parse their "
                                "requests. REST paths answer with and without the /api prefix; the control plane "
                                "is under /__sandbox and never under /api. Rules JSON Schema cannot state (check "
                                "digits, references to existing records, states) answer 4xx problems with their "
                                "own codes and the header X-Sandbox-Rejected-By: rule."},
        "servers": [{"url": server}],
        "paths": dict(sorted(paths.items())),
        "webhooks": _webhooks(schemas),
        "components": {
            "schemas": dict(sorted(schemas.components.items())),
            "headers": {"TraceId": {"description": "The request's trace id (the client's X-Request-ID when sane)",
                                    "schema": {"type": "string"}, "required": True}},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                           "description": "A customer's token (POST /auth/customer/login-or-register, then "
                                          "verify-mfa with the SMS code)"},
                "oauth2": {"type": "oauth2", "description": "An agent user's or service account's token; an agent "
                                                            "user's role must also hold the operation's "
                                                            "x-role-permission",
                           "flows": {"clientCredentials": {"tokenUrl": "/connect/token", "scopes": {
                               s: s for s in (scopes.FULL, *scopes.GRANULAR)}}}},
                "controlToken": {"type": "apiKey", "in": "header", "name": "X-Sandbox-Token",
                                 "description": "An agent's control token or the admin token (closed control plane)"},
                "controlBearer": {"type": "http", "scheme": "bearer",
                                  "description": "The same token as a bearer token"},
            },
        },
    }


def _webhooks(schemas: _Schemas) -> dict[str, Any]:
    """What a subscribed receiver is sent: one POST per event, its body the event's payload model."""
    def header(description: str, required: bool = True) -> dict[str, Any]:
        return {"description": description, "required": required, "schema": {"type": "string"}}

    out: dict[str, Any] = {}
    for name, model in events.BY_EVENT.items():
        if name in events.INTERNAL:
            continue
        out[name] = {"post": {
            "operationId": "webhook_" + re.sub(r"[^A-Za-z0-9]+", "_", name),
            "summary": name, **({"description": model.__doc__.strip()} if model.__doc__ else {}),
            "tags": ["Webhooks"],
            "parameters": [
                {"name": "x-webhook-event", "in": "header", **header("The event's name")},
                {"name": "x-webhook-id", "in": "header", **header("The subscription (webhook) id")},
                {"name": "x-webhook-delivery", "in": "header", **header("The delivery's id: the same on a retry")},
                {"name": "x-webhook-signature", "in": "header", **header(
                    "Lowercase hex HMAC-SHA256 of the raw body keyed with the webhook's secret (when it has one)",
                    required=False)}],
            "requestBody": {"required": True, "content": _content(model, "application/json", "serialization",
                                                                  schemas)},
            "responses": {"2XX": {"description": "Received: any 2xx ends the delivery"},
                          "default": {"description": "Not received: retried with backoff, up to the attempt limit"}},
        }}
    return out


def _security(spec: "RouteSpec") -> list[dict[str, list[str]]]:
    """Who may call a route, from its declaration: a customer's token (``bearer``: login with an SMS
    code), and an agent user's or service account's token carrying ``core-api`` or the route's scope
    (a write scope also reads); ``{}`` when a token is optional."""
    out: list[dict[str, list[str]]] = []
    if spec.auth in ("token", "customer", "optional"):
        out.append({"bearer": []})
    if spec.auth in ("token", "agent", "optional"):
        out.append({"oauth2": [scopes.FULL]})
        if spec.scope:
            resource, _, action = spec.scope.partition(":")
            out += [{"oauth2": [spec.scope]}] + ([{"oauth2": [f"{resource}:write"]}] if action == "read" else [])
    if spec.auth == "optional":
        out.append({})
    return out


# POST bodies that may be empty (every field optional, the handler reads ``json(required=False)``)
_OPTIONAL_BODIES = frozenset({
    "/__sandbox/agents", "/proposals/{proposalId}/revise", "/proposals/{proposalId}/products/compare-pdf",
    "/policies/{policyId}/document/send", "/__sandbox/agents/{agentId}/policies/{policyId}/cancel",
    "/__sandbox/agents/{agentId}/payments/{paymentId}/complete", "/__sandbox/pay/{agentId}/{paymentId}",
})


_SERVED: dict[int, bytes] = {}


def served_document(routes: "Sequence[RouteSpec]") -> bytes:
    """The document ``GET /openapi.json`` serves (relative server: valid wherever the sandbox runs),
    rendered once per route list: the routes do not change while the process runs."""
    found = _SERVED.get(id(routes))
    if found is None:
        found = _SERVED[id(routes)] = json.dumps(openapi(routes, "/"), ensure_ascii=False).encode()
    return found


def render(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_contracts(out: Path, routes: "Sequence[RouteSpec]") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in (("openapi.json", openapi(routes)), ("magic-values.json", magic.catalogue())):
        path = out / name
        path.write_text(render(doc), "utf-8")
        written.append(path)
    from mockserver.graphql.schema import sdl

    path = out / "schema.graphql"
    path.write_text(sdl(), "utf-8")
    written.append(path)
    return written
