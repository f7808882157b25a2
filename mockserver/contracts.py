"""Contract artefacts generated from the code: ``openapi.json`` from the route table and the wire
models, ``magic-values.json`` from :mod:`mockserver.magic`, ``schema.graphql`` from
:mod:`mockserver.graphql.schema`. A test regenerates them and fails if the checked-in copies differ."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from mockserver import __version__, magic
from mockserver.wire import models as w

_PARAM = re.compile(r"\{([A-Za-z0-9_]+)(?::[a-z]+)?\}")


def openapi() -> dict[str, Any]:
    from mockserver.http.app import _load_routes
    from mockserver.http.framework import ROUTES

    _load_routes()
    schemas: dict[str, Any] = {}

    def ref(model: Any) -> dict[str, Any]:
        schema = TypeAdapter(model).json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
        schemas.update(schema.pop("$defs", {}))
        name = getattr(model, "__name__", None)
        if isinstance(model, type) and issubclass(model, w.BaseModel):
            schemas[name] = schema
            return {"$ref": f"#/components/schemas/{name}"}
        return schema

    problem = ref(w.Problem)
    paths: dict[str, Any] = {}
    for spec in ROUTES.routes:
        path = _PARAM.sub(r"{\1}", spec.path)
        op: dict[str, Any] = {
            "summary": spec.summary, "tags": [spec.tag],
            "operationId": f"{spec.method.lower()}_{spec.handler.__module__.rsplit('.', 1)[-1]}_{spec.handler.__name__}",
            "parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                           for n in _PARAM.findall(spec.path)]
                          + [{"name": q, "in": "query", "required": False, "schema": {"type": "string"}}
                             for q in spec.query],
            "responses": {},
            "x-api-prefix": "optional" if spec.api else "never",
        }
        if spec.auth not in ("none", "control"):
            op["security"] = [{"bearer": []}]
        if spec.request_model is not None:
            media = "application/x-www-form-urlencoded" if spec.path == "/connect/token" else "application/json"
            op["requestBody"] = {"required": True, "content": {media: {"schema": ref(spec.request_model)}}}
        if spec.status == 204:
            op["responses"]["204"] = {"description": "done"}
        else:
            content = {"application/json": {"schema": ref(spec.response_model)}} if spec.response_model else {
                "application/json": {"schema": {}}}
            op["responses"][str(spec.status)] = {"description": "success", "content": content}
        op["responses"]["default"] = {"description": "problem", "content": {"application/problem+json": {"schema": problem}}}
        paths.setdefault(path, {})[spec.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "insurup-sandbox (InsurUp API as simulated)", "version": __version__,
                 "description": "REST paths answer with and without the /api prefix. Control plane under /__sandbox."},
        "servers": [{"url": "http://127.0.0.1:8080/api"}, {"url": "http://127.0.0.1:8080"}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items())),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }


def render(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_contracts(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in (("openapi.json", openapi()), ("magic-values.json", magic.catalogue())):
        path = out / name
        path.write_text(render(doc), "utf-8")
        written.append(path)
    from mockserver.graphql.schema import sdl

    path = out / "schema.graphql"
    path.write_text(sdl(), "utf-8")
    written.append(path)
    return written
