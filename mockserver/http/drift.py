"""A drifted sandbox: rules that make it answer like an API that has moved on, so the contract
suite can be shown to catch each kind of drift without the real API.

A profile (YAML, or the built-in ``planted``) lists rules; paths are globs on the request path as
sent (``/api`` included), methods exact::

    rename: [{method: GET, path: /api/customers/me, field: fullName, to: nameSurname}]
    enum:   [{method: GET, path: /api/customers/me, field: gender, from: MALE, to: ERKEK}]
    extra:  [{method: POST, path: /api/auth/customer/login-or-register, field: loginAttemptId, value: x}]
    remove: [{method: POST, path: /api/auth/customer/login-or-register, field: isNewCustomer}]
    nullify: [{method: GET, path: /api/customers/me, field: birthDate}]   # the field becomes null
    stringify: [{method: GET, path: /api/proposals/*/products/*, field: grossPremium}]  # number -> string
    wrap:   [{method: GET, path: /api/customers/me/vehicles}]           # [..] -> {items: [..], totalCount}
    headers: [{method: GET, path: /api/customers/me, field: www-authenticate}]  # the header is dropped
    status: [{method: GET, path: /customers/me, status: 203}]
    drop:   [{method: GET, path: /api/vehicle-parameters/models}]       # answered 404
    slow:   [{insuranceCompanyId: 43, factor: 60}]                      # quotes arrive 60 times later

A field rule applies to that key at any depth of the answer.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    method: str = "*"
    path: str = "*"
    field: str | None = None
    to: Any = None
    from_: Any = Field(None, alias="from")
    value: Any = None
    status: int | None = None

    def applies(self, method: str, path: str) -> bool:
        return fnmatch.fnmatchcase(method, self.method) and fnmatch.fnmatchcase(path, self.path)


class Slow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    insuranceCompanyId: int
    factor: float = Field(gt=0)


class DriftProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rename: list[Rule] = []
    enum: list[Rule] = []
    extra: list[Rule] = []
    remove: list[Rule] = []
    nullify: list[Rule] = []
    stringify: list[Rule] = []
    wrap: list[Rule] = []
    headers: list[Rule] = []
    status: list[Rule] = []
    drop: list[Rule] = []
    slow: list[Slow] = []

    def slowness(self, insurer_id: int) -> float:
        return next((s.factor for s in self.slow if s.insuranceCompanyId == insurer_id), 1.0)


PLANTED = DriftProfile.model_validate({
    "rename": [{"method": "GET", "path": "/api/customers/me", "field": "fullName", "to": "nameSurname"}],
    "enum": [{"method": "GET", "path": "/api/customers/me", "field": "gender", "from": "MALE", "to": "ERKEK"},
             {"method": "GET", "path": "/api/customers/me", "field": "gender", "from": "FEMALE", "to": "KADIN"},
             {"method": "GET", "path": "/api/proposals/*", "field": "$type", "from": "trafik", "to": "traffic"}],
    "extra": [{"method": "POST", "path": "/api/auth/customer/login-or-register", "field": "loginAttemptId",
               "value": "drift"}],
    "remove": [{"method": "POST", "path": "/api/auth/customer/verify-mfa", "field": "tokenType"}],
    "nullify": [{"method": "GET", "path": "/api/customers/me", "field": "birthDate"}],
    "stringify": [{"method": "GET", "path": "/api/customers/me", "field": "policyCount"}],
    "wrap": [{"method": "GET", "path": "/api/customers/me/properties"}],
    "headers": [{"method": "GET", "path": "/api/customers/me", "field": "www-authenticate"}],
    "status": [{"method": "GET", "path": "/customers/me", "status": 203}],
    "drop": [{"method": "GET", "path": "/api/vehicle-parameters/models"}],
    "slow": [{"insuranceCompanyId": 43, "factor": 400}],
})


def load(spec: str | None) -> DriftProfile | None:
    if not spec:
        return None
    if spec == "planted":
        return PLANTED
    import yaml

    return DriftProfile.model_validate(yaml.safe_load(Path(spec).read_text("utf-8")) or {})


def _rewrite(value: Any, profile: DriftProfile, rules: list[Rule]) -> Any:
    if isinstance(value, list):
        return [_rewrite(v, profile, rules) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for k, v in value.items():
        if any(r in profile.remove and r.field == k for r in rules):
            continue
        v = _rewrite(v, profile, rules)
        for r in rules:
            if r.field != k:
                continue
            if r in profile.enum and v == r.from_:
                v = r.to
            elif r in profile.nullify:
                v = None
            elif r in profile.stringify and isinstance(v, (int, float)) and not isinstance(v, bool):
                v = f"{v:.2f}" if isinstance(v, float) else str(v)
        renamed = next((r.to for r in rules if r in profile.rename and r.field == k), None)
        out[renamed or k] = v
    return out


class DriftMiddleware:
    """Applies a drift profile to the API's answers (never to the control plane)."""

    def __init__(self, app: ASGIApp, profile: DriftProfile):
        self.app, self.profile = app, profile

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/__sandbox"):
            await self.app(scope, receive, send)
            return
        method, path, p = scope["method"], scope["path"], self.profile
        if any(r.applies(method, path) for r in p.drop):
            body = orjson.dumps({"type": "https://api.insurup.com/problems/endpoint-not-found",
                                 "title": "Endpoint not found", "status": 404, "detail": f"No endpoint {method} {path}.",
                                 "codes": ["ENDPOINT_NOT_FOUND"]})
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"application/problem+json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        body_rules = [r for r in p.rename + p.enum + p.extra + p.remove + p.nullify + p.stringify + p.wrap
                      if r.applies(method, path)]
        header_rules = [r for r in p.headers if r.applies(method, path)]
        status = next((r.status for r in p.status if r.applies(method, path)), None)
        if not body_rules and status is None and not header_rules:
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    await self._finish(start, b"".join(chunks), body_rules, header_rules, status, send)

        await self.app(scope, receive, capture)

    async def _finish(self, start: dict[str, Any], body: bytes, rules: list[Rule], header_rules: list[Rule],
                      status: int | None, send: Send) -> None:
        dropped = {(r.field or "").lower().encode() for r in header_rules}
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
                   and k.lower() not in dropped]
        if rules and body:
            try:
                data = orjson.loads(body)
            except orjson.JSONDecodeError:
                data = None
            if isinstance(data, (dict, list)):
                data = _rewrite(data, self.profile, rules)
                if isinstance(data, dict):
                    for r in rules:
                        if r in self.profile.extra and r.field:
                            data[r.field] = r.value
                if isinstance(data, list) and any(r in self.profile.wrap for r in rules):
                    data = {"items": data, "totalCount": len(data)}
                body = orjson.dumps(data)
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "status": status or start.get("status", 200), "headers": headers})
        await send({"type": "http.response.body", "body": body})
