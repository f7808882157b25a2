"""The OpenAPI document tells the truth: it validates, it is served, every answer has its real
schema and media type, and a bounded Schemathesis run over the served document (every phase,
stateful links included) finds no server error, no schema violation, no valid request refused for
its shape and no invalid request accepted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from mockserver.apidocs import openapi
from mockserver.http.routes import ROUTES
from tests.live import ROOT, serve

SPEC = openapi(ROUTES)
OPERATIONS = [(path, method, op) for path, item in SPEC["paths"].items() for method, op in item.items()]


def test_the_document_validates():
    errors = [str(e)[:300] for e in OpenAPIV31SpecValidator(SPEC).iter_errors()]
    assert errors == []


def test_it_is_served_with_and_without_api(sb):
    for path in ("/openapi.json", "/api/openapi.json"):
        r = sb.http.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        served = r.json()
        assert served["servers"] == [{"url": "/"}]
        assert served["paths"] == SPEC["paths"] and served["components"] == SPEC["components"]


def test_operation_ids_are_unique_and_parameters_typed():
    ids = [op["operationId"] for _, _, op in OPERATIONS]
    assert len(ids) == len(set(ids))
    typed = {p["schema"].get("type") for _, _, op in OPERATIONS for p in op["parameters"] if "type" in p["schema"]}
    assert {"integer", "string", "array"} <= typed
    take = next(p for p in SPEC["paths"]["/proposals"]["get"]["parameters"] if p["name"] == "take")
    assert take["schema"]["type"] == "integer" and take["schema"]["maximum"] == 100


def test_every_answer_has_its_schema_and_media_type():
    media = {}
    for path, method, op in OPERATIONS:
        for status, answer in op["responses"].items():
            if status in ("204", "302", "303"):
                assert "content" not in answer, (method, path, status)
                continue
            assert answer.get("content"), (method, path, status)
            for mtype, body in answer["content"].items():
                assert body["schema"], (method, path, status, mtype)
                media.setdefault(mtype, set()).add(f"{method.upper()} {path}")
    assert "GET /__sandbox/documents/{agentId}/{token}" in media["application/pdf"]
    assert "GET /__sandbox/logos/{companyId}.svg" in media["image/svg+xml"]
    assert "GET /__sandbox/pay/{agentId}/{paymentId}" in media["text/html"]
    assert "GET /graphql/schema" in media["text/plain"]
    assert all("{}" != json.dumps(b["schema"]) for _, _, op in OPERATIONS
               for s, a in op["responses"].items() if s.startswith("2") for b in a.get("content", {}).values())


# Where an answer holds JSON no declaration can describe: a document, or a body as recorded. Each is
# (operation, where in the answer) -> why. Anything else opaque (Any, dict[str, Any]) fails below.
OPEN = {
    ("GET /openapi.json", "$"): "this OpenAPI document itself",
    ("GET /graphql", "$.data"): "shaped by the query; the GraphQL schema (GET /graphql/schema) declares it",
    ("POST /graphql", "$.data"): "shaped by the query; the GraphQL schema declares it",
    ("GET /graphql/introspection", "$.data"): "a document: the schema's introspection result (graphql-js's own shape)",
    ("GET /graphql", "$.errors[].extensions"): "GraphQL's open error extensions (code and the details it names)",
    ("POST /graphql", "$.errors[].extensions"): "GraphQL's open error extensions",
    ("GET /templates/definitions", "$[].jsonSchema"): "a JSON Schema document of a template's variables",
    ("GET /templates/{key}", "$.jsonSchema"): "a JSON Schema document of a template's variables",
    ("GET /__sandbox/agents/{agentId}/snapshot", "$"): "the agent's state file (its own versioned format)",
    ("GET /__sandbox/agents/{agentId}/journal", "$[].requestBody"): "a request body as the client sent it",
    ("GET /__sandbox/agents/{agentId}/journal", "$[].responseBody"): "an answer's body as recorded",
    ("GET /__sandbox/journal", "$[].requestBody"): "a request body as the client sent it",
    ("GET /__sandbox/journal", "$[].responseBody"): "an answer's body as recorded",
    ("GET /__sandbox/certifications/{sessionId}/evidence", "$.requests[].body"): "a recorded request body",
    ("GET /__sandbox/certifications/{sessionId}/evidence", "$.requests[].response"): "a recorded answer body",
    ("POST /__sandbox/certifications/{sessionId}/report", "$.evidence.requests[].body"): "a recorded request body",
    ("POST /__sandbox/certifications/{sessionId}/report", "$.evidence.requests[].response"): "a recorded answer",
}


def _opaque(tp, where="$", seen=None):
    """Where a declared answer type says nothing of its content: Any, or an object of anything."""
    import types
    import typing

    from pydantic import BaseModel

    seen = set() if seen is None else seen
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is typing.Any:
        return [where]
    if tp is dict or (origin is dict and args[1] is typing.Any):
        return [where]
    if origin is dict:
        return _opaque(args[1], where + ".*", seen)
    if origin is list:
        return _opaque(args[0], where + "[]", seen)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return [w for a in (args[:1] if origin is typing.Annotated else args) for w in _opaque(a, where, seen)]
    if isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in seen:
        seen.add(tp)
        out = []
        for name, info in tp.model_fields.items():
            if any(getattr(m, "max_length", None) == 0 for m in info.metadata):
                continue  # a list declared always empty
            out += _opaque(info.annotation, f"{where}.{info.alias or name}", seen)
        seen.discard(tp)
        return out
    return []


def test_no_answer_is_declared_as_an_opaque_object():
    """Every answer's declaration says what it holds, down to the leaves (the answers themselves are
    checked against it by every test: tests/conftest.py), except the places listed in OPEN."""
    from mockserver.http.routes import ROUTES
    found = {(f"{r.method} {r.path}", where) for r in ROUTES if r.response_model is not None
             for where in _opaque(r.response_model)}
    assert sorted(found - set(OPEN)) == []
    assert sorted(set(OPEN) - found) == []  # a place made precise leaves the list


def test_request_bodies_are_the_models_that_parse_them(sb, agent):
    # what the document calls invalid, the server refuses as the schema's, naming the field
    h = sb.bearer(sb.service_token(agent))
    r = sb.http.post("/api/customers", headers=h, json={"identityNumber": ["11111111110"], "fullName": 7})
    assert r.status_code == 422 and r.headers["x-sandbox-rejected-by"] == "schema"
    assert {e["propertyName"] for e in r.json()["validationErrors"]} == {"identityNumber", "fullName"}
    assert r.json()["codes"] == ["INVALID_IDENTITY_NUMBER"]
    # what it calls valid reaches the rules, which refuse with their own code
    r = sb.http.post("/api/customers", headers=h, json={"identityNumber": "11111111111", "fullName": "A B"})
    assert r.status_code == 422 and r.headers["x-sandbox-rejected-by"] == "rule"
    assert r.json()["codes"] == ["INVALID_IDENTITY_NUMBER"]
    # a 64-bit bound, and 5.0 is the integer 5 as JSON Schema reads it
    r = sb.http.get("/api/proposals", headers=h, params={"take": 2**63})
    assert r.status_code == 422 and r.json()["validationErrors"][0]["propertyName"] == "take"
    assert sb.http.put(f"/__sandbox/agents/{agent.id}/clock", json={}).status_code == 405
    r = sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"advance": 60.0, "freeze": True})
    assert r.status_code == 200 and r.json()["frozen"] is True


# ----------------------------------------------------------------------------- schemathesis
ADMIN = "schemathesis-admin-token-0123456789"


def _st(base: str, *args: str, report: Path) -> dict:
    exe = Path(sys.executable).with_name("st")
    cmd = [str(exe), "run", f"{base}/openapi.json", "--checks", "all", "--exclude-checks", "positive_data_acceptance",
           "--max-examples", "8", "--seed", "20261201", "-w", "1", "--no-color", "--report", "json",
           "--report-json-path", str(report), "--request-timeout", "30", "--generation-database", "none", *args]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT, env=env)
    summary = done.stdout[done.stdout.find("SUMMARY"):] if "SUMMARY" in done.stdout else done.stdout[-3000:]
    print(summary)
    data = json.loads(report.read_text())
    assert data["complete"], summary
    assert data["failures"] == [] and data["errors"] == [], done.stdout[-20000:]
    assert done.returncode == 0, summary
    return data


@pytest.mark.slow
def test_schemathesis_over_the_served_document_finds_nothing(tmp_path):
    with serve(env={"INSURUP_SANDBOX_ADMIN_TOKEN": ADMIN}) as (base, _, _proc):
        created = httpx.post(f"{base}/__sandbox/agents", json={}, headers={"X-Sandbox-Token": ADMIN}).json()
        sa = created["serviceAccount"]
        token = httpx.post(f"{base}/connect/token", data={
            "grant_type": "client_credentials", "scope": "core-api", "client_id": sa["clientId"],
            "client_secret": sa["clientSecret"]}).json()["access_token"]
        # the API, as an agency's service account (the control plane stays closed to it)
        api = _st(base, "-H", f"Authorization: Bearer {token}", "--exclude-tag", "control",
                  "--exclude-tag", "pages", "--exclude-tag", "ui", report=tmp_path / "api.json")
        # the control plane, with the admin token (the API is not called with it)
        control = _st(base, "-H", f"X-Sandbox-Token: {ADMIN}", "--include-tag", "control", "--include-tag", "pages",
                      report=tmp_path / "control.json")
        health = httpx.get(f"{base}/__sandbox/health")
        assert health.status_code == 200
    generated = api["test_cases"]["generated"] + control["test_cases"]["generated"]
    print(f"schemathesis: {generated} test cases over {api['operations']['tested']} + "
          f"{control['operations']['tested']} operations, 0 failures")
    assert api["operations"]["tested"] > 100 and control["operations"]["tested"] > 15
