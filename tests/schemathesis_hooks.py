"""Schemathesis hooks for the suite's run over the served OpenAPI document (SCHEMATHESIS_HOOKS).

Schemathesis' own ``positive_data_acceptance`` wants every schema-valid request answered 2xx, 401,
403, 404 or 409. The sandbox also refuses schema-valid requests for rules JSON Schema cannot state
(check digits, references to records that do not exist, states) with a 400/422 problem. This check
keeps the promise that matters and is stricter where it can be: a schema-valid request is never
refused *for its shape* (``X-Sandbox-Rejected-By: schema``), and a rule refusal always explains
itself (a code or a named field) in InsurUp's problem body.
"""

from __future__ import annotations

import json
import sys

import schemathesis

# CPython 3.11's ast.parse (Hypothesis describes lambdas with it) can fail with "AST constructor
# recursion depth mismatch" when called deep in Schemathesis' recursive strategies; headroom avoids it
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))

ACCEPTED = {401, 403, 404, 405, 409, 429}


@schemathesis.check
def valid_requests_are_never_refused_for_their_shape(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 400 or status in ACCEPTED or status >= 500:
        return None  # 5xx is not_a_server_error's to report
    if status not in (400, 422):
        raise AssertionError(f"a schema-valid request got {status}")
    rejected_by = (response.headers.get("x-sandbox-rejected-by") or [""])[0]
    if rejected_by == "schema":
        raise AssertionError(f"a schema-valid request was refused by its own schema: {response.content[:600]!r}")
    if "graphql" in case.operation.path:
        return None  # GraphQL answers 400 with GraphQL errors for documents it cannot run
    if case.operation.path.startswith("/login"):  # the sign-in pages say what stops them, in the page
        if b"<p>" in response.content and "text/html" in (response.headers.get("content-type") or [""])[0]:
            return None
        raise AssertionError(f"a sign-in page {status} that says nothing: {response.content[:300]!r}")
    if case.operation.path.startswith("/connect/"):
        body = json.loads(response.content)
        if body.get("error") and body.get("error_description") and rejected_by != "schema":
            return None  # RFC 6749 errors
        raise AssertionError(f"an OAuth {status} without error and error_description: {response.content[:300]!r}")
    try:
        problem = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"a {status} without a problem body") from None
    if rejected_by != "rule" or not (problem.get("codes") or problem.get("validationErrors")):
        raise AssertionError(f"a {status} that names no rule (no code, no field): {response.content[:600]!r}")
    return None
