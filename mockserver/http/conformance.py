"""Does an answer fit what the route declares? With ``check_responses`` on (the test suite turns it on
for every sandbox it makes), every JSON 2xx answer is validated against its route's response model,
undeclared fields forbidden (the models are ``Strict``); a misfit is kept in :data:`MISFITS`, so the
test that produced it fails and names the operation and the field. The served OpenAPI document is
generated from the same models: what it says is then what is sent."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

MISFITS: list[dict[str, Any]] = []  # (the process's; the test suite reads and clears it)


@lru_cache(maxsize=None)
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def check(method: str, path: str, model: Any, status: int, media: str, body: bytes) -> None:
    if model is None or not 200 <= status < 300 or not body or "json" not in media:
        return
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        MISFITS.append({"operation": f"{method} {path}", "status": status, "errors": ["the body is not JSON"]})
        return
    try:
        _adapter(model).validate_python(data, extra="forbid")
    except ValidationError as exc:
        MISFITS.append({"operation": f"{method} {path}", "status": status, "errors": [
            f"$.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:20]]})
